#include "event_fanout.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

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
#include "outbox.h"

struct cancel_job {
	const struct config *cfg;
	struct arena *arena;
	const struct event *ev;
	const char *reason;
	const char *code;
	char *err;
	size_t errlen;
};

/* Undoes one order, in db_tx's transaction. */
static enum db_status
cancel_one(struct db *db, void *arg)
{
	static const struct order_undo how = { "the event was cancelled",
		"event_cancelled", NULL };
	struct cancel_job *j = arg;
	struct order_undo u = how;
	struct order o;
	int rc;

	if ((rc = orders_get_any(db, j->arena, j->code, &o)) == 1)
		return DB_OK;
	if (rc != 0)
		return DB_ERROR;
	u.reason = j->reason;
	switch (order_undo(db, j->cfg, j->arena, &o, j->ev, &u, j->err,
	    j->errlen)) {
	case 0:
	case 1:
		return DB_OK;
	case -2:
		return DB_ABORTED;
	default:
		return DB_ERROR;
	}
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
