#include <string.h>

#include "admin_pages.h"
#include "audit.h"
#include "form.h"
#include "log.h"
#include "order_undo.h"
#include "dates.h"
#include "order_view.h"
#include "orders.h"
#include "program.h"
#include "roles.h"
#include "session.h"
#include "tmpl.h"
#include "view_event.h"

/*
 * An order as its event's organizer sees it (/admin/orders/{code}), and
 * what the organizer records of money that moved outside the site: an
 * offline payment received, a refund paid back. An order of somebody
 * else's event is no order (404), as for a code that does not exist;
 * site admins see every order.
 */

/* Reads the order of the path's code for its organizer, locked. Returns
 * 0, 404, or -1 for a database failure. */
static int
read_managed(struct request *r, struct order_view *v)
{
	int status = order_view_read(r, request_path_param(r, "code"), 1, 1, v);

	/* An order of pictures has no organizer: nobody's to manage here. */
	if (status == 0 && (!v->has_event ||
	    !admin_may_manage(r, v->ev.organizer_id)))
		return 404;
	return status == 0 || status == 404 ? status : -1;
}

/* Characters of the reason an organizer gives the buyer. */
#define ORDER_CANCEL_REASON_MAX 500

/* Whether a payment may be recorded for v: it waits for one, or it ran
 * out (or was given up) unpaid after it was to be paid offline, and the
 * money came late. */
static int
payment_recordable(const struct order_view *v)
{
	int offline = v->o.provider != NULL &&
	    strcmp(v->o.provider, "offline") == 0;

	return v->o.status == ORDER_PENDING_PAYMENT ||
	    (offline && (v->o.status == ORDER_EXPIRED ||
	    v->o.status == ORDER_CANCELLED));
}

/* GET /admin/orders/{code} */
int
admin_order(struct request *r)
{
	struct arena *a = r->arena;
	struct order_view v;
	struct tmpl_value *ctx, *tickets;
	const char *done = request_query(r, "done");
	int status;

	if ((status = read_managed(r, &v)) != 0)
		return status < 0 ? 503 : status;
	ctx = order_view_context(r, &v, arena_printf(a, "Order %s", v.o.code));
	tv_set_str(a, ctx, "buyer_name", v.o.buyer_name);
	tv_set_str(a, ctx, "buyer_email", v.o.buyer_email);
	tv_set_str(a, ctx, "created", dates_local(a, v.o.created_at,
	    v.ev.timezone, "%-d %b %Y, %H:%M %Z"));
	tv_set_str(a, ctx, "created_iso", dates_iso(a, v.o.created_at));
	if (v.o.provider != NULL)
		tv_set_str(a, ctx, "provider", v.o.provider);
	tickets = tv_list(a);
	for (size_t i = 0; i < v.ntickets; i++) {
		struct tmpl_value *tv = tv_object(a);

		tv_set_str(a, tv, "type", v.tickets[i].type_name);
		tv_set_str(a, tv, "name", v.tickets[i].attendee_name);
		tv_push(a, tickets, tv);
	}
	tv_set(a, ctx, "tickets", tickets);
	tv_set_bool(a, ctx, "record_payment", payment_recordable(&v));
	tv_set_bool(a, ctx, "late", payment_recordable(&v) &&
	    v.o.status != ORDER_PENDING_PAYMENT);
	tv_set_bool(a, ctx, "record_refund", v.o.status == ORDER_REFUND_DUE);
	tv_set_bool(a, ctx, "just_paid", done != NULL &&
	    strcmp(done, "paid") == 0 && v.o.status == ORDER_PAID);
	tv_set_bool(a, ctx, "just_refunded", done != NULL &&
	    strcmp(done, "refunded") == 0 && v.o.status == ORDER_REFUNDED);
	tv_set_bool(a, ctx, "just_cancelled", done != NULL &&
	    strcmp(done, "cancelled") == 0);
	tv_set_bool(a, ctx, "cancellable", v.o.status == ORDER_HELD ||
	    v.o.status == ORDER_PENDING_PAYMENT || v.o.status == ORDER_PAID);
	tv_set_bool(a, ctx, "refund_on_cancel", v.o.status == ORDER_PAID &&
	    v.o.total > 0);
	tv_set_int(a, ctx, "reason_max", ORDER_CANCEL_REASON_MAX);
	return page_render(r, "admin_order", ctx);
}

