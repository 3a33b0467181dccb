#include <ctype.h>
#include <json-c/json.h>
#include <string.h>
#include <time.h>

#include "app_pages.h"
#include "log.h"
#include "notify.h"
#include "order_view.h"
#include "orders.h"
#include "payments.h"
#include "program.h"
#include "stripe_api.h"
#include "stripe_sig.h"

/*
 * Stripe Checkout: the checkout sends the buyer to a Checkout Session on
 * Stripe's hosted page; Stripe tells us of the payment by a signed
 * webhook, which alone confirms the order. Every call out carries an
 * Idempotency-Key made of the order code and the action, so a retry
 * (after a deadlock, or a second click) is the same call.
 */

/* Stripe refuses a session that ends sooner than this. */
#define SESSION_MIN_SECONDS (30 * 60 + 60)

int
stripe_enabled(const struct request *r)
{
	return r->cfg->stripe_secret_key != NULL;
}

int
stripe_checkout_start(struct request *r, struct order_view *v)
{
	struct stripe_line lines[STRIPE_API_LINES_MAX];
	struct stripe_checkout req;
	struct stripe_session session;
	struct stripe_api_reply reply;
	const char *site = request_site_url(r);
	time_t until = v->o.hold_expires_at;
	char *currency = arena_strdup(r->arena, v->o.currency);
	size_t n = 0;

	/* ISO 4217 in capitals here, in small letters at Stripe. */
	for (char *c = currency; *c != '\0'; c++)
		*c = (char)tolower((unsigned char)*c);

	for (size_t i = 0; i < v->nlines && n < STRIPE_API_LINES_MAX; i++) {
		lines[n].name = v->lines[i].description;
		lines[n].unit_amount = v->lines[i].unit_price;
		lines[n].quantity = (long)v->lines[i].quantity;
		n++;
	}
	if (until < time(NULL) + SESSION_MIN_SECONDS)
		until = time(NULL) + SESSION_MIN_SECONDS;
	req = (struct stripe_checkout){
		.order_code = v->o.code,
		.currency = currency,
		.lines = lines,
		.nlines = n,
		.success_url = arena_printf(r->arena, "%s/me/orders/%s?done=paying",
		    site, v->o.code),
		.cancel_url = arena_printf(r->arena, "%s/orders/%s/checkout",
		    site, v->o.code),
		.expires_at = until,
	};
	switch (stripe_api_checkout_create(r->cfg, arena_printf(r->arena,
	    "checkout-%s", v->o.code), &req, &session, &reply)) {
	case STRIPE_API_OK:
		break;
	case STRIPE_API_DECLINED:
		r->error_detail = "The payment provider refused this order. "
		    "Your seats stay held until the time on the checkout page.";
		return 502;
	default:
		r->error_detail = "The payment provider is not answering. Your "
		    "seats stay held: try again in a moment.";
		return 503;
	}
	if (orders_set_provider(r->db, v->o.id, "stripe", session.id) != 0)
		return -1;
	page_change_location(r, arena_strdup(r->arena, session.url));
	return 0;
}

/* What a webhook says, read from its JSON. Strings are arena-owned. */
struct stripe_event {
	const char *id;
	const char *type;
	const char *order_code;     /* client_reference_id */
	const char *payment;        /* payment_intent */
	const char *failure;        /* last_payment_error.message, or NULL */
	int refund_due;             /* set by the first run: seats gone */
};

static const char *
json_str(struct arena *a, struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return arena_strdup(a, json_object_get_string(v));
}

static int
parse_event(struct arena *a, const char *body, size_t len,
    struct stripe_event *ev)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *root, *data = NULL, *obj = NULL, *meta, *perr;

	memset(ev, 0, sizeof(*ev));
	root = json_tokener_parse_ex(tok, body, (int)len);
	json_tokener_free(tok);
	if (root == NULL)
		return -1;
	ev->id = json_str(a, root, "id");
	ev->type = json_str(a, root, "type");
	if (json_object_object_get_ex(root, "data", &data))
		json_object_object_get_ex(data, "object", &obj);
	ev->order_code = json_str(a, obj, "client_reference_id");
	ev->payment = json_str(a, obj, "payment_intent");
	/* A PaymentIntent's own events name the order in its metadata
	 * (stripe_api_checkout_create sets payment_intent_data). */
	if (ev->order_code == NULL && json_object_object_get_ex(obj,
	    "metadata", &meta))
		ev->order_code = json_str(a, meta, "order_code");
	if (json_object_object_get_ex(obj, "last_payment_error", &perr))
		ev->failure = json_str(a, perr, "message");
	json_object_put(root);
	return ev->id != NULL && ev->type != NULL ? 0 : -1;
}

int
stripe_refund(struct request *r, const char *code, const char *payment)
{
	struct stripe_refund out;
	struct stripe_api_reply reply;

	switch (stripe_api_refund_create(r->cfg, arena_printf(r->arena,
	    "refund-%s", code), payment, 0, &out, &reply)) {
	case STRIPE_API_OK:
		return 0;
	case STRIPE_API_DECLINED:
		r->error_detail = "The payment provider refused the refund; "
		    "please write to the organizer.";
		return 502;
	default:
		r->error_detail = "The payment provider is not answering. "
		    "Nothing was changed: try again in a moment.";
		return 503;
	}
}

/* Refunds the whole payment of v (paid after its seats were gone). */
static int
refund(struct request *r, struct order_view *v, const char *payment)
{
	if (stripe_refund(r, v->o.code, payment) != 0)
		return -1;
	return orders_transition(r->db, &v->o, ORDER_REFUNDED, "stripe",
	    "paid after the hold ran out, when its seats were gone: refunded")
	    == 0 ? 0 : -1;
}

