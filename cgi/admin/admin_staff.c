#include <stdlib.h>
#include <string.h>

#include "admin_pages.h"
#include "audit.h"
#include "dates.h"
#include "door_staff.h"
#include "events.h"
#include "form.h"
#include "program.h"
#include "session.h"
#include "tmpl.h"

/*
 * An event's door staff (/admin/events/{id}/staff): the organizer names
 * the accounts, by their address, that may check tickets in at this
 * event's door and nowhere else, and takes them back. Only the event's
 * organizer (or a site admin) sees this page; for others it is a 404.
 */

enum { STAFF_EMAIL, STAFF__MAX };

static const struct form_field staff_fields[STAFF__MAX] = {
	[STAFF_EMAIL] = { .name = "email", .kind = FORM_EMAIL,
	    .flags = FORM_REQUIRED, .label = "Email address of their account",
	    .hint = "They need an account on this site; they see the check-in "
	    "page of this event only.", .autocomplete = "off" },
};

static const struct form staff_form = { "staff", staff_fields, STAFF__MAX,
	NULL };

static const char *const done_keys[] = { "added", "removed" };
static const char *const done_texts[] = {
	"They can now check tickets in at this event's door.",
	"They no longer have this event's door.",
};

static int
staff_page(struct request *r, const struct event *ev,
    const struct form_result *res)
{
	struct arena *a = r->arena;
	struct tmpl_value *ctx = page_context(r, arena_printf(a,
	    "Door staff: %s", ev->title));
	struct tmpl_value *list = tv_list(a);
	struct door_staff *staff;
	size_t n;
	int done, rc;

	if ((rc = door_staff_list(r->db, a, ev->id, &staff, &n)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	for (size_t i = 0; i < n; i++) {
		struct tmpl_value *v = tv_object(a);

		tv_set_int(a, v, "user_id", staff[i].user_id);
		tv_set_str(a, v, "name", staff[i].name);
		tv_set_str(a, v, "email", staff[i].email);
		tv_set_str(a, v, "since", dates_local(a, staff[i].granted_at,
		    ev->timezone, "%-d %b %Y"));
		tv_push(a, list, v);
	}
	tv_set_int(a, ctx, "event_id", ev->id);
	tv_set_bool(a, ctx, "on_staff", 1);
	tv_set_str(a, ctx, "event_title", ev->title);
	tv_set(a, ctx, "staff", list);
	tv_set_bool(a, ctx, "has_staff", n > 0);
	tv_set_str(a, ctx, "door_url", arena_printf(a,
	    "%s/admin/events/%lld/checkin", request_site_url(r), ev->id));
	done = form_choice(done_keys, 2, request_query(r, "done"));
	if (done >= 0 && res == NULL)
		tv_set_str(a, ctx, "done", done_texts[done]);
	if (res != NULL)
		return form_rerender(r, "admin_staff", ctx, "form", res);
	tv_set(a, ctx, "form", form_view(a, &staff_form, NULL));
	return page_render(r, "admin_staff", ctx);
}

/* GET /admin/events/{id}/staff */
int
admin_staff(struct request *r)
{
	struct event ev;
	int rc;

	if ((rc = admin_managed_event(r, &ev)) != 0)
		return rc;
	return staff_page(r, &ev, NULL);
}

struct staff_change {
	struct form_result *res;
	const char *email;
};

static int
add_apply(struct request *r, void *arg)
{
	struct staff_change *c = arg;
	struct event ev;
	long long user_id;
	int rc;

	if ((rc = admin_managed_event(r, &ev)) != 0)
		return rc == 503 ? -1 : rc;
	switch (door_staff_add(r->db, r->arena, ev.id, c->email,
	    r->session->user_id, &user_id)) {
	case DOOR_STAFF_ADDED:
		break;
	case DOOR_STAFF_NO_ACCOUNT:
		form_set_error(c->res, STAFF_EMAIL, "No account has this "
		    "address: ask them to register first.");
		return staff_page(r, &ev, c->res) == 0 ? PAGE_SHOWN : 500;
	case DOOR_STAFF_ALREADY:
		form_set_error(c->res, STAFF_EMAIL, "They are door staff here "
		    "already.");
		return staff_page(r, &ev, c->res) == 0 ? PAGE_SHOWN : 500;
	case DOOR_STAFF_FULL:
		form_add_error(r->arena, c->res, "This event has as many door "
		    "staff as it can: take someone off first.");
		return staff_page(r, &ev, c->res) == 0 ? PAGE_SHOWN : 500;
	default:
		return -1;
	}
	page_change_location(r, arena_printf(r->arena,
	    "/admin/events/%lld/staff?done=added", ev.id));
	return audit_log(r->db, r->session->user_id, "event.staff_add",
	    c->email, r->remote_addr, arena_printf(r->arena, "event %lld",
	    ev.id));
}

/* POST /admin/events/{id}/staff: email. */
int
admin_staff_add(struct request *r)
{
	struct form_result res;
	struct staff_change c = { &res, NULL };
	struct event ev;
	int rc;

	if (form_check(r->arena, &staff_form, &r->form, NULL, &res) != 0) {
		if ((rc = admin_managed_event(r, &ev)) != 0)
			return rc;
		return staff_page(r, &ev, &res);
	}
	c.email = res.field[STAFF_EMAIL].text;
	return page_change(r, add_apply, &c, "/admin");
}

static int
remove_apply(struct request *r, void *arg)
{
	long long user_id = strtoll(request_path_param(r, "user"), NULL, 10);
	struct event ev;
	int rc;

	(void)arg;
	if ((rc = admin_managed_event(r, &ev)) != 0)
		return rc == 503 ? -1 : rc;
	if ((rc = door_staff_remove(r->db, ev.id, user_id)) != 0)
		return rc < 0 ? -1 : 404;
	page_change_location(r, arena_printf(r->arena,
	    "/admin/events/%lld/staff?done=removed", ev.id));
	return audit_log(r->db, r->session->user_id, "event.staff_remove",
	    arena_printf(r->arena, "account %lld", user_id), r->remote_addr,
	    arena_printf(r->arena, "event %lld", ev.id));
}

/* POST /admin/events/{id}/staff/{user}/remove */
int
admin_staff_remove(struct request *r)
{
	return page_change(r, remove_apply, NULL, "/admin");
}
