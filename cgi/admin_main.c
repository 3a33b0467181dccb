#include "app.h"
#include "util.h"

/*
 * tessera-admin: organizer and site-admin pages. nginx sends it /admin
 * and below only; until those pages exist it answers each with the site's
 * 404 page.
 */

static const struct route routes[1] = { { NULL, NULL, 0 } };
static const handler_fn handlers[1] = { NULL };

int
main(int argc, char **argv)
{
	static struct app app = {
		.name = "tessera-admin",
		.routes = routes,
		.nroutes = 0,
		.handlers = handlers,
		.default_workers = 2,
	};

	return app_main(&app, argc, argv);
}
