#include <string.h>

#include "admin_pages.h"
#include "program.h"
#include "http_url.h"
#include "session.h"
#include "util.h"

static const struct route routes[] = {
	{ "GET", "/admin", ADMIN_HOME },
	{ "GET", "/admin/users", ADMIN_USERS },
	{ "POST", "/admin/users/{id:int}/role", ADMIN_USER_ROLE },
	{ "GET", "/admin/audit", ADMIN_AUDIT },
	{ "GET", "/admin/status", ADMIN_STATUS },
	{ "POST", "/admin/outbox/{id:int}/retry", ADMIN_OUTBOX_RETRY },
};

static const handler_fn handlers[ADMIN__MAX] = {
	[ADMIN_HOME] = admin_home,
	[ADMIN_USERS] = admin_users,
	[ADMIN_USER_ROLE] = admin_user_role,
	[ADMIN_AUDIT] = admin_audit,
	[ADMIN_STATUS] = admin_status,
	[ADMIN_OUTBOX_RETRY] = admin_outbox_retry,
};

int
admin_require(struct request *r, enum admin_need need, int *status)
{
	const char *role;

	if (r->session == NULL) {
		/* Only GETs come back here after signing in. */
		const char *back = strcmp(r->method, "GET") == 0 ? r->path : "/admin";

		*status = page_redirect(r, 303, arena_printf(r->arena,
		    "/login?next=%s", url_encode(r->arena, back, strlen(back))));
		return 0;
	}
	role = r->session->role;
	if (strcmp(role, "admin") == 0 ||
	    (need == NEED_ORGANIZER && strcmp(role, "organizer") == 0))
		return 1;
	r->error_detail = need == NEED_ADMIN ?
	    "This page is for site admins." :
	    "This page is for organizers. Ask a site admin to make your account "
	    "an organizer account.";
	*status = 403;
	return 0;
}

int
main(int argc, char **argv)
{
	static struct program program = {
		.name = "tessera-admin",
		.routes = routes,
		.nroutes = ARRAY_LEN(routes),
		.handlers = handlers,
		.default_workers = 2,
		.writes = 1,
	};

	return program_main(&program, argc, argv);
}
