#include "site_gauges.h"

#include <limits.h>
#include <string.h>

#include "db.h"
#include "row.h"
#include "util.h"

enum site_gauges_stmt { SG_OUTBOX, SG_HOLDS, SG__MAX };

static const char *const site_gauges_stmts[SG__MAX] = {
	/* SG_OUTBOX: through outbox_pending (processed_at, ...) */
	"SELECT COUNT(*), COALESCE(TIMESTAMPDIFF(SECOND, MIN(created_at), "
	"UTC_TIMESTAMP()), 0) FROM outbox WHERE processed_at IS NULL",
	/* SG_HOLDS: through orders_expiry (status, hold_expires_at) */
	"SELECT COUNT(*), COALESCE(SUM(hold_expires_at <= UTC_TIMESTAMP() + "
	"INTERVAL ? SECOND), 0) FROM orders "
	"WHERE status IN ('held', 'pending_payment')",
};

/* The two counts of stmt's one row into *x and *y. */
static int
read_pair(struct db *db, struct arena *a, enum site_gauges_stmt stmt,
    const struct db_arg *args, size_t nargs, long long *x, long long *y)
{
	struct db_rows rows;
	struct row_reader rd;

	if (db_query(db, a, DB_PRIMARY, site_gauges_stmts[stmt], args, nargs,
	    &rows) != DB_OK)
		return -1;
	if (rows.nrows != 1)
		return ROW_BAD;
	row_begin(&rd, &rows, 0, "site gauges");
	*x = row_int(&rd, 0, 0, LLONG_MAX);
	*y = row_int(&rd, 1, LLONG_MIN / 2, LLONG_MAX);
	return row_end(&rd) != 0 ? ROW_BAD : 0;
}

int
site_gauges_read(struct db *db, struct arena *a, long long soon,
    struct site_gauges *out)
{
	struct db_arg args[] = { DB_INT(soon) };
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = read_pair(db, a, SG_OUTBOX, NULL, 0, &out->outbox_pending,
	    &out->outbox_oldest_seconds)) != 0)
		return rc;
	return read_pair(db, a, SG_HOLDS, args, ARRAY_LEN(args), &out->holds,
	    &out->holds_expiring);
}
