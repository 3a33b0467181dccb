#include "orders.h"

#include <limits.h>

#include "db.h"
#include "row.h"
#include "util.h"

enum orders_stmt {
	ORD_EXPIRED_HOLDS,
	ORD_RELEASE_SEATS,
	ORD_MARK_EXPIRED,
	ORD__MAX
};

static const char *const orders_stmts[ORD__MAX] = {
	/* ORD_EXPIRED_HOLDS: through orders_expiry (status, hold_expires_at) */
	"SELECT id FROM orders WHERE status = 'held' "
	"AND hold_expires_at < UTC_TIMESTAMP() "
	"ORDER BY hold_expires_at LIMIT ? FOR UPDATE SKIP LOCKED",
	/* ORD_RELEASE_SEATS: give back the seats the order's tickets held */
	"UPDATE ticket_types tt JOIN ("
	" SELECT ticket_type_id, COUNT(*) AS n FROM tickets"
	" WHERE order_id = ? GROUP BY ticket_type_id) t"
	" ON t.ticket_type_id = tt.id SET tt.held = tt.held - t.n",
	/* ORD_MARK_EXPIRED */
	"UPDATE orders SET status = 'expired' WHERE id = ? AND status = 'held'",
};

struct expiry {
	struct arena *arena;
	int done;
};

/* Releases one batch of overdue holds, in db_tx's transaction. */
static enum db_status
expire_batch(struct db *db, void *arg)
{
	struct db_arg limit[] = { DB_INT(ORDERS_EXPIRE_BATCH) };
	struct expiry *x = arg;
	struct db_rows rows;
	enum db_status st;

	x->done = 0;
	if ((st = db_query(db, x->arena, DB_PRIMARY,
	    orders_stmts[ORD_EXPIRED_HOLDS], limit, ARRAY_LEN(limit),
	    &rows)) != DB_OK)
		return st;
	for (size_t i = 0; i < rows.nrows; i++) {
		struct row_reader rd;
		long long order_id;

		row_begin(&rd, &rows, i, "expired hold");
		order_id = row_int(&rd, 0, 1, LLONG_MAX);
		if (row_end(&rd) != 0)
			return DB_ERROR;

		struct db_arg id[] = { DB_INT(order_id) };

		if ((st = db_exec(db, orders_stmts[ORD_RELEASE_SEATS], id,
		    ARRAY_LEN(id), NULL, NULL)) != DB_OK ||
		    (st = db_exec(db, orders_stmts[ORD_MARK_EXPIRED], id,
		    ARRAY_LEN(id), NULL, NULL)) != DB_OK)
			return st;
		x->done++;
	}
	return DB_OK;
}

int
orders_expire_holds(struct db *db, struct arena *a)
{
	struct expiry x = { a, 0 };

	return db_tx(db, expire_batch, &x) == DB_OK ? x.done : -1;
}
