#include <string.h>
#include <time.h>

#include "admin_event_form.h"
#include "admin_pages.h"
#include "arena.h"
#include "dates.h"
#include "events.h"
#include "event_notice.h"
#include "events_admin.h"
#include "form.h"
#include "orders.h"
#include "program.h"
#include "session.h"
#include "tmpl.h"
#include "view_event.h"

/*
 * An organizer's own events: a new one (/admin/events/new), and its edit
 * page (/admin/events/{id}/edit) with its details and status, its ticket
 * types (admin_types.c changes them) and the buttons to copy and delete
 * it. Every change is a post answered by page_change, in a transaction
 * that locks the event first, and goes to the audit log. A form that
 * fails is shown again with every message and what was typed.
 */

/* ?done= flags that lead back to the edit page, and what each says. */
enum event_done {
	DONE_CREATED,
	DONE_SAVED,
	DONE_COPIED,
	DONE_TYPE_ADDED,
	DONE_TYPE_SAVED,
	DONE_TYPE_REMOVED,
	DONE__MAX
};

static const char *const done_keys[DONE__MAX] = {
	"created", "saved", "copied", "type_added", "type_saved",
	"type_removed",
};

static const char *const done_texts[DONE__MAX] = {
	/* DONE_CREATED */
	"The event is saved as a draft. Add its ticket types, then publish "
	"it.",
	/* DONE_SAVED */
	"The event is saved.",
	/* DONE_COPIED */
	"This is a copy, saved as a draft, with the same dates, refund "
	"deadline and ticket types (sale windows too) as the original: change "
	"them before you publish it.",
	/* DONE_TYPE_ADDED */
	"The ticket type is added.",
	/* DONE_TYPE_SAVED */
	"The ticket type is saved.",
	/* DONE_TYPE_REMOVED */
	"The ticket type is removed.",
};

#define SALE_FORMAT "%-d %b %Y, %H:%M"

/* The sale window of t in words, in the event's zone. */
static const char *
sale_text(struct arena *a, const struct ticket_type *t, const char *zone)
{
	const char *from = t->has_sales_start ? dates_local(a, t->sales_start,
	    zone, SALE_FORMAT) : NULL;
	const char *until = t->has_sales_end ? dates_local(a, t->sales_end,
	    zone, SALE_FORMAT) : NULL;

	if (from != NULL && until != NULL)
		return arena_printf(a, "%s to %s", from, until);
	if (from != NULL)
		return arena_printf(a, "from %s", from);
	if (until != NULL)
		return arena_printf(a, "until %s", until);
	return "while the event lasts";
}

static struct tmpl_value *
type_rows(struct arena *a, const struct event *ev,
    const struct ticket_type *types, size_t n)
{
	struct tmpl_value *list = tv_list(a);

	for (size_t i = 0; i < n; i++) {
		const struct ticket_type *t = &types[i];
		struct tmpl_value *v = tv_object(a);

		tv_set_str(a, v, "name", t->name);
		tv_set_str(a, v, "edit_url", arena_printf(a,
		    "/admin/events/%lld/types/%lld/edit", ev->id, t->id));
		tv_set_str(a, v, "price", view_price(a, t->price, t->currency));
		tv_set_int(a, v, "sold", t->sold);
		tv_set_int(a, v, "held", t->held);
		tv_set_int(a, v, "quota", t->quota);
		tv_set_str(a, v, "sale", sale_text(a, t, ev->timezone));
		tv_push(a, list, v);
	}
	return list;
}

/*
 * The edit page of ev: res is the form as posted, with its messages, or
 * NULL for ev as saved. Renders it with status; returns 0, or the status
 * to answer with (503, 500).
 */
