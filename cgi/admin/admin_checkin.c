#include <stdlib.h>
#include <string.h>

#include "admin_pages.h"
#include "audit.h"
#include "checkin.h"
#include "dates.h"
#include "door_staff.h"
#include "events.h"
#include "http_url.h"
#include "program.h"
#include "session.h"
#include "tmpl.h"

/*
 * The door of an event (/admin/events/{id}/checkin), sized for a phone:
 * a ticket code typed in, or opened from the ticket's QR code
 * (/checkin/{code}, which leads here), shows the attendee and ticket type
 * big with one button to check them in. Whatever keeps a ticket out says
 * so in words and colour: unknown, another event's, an order not paid,
 * or checked in already (and when). The event's organizer, a site admin
 * and the event's door staff (door_staff.h) have the door; for anyone
 * else the event does not exist (404). Door staff see names, ticket
 * types and order codes, never buyers' addresses or money.
 */

/* Whether the signed-in person has the door of the event organized by
 * organizer_id: 1, 0, or -1 for a database failure. */
static int
has_door(struct request *r, long long event_id, long long organizer_id)
{
	if (admin_may_manage(r, organizer_id))
		return 1;
	return door_staff_has(r->db, r->arena, event_id, r->session->user_id);
}

/* The event of the path's id, if the signed-in person has its door: 0,
 * 404, 500 or 503. */
static int
door_event(struct request *r, struct event *ev)
{
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);
	int rc = events_get(r->db, r->arena, id, ev);

	if (rc == 0 && (rc = has_door(r, ev->id, ev->organizer_id)) == 1)
		return 0;
	return rc == 0 || rc == 1 ? 404 : rc == ROW_BAD ? 500 : 503;
}

/* What the door shows of a ticket, and the status it answers with. */
static const struct {
	const char *headline;
	int status;
} verdicts[] = {
	[CHECKIN_OK] = { "Valid ticket", 200 },
	[CHECKIN_UNKNOWN] = { "Not a ticket: no ticket has this code", 404 },
	[CHECKIN_OTHER_EVENT] = { "Wrong event: this ticket is for another event", 409 },
	[CHECKIN_NOT_PAID] = { "Not valid: its order is not paid", 409 },
	[CHECKIN_ALREADY] = { "Already checked in", 409 },
};

/* The ticket typed or scanned (?code=), as the door of ev sees it, into
 * ctx; returns the page's status. */
static int
show_ticket(struct request *r, const struct event *ev, struct tmpl_value *ctx,
    const char *typed, int just_checked)
{
	struct arena *a = r->arena;
	struct checkin_ticket t;
	enum checkin_verdict verdict = CHECKIN_UNKNOWN;
	const char *code = checkin_normalize_code(a, typed);
	struct tmpl_value *tv = tv_object(a);
	int rc = code != NULL ? checkin_find(r->db, a, code, &t) : 1;

	if (rc < 0 || rc == ROW_BAD)
		return rc < 0 ? 503 : 500;
	if (rc == 0)
		verdict = checkin_verdict(&t, ev->id);
	tv_set_str(a, ctx, "typed", typed);
	if (just_checked && verdict == CHECKIN_ALREADY) {
		tv_set_str(a, tv, "headline", "Checked in");
		tv_set_bool(a, tv, "welcome", 1);
	} else {
		tv_set_str(a, tv, "headline", verdicts[verdict].headline);
		tv_set_bool(a, tv, "ready", verdict == CHECKIN_OK);
		tv_set_bool(a, tv, "refused", verdict != CHECKIN_OK);
	}
	if (rc == 0 && verdict != CHECKIN_OTHER_EVENT) {
		tv_set_str(a, tv, "code", t.code);
		tv_set_str(a, tv, "name", t.attendee_name[0] != '\0' ?
		    t.attendee_name : "(no name on the ticket)");
		tv_set_str(a, tv, "type", t.type_name);
		tv_set_str(a, tv, "order", t.order_code);
		if (verdict == CHECKIN_NOT_PAID)
			tv_set_str(a, tv, "why", arena_printf(a, "Order %s is "
			    "%s.", t.order_code, order_status_names[t.order_status]));
		if (t.has_checked_in_at && verdict == CHECKIN_ALREADY &&
		    !just_checked) {
			tv_set_str(a, tv, "why", arena_printf(a,
			    "Already checked in at %s: do not let in twice.",
			    dates_local(a, t.checked_in_at, ev->timezone,
			    "%H:%M on %a %-d %b")));
			tv_set_str(a, tv, "at_iso", dates_iso(a,
			    t.checked_in_at));
		}
	}
	if (rc == 0 && verdict == CHECKIN_OTHER_EVENT &&
	    has_door(r, t.event_id, t.organizer_id) == 1)
		tv_set_str(a, tv, "why", arena_printf(a, "It is for %s.",
		    t.event_title));
	tv_set(a, ctx, "ticket", tv);
	return just_checked && verdict == CHECKIN_ALREADY ? 200 :
	    verdicts[verdict].status;
}

