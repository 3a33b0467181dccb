#include "sales.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dates.h"
#include "util.h"

enum sales_stmt {
	SALES_REVENUE,
	SALES_SLOTS,
	SALES__MAX
};

static const char *const sales_stmts[SALES__MAX] = {
	/* SALES_REVENUE: the event's paid orders through orders_by_event,
	 * their lines through order_lines_by_order */
	"SELECT l.ticket_type_id, o.currency, "
	"SUM(l.quantity * l.unit_price_cents), SUM(l.quantity) "
	"FROM orders o JOIN order_lines l ON l.order_id = o.id "
	"WHERE o.event_id = ? AND o.status = 'paid' AND l.kind = 'ticket' "
	"GROUP BY l.ticket_type_id, o.currency "
	"ORDER BY l.ticket_type_id, o.currency",
	/* SALES_SLOTS: quarter hours since 1970 (DATETIME arithmetic, which
	 * no session time zone changes); orders_by_event covers the orders'
	 * side */
	"SELECT TIMESTAMPDIFF(MINUTE, '1970-01-01 00:00:00', o.paid_at) DIV 15, "
	"COUNT(*) FROM orders o JOIN tickets k ON k.order_id = o.id "
	"WHERE o.event_id = ? AND o.status = 'paid' AND o.paid_at IS NOT NULL "
	"GROUP BY 1 ORDER BY 1",
};

int
sales_revenue(struct db *db, struct arena *a, long long event_id,
    struct sales_revenue **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(event_id) };
	struct db_rows rows;

	*out = NULL;
	*n = 0;
	if (db_query(db, a, DB_READ, sales_stmts[SALES_REVENUE], args,
	    ARRAY_LEN(args), &rows) != DB_OK)
		return -1;
	*out = arena_calloc(a, rows.nrows ? rows.nrows : 1, sizeof(**out));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct sales_revenue *r = &(*out)[i];
		struct row_reader rd;

		row_begin(&rd, &rows, i, "revenue");
		r->ticket_type_id = row_int(&rd, 0, 1, LLONG_MAX);
		r->currency = row_text(&rd, 1);
		r->amount = row_int(&rd, 2, 0, LLONG_MAX);
		r->tickets = row_int(&rd, 3, 0, LLONG_MAX);
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*n = rows.nrows;
	return 0;
}

int
sales_slots(struct db *db, struct arena *a, long long event_id,
    struct sales_slot **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(event_id) };
	struct db_rows rows;

	*out = NULL;
	*n = 0;
	if (db_query(db, a, DB_READ, sales_stmts[SALES_SLOTS], args,
	    ARRAY_LEN(args), &rows) != DB_OK)
		return -1;
	*out = arena_calloc(a, rows.nrows ? rows.nrows : 1, sizeof(**out));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct row_reader rd;

		row_begin(&rd, &rows, i, "sales slot");
		/* Quarter hours up to the end of the year 9999. */
		(*out)[i].start = (time_t)row_int(&rd, 0, 0,
		    253402300800LL / SALES_SLOT_SECONDS) * SALES_SLOT_SECONDS;
		(*out)[i].tickets = row_int(&rd, 1, 1, LLONG_MAX);
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*n = rows.nrows;
	return 0;
}

static int
day_cmp(const void *x, const void *y)
{
	const struct sales_day *a = x, *b = y;

	return (a->day > b->day) - (a->day < b->day);
}

void
sales_days(struct arena *a, const struct sales_slot *slots, size_t n,
    const char *tz, struct sales_day **out, size_t *ndays)
{
	struct sales_day *days = arena_calloc(a, n ? n : 1, sizeof(*days));
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		struct tm local, date;

		dates_local_tm(a, slots[i].start, tz, &local);
		memset(&date, 0, sizeof(date));
		date.tm_year = local.tm_year;
		date.tm_mon = local.tm_mon;
		date.tm_mday = local.tm_mday;
		days[i].day = (long long)(timegm(&date) / 86400);
		days[i].tickets = slots[i].tickets;
	}
	/* Local dates follow the slots' order, except where a zone sets its
	 * clocks back across midnight: sort, then add up each date's. */
	qsort(days, n, sizeof(*days), day_cmp);
	for (size_t i = 0; i < n; i++) {
		if (m > 0 && days[m - 1].day == days[i].day)
			days[m - 1].tickets += days[i].tickets;
		else
			days[m++] = days[i];
	}
	*out = days;
	*ndays = m;
}
