#include <json-c/json.h>
#include <string.h>

#include "order_view.h"

#include "csrf.h"
#include "dates.h"
#include "notify.h"
#include "outbox.h"
#include "program.h"
#include "row.h"
#include "session.h"
#include "tmpl.h"
#include "util.h"
#include "view_event.h"

/* order_view_read, with the order's history only if history is 1. */
static int
view_read(struct request *r, const char *code, int any, int lock,
    int history, struct order_view *v)
{
	int rc;

	memset(v, 0, sizeof(*v));
	rc = any ? orders_get_any(r->db, r->arena, code, &v->o) :
	    orders_get(r->db, r->arena, code, r->session->user_id, lock, &v->o);
	if (rc == 1)
		return 404;
	v->has_event = rc == 0 && v->o.event_id != 0;
	if (v->has_event)
		rc = events_get(r->db, r->arena, v->o.event_id, &v->ev);
	if (rc == 0)
		rc = orders_items(r->db, r->arena, v->o.id, &v->lines,
		    &v->nlines, &v->tickets, &v->ntickets);
	if (rc == 0 && history)
		rc = orders_history(r->db, r->arena, v->o.id, &v->history,
		    &v->nhistory);
	if (rc == 1)
		return 404;
	return rc == 0 ? 0 : rc == ROW_BAD ? 500 : 503;
}

int
order_view_read(struct request *r, const char *code, int any, int lock,
    struct order_view *v)
{
	return view_read(r, code, any, lock, 1, v);
}

int
order_view_read_checkout(struct request *r, const char *code, int lock,
    struct order_view *v)
{
	return view_read(r, code, 0, lock, 0, v);
}

static const char *const status_texts[ORDER__STATUS_MAX] = {
	[ORDER_HELD] = "Held for you",
	[ORDER_PENDING_PAYMENT] = "Waiting for payment",
	[ORDER_PAID] = "Paid",
	[ORDER_CANCELLED] = "Cancelled",
	[ORDER_EXPIRED] = "Expired",
	[ORDER_REFUNDED] = "Refunded",
	[ORDER_REFUND_DUE] = "Cancelled, refund due",
};

const char *
order_view_zone(const struct order_view *v)
{
	return v->has_event ? v->ev.timezone : "UTC";
}

const char *
order_view_status(enum order_status status)
{
	return (size_t)status < ORDER__STATUS_MAX ? status_texts[status] : "";
}

struct tmpl_value *
order_view_context(struct request *r, const struct order_view *v,
    const char *title)
{
	struct arena *a = r->arena;
	struct tmpl_value *ctx = page_context(r, title);
	struct tmpl_value *lines = tv_list(a), *history = tv_list(a);
	const char *zone = order_view_zone(v);

	if (v->has_event)
		tv_set(a, ctx, "event", view_event_detail(a, &v->ev));
	tv_set_bool(a, ctx, "pictures", !v->has_event);
	tv_set_bool(a, ctx, "has_tickets", v->ntickets > 0);
	tv_set_str(a, ctx, "code", v->o.code);
	tv_set_str(a, ctx, "status", status_texts[v->o.status]);
	tv_set_bool(a, ctx, "paid", v->o.status == ORDER_PAID);
	tv_set_bool(a, ctx, "held", v->o.status == ORDER_HELD);
	tv_set_bool(a, ctx, "pending", v->o.status == ORDER_PENDING_PAYMENT);
	tv_set_bool(a, ctx, "refund_due", v->o.status == ORDER_REFUND_DUE);
	if (v->o.status == ORDER_PENDING_PAYMENT &&
	    v->ev.offline_instructions[0] != '\0')
		tv_set_str(a, ctx, "instructions", v->ev.offline_instructions);
	tv_set_str(a, ctx, "total", view_price(a, v->o.total, v->o.currency));
	tv_set_bool(a, ctx, "free", v->o.total == 0);
	if (v->o.has_hold_expires_at) {
		tv_set_str(a, ctx, "hold_until", dates_local(a,
		    v->o.hold_expires_at, zone, "%H:%M %Z, %a %-d %b"));
		tv_set_str(a, ctx, "hold_until_iso", dates_local(a,
		    v->o.hold_expires_at, "UTC", "%Y-%m-%dT%H:%M:%SZ"));
	}
	for (size_t i = 0; i < v->nlines; i++) {
		const struct order_line *l = &v->lines[i];
		struct tmpl_value *lv = tv_object(a);

		tv_set_str(a, lv, "description", l->description);
		tv_set_int(a, lv, "quantity", l->quantity);
		tv_set_str(a, lv, "price", view_price(a, l->unit_price,
		    v->o.currency));
		tv_set_str(a, lv, "subtotal", view_price(a,
		    l->unit_price * l->quantity, v->o.currency));
		tv_push(a, lines, lv);
	}
	tv_set(a, ctx, "lines", lines);
	for (size_t i = 0; i < v->nhistory; i++) {
		const struct order_change *c = &v->history[i];
		struct tmpl_value *hv = tv_object(a);

		tv_set_str(a, hv, "at", dates_local(a, c->at, zone,
		    "%-d %b %Y, %H:%M %Z"));
		tv_set_str(a, hv, "at_iso", dates_local(a, c->at, "UTC",
		    "%Y-%m-%dT%H:%M:%SZ"));
		tv_set_str(a, hv, "status", status_texts[c->to]);
		if (c->note[0] != '\0')
			tv_set_str(a, hv, "note", c->note);
		tv_push(a, history, hv);
	}
	tv_set(a, ctx, "history", history);
	tv_set_str(a, ctx, "csrf", csrf_token(r));
	return ctx;
}

