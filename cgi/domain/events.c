#include "events.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dates.h"
#include "util.h"

/* The largest INT UNSIGNED, the type of the counters and prices. */
#define UINT_COLUMN_MAX 4294967295LL

/* The columns of every event row, in the order of enum event_col. */
#define EVENT_COLS \
	"e.id, e.organizer_id, e.title, e.summary, e.venue, e.address, " \
	"e.city, e.timezone, e.starts_at, e.ends_at, e.status, " \
	"e.rating_sum, e.rating_count, COALESCE(bp.id, 0), " \
	"COALESCE(bp.storage_key, ''), COALESCE(bp.title, ''), " \
	"COALESCE(bp.thumb_width, 0), COALESCE(bp.thumb_height, 0), " \
	"COALESCE(bp.preview_width, 0), COALESCE(bp.preview_height, 0) "

/* The banner of EVENT_COLS: the picture the organizer chose, while it is
 * shown (ready; a hidden one is no banner, a deleted one's id went NULL). */
#define BANNER_JOIN \
	"LEFT JOIN pictures bp ON bp.id = e.banner_picture_id " \
	"AND bp.status = 'ready' "

/* An event read alone (EVENTS_GET, EVENTS_GET_ANY): the list's columns,
 * then those of enum event_col from EV_DESCRIPTION on. */
#define EVENT_DETAIL_COLS EVENT_COLS ", e.description, u.display_name, " \
	"e.refunds_until, e.offline_payment_days, e.offline_instructions, " \
	"u.disabled_at IS NOT NULL, e.rating_1, e.rating_2, e.rating_3, " \
	"e.rating_4, e.rating_5 "

/* Public lists leave out the events of disabled organizers. */
#define LIVE_ORGANIZER \
	"JOIN users org ON org.id = e.organizer_id AND org.disabled_at IS NULL "

enum event_col {
	EV_ID, EV_ORGANIZER_ID, EV_TITLE, EV_SUMMARY, EV_VENUE, EV_ADDRESS,
	EV_CITY, EV_TIMEZONE, EV_STARTS_AT, EV_ENDS_AT, EV_STATUS,
	EV_RATING_SUM, EV_RATING_COUNT, EV_BANNER_ID, EV_BANNER_KEY,
	EV_BANNER_TITLE, EV_BANNER_TW, EV_BANNER_TH, EV_BANNER_PW, EV_BANNER_PH,
	EV__LIST_COLS,
	/* EVENTS_GET adds: */
	EV_DESCRIPTION = EV__LIST_COLS, EV_ORGANIZER_NAME, EV_REFUNDS_UNTIL,
	EV_OFFLINE_DAYS, EV_OFFLINE_INSTRUCTIONS, EV_ORGANIZER_DISABLED,
	EV_RATING_1, EV__DETAIL_COLS = EV_RATING_1 + 5,
	/* EVENTS_OF_ORGANIZER adds instead: */
	EV_SOLD = EV__LIST_COLS, EV_QUOTA
};

enum ticket_type_col {
	TT_ID, TT_NAME, TT_DESCRIPTION, TT_PRICE, TT_CURRENCY, TT_QUOTA,
	TT_SOLD, TT_HELD, TT_SALES_START, TT_SALES_END, TT_MIN_PER_ORDER,
	TT_MAX_PER_ORDER, TT_MAX_PER_ACCOUNT, TT_SORT_ORDER
};

/* The columns of every ticket type row, in the order of enum
 * ticket_type_col. */
#define TICKET_TYPE_COLS \
	"id, name, description, price_cents, currency, quota, sold, held, " \
	"sales_start, sales_end, min_per_order, max_per_order, " \
	"max_per_account, sort_order "

enum events_stmt {
	EVENTS_UPCOMING,
	EVENTS_LIST,
	EVENTS_LIST_CITY,
	EVENTS_SEARCH,
	EVENTS_SEARCH_CITY,
	EVENTS_GET,
	EVENTS_GET_ANY,
	EVENTS_TICKET_TYPES,
	EVENTS_GET_WITH_TYPES,
	EVENTS_TICKET_TYPE_GET,
	EVENTS_CITIES,
	EVENTS_OF_ORGANIZER,
	EVENTS__MAX
};

