#include <string.h>
#include <time.h>

#include "program.h"
#include "app_pages.h"
#include "dates.h"
#include "events.h"
#include "order_view.h"
#include "orders.h"
#include "qr_svg.h"
#include "row.h"
#include "session.h"
#include "tmpl.h"
#include "view_event.h"

/*
 * A person's own orders and tickets: /me/orders, /me/tickets and one
 * ticket's page. Everything is read with the signed-in person's id, so
 * another person's ticket is no ticket (404).
 */

#define LIST_MAX 200

/* GET /me/orders */
int
me_orders(struct request *r)
{
	struct arena *a = r->arena;
	struct order_summary *orders;
	struct tmpl_value *ctx, *list;
	size_t n;
	int rc;

	if ((rc = orders_of_buyer(r->db, a, r->session->user_id, LIST_MAX,
	    &orders, &n)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	list = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		const struct order_summary *o = &orders[i];
		struct tmpl_value *v = tv_object(a);

		tv_set_str(a, v, "code", o->order.code);
		tv_set_str(a, v, "url", arena_printf(a, "/me/orders/%s",
		    o->order.code));
		tv_set_str(a, v, "event", o->event_title);
		tv_set_str(a, v, "when", dates_local(a, o->event_starts_at,
		    o->event_timezone, "%a %-d %b %Y"));
		tv_set_str(a, v, "when_iso", dates_iso(a, o->event_starts_at));
		tv_set_str(a, v, "status", order_view_status(o->order.status));
		tv_set_int(a, v, "seats", o->seats);
		tv_set_str(a, v, "total", view_price(a, o->order.total,
		    o->order.currency));
		tv_push(a, list, v);
	}
	ctx = page_context(r, "Your orders");
	tv_set(a, ctx, "orders", list);
	tv_set_bool(a, ctx, "has_orders", n > 0);
	return page_render(r, "me_orders", ctx);
}

/* The template value of a ticket, for its list and its page. */
static struct tmpl_value *
ticket_value(struct arena *a, const struct held_ticket *t)
{
	struct tmpl_value *v = tv_object(a);

	tv_set_str(a, v, "code", t->code);
	tv_set_str(a, v, "url", arena_printf(a, "/tickets/%s", t->code));
	tv_set_str(a, v, "attendee", t->attendee_name);
	tv_set_str(a, v, "type", t->type_name);
	tv_set_str(a, v, "order_code", t->order_code);
	tv_set_str(a, v, "order_url", arena_printf(a, "/me/orders/%s",
	    t->order_code));
	tv_set_str(a, v, "event", t->event_title);
	tv_set_str(a, v, "event_url", arena_printf(a, "/events/%lld",
	    t->event_id));
	tv_set_str(a, v, "ics_url", arena_printf(a, "/events/%lld.ics",
	    t->event_id));
	tv_set_str(a, v, "venue", t->venue);
	tv_set_str(a, v, "city", t->city);
	tv_set_str(a, v, "when", dates_local(a, t->starts_at, t->timezone,
	    "%a %-d %b %Y, %H:%M %Z"));
	tv_set_str(a, v, "when_iso", dates_iso(a, t->starts_at));
	tv_set_bool(a, v, "past", t->ends_at < time(NULL));
	tv_set_bool(a, v, "checked_in", t->has_checked_in_at);
	return v;
}

/* GET /me/tickets: upcoming first. */
int
me_tickets(struct request *r)
{
	struct arena *a = r->arena;
	struct held_ticket *tickets;
	struct tmpl_value *ctx, *upcoming, *past;
	size_t n, nup = 0;
	int rc;

	if ((rc = orders_tickets_of_buyer(r->db, a, r->session->user_id,
	    LIST_MAX, &tickets, &n)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	upcoming = tv_list(a);
	past = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		int over = tickets[i].ends_at < time(NULL);

		tv_push(a, over ? past : upcoming, ticket_value(a, &tickets[i]));
		nup += !over;
	}
	ctx = page_context(r, "Your tickets");
	tv_set(a, ctx, "upcoming", upcoming);
	tv_set(a, ctx, "past", past);
	tv_set_bool(a, ctx, "has_upcoming", nup > 0);
	tv_set_bool(a, ctx, "has_past", n > nup);
	return page_render(r, "me_tickets", ctx);
}

/* GET /tickets/{code}: one ticket, to show at the entrance or print. Its
 * QR code holds the check-in address of the ticket, which the organizer's
 * door scanner opens. */
int
ticket_page(struct request *r)
{
	struct arena *a = r->arena;
	struct held_ticket t;
	struct event ev;
	struct tmpl_value *ctx, *v;
	char *qr;
	int rc;

	rc = orders_ticket_get(r->db, a, request_path_param(r, "code"),
	    r->session->user_id, &t);
	if (rc == 0)
		rc = events_get(r->db, a, t.event_id, &ev);
	if (rc == 1)
		return 404;
	if (rc != 0)
		return rc == ROW_BAD ? 500 : 503;
	v = ticket_value(a, &t);
	tv_set(a, v, "event", view_event_detail(a, &ev));
	tv_set_str(a, v, "ticket_type", t.type_name);
	if (t.has_checked_in_at)
		tv_set_str(a, v, "checked_in", dates_local(a, t.checked_in_at,
		    t.timezone, "%-d %b %Y, %H:%M %Z"));
	qr = qr_svg(a, arena_printf(a, "%s/checkin/%s", request_site_url(r),
	    t.code), arena_printf(a, "QR code of ticket %s", t.code));
	if (qr != NULL)
		tv_set_str(a, v, "qr_svg", qr);
	ctx = page_context(r, arena_printf(a, "Ticket for %s", t.event_title));
	tv_set(a, ctx, "ticket", v);
	return page_render(r, "ticket", ctx);
}
