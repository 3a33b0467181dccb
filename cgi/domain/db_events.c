#include "db_events.h"

#include "dates.h"
#include "util.h"

#define EVENT_COLS \
	"e.id, e.title, e.summary, e.venue, e.city, e.timezone, e.starts_at, " \
	"e.ends_at, e.status, e.rating_sum, e.rating_count "

const char *const browse_stmts[STMT__MAX] = {
	/* STMT_EVENTS_UPCOMING: includes events under way; bounding the start
	 * keeps the scan on the (status, starts_at) index short. */
	"SELECT " EVENT_COLS "FROM events e "
	"WHERE e.status = 'published' "
	"AND e.starts_at >= UTC_TIMESTAMP() - INTERVAL 14 DAY "
	"AND e.ends_at >= UTC_TIMESTAMP() "
	"ORDER BY e.starts_at, e.id LIMIT ?",
	/* STMT_EVENTS_LIST */
	"SELECT " EVENT_COLS "FROM events e "
	"WHERE e.status = 'published' AND e.starts_at >= ? AND e.ends_at >= ? "
	"AND e.starts_at < ? "
	"ORDER BY e.starts_at, e.id LIMIT ? OFFSET ?",
	/* STMT_EVENTS_LIST_CITY */
	"SELECT " EVENT_COLS "FROM events e "
	"WHERE e.status = 'published' AND e.starts_at >= ? AND e.ends_at >= ? "
	"AND e.starts_at < ? AND e.city = ? "
	"ORDER BY e.starts_at, e.id LIMIT ? OFFSET ?",
	/* STMT_EVENTS_SEARCH */
	"SELECT " EVENT_COLS "FROM events e "
	"WHERE e.status = 'published' AND e.starts_at >= ? AND e.ends_at >= ? "
	"AND e.starts_at < ? "
	"AND MATCH (e.title, e.summary, e.description, e.venue, e.city) "
	"AGAINST (? IN BOOLEAN MODE) "
	"ORDER BY e.starts_at, e.id LIMIT ? OFFSET ?",
	/* STMT_EVENTS_SEARCH_CITY */
	"SELECT " EVENT_COLS "FROM events e "
	"WHERE e.status = 'published' AND e.starts_at >= ? AND e.ends_at >= ? "
	"AND e.starts_at < ? AND e.city = ? "
	"AND MATCH (e.title, e.summary, e.description, e.venue, e.city) "
	"AGAINST (? IN BOOLEAN MODE) "
	"ORDER BY e.starts_at, e.id LIMIT ? OFFSET ?",
	/* STMT_EVENT_GET */
	"SELECT " EVENT_COLS ", e.description, e.address, u.display_name "
	"FROM events e JOIN users u ON u.id = e.organizer_id "
	"WHERE e.id = ? AND e.status IN ('published', 'cancelled')",
	/* STMT_TICKET_TYPES */
	"SELECT id, name, description, price_cents, currency, quota, sold, "
	"held, sales_start, sales_end FROM ticket_types "
	"WHERE event_id = ? ORDER BY sort_order, id",
	/* STMT_REVIEWS_LATEST */
	"SELECT r.rating, r.comment, r.created_at, u.display_name "
	"FROM reviews r JOIN users u ON u.id = r.author_id "
	"WHERE r.event_id = ? ORDER BY r.created_at DESC, r.id DESC LIMIT ?",
	/* STMT_CITIES */
	"SELECT DISTINCT e.city FROM events e "
	"WHERE e.status = 'published' AND e.ends_at >= UTC_TIMESTAMP() "
	"ORDER BY e.city",
};

int
db_events_upcoming(struct db *db, struct arena *a, int limit,
    struct db_rows *out)
{
	struct db_arg args[] = { DB_INT(limit) };

	return db_query(db, a, DB_READ, browse_stmts[STMT_EVENTS_UPCOMING], args,
	    ARRAY_LEN(args), out);
}

int
db_events_list(struct db *db, struct arena *a, const struct event_filter *f,
    struct db_rows *out)
{
	struct db_arg args[8];
	size_t n = 0;
	enum browse_stmt stmt;

	args[n++] = DB_STR(dates_db(a, f->starts_from));
	args[n++] = DB_STR(dates_db(a, f->ends_from));
	args[n++] = DB_STR(dates_db(a, f->starts_before));
	if (f->city != NULL)
		args[n++] = DB_STR(f->city);
	if (f->match != NULL)
		args[n++] = DB_STR(f->match);
	args[n++] = DB_INT(f->limit);
	args[n++] = DB_INT(f->offset);
	if (f->match != NULL)
		stmt = f->city ? STMT_EVENTS_SEARCH_CITY : STMT_EVENTS_SEARCH;
	else
		stmt = f->city ? STMT_EVENTS_LIST_CITY : STMT_EVENTS_LIST;
	return db_query(db, a, DB_READ, browse_stmts[stmt], args, n, out);
}

int
db_event_get(struct db *db, struct arena *a, long long id, struct db_rows *out)
{
	struct db_arg args[] = { DB_INT(id) };

	return db_query(db, a, DB_READ, browse_stmts[STMT_EVENT_GET], args,
	    ARRAY_LEN(args), out);
}

int
db_ticket_types(struct db *db, struct arena *a, long long event_id,
    struct db_rows *out)
{
	struct db_arg args[] = { DB_INT(event_id) };

	return db_query(db, a, DB_READ, browse_stmts[STMT_TICKET_TYPES], args,
	    ARRAY_LEN(args), out);
}

int
db_reviews_latest(struct db *db, struct arena *a, long long event_id,
    int limit, struct db_rows *out)
{
	struct db_arg args[] = { DB_INT(event_id), DB_INT(limit) };

	return db_query(db, a, DB_READ, browse_stmts[STMT_REVIEWS_LATEST], args,
	    ARRAY_LEN(args), out);
}

int
db_cities(struct db *db, struct arena *a, struct db_rows *out)
{
	return db_query(db, a, DB_READ, browse_stmts[STMT_CITIES], NULL, 0,
	    out);
}