static const char *const events_stmts[EVENTS__MAX] = {
	/* EVENTS_UPCOMING: includes events under way; bounding the start
	 * keeps the scan on the (status, starts_at) index short. */
	"SELECT " EVENT_COLS "FROM events e " LIVE_ORGANIZER BANNER_JOIN
	"WHERE e.status = 'published' "
	"AND e.starts_at >= UTC_TIMESTAMP() - INTERVAL 14 DAY "
	"AND e.ends_at >= UTC_TIMESTAMP() "
	"ORDER BY e.starts_at, e.id LIMIT ?",
	/* EVENTS_LIST */
	"SELECT " EVENT_COLS "FROM events e " LIVE_ORGANIZER BANNER_JOIN
	"WHERE e.status = 'published' AND e.starts_at >= ? AND e.ends_at >= ? "
	"AND e.starts_at < ? "
	"ORDER BY e.starts_at, e.id LIMIT ? OFFSET ?",
	/* EVENTS_LIST_CITY */
	"SELECT " EVENT_COLS "FROM events e " LIVE_ORGANIZER BANNER_JOIN
	"WHERE e.status = 'published' AND e.starts_at >= ? AND e.ends_at >= ? "
	"AND e.starts_at < ? AND e.city = ? "
	"ORDER BY e.starts_at, e.id LIMIT ? OFFSET ?",
	/* EVENTS_SEARCH */
	"SELECT " EVENT_COLS "FROM events e " LIVE_ORGANIZER BANNER_JOIN
	"WHERE e.status = 'published' AND e.starts_at >= ? AND e.ends_at >= ? "
	"AND e.starts_at < ? "
	"AND MATCH (e.title, e.summary, e.description, e.venue, e.city) "
	"AGAINST (? IN BOOLEAN MODE) "
	"ORDER BY e.starts_at, e.id LIMIT ? OFFSET ?",
	/* EVENTS_SEARCH_CITY */
	"SELECT " EVENT_COLS "FROM events e " LIVE_ORGANIZER BANNER_JOIN
	"WHERE e.status = 'published' AND e.starts_at >= ? AND e.ends_at >= ? "
	"AND e.starts_at < ? AND e.city = ? "
	"AND MATCH (e.title, e.summary, e.description, e.venue, e.city) "
	"AGAINST (? IN BOOLEAN MODE) "
	"ORDER BY e.starts_at, e.id LIMIT ? OFFSET ?",
	/* EVENTS_GET */
	"SELECT " EVENT_DETAIL_COLS
	"FROM events e JOIN users u ON u.id = e.organizer_id " BANNER_JOIN
	"WHERE e.id = ? AND e.status IN ('published', 'cancelled')",
	/* EVENTS_GET_ANY: drafts too, for the organizer's pages */
	"SELECT " EVENT_DETAIL_COLS
	"FROM events e JOIN users u ON u.id = e.organizer_id " BANNER_JOIN
	"WHERE e.id = ?",
	/* EVENTS_TICKET_TYPES */
	"SELECT " TICKET_TYPE_COLS "FROM ticket_types "
	"WHERE event_id = ? ORDER BY sort_order, id",
	/* EVENTS_GET_WITH_TYPES: EVENTS_GET, then the columns of a ticket
	 * type, a row per type in their sort order (one of NULLs for none) */
	"SELECT " EVENT_DETAIL_COLS ", tt.id, tt.name, tt.description, "
	"tt.price_cents, tt.currency, tt.quota, tt.sold, tt.held, "
	"tt.sales_start, tt.sales_end, tt.min_per_order, tt.max_per_order, "
	"tt.max_per_account, tt.sort_order "
	"FROM events e JOIN users u ON u.id = e.organizer_id " BANNER_JOIN
	"LEFT JOIN ticket_types tt ON tt.event_id = e.id "
	"WHERE e.id = ? AND e.status IN ('published', 'cancelled') "
	"ORDER BY tt.sort_order, tt.id",
	/* EVENTS_TICKET_TYPE_GET */
	"SELECT " TICKET_TYPE_COLS "FROM ticket_types "
	"WHERE id = ? AND event_id = ?",
	/* EVENTS_CITIES */
	"SELECT DISTINCT e.city FROM events e " LIVE_ORGANIZER
	"WHERE e.status = 'published' AND e.ends_at >= UTC_TIMESTAMP() "
	"ORDER BY e.city",
	/* EVENTS_OF_ORGANIZER: seats sold and offered over the ticket types */
	"SELECT " EVENT_COLS ", COALESCE(SUM(t.sold), 0), "
	"COALESCE(SUM(t.quota), 0) "
	"FROM events e LEFT JOIN ticket_types t ON t.event_id = e.id "
	BANNER_JOIN "WHERE e.organizer_id = ? GROUP BY e.id ORDER BY e.starts_at DESC "
	"LIMIT 200",
};

