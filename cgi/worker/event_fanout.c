#include "event_fanout.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "event_cancel.h"
#include "events.h"
#include "log.h"
#include "order_undo.h"
#include "orders.h"
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
