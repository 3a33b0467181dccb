#include "order_expiring.h"

#include <json-c/json.h>
#include <limits.h>
#include <string.h>

#include "arena.h"
#include "config.h"
#include "dates.h"
#include "db.h"
#include "log.h"
#include "money.h"
#include "notify.h"
#include "row.h"
#include "util.h"

enum expiring_stmt {
	EX_DUE,
	EX_WHO,
	EX_MARK,
	EX__MAX
};

static const char *const expiring_stmts[EX__MAX] = {
	/* EX_DUE: through orders_expiry (status, hold_expires_at); only the
	 * orders are locked, so the buyer's and the event's rows stay free
	 * for bookings and edits */
	"SELECT id, code, buyer_id, hold_expires_at, total_cents, currency, "
	"COALESCE(event_id, 0) FROM orders "
	"WHERE status IN ('held', 'pending_payment') "
	"AND hold_expires_at > UTC_TIMESTAMP() "
	"AND hold_expires_at <= UTC_TIMESTAMP() + INTERVAL ? SECOND "
	"AND expiry_warned_at IS NULL AND created_at <= UTC_TIMESTAMP() - "
	"INTERVAL ? SECOND "
	"ORDER BY hold_expires_at, id LIMIT ? FOR UPDATE SKIP LOCKED",
	/* EX_WHO: the buyer, and the event whose time zone says the deadline
	 * in the buyer's terms (a picture purchase has none: UTC) */
	"SELECT u.email, u.display_name, COALESCE(e.title, ''), "
	"COALESCE(e.timezone, 'UTC') FROM users u "
	"LEFT JOIN events e ON e.id = ? WHERE u.id = ? AND u.disabled_at IS NULL",
	/* EX_MARK */
	"UPDATE orders SET expiry_warned_at = UTC_TIMESTAMP() WHERE id = ? AND expiry_warned_at IS NULL",
};

struct expiring_job {
	const struct config *cfg;
	struct arena *a;
	int warned;
};

/* One order's warning, once its mark is set. */
static int
warn_one(struct db *db, const struct expiring_job *j, long long order_id,
    const char *code, long long buyer, time_t ends, long long total,
    const char *currency, const char *email, const char *name,
    const char *event, const char *tz)
{
	const char *base = j->cfg->base_url ? j->cfg->base_url : "";
	const char *link = arena_printf(j->a, "/orders/%s/checkout", code);
	const char *at = dates_local(j->a, ends, tz, "%H:%M %Z");
	const char *what = event[0] != '\0' ? arena_printf(j->a, "“%s”",
	    event) : "your order";
	struct json_object *vars = json_object_new_object();
	int rc;

	json_object_object_add(vars, "name", json_object_new_string(name));
	json_object_object_add(vars, "event", json_object_new_string(event));
	json_object_object_add(vars, "code", json_object_new_string(code));
	json_object_object_add(vars, "expires", json_object_new_string(at));
	json_object_object_add(vars, "total", json_object_new_string(
	    money_format(j->a, total, currency, 0)));
	json_object_object_add(vars, "pay_url", json_object_new_string(
	    arena_printf(j->a, "%s%s", base, link)));
	rc = notify_deliver(db, base, j->cfg->secret_key, buyer,
	    NOTIFY_ORDER_EXPIRING, order_id, link, arena_printf(j->a,
	    "Order %s for %s is not paid yet: its seats are kept until %s, "
	    "then they go back on sale.", code, what, at), email,
	    "order_expiring", vars);
	json_object_put(vars);
	return rc;
}

static enum db_status
expiring_batch(struct db *db, void *arg)
{
	struct expiring_job *j = arg;
	struct db_arg args[] = { DB_INT(ORDER_EXPIRING_WARN_SECONDS),
	    DB_INT(ORDER_EXPIRING_WARN_SECONDS), DB_INT(ORDER_EXPIRING_BATCH) };
	struct db_rows rows;
	enum db_status st;

	j->warned = 0;
	if ((st = db_query(db, j->a, DB_PRIMARY, expiring_stmts[EX_DUE], args,
	    ARRAY_LEN(args), &rows)) != DB_OK)
		return st;
	for (size_t i = 0; i < rows.nrows; i++) {
		struct row_reader rd;
		struct db_rows who;
		long long id, buyer, total, event_id;
		const char *code, *currency;
		unsigned long long affected;
		time_t ends;

		row_begin(&rd, &rows, i, "order about to expire");
		id = row_int(&rd, 0, 1, LLONG_MAX);
		code = row_text(&rd, 1);
		buyer = row_int(&rd, 2, 1, LLONG_MAX);
		ends = row_time(&rd, 3);
		total = row_int(&rd, 4, 0, LLONG_MAX);
		currency = row_text(&rd, 5);
		event_id = row_int(&rd, 6, 0, LLONG_MAX);
		if (row_end(&rd) != 0)
			return DB_ERROR;
		{
			struct db_arg of[] = { DB_INT(event_id), DB_INT(buyer) };
			struct db_arg mark[] = { DB_INT(id) };

			if (db_query(db, j->a, DB_PRIMARY,
			    expiring_stmts[EX_WHO], of, ARRAY_LEN(of),
			    &who) != DB_OK || db_exec(db,
			    expiring_stmts[EX_MARK], mark, ARRAY_LEN(mark),
			    &affected, NULL) != DB_OK)
				goto failed;
		}
		/* A disabled buyer is not told; the mark keeps the scan off. */
		if (affected == 0 || who.nrows != 1)
			continue;
		if (warn_one(db, j, id, code, buyer, ends, total, currency,
		    db_cell(&who, 0, 0), db_cell(&who, 0, 1),
		    db_cell(&who, 0, 2), db_cell(&who, 0, 3)) != 0)
			goto failed;
		j->warned++;
	}
	return DB_OK;
failed:
	st = db_last_status(db);
	return st == DB_OK ? DB_ERROR : st;
}

int
order_expiring_run(struct db *db, const struct config *cfg, struct arena *a)
{
	struct expiring_job j = { cfg, a, 0 };
	enum db_status st = db_tx(db, expiring_batch, &j);

	if (st != DB_OK) {
		log_err("%s: %s", __func__, db_status_name(st));
		return -1;
	}
	return j.warned;
}