/*
 * See order_view.h.
 */
int
order_view_confirm_paid(struct request *r, struct order_view *v,
    const char *provider, const char *note)
{
	int rc;

	/* An order of pictures is tessera-app's (picture_checkout.c). */
	if (!v->has_event)
		return 409;
	/* Nothing is sold for an event called off, even if it was paid. */
	if ((rc = orders_event_open(r->db, v->o.event_id)) != 1) {
		if (rc < 0)
			return -1;
		v->ev.status = EVENT_CANCELLED;
		r->error_detail = "The event is cancelled: this order can no "
		    "longer be paid.";
		return 410;
	}
	/* The mail first and the move, which locks the seat counters, last;
	 * a move that fails after it makes the caller roll the mail back. */
	if (!orders_move_allowed(v->o.status, ORDER_PAID))
		return 409;
	if (order_view_mail(r, v, "order_confirmed") != 0)
		return -1;
	if ((rc = orders_transition(r->db, &v->o, ORDER_PAID, provider,
	    note)) != 0)
		return rc < 0 ? -1 : rc == 2 ? 410 : 409;
	return 0;
}

/* The order mails, each with its notification's kind and text (of the
 * event's title). */
static const struct {
	const char *mail;
	enum notify_kind kind;
	const char *text;
} order_mails[] = {
	{ "order_confirmed", NOTIFY_BOOKING_CONFIRMED,
	    "Your booking for “%s” is confirmed." },
	{ "order_pending", NOTIFY_ORDER_PENDING,
	    "Your order for “%s” waits for your payment." },
	{ "order_refund_due", NOTIFY_REFUND_DONE,
	    "Your order for “%s” is cancelled: the organizer owes you a "
	    "refund." },
	{ "order_refunded", NOTIFY_REFUND_DONE,
	    "Your order for “%s” is refunded." },
	{ "picture_bought", NOTIFY_BOOKING_CONFIRMED,
	    "Your purchase of “%s” is confirmed: download it from your "
	    "purchases." },
};

static size_t
order_mail(const char *template_name)
{
	for (size_t i = 0; i < ARRAY_LEN(order_mails); i++)
		if (strcmp(order_mails[i].mail, template_name) == 0)
			return i;
	return 0;
}

static enum notify_kind
mail_kind(const char *template_name)
{
	return order_mails[order_mail(template_name)].kind;
}

static const char *
mail_text(const char *template_name)
{
	return order_mails[order_mail(template_name)].text;
}

int
order_view_mail(struct request *r, const struct order_view *v,
    const char *template_name)
{
	const char *site = request_site_url(r);
	struct json_object *vars, *tickets;
	const char *subject;
	int rc;

	vars = json_object_new_object();
	tickets = json_object_new_array();
	json_object_object_add(vars, "name",
	    json_object_new_string(v->o.buyer_name));
	/* An order of pictures is named after its first picture. */
	subject = v->has_event ? v->ev.title : v->nlines > 0 ?
	    v->lines[0].description : v->o.code;
	json_object_object_add(vars, "event", json_object_new_string(subject));
	if (v->has_event) {
		json_object_object_add(vars, "when", json_object_new_string(
		    dates_local(r->arena, v->ev.starts_at, v->ev.timezone,
		    "%a %-d %b %Y, %H:%M %Z")));
		json_object_object_add(vars, "venue", json_object_new_string(
		    arena_printf(r->arena, "%s, %s", v->ev.venue, v->ev.city)));
	} else
		json_object_object_add(vars, "purchases_url",
		    json_object_new_string(arena_printf(r->arena,
		    "%s/me/purchases", site)));
	json_object_object_add(vars, "code", json_object_new_string(v->o.code));
	json_object_object_add(vars, "total", json_object_new_string(
	    view_price(r->arena, v->o.total, v->o.currency)));
	json_object_object_add(vars, "order_url", json_object_new_string(
	    arena_printf(r->arena, "%s/me/orders/%s", site, v->o.code)));
	if (v->o.status == ORDER_PENDING_PAYMENT && v->o.has_hold_expires_at) {
		json_object_object_add(vars, "pay_by", json_object_new_string(
		    dates_local(r->arena, v->o.hold_expires_at,
		    order_view_zone(v), "%a %-d %b %Y, %H:%M %Z")));
		json_object_object_add(vars, "instructions",
		    json_object_new_string(v->ev.offline_instructions));
	}
	for (size_t i = 0; i < v->ntickets; i++) {
		struct json_object *t = json_object_new_object();

		json_object_object_add(t, "type",
		    json_object_new_string(v->tickets[i].type_name));
		json_object_object_add(t, "attendee",
		    json_object_new_string(v->tickets[i].attendee_name));
		json_object_object_add(t, "url", json_object_new_string(
		    arena_printf(r->arena, "%s/tickets/%s", site,
		    v->tickets[i].code)));
		json_object_array_add(tickets, t);
	}
	json_object_object_add(vars, "tickets", tickets);
	/* The confirmation carries the event for the buyer's calendar: the
	 * worker attaches its .ics (event_ics.h). */
	if (strcmp(template_name, "order_confirmed") == 0 && v->o.event_id > 0)
		json_object_object_add(vars, "ics_event_id",
		    json_object_new_int64(v->o.event_id));
	rc = notify_queue(r->db, v->o.buyer_id, mail_kind(template_name),
	    v->o.id, arena_printf(r->arena, "/me/orders/%s", v->o.code),
	    arena_printf(r->arena, mail_text(template_name), subject),
	    v->o.buyer_email, template_name, vars);
	json_object_put(vars);
	return rc;
}

