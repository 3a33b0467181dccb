#include "reminders.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "config.h"
#include "dates.h"
#include "db.h"
#include "events.h"
#include "log.h"
#include "notify.h"
#include "row.h"
#include "util.h"

enum reminders_stmt {
	RM_DUE,
	RM_LOCK_EVENT,
	RM_HOLDERS,
	RM_MARK,
	RM_TICKETS,
	RM_SOLD,
	RM_CHECKED_IN,
	RM_ORGANIZER,
	RM_DONE,
	RM__MAX
};

static const char *const reminders_stmts[RM__MAX] = {
	/* RM_DUE: through events_to_remind */
	"SELECT id FROM events WHERE status = 'published' AND reminded_at IS NULL "
	"AND starts_at > UTC_TIMESTAMP() "
	"AND starts_at <= UTC_TIMESTAMP() + INTERVAL 1 DAY "
	"ORDER BY starts_at, id LIMIT ?",
	/* RM_LOCK_EVENT: one worker at a time per event */
	"SELECT id FROM events WHERE id = ? AND reminded_at IS NULL FOR UPDATE",
	/* RM_HOLDERS: buyers of paid orders not reminded yet */
	"SELECT o.buyer_id, u.email, u.display_name FROM orders o "
	"JOIN users u ON u.id = o.buyer_id "
	"LEFT JOIN event_reminders r ON r.event_id = o.event_id "
	"AND r.user_id = o.buyer_id "
	"WHERE o.event_id = ? AND o.status = 'paid' AND r.user_id IS NULL "
	"AND u.disabled_at IS NULL "
	"GROUP BY o.buyer_id, u.email, u.display_name ORDER BY o.buyer_id LIMIT ?",
	/* RM_MARK */
	"INSERT IGNORE INTO event_reminders (event_id, user_id) VALUES (?, ?)",
	/* RM_TICKETS: one holder's tickets for the event */
	"SELECT k.code FROM tickets k JOIN orders o ON o.id = k.order_id "
	"WHERE o.event_id = ? AND o.buyer_id = ? AND o.status = 'paid' "
	"ORDER BY k.id LIMIT 100",
	/* RM_SOLD */
	"SELECT COALESCE(SUM(sold), 0) FROM ticket_types WHERE event_id = ?",
	/* RM_CHECKED_IN */
	"SELECT COUNT(*) FROM tickets k JOIN orders o ON o.id = k.order_id "
	"WHERE o.event_id = ? AND o.status = 'paid' "
	"AND k.checked_in_at IS NOT NULL",
	/* RM_ORGANIZER */
	"SELECT email, display_name FROM users WHERE id = ? AND disabled_at IS NULL",
	/* RM_DONE */
	"UPDATE events SET reminded_at = UTC_TIMESTAMP() WHERE id = ?",
};

struct remind_job {
	const struct config *cfg;
	struct arena *a;
	long long event_id;
	int reminded;     /* people told in this run of the batch */
	int finished;     /* the event is done */
};

static int
query(struct db *db, struct arena *a, enum reminders_stmt stmt,
    const struct db_arg *args, size_t nargs, struct db_rows *rows)
{
	return db_query(db, a, DB_PRIMARY, reminders_stmts[stmt], args, nargs,
	    rows) == DB_OK ? 0 : -1;
}

/* A count of one cell: 0 on failure (logged by db). */
static long long
count_of(struct db *db, struct arena *a, enum reminders_stmt stmt,
    long long event_id)
{
	struct db_arg args[] = { DB_INT(event_id) };
	struct db_rows rows;

	if (query(db, a, stmt, args, ARRAY_LEN(args), &rows) != 0 ||
	    rows.nrows != 1)
		return -1;
	return strtoll(db_cell(&rows, 0, 0), NULL, 10);
}

/* Common vars of the event's mails. */
static struct json_object *
event_vars(struct arena *a, const char *base, const struct event *ev,
    const char *name)
{
	struct json_object *vars = json_object_new_object();

	json_object_object_add(vars, "name", json_object_new_string(name));
	json_object_object_add(vars, "event", json_object_new_string(ev->title));
	json_object_object_add(vars, "when", json_object_new_string(
	    dates_local(a, ev->starts_at, ev->timezone,
	    "%a %-d %b %Y, %H:%M %Z")));
	json_object_object_add(vars, "where", json_object_new_string(
	    arena_printf(a, "%s, %s", ev->venue, ev->city)));
	json_object_object_add(vars, "event_url", json_object_new_string(
	    arena_printf(a, "%s/events/%lld", base, ev->id)));
	json_object_object_add(vars, "ics_url", json_object_new_string(
	    arena_printf(a, "%s/events/%lld.ics", base, ev->id)));
	return vars;
}

