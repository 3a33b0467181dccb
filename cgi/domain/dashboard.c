#include "dashboard.h"

#include <limits.h>

#include "arena.h"
#include "util.h"

enum dashboard_stmt { DB_REVENUE, DB_NO_TYPES, DB_HOLDS_ENDING, DB__MAX };

static const char *const dashboard_stmts[DB__MAX] = {
	/* DB_REVENUE: through orders_by_event (event_id, status, paid_at) */
	"SELECT o.event_id, o.currency, SUM(o.total_cents) FROM events e "
	"JOIN orders o ON o.event_id = e.id AND o.status = 'paid' "
	"WHERE e.organizer_id = ? GROUP BY o.event_id, o.currency "
	"ORDER BY o.event_id, o.currency LIMIT 1000",
	/* DB_NO_TYPES */
	"SELECT e.id, e.title, 0 FROM events e "
	"WHERE e.organizer_id = ? AND e.status = 'published' "
	"AND e.ends_at > UTC_TIMESTAMP() AND NOT EXISTS "
	"(SELECT 1 FROM ticket_types t WHERE t.event_id = e.id) "
	"ORDER BY e.starts_at, e.id LIMIT 100",
	/* DB_HOLDS_ENDING */
	"SELECT e.id, e.title, COUNT(*) FROM events e "
	"JOIN orders o ON o.event_id = e.id AND o.status = 'held' "
	"WHERE e.organizer_id = ? AND o.hold_expires_at < UTC_TIMESTAMP() "
	"+ INTERVAL ? MINUTE GROUP BY e.id, e.title ORDER BY e.starts_at, e.id "
	"LIMIT 100",
};

static int
read_events(struct db *db, struct arena *a, enum dashboard_stmt stmt,
    const struct db_arg *args, size_t nargs, struct dashboard_event **out,
    size_t *n)
{
	struct db_rows rows;

	*n = 0;
	if (db_query(db, a, DB_READ, dashboard_stmts[stmt], args, nargs,
	    &rows) != DB_OK)
		return -1;
	*out = arena_calloc(a, rows.nrows + 1, sizeof(**out));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct row_reader rd;

		row_begin(&rd, &rows, i, "dashboard event");
		(*out)[i].id = row_int(&rd, 0, 1, LLONG_MAX);
		(*out)[i].title = row_text(&rd, 1);
		(*out)[i].count = row_int(&rd, 2, 0, LLONG_MAX);
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*n = rows.nrows;
	return 0;
}

int
dashboard_revenue(struct db *db, struct arena *a, long long organizer_id,
    struct dashboard_revenue **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(organizer_id) };
	struct db_rows rows;

	*n = 0;
	if (db_query(db, a, DB_READ, dashboard_stmts[DB_REVENUE], args,
	    ARRAY_LEN(args), &rows) != DB_OK)
		return -1;
	*out = arena_calloc(a, rows.nrows + 1, sizeof(**out));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct row_reader rd;

		row_begin(&rd, &rows, i, "revenue");
		(*out)[i].event_id = row_int(&rd, 0, 1, LLONG_MAX);
		(*out)[i].currency = row_text(&rd, 1);
		(*out)[i].amount = row_int(&rd, 2, 0, LLONG_MAX);
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*n = rows.nrows;
	return 0;
}

int
dashboard_without_types(struct db *db, struct arena *a,
    long long organizer_id, struct dashboard_event **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(organizer_id) };

	return read_events(db, a, DB_NO_TYPES, args, ARRAY_LEN(args), out, n);
}

int
dashboard_holds_ending(struct db *db, struct arena *a,
    long long organizer_id, struct dashboard_event **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(organizer_id),
		DB_INT(DASHBOARD_HOLDS_SOON_MINUTES) };

	return read_events(db, a, DB_HOLDS_ENDING, args, ARRAY_LEN(args), out,
	    n);
}
