#include <stdlib.h>
#include <string.h>

#include "admin_pages.h"
#include "admin_type_form.h"
#include "arena.h"
#include "events.h"
#include "events_admin.h"
#include "form.h"
#include "program.h"
#include "tmpl.h"

/*
 * The ticket types of an organizer's event, each on a page of its own:
 * /admin/events/{id}/types/new adds one, .../types/{tid}/edit changes it
 * and .../types/{tid}/delete removes it. The rules (one currency, seats
 * never below those sold and held, an ordered type is kept) are
 * events_admin.h's; a refusal shows the form again with the reason at
 * its field. Each change goes back to the event's edit page.
 */

static long long
path_type_id(struct request *r)
{
	return strtoll(request_path_param(r, "tid"), NULL, 10);
}

/* The currency a new type of event_id is priced in by default: that of
 * its other types, else the first money.h knows. */
static int
default_currency(struct request *r, long long event_id, const char **out)
{
	struct ticket_type *types;
	size_t n;
	int rc;

	if ((rc = events_ticket_types(r->db, r->arena, event_id, &types,
	    &n)) != 0)
		return rc;
	*out = n > 0 ? types[0].currency : "EUR";
	return 0;
}

/*
 * The page of ticket type t of ev (NULL: a new one): res is the form as
 * posted, or NULL to show t as saved (or a new type's defaults). Renders
 * it with status; returns 0 or the status to answer with.
 */
static int
type_page(struct request *r, const struct event *ev,
    const struct ticket_type *t, const struct form_result *res, int status)
{
	struct arena *a = r->arena;
	struct form_result saved;
	struct tmpl_value *ctx;
	const char *currency;
	int rc;

	if (res == NULL) {
		if (t == NULL && (rc = default_currency(r, ev->id,
		    &currency)) != 0)
			return rc == ROW_BAD ? 500 : 503;
		type_form_fill(a, t, t ? t->currency : currency, ev->timezone,
		    &saved);
		res = &saved;
	}
	ctx = page_context(r, t ? arena_printf(a, "Ticket type: %s", t->name) :
	    "New ticket type");
	tv_set_int(a, ctx, "event_id", ev->id);
	tv_set_str(a, ctx, "event_title", ev->title);
	tv_set_str(a, ctx, "zone", ev->timezone);
	tv_set(a, ctx, "f", form_view(a, res->form, res));
	if (t == NULL) {
		tv_set_str(a, ctx, "heading", "New ticket type");
		tv_set_str(a, ctx, "action", arena_printf(a,
		    "/admin/events/%lld/types/new", ev->id));
		tv_set_str(a, ctx, "button", "Add the ticket type");
	} else {
		struct tmpl_value *counts = tv_object(a);

		tv_set_str(a, ctx, "heading", arena_printf(a, "Ticket type: %s",
		    t->name));
		tv_set_str(a, ctx, "action", arena_printf(a,
		    "/admin/events/%lld/types/%lld/edit", ev->id, t->id));
		tv_set_str(a, ctx, "button", "Save the ticket type");
		tv_set_str(a, ctx, "remove_url", arena_printf(a,
		    "/admin/events/%lld/types/%lld/delete", ev->id, t->id));
		tv_set_int(a, counts, "sold", t->sold);
		tv_set_int(a, counts, "held", t->held);
		tv_set_int(a, counts, "quota", t->quota);
		tv_set(a, ctx, "counts", counts);
	}
	if ((rc = page_render(r, "admin_ticket_type", ctx)) != 0)
		return rc;
	r->resp.status = status;
	return 0;
}

/* The field of the form a refusal is about; -1 for the form itself. */
static int
refusal_field(enum events_refusal why)
{
	switch (why) {
	case EVENTS_MIXED_CURRENCY:
		return TTF_CURRENCY;
	case EVENTS_QUOTA_BELOW_SEATS:
		return TTF_QUOTA;
	default:
		return -1;
	}
}

/* In a change: the form shown again with the refusal, or, for a
 * cancelled event, the error page. Returns what the change returns. */
static int
refused(struct request *r, const struct event *ev,
    const struct ticket_type *t, const struct form_result *res,
    const struct events_outcome *out)
{
	struct form_result *shown = admin_form_copy(r->arena, res);
	const char *text = admin_refusal_text(r->arena, out);
	int field = refusal_field(out->refusal), rc;

	if (out->refusal == EVENTS_CANCELLED) {
		r->error_detail = text;
		return 409;
	}
	if (field >= 0)
		form_set_error(shown, (size_t)field, text);
	else
		form_add_error(r->arena, shown, text);
	rc = type_page(r, ev, t, shown, 409);
	return rc == 0 ? PAGE_SHOWN : rc == 503 ? -1 : rc;
}

/* A cancelled event's types stay as they are. */
static int
open_for_change(struct request *r, const struct event *ev)
{
	if (ev->status != EVENT_CANCELLED)
		return 0;
	r->error_detail = "This event is cancelled: its ticket types can no "
	    "longer be changed.";
	return 409;
}

/* GET /admin/events/{id}/types/new */
int
admin_type_new(struct request *r)
{
	struct event ev;
	int rc;

	if ((rc = admin_managed_event(r, &ev)) != 0 ||
	    (rc = open_for_change(r, &ev)) != 0)
		return rc;
	return type_page(r, &ev, NULL, NULL, 200);
}

