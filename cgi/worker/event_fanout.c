#include "event_fanout.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "dates.h"
#include "event_cancel.h"
#include "event_notice.h"
#include "events.h"
#include "log.h"
#include "order_undo.h"
#include "orders.h"
#include "notify.h"

struct cancel_batch {
	const struct config *cfg;
	struct arena *arena;      /* this batch's, reset for each */
	const struct event *ev;
	const char *reason;
	size_t found;             /* live orders the batch locked */
	size_t undone;
	int refused;              /* a provider did not refund: err says */
	char *err;
	size_t errlen;
};

/*
 * Undoes one batch of the event's live orders, in db_tx's transaction:
 * the orders and their buyers' notifications and mails commit together,
 * or none of them. A refund the provider refuses stops the batch at that
 * order (which changed nothing): the orders before it commit, and the
 * outbox row is retried later for the rest.
 */
static enum db_status
cancel_batch(struct db *db, void *arg)
{
	static const struct order_undo how = { "the event was cancelled",
		"event_cancelled", NULL };
	struct cancel_batch *b = arg;
	struct order_undo u = how;
	const char **codes;
	size_t n;

	b->found = b->undone = 0;
	b->refused = 0;
	arena_reset(b->arena);
	u.reason = b->reason;
	if (orders_live_of_event(db, b->arena, b->ev->id, EVENT_CANCEL_BATCH,
	    &codes, &n) != 0)
		return DB_ERROR;
	b->found = n;
	for (size_t i = 0; i < n; i++) {
		struct order o;
		int rc;

		if ((rc = orders_get_any(db, b->arena, codes[i], &o)) == 1)
			continue;
		if (rc != 0)
			return DB_ERROR;
		switch (order_undo(db, b->cfg, b->arena, &o, b->ev, &u, b->err,
		    b->errlen)) {
		case 0:
			b->undone++;
			break;
		case 1:
			break;
		case -2:
			b->refused = 1;
			return DB_OK;
		default:
			return DB_ERROR;
		}
	}
	return DB_OK;
}