/* As the events.status ENUM spells them. */
static const char *const status_names[] = {
	[EVENT_DRAFT] = "draft",
	[EVENT_PUBLISHED] = "published",
	[EVENT_CANCELLED] = "cancelled",
};

/* ------------------------------------------------------------ rules */

const char *
events_status_name(enum event_status status)
{
	if ((size_t)status >= ARRAY_LEN(status_names))
		abort();
	return status_names[status];
}

int
events_is_public(const struct event *ev)
{
	return ev->status != EVENT_DRAFT && !ev->organizer_disabled;
}

int
events_is_over(const struct event *ev, time_t now)
{
	return ev->ends_at < now;
}

long long
events_seats_left(const struct ticket_type *t)
{
	long long left = t->quota - t->sold - t->held;

	return left > 0 ? left : 0;
}

enum ticket_sale
events_ticket_sale(const struct ticket_type *t, time_t event_ends_at,
    time_t now)
{
	if (events_seats_left(t) == 0)
		return TICKET_SOLD_OUT;
	if (event_ends_at < now || (t->has_sales_end && t->sales_end < now))
		return TICKET_SALES_ENDED;
	if (t->has_sales_start && t->sales_start > now)
		return TICKET_NOT_YET_ON_SALE;
	return TICKET_ON_SALE;
}

/* ------------------------------------------------------------ parsing */

int
events_parse_event(const struct db_rows *rows, size_t i, int detail,
    struct event *out)
{
	struct row_reader rd;

	memset(out, 0, sizeof(*out));
	row_begin(&rd, rows, i, "event");
	out->id = row_int(&rd, EV_ID, 1, LLONG_MAX);
	out->organizer_id = row_int(&rd, EV_ORGANIZER_ID, 1, LLONG_MAX);
	out->title = row_text(&rd, EV_TITLE);
	out->summary = row_text(&rd, EV_SUMMARY);
	out->venue = row_text(&rd, EV_VENUE);
	out->address = row_text(&rd, EV_ADDRESS);
	out->city = row_text(&rd, EV_CITY);
	out->timezone = row_text(&rd, EV_TIMEZONE);
	out->starts_at = row_time(&rd, EV_STARTS_AT);
	out->ends_at = row_time(&rd, EV_ENDS_AT);
	out->status = (enum event_status)row_enum(&rd, EV_STATUS, status_names,
	    ARRAY_LEN(status_names));
	out->rating_sum = row_int(&rd, EV_RATING_SUM, 0, UINT_COLUMN_MAX);
	out->rating_count = row_int(&rd, EV_RATING_COUNT, 0, UINT_COLUMN_MAX);
	out->banner.id = row_int(&rd, EV_BANNER_ID, 0, LLONG_MAX);
	out->banner.key = row_text(&rd, EV_BANNER_KEY);
	out->banner.title = row_text(&rd, EV_BANNER_TITLE);
	out->banner.thumb_width = row_int(&rd, EV_BANNER_TW, 0, UINT_COLUMN_MAX);
	out->banner.thumb_height = row_int(&rd, EV_BANNER_TH, 0, UINT_COLUMN_MAX);
	out->banner.preview_width = row_int(&rd, EV_BANNER_PW, 0,
	    UINT_COLUMN_MAX);
	out->banner.preview_height = row_int(&rd, EV_BANNER_PH, 0,
	    UINT_COLUMN_MAX);
	if (detail) {
		out->description = row_text(&rd, EV_DESCRIPTION);
		out->organizer_name = row_text(&rd, EV_ORGANIZER_NAME);
		out->has_refunds_until = row_time_or_null(&rd, EV_REFUNDS_UNTIL,
		    &out->refunds_until);
		out->offline_payment_days = row_text_or_null(&rd,
		    EV_OFFLINE_DAYS) == NULL ? 0 : row_int(&rd,
		    EV_OFFLINE_DAYS, 1, 365);
		out->offline_instructions = row_text(&rd,
		    EV_OFFLINE_INSTRUCTIONS);
		out->organizer_disabled = row_bool(&rd, EV_ORGANIZER_DISABLED);
		for (int s = 0; s < 5; s++)
			out->rating_stars[s] = row_int(&rd, EV_RATING_1 + s, 0,
			    UINT_COLUMN_MAX);
	}
	return row_end(&rd);
}

static int
is_currency_code(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return 0;
	return s[3] == '\0';
}