/* Stripe's words for a payment that did not go through. */
static int
is_failure(const char *type)
{
	return strcmp(type, "payment_intent.payment_failed") == 0 ||
	    strcmp(type, "checkout.session.async_payment_failed") == 0;
}

/*
 * Tells the buyer of v, still unpaid, that a payment failed, with the
 * link to try again: queued in the transaction that recorded the event,
 * so each failed attempt (one event id) is told once.
 */
static int
tell_failed(struct request *r, const struct order_view *v,
    const struct stripe_event *ev)
{
	const char *base = r->cfg->base_url ? r->cfg->base_url : "";
	const char *link = arena_printf(r->arena, "/orders/%s/checkout",
	    v->o.code);
	const char *why = ev->failure != NULL ? ev->failure :
	    "The payment provider did not say why.";
	struct json_object *vars = json_object_new_object();
	int rc;

	json_object_object_add(vars, "name", json_object_new_string(
	    v->o.buyer_name));
	json_object_object_add(vars, "event", json_object_new_string(
	    v->ev.title));
	json_object_object_add(vars, "code", json_object_new_string(v->o.code));
	json_object_object_add(vars, "reason", json_object_new_string(why));
	json_object_object_add(vars, "pay_url", json_object_new_string(
	    arena_printf(r->arena, "%s%s", base, link)));
	rc = notify_queue(r->db, v->o.buyer_id, NOTIFY_PAYMENT_FAILED, v->o.id,
	    link, arena_printf(r->arena, "The payment for order %s did not go "
	    "through: %s Try again from the checkout.", v->o.code, why),
	    v->o.buyer_email, "payment_failed", vars);
	json_object_put(vars);
	return rc;
}

/* Acts on one webhook, once: in db_tx's transaction. */
static enum db_status
webhook_apply(struct db *db, void *arg)
{
	struct request *r = ((void **)arg)[0];
	struct stripe_event *ev = ((void **)arg)[1];
	struct order_view v;
	int rc;

	switch (orders_payment_event(db, "stripe", ev->id, ev->type,
	    ev->order_code && strlen(ev->order_code) == ORDER_CODE_LEN ?
	    ev->order_code : NULL)) {
	case 0:
		break;
	case 1:
		return DB_OK;          /* seen already: acted on then */
	default:
		return db_last_status(db);
	}
	if (is_failure(ev->type) && ev->order_code != NULL) {
		if ((rc = order_view_read(r, ev->order_code, 1, 1, &v)) != 0)
			return rc == 404 ? DB_OK : DB_ERROR;
		/* Paid meanwhile, or given up: nothing to try again. */
		if (v.o.status != ORDER_HELD &&
		    v.o.status != ORDER_PENDING_PAYMENT)
			return DB_OK;
		if (tell_failed(r, &v, ev) != 0)
			return db_last_status(db) != DB_OK ?
			    db_last_status(db) : DB_ERROR;
		return DB_OK;
	}
	if (strcmp(ev->type, "checkout.session.completed") != 0 ||
	    ev->order_code == NULL || ev->payment == NULL)
		return DB_OK;
	if ((rc = order_view_read(r, ev->order_code, 1, 1, &v)) != 0) {
		log_err("stripe: event %s: no order %s", ev->id, ev->order_code);
		return rc == 404 ? DB_OK : DB_ERROR;
	}
	if (orders_set_payment(db, v.o.id, ev->payment) != 0)
		return db_last_status(db);
	if (ev->refund_due)
		return refund(r, &v, ev->payment) == 0 ? DB_OK : DB_ERROR;
	switch (payments_confirm_paid(r, &v, "stripe", "paid with Stripe")) {
	case 0:
		return DB_OK;
	case 410:
		ev->refund_due = 1;
		return DB_ABORTED;
	case 409:
		log_err("stripe: event %s: order %s is %s, not payable",
		    ev->id, v.o.code, order_status_names[v.o.status]);
		return DB_OK;
	default:
		return DB_ERROR;
	}
}

/* POST /payments/stripe/webhook: the exact body, signed by Stripe. */
int
stripe_webhook(struct request *r)
{
	struct stripe_event ev;
	enum stripe_sig_result sig;
	enum db_status st;
	void *arg[2] = { r, &ev };

	if (r->cfg->stripe_webhook_secret == NULL)
		return 404;
	sig = stripe_sig_verify(r->body, r->body_len,
	    request_param(r, "HTTP_STRIPE_SIGNATURE"),
	    r->cfg->stripe_webhook_secret, time(NULL), STRIPE_SIG_TOLERANCE);
	if (sig != STRIPE_SIG_OK) {
		log_info("stripe: webhook refused: %s", stripe_sig_result_str(sig));
		r->error_detail = "The signature of this event is not right.";
		return 400;
	}
	if (parse_event(r->arena, r->body, r->body_len, &ev) != 0) {
		r->error_detail = "This event could not be read.";
		return 400;
	}
	st = db_tx(r->db, webhook_apply, arg);
	/* Paid late with the seats gone: record the event and refund, in a
	 * transaction of their own. */
	if (st == DB_ABORTED && ev.refund_due)
		st = db_tx(r->db, webhook_apply, arg);
	if (st != DB_OK) {
		/* Stripe sends it again later. */
		log_err("stripe: event %s not handled: %s", ev.id,
		    db_status_name(st));
		return 503;
	}
	buf_reset(r->resp.body);
	buf_puts(r->resp.body, "ok\n");
	r->resp.content_type = "text/plain; charset=utf-8";
	return 0;
}