struct type_change {
	struct form_result res;     /* as posted; it passed */
	struct ticket_type in;
};

static int
create_change(struct request *r, void *arg)
{
	struct type_change *c = arg;
	struct events_outcome out;
	struct event ev;
	long long id;
	int rc;

	if ((rc = admin_locked_event(r, &ev)) != 0)
		return rc;
	switch (events_admin_type_create(r->db, r->arena, &ev, &c->in, &id,
	    &out)) {
	case 0:
		break;
	case 1:
		return refused(r, &ev, NULL, &c->res, &out);
	default:
		return -1;
	}
	page_change_location(r, arena_printf(r->arena,
	    "/admin/events/%lld/edit?done=type_added", ev.id));
	return admin_audit_event(r, "ticket_type.create", ev.id, arena_printf(
	    r->arena, "ticket type %lld: %s, %lld seats", id, c->in.name,
	    c->in.quota));
}

/* POST /admin/events/{id}/types/new */
int
admin_type_create(struct request *r)
{
	struct type_change c;
	struct event ev;
	int rc;

	if ((rc = admin_managed_event(r, &ev)) != 0 ||
	    (rc = open_for_change(r, &ev)) != 0)
		return rc;
	if (type_form_check(r->arena, &r->form, ev.timezone, &c.res) != 0)
		return type_page(r, &ev, NULL, &c.res, 400);
	memset(&c.in, 0, sizeof(c.in));
	type_form_read(&c.res, &c.in);
	return page_change(r, create_change, &c, "/admin");
}

/* The event of the path and its ticket type {tid}: 0, or the status to
 * answer with. */
static int
managed_type(struct request *r, struct event *ev, struct ticket_type *t)
{
	int rc;

	if ((rc = admin_managed_event(r, ev)) != 0)
		return rc;
	rc = events_ticket_type_get(r->db, r->arena, ev->id, path_type_id(r), t);
	return rc == 0 ? 0 : rc == 1 ? 404 : rc == ROW_BAD ? 500 : 503;
}

/* In a change: the path's ticket type and its event, both locked, if the
 * signed-in person may manage it. 0, 404, 500, or -1. */
static int
locked_type(struct request *r, struct event *ev, struct ticket_type *t)
{
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);
	int rc = events_admin_lock_type(r->db, r->arena, id, path_type_id(r), ev,
	    t);

	if (rc == 1 || (rc == 0 && !admin_may_manage(r, ev->organizer_id)))
		return 404;
	return rc == 0 ? 0 : rc == ROW_BAD ? 500 : -1;
}

/* GET /admin/events/{id}/types/{tid}/edit */
int
admin_type_edit(struct request *r)
{
	struct ticket_type t;
	struct event ev;
	int rc;

	if ((rc = managed_type(r, &ev, &t)) != 0)
		return rc;
	return type_page(r, &ev, &t, NULL, 200);
}

static int
save_change(struct request *r, void *arg)
{
	struct type_change *c = arg;
	struct events_outcome out;
	struct ticket_type cur, in = c->in;
	struct event ev;
	int rc;

	if ((rc = locked_type(r, &ev, &cur)) != 0)
		return rc;
	in.id = cur.id;
	switch (events_admin_type_update(r->db, r->arena, &ev, &cur, &in,
	    &out)) {
	case 0:
		break;
	case 1:
		return refused(r, &ev, &cur, &c->res, &out);
	default:
		return -1;
	}
	page_change_location(r, arena_printf(r->arena,
	    "/admin/events/%lld/edit?done=type_saved", ev.id));
	return admin_audit_event(r, "ticket_type.update", ev.id, arena_printf(
	    r->arena, "ticket type %lld: %s, %lld seats", cur.id, in.name,
	    in.quota));
}

/* POST /admin/events/{id}/types/{tid}/edit */
int
admin_type_save(struct request *r)
{
	struct type_change c;
	struct ticket_type t;
	struct event ev;
	int rc;

	if ((rc = managed_type(r, &ev, &t)) != 0 ||
	    (rc = open_for_change(r, &ev)) != 0)
		return rc;
	if (type_form_check(r->arena, &r->form, ev.timezone, &c.res) != 0)
		return type_page(r, &ev, &t, &c.res, 400);
	memset(&c.in, 0, sizeof(c.in));
	type_form_read(&c.res, &c.in);
	return page_change(r, save_change, &c, "/admin");
}

static int
delete_change(struct request *r, void *arg)
{
	struct events_outcome out;
	struct ticket_type t;
	struct event ev;
	int rc;

	(void)arg;
	if ((rc = locked_type(r, &ev, &t)) != 0)
		return rc;
	switch (events_admin_type_delete(r->db, r->arena, &ev, &t, &out)) {
	case 0:
		break;
	case 1:
		r->error_detail = admin_refusal_text(r->arena, &out);
		return 409;
	default:
		return -1;
	}
	page_change_location(r, arena_printf(r->arena,
	    "/admin/events/%lld/edit?done=type_removed", ev.id));
	return admin_audit_event(r, "ticket_type.delete", ev.id, arena_printf(
	    r->arena, "ticket type %lld: %s", t.id, t.name));
}

/* POST /admin/events/{id}/types/{tid}/delete */
int
admin_type_delete(struct request *r)
{
	return page_change(r, delete_change, NULL, "/admin");
}