int
events_parse_ticket_type(const struct db_rows *rows, size_t i,
    struct ticket_type *out)
{
	struct row_reader rd;

	memset(out, 0, sizeof(*out));
	row_begin(&rd, rows, i, "ticket type");
	out->id = row_int(&rd, TT_ID, 1, LLONG_MAX);
	out->name = row_text(&rd, TT_NAME);
	out->description = row_text(&rd, TT_DESCRIPTION);
	out->price = row_int(&rd, TT_PRICE, 0, UINT_COLUMN_MAX);
	out->currency = row_text(&rd, TT_CURRENCY);
	if (out->currency != NULL && !is_currency_code(out->currency))
		row_invalid(&rd, TT_CURRENCY, "not a currency code");
	out->quota = row_int(&rd, TT_QUOTA, 0, UINT_COLUMN_MAX);
	out->sold = row_int(&rd, TT_SOLD, 0, UINT_COLUMN_MAX);
	out->held = row_int(&rd, TT_HELD, 0, UINT_COLUMN_MAX);
	out->has_sales_start = row_time_or_null(&rd, TT_SALES_START,
	    &out->sales_start);
	out->has_sales_end = row_time_or_null(&rd, TT_SALES_END,
	    &out->sales_end);
	out->min_per_order = row_int(&rd, TT_MIN_PER_ORDER, 1, UINT_COLUMN_MAX);
	out->max_per_order = row_int(&rd, TT_MAX_PER_ORDER, 1, UINT_COLUMN_MAX);
	out->max_per_account = row_int(&rd, TT_MAX_PER_ACCOUNT, 0,
	    UINT_COLUMN_MAX);
	out->sort_order = row_int(&rd, TT_SORT_ORDER, INT_MIN, INT_MAX);
	return row_end(&rd);
}

/* ------------------------------------------------------------ reads */

/* Runs an event list statement and parses its rows into *out. */
static int
read_events(struct db *db, struct arena *a, enum events_stmt stmt,
    const struct db_arg *args, size_t nargs, struct event **out, size_t *n)
{
	struct db_rows rows;
	struct event *evs;

	*out = NULL;
	*n = 0;
	if (db_query(db, a, DB_READ, events_stmts[stmt], args, nargs,
	    &rows) != 0)
		return -1;
	evs = arena_calloc(a, rows.nrows ? rows.nrows : 1, sizeof(*evs));
	for (size_t i = 0; i < rows.nrows; i++)
		if (events_parse_event(&rows, i, 0, &evs[i]) != 0)
			return ROW_BAD;
	*out = evs;
	*n = rows.nrows;
	return 0;
}

int
events_upcoming(struct db *db, struct arena *a, int limit, struct event **out,
    size_t *n)
{
	struct db_arg args[] = { DB_INT(limit) };

	return read_events(db, a, EVENTS_UPCOMING, args, ARRAY_LEN(args), out,
	    n);
}

int
events_list(struct db *db, struct arena *a, const struct event_filter *f,
    struct event **out, size_t *n)
{
	struct db_arg args[8];
	size_t nargs = 0;
	enum events_stmt stmt;

	args[nargs++] = DB_STR(dates_db(a, f->starts_from));
	args[nargs++] = DB_STR(dates_db(a, f->ends_from));
	args[nargs++] = DB_STR(dates_db(a, f->starts_before));
	if (f->city != NULL)
		args[nargs++] = DB_STR(f->city);
	if (f->match != NULL)
		args[nargs++] = DB_STR(f->match);
	args[nargs++] = DB_INT(f->limit);
	args[nargs++] = DB_INT(f->offset);
	if (f->match != NULL)
		stmt = f->city ? EVENTS_SEARCH_CITY : EVENTS_SEARCH;
	else
		stmt = f->city ? EVENTS_LIST_CITY : EVENTS_LIST;
	return read_events(db, a, stmt, args, nargs, out, n);
}

/* One event by id with its details, by stmt (EVENTS_GET or _GET_ANY). */
static int
read_one_event(struct db *db, struct arena *a, enum events_stmt stmt,
    long long id, struct event *out)
{
	struct db_arg args[] = { DB_INT(id) };
	struct db_rows rows;

	memset(out, 0, sizeof(*out));
	if (db_query(db, a, DB_READ, events_stmts[stmt], args,
	    ARRAY_LEN(args), &rows) != 0)
		return -1;
	if (rows.nrows == 0)
		return 1;
	return events_parse_event(&rows, 0, 1, out);
}

