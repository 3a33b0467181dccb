#include "order_undo.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "config.h"
#include "dates.h"
#include "money.h"
#include "notify.h"
#include "outbox.h"
#include "stripe_api.h"

/* What happened to the buyer's money, for the mail. */
static const char *
outcome_text(struct arena *a, const struct order *o, enum order_status to)
{
	const char *total = money_format(a, o->total, o->currency, 0);

	if (o->total == 0 || o->status != ORDER_PAID)
		return "Nothing was charged.";
	if (to == ORDER_REFUND_DUE)
		return arena_printf(a, "You paid %s offline: the organizer pays "
		    "it back to you.", total);
	return arena_printf(a, "%s is on its way back to you the way you "
	    "paid.", total);
}

static int
mail_buyer(struct db *db, const struct config *cfg, struct arena *a,
    const struct order *o, const struct event *ev,
    const struct order_undo *u, enum order_status to)
{
	struct json_object *vars = json_object_new_object();
	const char *base = cfg->base_url ? cfg->base_url : "";
	int rc;

	json_object_object_add(vars, "name", json_object_new_string(
	    o->buyer_name));
	json_object_object_add(vars, "event", json_object_new_string(
	    ev->title));
	json_object_object_add(vars, "when", json_object_new_string(
	    dates_local(a, ev->starts_at, ev->timezone,
	    "%a %-d %b %Y, %H:%M %Z")));
	json_object_object_add(vars, "code", json_object_new_string(o->code));
	json_object_object_add(vars, "outcome", json_object_new_string(
	    outcome_text(a, o, to)));
	json_object_object_add(vars, "reason", json_object_new_string(
	    u->reason ? u->reason : ""));
	json_object_object_add(vars, "order_url", json_object_new_string(
	    arena_printf(a, "%s/me/orders/%s", base, o->code)));
	rc = notify_deliver(db, base, cfg->secret_key, o->buyer_id,
	    strcmp(u->mail, "event_cancelled") == 0 ? NOTIFY_EVENT_CANCELLED :
	    NOTIFY_ORDER_CANCELLED, o->id, arena_printf(a, "/me/orders/%s",
	    o->code), arena_printf(a, "%s “%s” is cancelled. %s",
	    strcmp(u->mail, "event_cancelled") == 0 ? "The event" :
	    "Your order for", ev->title, outcome_text(a, o, to)),
	    o->buyer_email, u->mail, vars);
	json_object_put(vars);
	return rc;
}

/* Refunds o's Stripe payment: 0, or -1 with the reason in err. */
static int
stripe_refund_all(const struct config *cfg, struct arena *a,
    const struct order *o, char *err, size_t errlen)
{
	struct stripe_refund out;
	struct stripe_api_reply reply;
	enum stripe_api_result res;

	if (o->provider_payment == NULL) {
		snprintf(err, errlen, "order %s: paid with Stripe but no "
		    "payment id to refund", o->code);
		return -1;
	}
	res = stripe_api_refund_create(cfg, arena_printf(a, "refund-%s",
	    o->code), o->provider_payment, 0, &out, &reply);
	if (res == STRIPE_API_OK)
		return 0;
	snprintf(err, errlen, "order %s: Stripe refund %s: %s", o->code,
	    stripe_api_result_str(res), reply.message);
	return -1;
}

int
order_undo(struct db *db, const struct config *cfg, struct arena *a,
    struct order *o, const struct event *ev, const struct order_undo *u,
    char *err, size_t errlen)
{
	enum order_status to;
	const char *note = u->note;

	switch (o->status) {
	case ORDER_HELD:
	case ORDER_PENDING_PAYMENT:
		to = ORDER_CANCELLED;
		break;
	case ORDER_PAID:
		if (o->provider != NULL && strcmp(o->provider, "offline") == 0) {
			to = ORDER_REFUND_DUE;
			note = arena_printf(a, "%s; the organizer owes the refund",
			    u->note);
			break;
		}
		if (o->provider != NULL && strcmp(o->provider, "stripe") == 0 &&
		    o->total > 0 && stripe_refund_all(cfg, a, o, err,
		    errlen) != 0)
			return -2;
		to = ORDER_REFUNDED;
		note = arena_printf(a, "%s: refunded", u->note);
		break;
	default:
		return 1;
	}
	if (mail_buyer(db, cfg, a, o, ev, u, to) != 0 ||
	    orders_transition(db, o, to, NULL, note) != 0)
		return -1;
	return 0;
}