/* One holder's reminder, after their row went into event_reminders. */
static int
remind_holder(struct db *db, const struct remind_job *j,
    const struct event *ev, long long user_id, const char *email,
    const char *name)
{
	const char *base = j->cfg->base_url ? j->cfg->base_url : "";
	struct db_arg args[] = { DB_INT(ev->id), DB_INT(user_id) };
	struct json_object *vars, *tickets;
	struct db_rows rows;
	int rc;

	if (query(db, j->a, RM_TICKETS, args, ARRAY_LEN(args), &rows) != 0)
		return -1;
	vars = event_vars(j->a, base, ev, name);
	tickets = json_object_new_array();
	for (size_t i = 0; i < rows.nrows; i++)
		json_object_array_add(tickets, json_object_new_string(
		    arena_printf(j->a, "%s/tickets/%s", base,
		    db_cell(&rows, i, 0))));
	json_object_object_add(vars, "tickets", tickets);
	/* The worker attaches the event's .ics (event_ics.h). */
	json_object_object_add(vars, "ics_event_id",
	    json_object_new_int64(ev->id));
	rc = notify_deliver(db, base, j->cfg->secret_key, user_id,
	    NOTIFY_EVENT_REMINDER, ev->id, "/me/tickets", arena_printf(j->a,
	    "“%s” is tomorrow: %s.", ev->title, dates_local(j->a,
	    ev->starts_at, ev->timezone, "%a %-d %b, %H:%M %Z")), email,
	    "event_reminder", vars);
	json_object_put(vars);
	return rc;
}

/* The organizer's "starts in 24 h", and the event marked done. */
static int
remind_organizer(struct db *db, const struct remind_job *j,
    const struct event *ev)
{
	const char *base = j->cfg->base_url ? j->cfg->base_url : "";
	struct db_arg org[] = { DB_INT(ev->organizer_id) };
	struct db_arg id[] = { DB_INT(ev->id) };
	long long sold = count_of(db, j->a, RM_SOLD, ev->id);
	long long in = count_of(db, j->a, RM_CHECKED_IN, ev->id);
	struct db_rows rows;
	int rc = 0;

	if (sold < 0 || in < 0 || query(db, j->a, RM_ORGANIZER, org,
	    ARRAY_LEN(org), &rows) != 0)
		return -1;
	if (rows.nrows == 1) {
		struct json_object *vars = event_vars(j->a, base, ev,
		    db_cell(&rows, 0, 1));

		json_object_object_add(vars, "sold", json_object_new_int64(sold));
		json_object_object_add(vars, "checked_in",
		    json_object_new_int64(in));
		json_object_object_add(vars, "attendees_url",
		    json_object_new_string(arena_printf(j->a,
		    "%s/admin/events/%lld/attendees", base, ev->id)));
		rc = notify_deliver(db, base, j->cfg->secret_key,
		    ev->organizer_id, NOTIFY_EVENT_STARTS_SOON, ev->id,
		    arena_printf(j->a, "/admin/events/%lld/attendees", ev->id),
		    arena_printf(j->a, "“%s” starts in 24 hours: %lld sold, "
		    "%lld checked in.", ev->title, sold, in),
		    db_cell(&rows, 0, 0), "event_starts_soon", vars);
		json_object_put(vars);
	}
	if (rc != 0 || db_exec(db, reminders_stmts[RM_DONE], id,
	    ARRAY_LEN(id), NULL, NULL) != DB_OK)
		return -1;
	return 0;
}

/* One batch of an event's holders, in db_tx's transaction. */
static enum db_status
remind_batch(struct db *db, void *arg)
{
	struct remind_job *j = arg;
	struct db_arg lock[] = { DB_INT(j->event_id) };
	struct db_arg holders[] = { DB_INT(j->event_id),
	    DB_INT(REMINDERS_BATCH) };
	struct db_rows rows, hs;
	struct event ev;

	j->reminded = 0;
	j->finished = 0;
	if (query(db, j->a, RM_LOCK_EVENT, lock, ARRAY_LEN(lock), &rows) != 0)
		goto fail;
	if (rows.nrows == 0) {           /* another worker finished it */
		j->finished = 1;
		return DB_OK;
	}
	if (events_get(db, j->a, j->event_id, &ev) != 0 ||
	    query(db, j->a, RM_HOLDERS, holders, ARRAY_LEN(holders), &hs) != 0)
		goto fail;
	for (size_t i = 0; i < hs.nrows; i++) {
		long long user_id = strtoll(db_cell(&hs, i, 0), NULL, 10);
		struct db_arg mark[] = { DB_INT(ev.id), DB_INT(user_id) };
		unsigned long long affected;

		if (db_exec(db, reminders_stmts[RM_MARK], mark,
		    ARRAY_LEN(mark), &affected, NULL) != DB_OK)
			goto fail;
		if (affected == 0)
			continue;
		if (remind_holder(db, j, &ev, user_id, db_cell(&hs, i, 1),
		    db_cell(&hs, i, 2)) != 0)
			goto fail;
		j->reminded++;
	}
	if (hs.nrows < REMINDERS_BATCH) {
		if (remind_organizer(db, j, &ev) != 0)
			goto fail;
		j->finished = 1;
	}
	return DB_OK;
fail:
	return db_last_status(db) != DB_OK ? db_last_status(db) : DB_ERROR;
}

int
reminders_run(struct db *db, const struct config *cfg, struct arena *a)
{
	struct db_arg args[] = { DB_INT(REMINDERS_EVENTS) };
	struct db_rows due;
	int total = 0;

	if (query(db, a, RM_DUE, args, ARRAY_LEN(args), &due) != 0)
		return -1;
	for (size_t i = 0; i < due.nrows; i++) {
		struct remind_job j = { cfg, a, strtoll(db_cell(&due, i, 0),
		    NULL, 10), 0, 0 };

		do {
			enum db_status st = db_tx(db, remind_batch, &j);

			if (st != DB_OK) {
				log_err("%s: event %lld: %s", __func__,
				    j.event_id, db_status_name(st));
				return total > 0 ? total : -1;
			}
			total += j.reminded;
		} while (!j.finished);
	}
	return total;
}