static int
edit_page(struct request *r, const struct event *ev,
    const struct form_result *res, int status)
{
	struct arena *a = r->arena;
	struct ticket_type *types;
	struct form_result saved;
	struct tmpl_value *ctx;
	size_t ntypes;
	int rc, ordered, editable = ev->status != EVENT_CANCELLED, done;

	if ((rc = events_ticket_types(r->db, a, ev->id, &types, &ntypes)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	if ((ordered = events_admin_has_orders(r->db, a, ev->id)) < 0)
		return 503;
	if (res == NULL) {
		event_form_fill(a, ev, &saved);
		res = &saved;
	}
	ctx = page_context(r, arena_printf(a, "Edit: %s", ev->title));
	done = form_choice(done_keys, DONE__MAX, request_query(r, "done"));
	if (done >= 0 && status == 200)
		tv_set_str(a, ctx, "done", done_texts[done]);
	tv_set_int(a, ctx, "event_id", ev->id);
	tv_set_str(a, ctx, "event_title", ev->title);
	tv_set_str(a, ctx, "status", events_status_name(ev->status));
	tv_set_bool(a, ctx, "public", events_is_public(ev));
	tv_set_bool(a, ctx, "cancelled", !editable);
	tv_set_bool(a, ctx, "editable", editable);
	tv_set(a, ctx, "f", form_view(a, res->form, res));
	tv_set(a, ctx, "types", type_rows(a, ev, types, ntypes));
	tv_set_bool(a, ctx, "has_types", ntypes > 0);
	tv_set_bool(a, ctx, "may_add_type", editable &&
	    ntypes < ORDERS_MAX_TYPES);
	tv_set_bool(a, ctx, "deletable", ev->status == EVENT_DRAFT && !ordered);
	if ((rc = page_render(r, "admin_event", ctx)) != 0)
		return rc;
	r->resp.status = status;
	return 0;
}

/* GET /admin/events/{id}/edit */
int
admin_event_edit(struct request *r)
{
	struct event ev;
	int rc;

	if ((rc = admin_managed_event(r, &ev)) != 0)
		return rc;
	return edit_page(r, &ev, NULL, 200);
}

/* The new-event page, res the form as posted or NULL for a blank one. */
static int
new_page(struct request *r, const struct form_result *res, int status)
{
	struct arena *a = r->arena;
	struct tmpl_value *ctx = page_context(r, "New event");
	int rc;

	tv_set(a, ctx, "f", form_view(a, &event_form_new, res));
	if ((rc = page_render(r, "admin_event_new", ctx)) != 0)
		return rc;
	r->resp.status = status;
	return 0;
}

/* GET /admin/events/new */
int
admin_event_new(struct request *r)
{
	return new_page(r, NULL, 200);
}

static int
create_change(struct request *r, void *arg)
{
	const struct event *in = arg;
	long long id;

	if (events_admin_create(r->db, r->arena, in, &id) != 0)
		return -1;
	page_change_location(r, arena_printf(r->arena,
	    "/admin/events/%lld/edit?done=created", id));
	return admin_audit_event(r, "event.create", id, in->title);
}

/* POST /admin/events/new: the event as a draft of the signed-in person. */
int
admin_event_create(struct request *r)
{
	struct form_result res;
	struct event in;
	int errors;

	errors = form_check(r->arena, &event_form_new, &r->form, NULL, &res);
	errors += event_form_check_new(&res, time(NULL));
	if (errors > 0)
		return new_page(r, &res, 400);
	memset(&in, 0, sizeof(in));
	event_form_read(&res, &in);
	in.organizer_id = r->session->user_id;
	return page_change(r, create_change, &in, "/admin");
}

struct event_save {
	struct form_result res;     /* as posted; it passed */
	struct event in;
};

/* The audit action of a save that takes an event from one status to
 * another. */
static const char *
save_action(enum event_status from, enum event_status to)
{
	if (from == EVENT_DRAFT && to == EVENT_PUBLISHED)
		return "event.publish";
	if (from == EVENT_PUBLISHED && to == EVENT_DRAFT)
		return "event.unpublish";
	return "event.update";
}

static int
save_change(struct request *r, void *arg)
{
	struct event_save *s = arg;
	struct events_outcome out;
	struct form_result *shown;
	struct event cur, in = s->in;
	int rc;

	if ((rc = admin_locked_event(r, &cur)) != 0)
		return rc;
	in.id = cur.id;
	in.organizer_id = cur.organizer_id;
	switch (events_admin_update(r->db, r->arena, &cur, &in, &out)) {
	case 0:
		break;
	case 1:
		if (out.refusal == EVENTS_CANCELLED) {
			r->error_detail = admin_refusal_text(r->arena, &out);
			return 409;
		}
		shown = admin_form_copy(r->arena, &s->res);
		form_set_error(shown, EVF_STATUS, admin_refusal_text(r->arena,
		    &out));
		rc = edit_page(r, &cur, shown, 409);
		return rc == 0 ? PAGE_SHOWN : rc == 503 ? -1 : rc;
	default:
		return -1;
	}
	/* A published event that moved: its ticket holders are told. */
	if (event_notice_change(r->db, &cur, &in) < 0)
		return -1;
	page_change_location(r, arena_printf(r->arena,
	    "/admin/events/%lld/edit?done=saved", cur.id));
	return admin_audit_event(r, save_action(cur.status, in.status), cur.id,
	    in.title);
}

/* POST /admin/events/{id}/edit: the details and the status. */
int
admin_event_save(struct request *r)
{
	struct event_save s;
	struct event ev;
	int rc;

	if ((rc = admin_managed_event(r, &ev)) != 0)
		return rc;
	if (ev.status == EVENT_CANCELLED) {
		r->error_detail = "This event is cancelled: it can no longer be "
		    "changed.";
		return 409;
	}
	if (form_check(r->arena, &event_form_edit, &r->form, NULL,
	    &s.res) != 0)
		return edit_page(r, &ev, &s.res, 400);
	memset(&s.in, 0, sizeof(s.in));
	event_form_read(&s.res, &s.in);
	return page_change(r, save_change, &s, "/admin");
}

static int
duplicate_change(struct request *r, void *arg)
{
	struct event ev;
	long long copy;
	int rc;

	(void)arg;
	if ((rc = admin_managed_event(r, &ev)) != 0)
		return rc == 503 ? -1 : rc;
	if (events_admin_duplicate(r->db, ev.id, &copy) != 0)
		return -1;
	page_change_location(r, arena_printf(r->arena,
	    "/admin/events/%lld/edit?done=copied", copy));
	return admin_audit_event(r, "event.duplicate", copy, arena_printf(
	    r->arena, "copy of event %lld: %s", ev.id, ev.title));
}

/* POST /admin/events/{id}/duplicate: a draft copy, for a series. */
int
admin_event_duplicate(struct request *r)
{
	return page_change(r, duplicate_change, NULL, "/admin");
}

static int
delete_change(struct request *r, void *arg)
{
	struct events_outcome out;
	struct event ev;
	int rc;

	(void)arg;
	if ((rc = admin_locked_event(r, &ev)) != 0)
		return rc;
	switch (events_admin_delete(r->db, r->arena, &ev, &out)) {
	case 0:
		break;
	case 1:
		r->error_detail = admin_refusal_text(r->arena, &out);
		return 409;
	default:
		return -1;
	}
	return admin_audit_event(r, "event.delete", ev.id, ev.title);
}

/* POST /admin/events/{id}/delete: a draft nobody ordered from. */
int
admin_event_delete(struct request *r)
{
	return page_change(r, delete_change, NULL, "/admin?done=deleted");
}
