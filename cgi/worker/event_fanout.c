#include "event_fanout.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "config.h"
#include "dates.h"
#include "db.h"
#include "event_cancel.h"
#include "events.h"
#include "log.h"
#include "money.h"
#include "orders.h"
#include "outbox.h"
#include "stripe_api.h"

struct cancel_job {
	const struct config *cfg;
	struct arena *arena;
	const struct event *ev;
	const char *reason;
	const char *code;
	char *err;
	size_t errlen;
};

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
mail_buyer(struct db *db, const struct cancel_job *j, const struct order *o,
    enum order_status to)
{
	struct arena *a = j->arena;
	struct json_object *vars = json_object_new_object();
	const char *base = j->cfg->base_url ? j->cfg->base_url : "";
	int rc;

	json_object_object_add(vars, "name", json_object_new_string(
	    o->buyer_name));
	json_object_object_add(vars, "event", json_object_new_string(
	    j->ev->title));
	json_object_object_add(vars, "when", json_object_new_string(
	    dates_local(a, j->ev->starts_at, j->ev->timezone,
	    "%a %-d %b %Y, %H:%M %Z")));
	json_object_object_add(vars, "code", json_object_new_string(o->code));
	json_object_object_add(vars, "outcome", json_object_new_string(
	    outcome_text(a, o, to)));
	json_object_object_add(vars, "reason", json_object_new_string(
	    j->reason));
	json_object_object_add(vars, "order_url", json_object_new_string(
	    arena_printf(a, "%s/me/orders/%s", base, o->code)));
	rc = outbox_mail(db, o->buyer_email, "event_cancelled", vars);
	json_object_put(vars);
	return rc;
}

/* Refunds o's Stripe payment: 0, or -1 with the reason in j->err. */
static int
stripe_refund_all(const struct cancel_job *j, const struct order *o)
{
	struct stripe_refund out;
	struct stripe_api_reply reply;
	enum stripe_api_result res;

	if (o->provider_payment == NULL) {
		snprintf(j->err, j->errlen, "order %s: paid with Stripe but no "
		    "payment id to refund", o->code);
		return -1;
	}
	res = stripe_api_refund_create(j->cfg, arena_printf(j->arena,
	    "refund-%s", o->code), o->provider_payment, 0, &out, &reply);
	if (res == STRIPE_API_OK)
		return 0;
	snprintf(j->err, j->errlen, "order %s: Stripe refund %s: %s", o->code,
	    stripe_api_result_str(res), reply.message);
	return -1;
}

/* Undoes one order, in db_tx's transaction. */
static enum db_status
cancel_one(struct db *db, void *arg)
{
	struct cancel_job *j = arg;
	struct order o;
	enum order_status to;
	const char *note = "the event was cancelled";
	int rc;

	if ((rc = orders_get_any(db, j->arena, j->code, &o)) == 1)
		return DB_OK;
	if (rc != 0)
		return DB_ERROR;
	switch (o.status) {
	case ORDER_HELD:
	case ORDER_PENDING_PAYMENT:
		to = ORDER_CANCELLED;
		break;
	case ORDER_PAID:
		if (o.provider != NULL && strcmp(o.provider, "offline") == 0) {
			to = ORDER_REFUND_DUE;
			note = "the event was cancelled; the organizer owes "
			    "the refund";
			break;
		}
		if (o.provider != NULL && strcmp(o.provider, "stripe") == 0 &&
		    o.total > 0 && stripe_refund_all(j, &o) != 0)
			return DB_ABORTED;
		to = ORDER_REFUNDED;
		note = "the event was cancelled: refunded";
		break;
	default:
		return DB_OK;          /* undone already */
	}
	if (mail_buyer(db, j, &o, to) != 0 ||
	    orders_transition(db, &o, to, NULL, note) != 0)
		return DB_ERROR;
	return DB_OK;
}

/* The same row again, for the orders this one left. */
static enum db_status
hand_on(struct db *db, void *arg)
{
	return outbox_add(db, "event_cancelled", arg) == 0 ? DB_OK : DB_ERROR;
}

int
event_fanout_cancelled(struct db *db, const struct config *cfg,
    struct arena *a, struct json_object *payload, char *err, size_t errlen)
{
	struct json_object *id = NULL, *reason = NULL;
	struct cancel_job j = { cfg, a, NULL, "", NULL, err, errlen };
	struct event ev;
	const char **codes;
	size_t n;
	int rc;

	if (!json_object_object_get_ex(payload, "event_id", &id) ||
	    !json_object_is_type(id, json_type_int)) {
		snprintf(err, errlen, "event_cancelled needs \"event_id\"");
		return -1;
	}
	if (json_object_object_get_ex(payload, "reason", &reason) &&
	    json_object_is_type(reason, json_type_string))
		j.reason = json_object_get_string(reason);
	if ((rc = events_get(db, a, json_object_get_int64(id), &ev)) != 0) {
		snprintf(err, errlen, "event %lld: %s",
		    (long long)json_object_get_int64(id),
		    rc == 1 ? "no such event" : "cannot be read");
		return -1;
	}
	j.ev = &ev;
	if (orders_live_of_event(db, a, ev.id, EVENT_CANCEL_BATCH, &codes,
	    &n) != 0) {
		snprintf(err, errlen, "event %lld: its orders cannot be read",
		    ev.id);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		enum db_status st;

		j.code = codes[i];
		err[0] = '\0';
		if ((st = db_tx(db, cancel_one, &j)) != DB_OK) {
			if (err[0] == '\0')
				snprintf(err, errlen, "order %s: %s", codes[i],
				    db_status_name(st));
			return -1;
		}
	}
	if (n == EVENT_CANCEL_BATCH && db_tx(db, hand_on, payload) != DB_OK) {
		snprintf(err, errlen, "event %lld: the next batch could not be "
		    "queued", ev.id);
		return -1;
	}
	if (n > 0)
		log_info("event %lld cancelled: %zu orders undone%s", ev.id, n,
		    n == EVENT_CANCEL_BATCH ? ", more to come" : "");
	return 0;
}
