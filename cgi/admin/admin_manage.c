#include <stdlib.h>
#include <string.h>

#include "admin_pages.h"
#include "arena.h"
#include "audit.h"
#include "events.h"
#include "events_admin.h"
#include "form.h"
#include "orders.h"
#include "program.h"
#include "session.h"

/*
 * What the pages of an organizer's own events share (admin_events.c,
 * admin_types.c): the event the signed-in person may manage, read or
 * locked; the audit entry of a change; and the words for a change the
 * rules refused. Another organizer's event is no event (404), so its
 * existence is not told; site admins manage every event.
 */

static long long
path_event_id(struct request *r)
{
	return strtoll(request_path_param(r, "id"), NULL, 10);
}

int
admin_managed_event(struct request *r, struct event *ev)
{
	int rc = events_get_any(r->db, r->arena, path_event_id(r), ev);

	if (rc == 1 || (rc == 0 && !admin_may_manage(r, ev->organizer_id)))
		return 404;
	return rc == 0 ? 0 : rc == ROW_BAD ? 500 : 503;
}

int
admin_locked_event(struct request *r, struct event *ev)
{
	int rc = events_admin_lock_event(r->db, r->arena, path_event_id(r), ev);

	if (rc == 1 || (rc == 0 && !admin_may_manage(r, ev->organizer_id)))
		return 404;
	return rc == 0 ? 0 : rc == ROW_BAD ? 500 : -1;
}

int
admin_audit_event(struct request *r, const char *action, long long event_id,
    const char *detail)
{
	return audit_log(r->db, r->session->user_id, action,
	    arena_printf(r->arena, "event %lld", event_id), r->remote_addr,
	    detail);
}

const char *
admin_refusal_text(struct arena *a, const struct events_outcome *out)
{
	switch (out->refusal) {
	case EVENTS_CANCELLED:
		return "This event is cancelled: it can no longer be changed.";
	case EVENTS_NO_TICKET_TYPES:
		return "Add a ticket type before you publish the event: there "
		    "is nothing to book yet.";
	case EVENTS_HAS_ORDERS:
		return "Tickets have been ordered for this event, so it can "
		    "neither go back to draft nor be deleted.";
	case EVENTS_NOT_DRAFT:
		return "Only a draft can be deleted, and only while nobody has "
		    "ordered tickets for it.";
	case EVENTS_IN_USE:
		return "Reviews or other records refer to this event, so it "
		    "cannot be deleted.";
	case EVENTS_TOO_MANY_TYPES:
		return arena_printf(a, "An event has at most %d ticket types.",
		    ORDERS_MAX_TYPES);
	case EVENTS_MIXED_CURRENCY:
		return arena_printf(a, "The event's other ticket types are "
		    "priced in %s: all ticket types of an event are in one "
		    "currency.", out->currency);
	case EVENTS_QUOTA_BELOW_SEATS:
		return arena_printf(a, "%lld sold and %lld held (waiting for "
		    "payment): the seats cannot be fewer than %lld.", out->sold,
		    out->held, out->sold + out->held);
	case EVENTS_TYPE_ORDERED:
		return "Tickets of this type have been ordered, so it cannot be "
		    "removed. To stop selling it, end its sale or set its seats "
		    "to those sold and held.";
	case EVENTS_LAST_TYPE:
		return "A published event keeps at least one ticket type: add "
		    "another before you remove this one.";
	case EVENTS_OK:
		break;
	}
	return "That cannot be done now.";
}

struct form_result *
admin_form_copy(struct arena *a, const struct form_result *res)
{
	struct form_result *c = arena_alloc(a, sizeof(*c));
	size_t n = res->form->nfields ? res->form->nfields : 1;

	*c = *res;
	c->field = arena_calloc(a, n, sizeof(*c->field));
	memcpy(c->field, res->field, n * sizeof(*c->field));
	return c;
}