/* Records the audit entry of the organizer's action on v. */
static int
audit_order(struct request *r, const struct order_view *v, const char *action)
{
	return audit_log(r->db, r->session->user_id, action, v->o.code,
	    r->remote_addr, arena_printf(r->arena, "event %lld, %s",
	    v->ev.id, view_price(r->arena, v->o.total, v->o.currency)));
}

/* What the organizer records on an order: applied to it locked, in
 * page_change's transaction, then back to its page with ?done=. */
struct order_action {
	const char *done;
	int (*apply)(struct request *r, struct order_view *v);
};

static int
run_order_action(struct request *r, void *arg)
{
	const struct order_action *act = arg;
	struct order_view v;
	int status;

	if ((status = read_managed(r, &v)) != 0)
		return status;
	page_change_location(r, arena_printf(r->arena,
	    "/admin/orders/%s?done=%s", v.o.code, act->done));
	return act->apply(r, &v);
}

static int
record_payment(struct request *r, struct order_view *v)
{
	if (!payment_recordable(v)) {
		r->error_detail = v->o.status == ORDER_PAID ?
		    "This order is paid already." :
		    "This order does not wait for an offline payment.";
		return 409;
	}
	switch (order_view_confirm_paid(r, v, "offline", arena_printf(
	    r->arena, "payment recorded by %s", r->session->display_name))) {
	case 0:
		break;
	case 410:
		if (v->ev.status != EVENT_PUBLISHED)
			return 410;
		r->error_detail = "The seats of this order went back on sale "
		    "after its payment deadline and have been sold since: the "
		    "payment cannot be accepted. Pay the money back to the "
		    "buyer; nothing was changed.";
		return 409;
	case 409:
		return 409;
	default:
		return -1;
	}
	return audit_order(r, v, "order.paid_offline");
}

/* POST /admin/orders/{code}/paid: the offline payment came in. */
int
admin_order_paid(struct request *r)
{
	static const struct order_action act = { "paid", record_payment };

	return page_change(r, run_order_action, (void *)&act, "/admin");
}

static int
record_refund(struct request *r, struct order_view *v)
{
	int status;

	if (v->o.status != ORDER_REFUND_DUE) {
		r->error_detail = "This order has no refund due.";
		return 409;
	}
	if ((status = orders_transition(r->db, &v->o, ORDER_REFUNDED, NULL,
	    arena_printf(r->arena, "refund paid back, recorded by %s",
	    r->session->display_name))) != 0)
		return status < 0 ? -1 : 409;
	if (order_view_mail(r, v, "order_refunded") != 0)
		return -1;
	return audit_order(r, v, "order.refunded_offline");
}

/* POST /admin/orders/{code}/refunded: the money went back to the buyer. */
int
admin_order_refunded(struct request *r)
{
	static const struct order_action act = { "refunded", record_refund };

	return page_change(r, run_order_action, (void *)&act, "/admin");
}

/* The organizer cancels the order: a hold or a reservation is given up, a
 * payment refunded (Stripe) or owed (offline), and the buyer told, with
 * the organizer's reason. */
static int
cancel_order(struct request *r, struct order_view *v)
{
	static const struct form_field reason_field = { .name = "reason",
		.kind = FORM_TEXT, .flags = FORM_TRIM, .label = "Reason",
		.charset = FORM_MULTILINE, .max_chars = ORDER_CANCEL_REASON_MAX };
	struct order_undo u = { "cancelled by the organizer", "order_cancelled",
		"" };
	struct form_value reason;
	char err[512] = "";

	if ((r->error_detail = form_field_check(r->arena, &reason_field,
	    params_get(&r->form, "reason"), NULL, &reason)) != NULL)
		return 400;
	if (reason.text != NULL)
		u.reason = reason.text;
	switch (order_undo(r->db, r->cfg, r->arena, &v->o, &v->ev, &u, err,
	    sizeof(err))) {
	case 0:
		break;
	case 1:
		r->error_detail = "This order is not live any more: nothing to "
		    "cancel.";
		return 409;
	case -2:
		log_err("%s", err);
		r->error_detail = "The payment provider did not refund the "
		    "order; nothing was changed. Try again in a moment.";
		return 503;
	default:
		return -1;
	}
	return audit_order(r, v, "order.cancel");
}

/* POST /admin/orders/{code}/cancel: reason. */
int
admin_order_cancel(struct request *r)
{
	static const struct order_action act = { "cancelled", cancel_order };

	return page_change(r, run_order_action, (void *)&act, "/admin");
}