/* GET /admin/events/{id}/checkin[?code=...|?checked=...] */
int
admin_checkin(struct request *r)
{
	struct arena *a = r->arena;
	const char *typed = request_query(r, "code");
	const char *checked = request_query(r, "checked");
	struct tmpl_value *ctx;
	struct event ev;
	long long sold, in;
	int status = 200, rc;

	if ((rc = door_event(r, &ev)) != 0)
		return rc;
	ctx = page_context(r, arena_printf(a, "Check-in: %s", ev.title));
	tv_set_int(a, ctx, "event_id", ev.id);
	tv_set_str(a, ctx, "event_title", ev.title);
	tv_set_bool(a, ctx, "organizer", admin_may_manage(r, ev.organizer_id));
	if (checked != NULL)
		status = show_ticket(r, &ev, ctx, checked, 1);
	else if (typed != NULL && *typed != '\0')
		status = show_ticket(r, &ev, ctx, typed, 0);
	if (status >= 500)
		return status;
	if (checkin_counts(r->db, a, ev.id, &sold, &in) != 0)
		return 503;
	tv_set_int(a, ctx, "sold", sold);
	tv_set_int(a, ctx, "checked_in", in);
	if ((rc = page_render(r, "admin_checkin", ctx)) != 0)
		return rc;
	r->resp.status = status;
	return 0;
}

/* Checks the posted ticket in, in page_change's transaction. */
static int
check_in(struct request *r, void *arg)
{
	const char *typed = arg;
	const char *code = checkin_normalize_code(r->arena, typed);
	struct checkin_ticket t;
	struct event ev;
	int rc;

	if ((rc = door_event(r, &ev)) != 0)
		return rc == 503 ? -1 : rc;
	/* Refused, or lost to another door: the page says why. */
	page_change_location(r, arena_printf(r->arena,
	    "/admin/events/%lld/checkin?code=%s", ev.id,
	    url_encode(r->arena, typed, strlen(typed))));
	if (code == NULL || (rc = checkin_find(r->db, r->arena, code, &t)) == 1)
		return 0;
	if (rc != 0)
		return rc < 0 ? -1 : 500;
	if (checkin_verdict(&t, ev.id) != CHECKIN_OK)
		return 0;
	if ((rc = checkin_mark(r->db, r->arena, &t)) != 0)
		return rc < 0 ? -1 : 0;
	page_change_location(r, arena_printf(r->arena,
	    "/admin/events/%lld/checkin?checked=%s", ev.id, t.code));
	return audit_log(r->db, r->session->user_id, "ticket.checkin", t.code,
	    r->remote_addr, arena_printf(r->arena, "event %lld, order %s",
	    ev.id, t.order_code));
}

/* POST /admin/events/{id}/checkin: code. */
int
admin_checkin_post(struct request *r)
{
	const char *typed = params_get(&r->form, "code");

	if (typed == NULL || *typed == '\0') {
		r->error_detail = "Type or scan a ticket code.";
		return 400;
	}
	return page_change(r, check_in, (void *)typed, "/admin");
}

/* GET /checkin/{code}: a ticket's QR code opened by a phone at the door
 * leads to its event's check-in page, for those who run that event. */
int
admin_checkin_scan(struct request *r)
{
	const char *code = checkin_normalize_code(r->arena,
	    request_path_param(r, "code"));
	struct checkin_ticket t;
	int rc;

	if (code == NULL)
		return 404;
	if ((rc = checkin_find(r->db, r->arena, code, &t)) != 0)
		return rc == 1 ? 404 : rc < 0 ? 503 : 500;
	if ((rc = has_door(r, t.event_id, t.organizer_id)) != 1)
		return rc < 0 ? 503 : 404;
	return page_redirect(r, 303, arena_printf(r->arena,
	    "/admin/events/%lld/checkin?code=%s", t.event_id, t.code));
}