int
events_get(struct db *db, struct arena *a, long long id, struct event *out)
{
	return read_one_event(db, a, EVENTS_GET, id, out);
}

int
events_get_any(struct db *db, struct arena *a, long long id, struct event *out)
{
	return read_one_event(db, a, EVENTS_GET_ANY, id, out);
}

int
events_ticket_type_get(struct db *db, struct arena *a, long long event_id,
    long long id, struct ticket_type *out)
{
	struct db_arg args[] = { DB_INT(id), DB_INT(event_id) };
	struct db_rows rows;

	memset(out, 0, sizeof(*out));
	if (db_query(db, a, DB_READ, events_stmts[EVENTS_TICKET_TYPE_GET], args,
	    ARRAY_LEN(args), &rows) != 0)
		return -1;
	if (rows.nrows == 0)
		return 1;
	return events_parse_ticket_type(&rows, 0, out);
}

int
events_get_with_types(struct db *db, struct arena *a, long long id,
    struct event *ev, struct ticket_type **types, size_t *ntypes)
{
	struct db_arg args[] = { DB_INT(id) };
	struct db_rows rows, tt;
	struct ticket_type *tts;
	size_t n;

	memset(ev, 0, sizeof(*ev));
	*types = NULL;
	*ntypes = 0;
	if (db_query(db, a, DB_READ, events_stmts[EVENTS_GET_WITH_TYPES], args,
	    ARRAY_LEN(args), &rows) != 0)
		return -1;
	if (rows.nrows == 0)
		return 1;
	if (events_parse_event(&rows, 0, 1, ev) != 0)
		return ROW_BAD;
	/* The type's columns as a table of their own: the same rows, seen
	 * from the first column after the event's. */
	tt = (struct db_rows){ rows.nrows, rows.ncols,
		rows.names + EV__DETAIL_COLS, rows.cells + EV__DETAIL_COLS };
	n = db_cell(&tt, 0, TT_ID) == NULL ? 0 : rows.nrows;
	tts = arena_calloc(a, n ? n : 1, sizeof(*tts));
	for (size_t i = 0; i < n; i++)
		if (events_parse_ticket_type(&tt, i, &tts[i]) != 0)
			return ROW_BAD;
	*types = tts;
	*ntypes = n;
	return 0;
}

int
events_ticket_types(struct db *db, struct arena *a, long long event_id,
    struct ticket_type **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(event_id) };
	struct db_rows rows;
	struct ticket_type *tts;

	*out = NULL;
	*n = 0;
	if (db_query(db, a, DB_READ, events_stmts[EVENTS_TICKET_TYPES], args,
	    ARRAY_LEN(args), &rows) != 0)
		return -1;
	tts = arena_calloc(a, rows.nrows ? rows.nrows : 1, sizeof(*tts));
	for (size_t i = 0; i < rows.nrows; i++)
		if (events_parse_ticket_type(&rows, i, &tts[i]) != 0)
			return ROW_BAD;
	*out = tts;
	*n = rows.nrows;
	return 0;
}

int
events_cities(struct db *db, struct arena *a, const char ***names, size_t *n)
{
	struct db_rows rows;
	const char **list;

	*names = NULL;
	*n = 0;
	if (db_query(db, a, DB_READ, events_stmts[EVENTS_CITIES], NULL, 0,
	    &rows) != 0)
		return -1;
	list = arena_calloc(a, rows.nrows + 1, sizeof(*list));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct row_reader rd;

		row_begin(&rd, &rows, i, "city");
		list[i] = row_text(&rd, 0);
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*names = list;
	*n = rows.nrows;
	return 0;
}

int
events_of_organizer(struct db *db, struct arena *a, long long organizer_id,
    struct organizer_event **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(organizer_id) };
	struct db_rows rows;
	struct organizer_event *list;

	*out = NULL;
	*n = 0;
	if (db_query(db, a, DB_READ, events_stmts[EVENTS_OF_ORGANIZER], args,
	    ARRAY_LEN(args), &rows) != 0)
		return -1;
	list = arena_calloc(a, rows.nrows ? rows.nrows : 1, sizeof(*list));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct row_reader rd;

		if (events_parse_event(&rows, i, 0, &list[i].event) != 0)
			return ROW_BAD;
		row_begin(&rd, &rows, i, "organizer event");
		list[i].sold = row_int(&rd, EV_SOLD, 0, LLONG_MAX);
		list[i].quota = row_int(&rd, EV_QUOTA, 0, LLONG_MAX);
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*out = list;
	*n = rows.nrows;
	return 0;
}
