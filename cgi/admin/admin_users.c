#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_pages.h"
#include "program.h"
#include "audit.h"
#include "dates.h"
#include "db_admin.h"
#include "form.h"
#include "http_url.h"
#include "row.h"
#include "roles.h"
#include "session.h"
#include "session_confirm.h"
#include "tmpl.h"
#include "util.h"

#define USERS_PER_PAGE 50
#define MAX_QUERY_BYTES 100
#define MAX_PAGE 1000

/* Roles an admin may give from this page; admin itself only from the
 * command line (tessera create-admin). */
static const enum role grantable_roles[] = { ROLE_ATTENDEE, ROLE_ORGANIZER };

static struct tmpl_value *
user_rows(struct request *r, const struct admin_user *users, size_t n)
{
	struct arena *a = r->arena;
	struct tmpl_value *list = tv_list(a);

	for (size_t i = 0; i < n; i++) {
		const struct admin_user *u = &users[i];
		struct tmpl_value *v = tv_object(a);

		tv_set_int(a, v, "id", u->id);
		tv_set_str(a, v, "email", u->email);
		tv_set_str(a, v, "name", u->display_name);
		tv_set_str(a, v, "role", role_name(u->role));
		tv_set_bool(a, v, "verified", u->verified);
		tv_set_str(a, v, "created", dates_local(a, u->created_at, "UTC",
		    "%-d %b %Y"));
		tv_set_bool(a, v, "is_organizer", u->role == ROLE_ORGANIZER);
		tv_set_bool(a, v, "changeable", u->role != ROLE_ADMIN &&
		    u->id != r->session->user_id);
		tv_set_bool(a, v, "disabled", u->disabled);
		tv_push(a, list, v);
	}
	return list;
}

/* What ?done= says after a change. */
static const char *const done_keys[] = { "role", "disabled", "enabled" };
static const char *const done_texts[] = {
	"The role was changed.",
	"The account is disabled: "
	"it is signed out everywhere, cannot sign in, "
	"and its events are hidden.",
	"The account is enabled again.",
};

/* GET /admin/users — accounts, searchable, with their roles. */
int
admin_users(struct request *r)
{
	struct arena *a = r->arena;
	const char *q = request_query(r, "q");
	struct tmpl_value *ctx;
	struct admin_user *users;
	size_t n;
	int page, rc;

	if (q != NULL && *q == '\0')
		q = NULL;
	if (q != NULL && strlen(q) > MAX_QUERY_BYTES) {
		r->error_detail = "The search text is too long.";
		return 400;
	}
	if ((page = request_page_number(r, MAX_PAGE)) < 0)
		return 400;
	if ((rc = db_admin_users(r->db, a, q,
	    USERS_PER_PAGE + 1, (page - 1) * USERS_PER_PAGE, &users, &n)) != 0)
		return rc == ROW_BAD ? 500 : 503;

	ctx = page_context(r, "Accounts");
	tv_set(a, ctx, "users", user_rows(r, users,
	    n < USERS_PER_PAGE ? n : USERS_PER_PAGE));
	tv_set_bool(a, ctx, "has_users", n > 0);
	if (q != NULL) {
		tv_set_str(a, ctx, "q", q);
		tv_set_str(a, ctx, "q_url", url_encode(a, q, strlen(q)));
	}
	if (page > 1)
		tv_set_int(a, ctx, "prev_page", page - 1);
	if (n > USERS_PER_PAGE)
		tv_set_int(a, ctx, "next_page", page + 1);
	if ((rc = form_choice(done_keys, ARRAY_LEN(done_keys),
	    request_query(r, "done"))) >= 0)
		tv_set_str(a, ctx, "done", done_texts[rc]);
	return page_render(r, "admin_users", ctx);
}

struct role_change {
	long long id;
	enum role role;
};

/* Gives account c->id the role c->role, in page_change's transaction. */
static int
role_change(struct request *r, void *arg)
{
	const struct role_change *c = arg;
	const char *email;
	int changed = 0, rc;

	if ((rc = db_admin_user_email(r->db, r->arena, c->id, &email)) != 0)
		return rc < 0 ? -1 : 404;
	if (db_admin_set_role(r->db, c->id, c->role, &changed) != 0)
		return -1;
	if (!changed)
		return 0;
	return audit_log(r->db, r->session->user_id,
	    arena_printf(r->arena, "role.%s", role_name(c->role)), email,
	    r->remote_addr, arena_printf(r->arena, "account %lld", c->id));
}

/* Whether the admin typed their password again lately, which changing an
 * account's role or access needs (a session left open, or stolen, is not
 * enough). Returns 0 to go on, or -1 with *status the answer: the
 * redirect to the confirmation page (which leads back to the list), or
 * 503. */
static int
need_confirmed(struct request *r, int *status)
{
	switch (session_confirmed(r)) {
	case 1:
		return 0;
	case 0:
		*status = session_confirm_redirect(r, "/admin/users");
		return -1;
	default:
		*status = 503;
		return -1;
	}
}

/* POST /admin/users/{id}/role — grant or take back the organizer role. */
int
admin_user_role(struct request *r)
{
	const char *role = params_get(&r->form, "role");
	struct role_change c = {
		.id = strtoll(request_path_param(r, "id"), NULL, 10),
		.role = ROLE__MAX,
	};
	int status;

	for (size_t i = 0; role != NULL && i < sizeof(grantable_roles) /
	    sizeof(grantable_roles[0]); i++)
		if (strcmp(role, role_name(grantable_roles[i])) == 0)
			c.role = grantable_roles[i];
	if (c.role == ROLE__MAX) {
		r->error_detail = "The role must be attendee or organizer.";
		return 400;
	}
	if (c.id == r->session->user_id) {
		r->error_detail = "You cannot change your own role.";
		return 403;
	}
	if (need_confirmed(r, &status) != 0)
		return status;
	return page_change(r, role_change, &c, "/admin/users?done=role");
}

struct access_change {
	long long id;
	int disable;
};

/* Disables or enables account c->id, in page_change's transaction. */
static int
access_change(struct request *r, void *arg)
{
	const struct access_change *c = arg;
	const char *email;
	int changed = 0, rc;

	if ((rc = db_admin_user_email(r->db, r->arena, c->id, &email)) != 0)
		return rc < 0 ? -1 : 404;
	if (db_admin_set_disabled(r->db, c->id, c->disable, &changed) != 0)
		return -1;
	if (!changed)
		return 0;
	return audit_log(r->db, r->session->user_id, c->disable ?
	    "account.disable" : "account.enable", email, r->remote_addr,
	    arena_printf(r->arena, "account %lld", c->id));
}

/* POST /admin/users/{id}/access — action=disable or enable. */
int
admin_user_access(struct request *r)
{
	const char *action = params_get(&r->form, "action");
	struct access_change c = {
		.id = strtoll(request_path_param(r, "id"), NULL, 10),
	};
	int status;

	if (action == NULL || (strcmp(action, "disable") != 0 &&
	    strcmp(action, "enable") != 0)) {
		r->error_detail = "Choose to disable or to enable the account.";
		return 400;
	}
	if (c.id == r->session->user_id) {
		r->error_detail = "You cannot disable your own account.";
		return 403;
	}
	if (need_confirmed(r, &status) != 0)
		return status;
	c.disable = strcmp(action, "disable") == 0;
	return page_change(r, access_change, &c, c.disable ?
	    "/admin/users?done=disabled" : "/admin/users?done=enabled");
}
