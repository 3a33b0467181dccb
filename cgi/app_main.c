#include "app.h"
#include "util.h"

/*
 * tessera-app: what a signed-in person does (accounts, booking, orders,
 * reviews, pictures). nginx sends it those paths only; until their pages
 * exist it answers each with the site's 404 page.
 */

static const struct route routes[1] = { { NULL, NULL, 0 } };
static const handler_fn handlers[1] = { NULL };

int
main(int argc, char **argv)
{
	static struct app app = {
		.name = "tessera-app",
		.routes = routes,
		.nroutes = 0,
		.handlers = handlers,
		.default_workers = 2,
	};

	return app_main(&app, argc, argv);
}
