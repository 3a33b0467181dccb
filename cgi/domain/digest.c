#include "digest.h"

#include <json-c/json.h>
#include <stdlib.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "notify.h"
#include "util.h"

enum digest_stmt {
	DG_DUE,
	DG_MARK,
	DG_BOOKINGS,
	DG_ORGANIZER,
	DG__MAX
};

static const char *const digest_stmts[DG__MAX] = {
	/* DG_DUE: those who want it and have not had today's */
	"SELECT p.user_id FROM notification_prefs p "
	"LEFT JOIN organizer_digests d ON d.user_id = p.user_id "
	"AND d.day = UTC_DATE() "
	"WHERE p.kind = 'new_bookings' AND p.mail = 1 AND d.user_id IS NULL "
	"ORDER BY p.user_id LIMIT ?",
	/* DG_MARK */
	"INSERT IGNORE INTO organizer_digests (user_id, day) "
	"VALUES (?, UTC_DATE())",
	/* DG_BOOKINGS: paid in the last day, per event */
	"SELECT e.id, e.title, COUNT(*) FROM orders o "
	"JOIN events e ON e.id = o.event_id WHERE e.organizer_id = ? "
	"AND o.status = 'paid' "
	"AND o.paid_at >= UTC_TIMESTAMP() - INTERVAL 1 DAY "
	"GROUP BY e.id, e.title ORDER BY COUNT(*) DESC, e.id LIMIT 50",
	/* DG_ORGANIZER */
	"SELECT email, display_name FROM users WHERE id = ? AND disabled_at IS NULL",
};

struct digest_job {
	const struct config *cfg;
	struct arena *a;
	long long user_id;
	int sent;
};

/* One organizer's digest, in db_tx's transaction. */
static enum db_status
digest_one(struct db *db, void *arg)
{
	struct digest_job *j = arg;
	const char *base = j->cfg->base_url ? j->cfg->base_url : "";
	struct db_arg id[] = { DB_INT(j->user_id) };
	struct json_object *vars, *events;
	struct db_rows bookings, org;
	unsigned long long affected;
	long long total = 0;
	int rc;

	j->sent = 0;
	if (db_exec(db, digest_stmts[DG_MARK], id, ARRAY_LEN(id), &affected,
	    NULL) != DB_OK)
		goto fail;
	if (affected == 0)
		return DB_OK;           /* another worker sent today's */
	if (db_query(db, j->a, DB_PRIMARY, digest_stmts[DG_BOOKINGS], id,
	    ARRAY_LEN(id), &bookings) != DB_OK ||
	    db_query(db, j->a, DB_PRIMARY, digest_stmts[DG_ORGANIZER], id,
	    ARRAY_LEN(id), &org) != DB_OK)
		goto fail;
	if (bookings.nrows == 0 || org.nrows == 0)
		return DB_OK;           /* nothing to tell today */
	vars = json_object_new_object();
	events = json_object_new_array();
	for (size_t i = 0; i < bookings.nrows; i++) {
		struct json_object *e = json_object_new_object();
		long long n = strtoll(db_cell(&bookings, i, 2), NULL, 10);

		total += n;
		json_object_object_add(e, "title", json_object_new_string(
		    db_cell(&bookings, i, 1)));
		json_object_object_add(e, "orders", json_object_new_int64(n));
		json_object_object_add(e, "url", json_object_new_string(
		    arena_printf(j->a, "%s/admin/events/%s/attendees", base,
		    db_cell(&bookings, i, 0))));
		json_object_array_add(events, e);
	}
	json_object_object_add(vars, "name", json_object_new_string(
	    db_cell(&org, 0, 1)));
	json_object_object_add(vars, "total", json_object_new_int64(total));
	json_object_object_add(vars, "events", events);
	rc = notify_deliver(db, base, j->cfg->secret_key, j->user_id,
	    NOTIFY_NEW_BOOKINGS, j->user_id, "/admin", arena_printf(j->a,
	    "%lld new booking%s of your events in the last day.", total,
	    total == 1 ? "" : "s"), db_cell(&org, 0, 0), "bookings_digest",
	    vars);
	json_object_put(vars);
	if (rc != 0)
		goto fail;
	j->sent = 1;
	return DB_OK;
fail:
	return db_last_status(db) != DB_OK ? db_last_status(db) : DB_ERROR;
}

int
digest_run(struct db *db, const struct config *cfg, struct arena *a)
{
	struct db_arg args[] = { DB_INT(DIGEST_BATCH) };
	struct db_rows due;
	int sent = 0;

	if (db_query(db, a, DB_PRIMARY, digest_stmts[DG_DUE], args,
	    ARRAY_LEN(args), &due) != DB_OK)
		return -1;
	for (size_t i = 0; i < due.nrows; i++) {
		struct digest_job j = { cfg, a, strtoll(db_cell(&due, i, 0),
		    NULL, 10), 0 };
		enum db_status st = db_tx(db, digest_one, &j);

		if (st != DB_OK) {
			log_err("%s: organizer %lld: %s", __func__, j.user_id,
			    db_status_name(st));
			return sent > 0 ? sent : -1;
		}
		sent += j.sent;
	}
	return sent;
}