/* 1 when event_id still has orders to undo, 0, or -1. */
static int
live_left(struct db *db, struct arena *a, long long event_id)
{
	long long counts[ORDER__STATUS_MAX];

	if (orders_count_of_event(db, a, event_id, counts) != 0)
		return -1;
	return counts[ORDER_HELD] + counts[ORDER_PENDING_PAYMENT] +
	    counts[ORDER_PAID] > 0;
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
event_fanout_cancelled(struct db *db, const struct config *cfg,
    struct arena *a, struct json_object *payload, char *err, size_t errlen)
{
	struct json_object *id = NULL, *reason = NULL;
	struct arena batch;
	struct cancel_batch b = { cfg, &batch, NULL, "", 0, 0, 0, err, errlen };
	struct event ev;
	double until = now_seconds() + EVENT_CANCEL_ROW_SECONDS;
	size_t total = 0;
	int rc, more = 1;

	if (!json_object_object_get_ex(payload, "event_id", &id) ||
	    !json_object_is_type(id, json_type_int)) {
		snprintf(err, errlen, "event_cancelled needs \"event_id\"");
		return -1;
	}
	if (json_object_object_get_ex(payload, "reason", &reason) &&
	    json_object_is_type(reason, json_type_string))
		b.reason = json_object_get_string(reason);
	if ((rc = events_get(db, a, json_object_get_int64(id), &ev)) != 0) {
		snprintf(err, errlen, "event %lld: %s",
		    (long long)json_object_get_int64(id),
		    rc == 1 ? "no such event" : "cannot be read");
		return -1;
	}
	b.ev = &ev;
	arena_init(&batch, 0);
	/* Batch after batch until one finds nothing left, or this row's
	 * time is up: then the row comes back for the rest. */
	while (more && now_seconds() < until) {
		enum db_status st;

		err[0] = '\0';
		if ((st = db_tx(db, cancel_batch, &b)) != DB_OK) {
			if (err[0] == '\0')
				snprintf(err, errlen, "event %lld: a batch of its "
				    "orders: %s", ev.id, db_status_name(st));
			rc = -1;
			goto out;
		}
		total += b.undone;
		if (b.refused) {
			rc = -1;
			goto out;
		}
		more = b.found > 0;
	}
	/* Nothing found may still leave orders another transaction had
	 * locked (SKIP LOCKED passed them): the row comes back for them. */
	if (!more && (more = live_left(db, a, ev.id)) < 0) {
		snprintf(err, errlen, "event %lld: its orders cannot be counted",
		    ev.id);
		rc = -1;
		goto out;
	}
	rc = more;
out:
	if (total > 0)
		log_info("event %lld cancelled: %zu orders undone%s", ev.id, total,
		    more ? ", more to come" : "");
	arena_free(&batch);
	return rc;
}

/* ------------------------------------------------------------ a change */

struct notice_job {
	const struct config *cfg;
	struct arena *arena;
	const struct event *ev;
	const struct order_buyer *buyers;
	size_t n;
};

/* Tells one batch of buyers (a notification, and its mail) and, when it
 * was full, queues the next, in db_tx's transaction: a batch goes out
 * once, whatever happens. */
static enum db_status
notice_batch(struct db *db, void *arg)
{
	const struct notice_job *j = arg;
	struct arena *a = j->arena;
	const char *base = j->cfg->base_url ? j->cfg->base_url : "";
	const char *when = dates_local(a, j->ev->starts_at, j->ev->timezone,
	    "%a %-d %b %Y, %H:%M %Z");
	const char *until = dates_local(a, j->ev->ends_at, j->ev->timezone,
	    "%H:%M %Z on %a %-d %b");
	const char *where = j->ev->address[0] != '\0' ?
	    arena_printf(a, "%s, %s, %s", j->ev->venue, j->ev->address,
	    j->ev->city) : arena_printf(a, "%s, %s", j->ev->venue, j->ev->city);

	for (size_t i = 0; i < j->n; i++) {
		const struct order_buyer *b = &j->buyers[i];
		struct json_object *vars = json_object_new_object();
		int rc;

		json_object_object_add(vars, "name", json_object_new_string(b->name));
		json_object_object_add(vars, "event", json_object_new_string(
		    j->ev->title));
		json_object_object_add(vars, "when", json_object_new_string(when));
		json_object_object_add(vars, "until", json_object_new_string(until));
		json_object_object_add(vars, "where", json_object_new_string(where));
		json_object_object_add(vars, "code", json_object_new_string(b->code));
		json_object_object_add(vars, "order_url", json_object_new_string(
		    arena_printf(a, "%s/me/orders/%s", base, b->code)));
		rc = notify_deliver(db, base, j->cfg->secret_key, b->user_id,
		    NOTIFY_EVENT_CHANGED, j->ev->id, arena_printf(a,
		    "/me/orders/%s", b->code), arena_printf(a, "“%s” has "
		    "moved: now %s, %s.", j->ev->title, when, where), b->email,
		    "event_changed", vars);
		json_object_put(vars);
		if (rc != 0)
			return DB_ERROR;
	}
	if (j->n == EVENT_NOTICE_BATCH && event_notice_queue(db, j->ev->id,
	    j->buyers[j->n - 1].order_id) != 0)
		return DB_ERROR;
	return DB_OK;
}

int
event_fanout_changed(struct db *db, const struct config *cfg,
    struct arena *a, struct json_object *payload, char *err, size_t errlen)
{
	struct json_object *id = NULL, *after = NULL;
	struct notice_job j = { cfg, a, NULL, NULL, 0 };
	struct order_buyer *buyers;
	struct event ev;
	int rc;

	if (!json_object_object_get_ex(payload, "event_id", &id) ||
	    !json_object_is_type(id, json_type_int) ||
	    !json_object_object_get_ex(payload, "after", &after) ||
	    !json_object_is_type(after, json_type_int)) {
		snprintf(err, errlen, "event_changed needs \"event_id\" and "
		    "\"after\"");
		return -1;
	}
	if ((rc = events_get(db, a, json_object_get_int64(id), &ev)) != 0) {
		snprintf(err, errlen, "event %lld: %s",
		    (long long)json_object_get_int64(id),
		    rc == 1 ? "no such event" : "cannot be read");
		return rc == 1 ? 0 : -1;
	}
	if (orders_paid_buyers(db, a, ev.id, json_object_get_int64(after),
	    EVENT_NOTICE_BATCH, &buyers, &j.n) != 0) {
		snprintf(err, errlen, "event %lld: its orders cannot be read",
		    ev.id);
		return -1;
	}
	j.ev = &ev;
	j.buyers = buyers;
	if (j.n > 0 && db_tx(db, notice_batch, &j) != DB_OK) {
		snprintf(err, errlen, "event %lld: the notices were not queued",
		    ev.id);
		return -1;
	}
	if (j.n > 0)
		log_info("event %lld changed: %zu buyers told%s", ev.id, j.n,
		    j.n == EVENT_NOTICE_BATCH ? ", more to come" : "");
	return 0;
}
