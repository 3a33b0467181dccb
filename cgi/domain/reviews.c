#include "reviews.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "util.h"

/* The columns of every review row, in the order of enum review_col. */
#define REVIEW_COLS \
	"r.id, r.event_id, r.author_id, r.rating, r.comment, r.created_at, " \
	"r.updated_at, u.display_name, r.reply, r.replied_at, r.reports, " \
	"r.hidden_at IS NOT NULL "

enum review_col {
	RV_ID, RV_EVENT_ID, RV_AUTHOR_ID, RV_RATING, RV_COMMENT, RV_CREATED_AT,
	RV_UPDATED_AT, RV_AUTHOR, RV_REPLY, RV_REPLIED_AT, RV_REPORTS,
	RV_HIDDEN,
	RV__COLS,
	/* REVIEWS_REPORTED adds: */
	RV_EVENT_TITLE = RV__COLS, RV_LAST_REASON
};

enum reviews_stmt {
	REVIEWS_PAID_ORDER,
	REVIEWS_LIST,
	REVIEWS_OF_AUTHOR,
	REVIEWS_GET,
	REVIEWS_REPORTED,
	REVIEWS_LOCK_MINE,
	REVIEWS_INSERT,
	REVIEWS_UPDATE,
	REVIEWS_DELETE,
	REVIEWS_COUNTERS,
	REVIEWS_REPLY,
	REVIEWS_LOCK_SHOWN,
	REVIEWS_REPORT_ADD,
	REVIEWS_REPORT_COUNT,
	REVIEWS_LOCK,
	REVIEWS_EVENT_OF,
	REVIEWS_LOCK_EVENT,
	REVIEWS_HIDE,
	REVIEWS_SHOW,
	REVIEWS__MAX
};

static const char *const reviews_stmts[REVIEWS__MAX] = {
	/* REVIEWS_PAID_ORDER: through orders_by_buyer */
	"SELECT 1 FROM orders WHERE buyer_id = ? AND event_id = ? "
	"AND status = 'paid' LIMIT 1",
	/* REVIEWS_LIST: through reviews_latest, newest first */
	"SELECT " REVIEW_COLS "FROM reviews r JOIN users u ON u.id = r.author_id "
	"WHERE r.event_id = ? AND r.hidden_at IS NULL "
	"ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?",
	/* REVIEWS_OF_AUTHOR */
	"SELECT " REVIEW_COLS "FROM reviews r JOIN users u ON u.id = r.author_id "
	"WHERE r.event_id = ? AND r.author_id = ?",
	/* REVIEWS_GET */
	"SELECT " REVIEW_COLS "FROM reviews r JOIN users u ON u.id = r.author_id "
	"WHERE r.id = ?",
	/* REVIEWS_REPORTED: through reviews_reported */
	"SELECT " REVIEW_COLS ", e.title, "
	"(SELECT p.reason FROM review_reports p WHERE p.review_id = r.id "
	"ORDER BY p.created_at DESC LIMIT 1) "
	"FROM reviews r JOIN users u ON u.id = r.author_id "
	"JOIN events e ON e.id = r.event_id WHERE r.reports > 0 "
	"ORDER BY r.hidden_at IS NOT NULL, r.reports DESC, r.id DESC "
	"LIMIT ? OFFSET ?",
	/* REVIEWS_LOCK_MINE: the author's review, or the gap where it would
	 * go, so two saves of one person's review run one after the other */
	"SELECT id, rating, hidden_at IS NOT NULL FROM reviews "
	"WHERE event_id = ? AND author_id = ? FOR UPDATE",
	/* REVIEWS_INSERT */
	"INSERT INTO reviews (event_id, author_id, rating, comment) "
	"VALUES (?, ?, ?, ?)",
	/* REVIEWS_UPDATE */
	"UPDATE reviews SET rating = ?, comment = ?, "
	"updated_at = UTC_TIMESTAMP() WHERE id = ?",
	/* REVIEWS_DELETE */
	"DELETE FROM reviews WHERE id = ?",
	/* REVIEWS_COUNTERS: the shown reviews' counters move by the
	 * difference of one review's stars before and after */
	"UPDATE events SET rating_sum = rating_sum + ?, "
	"rating_count = rating_count + ?, rating_1 = rating_1 + ?, "
	"rating_2 = rating_2 + ?, rating_3 = rating_3 + ?, "
	"rating_4 = rating_4 + ?, rating_5 = rating_5 + ? WHERE id = ?",
	/* REVIEWS_REPLY: once, and only to a review of the organizer's event */
	"UPDATE reviews r JOIN events e ON e.id = r.event_id "
	"SET r.reply = ?, r.replied_at = UTC_TIMESTAMP() "
	"WHERE r.id = ? AND e.organizer_id = ? AND r.reply IS NULL",
	/* REVIEWS_LOCK_SHOWN */
	"SELECT id FROM reviews WHERE id = ? AND hidden_at IS NULL FOR UPDATE",
	/* REVIEWS_REPORT_ADD: the primary key makes a second one a duplicate */
	"INSERT INTO review_reports (review_id, reporter_id, reason) "
	"VALUES (?, ?, ?)",
	/* REVIEWS_REPORT_COUNT */
	"UPDATE reviews SET reports = reports + 1 WHERE id = ?",
	/* REVIEWS_LOCK */
	"SELECT event_id, rating, hidden_at IS NOT NULL FROM reviews "
	"WHERE id = ? FOR UPDATE",
	/* REVIEWS_EVENT_OF */
	"SELECT event_id FROM reviews WHERE id = ?",
	/* REVIEWS_LOCK_EVENT: the event first, so the reviews of one event
	 * are written one after the other (two first reviews locking the gap
	 * of their key would otherwise deadlock on their inserts) */
	"SELECT id FROM events WHERE id = ? FOR UPDATE",
	/* REVIEWS_HIDE */
	"UPDATE reviews SET hidden_at = UTC_TIMESTAMP(), hidden_by = ? "
	"WHERE id = ?",
	/* REVIEWS_SHOW */
	"UPDATE reviews SET hidden_at = NULL, hidden_by = NULL WHERE id = ?",
};

static const char *const rule_texts[] = {
	[REVIEW_ALLOWED] = "",
	[REVIEW_NOT_STARTED] = "You can review this event once it has started.",
	[REVIEW_NO_TICKET] = "Only people who bought a ticket can review it.",
};

int
reviews_parse(const struct db_rows *rows, size_t i, struct review *out)
{
	struct row_reader rd;

	memset(out, 0, sizeof(*out));
	row_begin(&rd, rows, i, "review");
	out->id = row_int(&rd, RV_ID, 1, LLONG_MAX);
	out->event_id = row_int(&rd, RV_EVENT_ID, 1, LLONG_MAX);
	out->author_id = row_int(&rd, RV_AUTHOR_ID, 1, LLONG_MAX);
	out->rating = (int)row_int(&rd, RV_RATING, 1, 5);
	out->comment = row_text(&rd, RV_COMMENT);
	out->created_at = row_time(&rd, RV_CREATED_AT);
	out->edited = row_time_or_null(&rd, RV_UPDATED_AT, &out->updated_at);
	out->author = row_text(&rd, RV_AUTHOR);
	out->reply = row_text_or_null(&rd, RV_REPLY);
	row_time_or_null(&rd, RV_REPLIED_AT, &out->replied_at);
	out->reports = row_int(&rd, RV_REPORTS, 0, LLONG_MAX);
	out->hidden = row_bool(&rd, RV_HIDDEN);
	return row_end(&rd);
}

const char *
reviews_rule_text(enum review_rule rule)
{
	return rule_texts[rule];
}

int
reviews_rule(struct db *db, struct arena *a, long long event_id,
    time_t starts_at, long long user_id, time_t now)
{
	struct db_arg args[] = { DB_INT(user_id), DB_INT(event_id) };
	struct db_rows rows;

	if (now < starts_at)
		return REVIEW_NOT_STARTED;
	if (db_query(db, a, DB_PRIMARY, reviews_stmts[REVIEWS_PAID_ORDER], args,
	    ARRAY_LEN(args), &rows) != DB_OK)
		return -1;
	return rows.nrows > 0 ? REVIEW_ALLOWED : REVIEW_NO_TICKET;
}

/* Runs a statement of review rows into *out (n of them). */
static int
read_reviews(struct db *db, struct arena *a, enum db_target target,
    enum reviews_stmt stmt, const struct db_arg *args, size_t nargs,
    struct review **out, size_t *n)
{
	struct db_rows rows;

	*out = NULL;
	*n = 0;
	if (db_query(db, a, target, reviews_stmts[stmt], args, nargs,
	    &rows) != DB_OK)
		return -1;
	*out = arena_calloc(a, rows.nrows ? rows.nrows : 1, sizeof(**out));
	for (size_t i = 0; i < rows.nrows; i++)
		if (reviews_parse(&rows, i, &(*out)[i]) != 0)
			return ROW_BAD;
	*n = rows.nrows;
	return 0;
}

int
reviews_list(struct db *db, struct arena *a, long long event_id, int limit,
    int offset, struct review **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(event_id), DB_INT(limit),
	    DB_INT(offset) };

	return read_reviews(db, a, DB_READ, REVIEWS_LIST, args,
	    ARRAY_LEN(args), out, n);
}

/* The one review a statement finds: 0, 1 when none. */
static int
read_one(struct db *db, struct arena *a, enum reviews_stmt stmt,
    const struct db_arg *args, size_t nargs, struct review *out)
{
	struct review *rv;
	size_t n;
	int rc;

	if ((rc = read_reviews(db, a, DB_READ, stmt, args, nargs, &rv, &n)) != 0)
		return rc;
	if (n == 0)
		return 1;
	*out = rv[0];
	return 0;
}

int
reviews_of_author(struct db *db, struct arena *a, long long event_id,
    long long author_id, struct review *out)
{
	struct db_arg args[] = { DB_INT(event_id), DB_INT(author_id) };

	return read_one(db, a, REVIEWS_OF_AUTHOR, args, ARRAY_LEN(args), out);
}

int
reviews_get(struct db *db, struct arena *a, long long id, struct review *out)
{
	struct db_arg args[] = { DB_INT(id) };

	return read_one(db, a, REVIEWS_GET, args, ARRAY_LEN(args), out);
}

int
reviews_reported(struct db *db, struct arena *a, int limit, int offset,
    struct reported_review **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(limit), DB_INT(offset) };
	struct db_rows rows;

	*out = NULL;
	*n = 0;
	if (db_query(db, a, DB_READ, reviews_stmts[REVIEWS_REPORTED], args,
	    ARRAY_LEN(args), &rows) != DB_OK)
		return -1;
	*out = arena_calloc(a, rows.nrows ? rows.nrows : 1, sizeof(**out));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct reported_review *rr = &(*out)[i];
		struct row_reader rd;

		if (reviews_parse(&rows, i, &rr->review) != 0)
			return ROW_BAD;
		row_begin(&rd, &rows, i, "reported review");
		rr->event_title = row_text(&rd, RV_EVENT_TITLE);
		rr->last_reason = row_text_or_null(&rd, RV_LAST_REASON);
		if (rr->last_reason == NULL)
			rr->last_reason = "";
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*n = rows.nrows;
	return 0;
}

/* ------------------------------------------------------------ writes */

/*
 * Moves event_id's counters from a shown review of old stars to one of
 * new stars (0: no shown review), in one statement on the event row.
 */
static int
counters_move(struct db *db, long long event_id, int old, int new)
{
	long long star[6] = { 0 };
	struct db_arg args[8];

	star[old] -= 1;
	star[new] += 1;
	args[0] = DB_INT(new - old);
	args[1] = DB_INT((new > 0) - (old > 0));
	for (int s = 1; s <= 5; s++)
		args[1 + s] = DB_INT(star[s]);
	args[7] = DB_INT(event_id);
	return db_exec(db, reviews_stmts[REVIEWS_COUNTERS], args,
	    ARRAY_LEN(args), NULL, NULL) == DB_OK ? 0 : -1;
}

/* Runs a statement of one id that returns rows, for its locks: 1 when it
 * found a row, 0 when none, -1. With event_id, reads the first cell as
 * *event_id. */
static int
lock_row(struct db *db, enum reviews_stmt stmt, long long id,
    long long *event_id)
{
	struct db_arg args[] = { DB_INT(id) };
	struct arena a;
	struct db_rows rows;
	int rc = -1;

	arena_init(&a, 256);
	if (db_query(db, &a, DB_PRIMARY, reviews_stmts[stmt], args,
	    ARRAY_LEN(args), &rows) == DB_OK) {
		rc = rows.nrows > 0;
		if (rc == 1 && event_id != NULL)
			*event_id = strtoll(db_cell(&rows, 0, 0), NULL, 10);
	}
	arena_free(&a);
	return rc;
}

/* Locks author_id's review of event_id, after the event: 1 with its id,
 * stars and whether it is hidden, 0 when there is none, -1. */
static int
lock_mine(struct db *db, long long event_id, long long author_id,
    long long *id, int *rating, int *hidden)
{
	struct db_arg args[] = { DB_INT(event_id), DB_INT(author_id) };
	struct arena a;
	struct db_rows rows;
	struct row_reader rd;
	int rc = -1;

	if (lock_row(db, REVIEWS_LOCK_EVENT, event_id, NULL) < 0)
		return -1;
	arena_init(&a, 512);
	if (db_query(db, &a, DB_PRIMARY, reviews_stmts[REVIEWS_LOCK_MINE], args,
	    ARRAY_LEN(args), &rows) != DB_OK)
		goto out;
	rc = 0;
	if (rows.nrows == 0)
		goto out;
	row_begin(&rd, &rows, 0, "review");
	*id = row_int(&rd, 0, 1, LLONG_MAX);
	*rating = (int)row_int(&rd, 1, 1, 5);
	*hidden = row_bool(&rd, 2);
	rc = row_end(&rd) == 0 ? 1 : -1;
out:
	arena_free(&a);
	return rc;
}

int
reviews_save(struct db *db, long long event_id, long long author_id,
    int rating, const char *comment)
{
	long long id;
	int old, hidden, rc;

	if ((rc = lock_mine(db, event_id, author_id, &id, &old, &hidden)) < 0)
		return -1;
	if (rc == 0) {
		struct db_arg ins[] = { DB_INT(event_id), DB_INT(author_id),
		    DB_INT(rating), DB_STR(comment) };

		if (db_exec(db, reviews_stmts[REVIEWS_INSERT], ins,
		    ARRAY_LEN(ins), NULL, NULL) != DB_OK ||
		    counters_move(db, event_id, 0, rating) != 0)
			return -1;
		return REVIEW_CREATED;
	}
	{
		struct db_arg upd[] = { DB_INT(rating), DB_STR(comment),
		    DB_INT(id) };

		if (db_exec(db, reviews_stmts[REVIEWS_UPDATE], upd,
		    ARRAY_LEN(upd), NULL, NULL) != DB_OK)
			return -1;
	}
	if (!hidden && counters_move(db, event_id, old, rating) != 0)
		return -1;
	return REVIEW_UPDATED;
}

int
reviews_delete(struct db *db, long long event_id, long long author_id)
{
	long long id;
	int old, hidden, rc;

	if ((rc = lock_mine(db, event_id, author_id, &id, &old, &hidden)) <= 0)
		return rc < 0 ? -1 : 1;
	{
		struct db_arg del[] = { DB_INT(id) };

		if (db_exec(db, reviews_stmts[REVIEWS_DELETE], del,
		    ARRAY_LEN(del), NULL, NULL) != DB_OK)
			return -1;
	}
	if (!hidden && counters_move(db, event_id, old, 0) != 0)
		return -1;
	return 0;
}

int
reviews_reply(struct db *db, long long id, long long organizer_id,
    const char *text)
{
	struct db_arg args[] = { DB_STR(text), DB_INT(id),
	    DB_INT(organizer_id) };
	struct db_arg get[] = { DB_INT(id) };
	unsigned long long affected;
	struct arena a;
	struct db_rows rows;
	int rc = -1;

	if (db_exec(db, reviews_stmts[REVIEWS_REPLY], args, ARRAY_LEN(args),
	    &affected, NULL) != DB_OK)
		return -1;
	if (affected == 1)
		return REVIEW_REPLIED;
	/* Nothing changed: not theirs (or gone), or replied to already. The
	 * caller read the review as theirs before, so it tells which. */
	arena_init(&a, 1024);
	if (db_query(db, &a, DB_PRIMARY, reviews_stmts[REVIEWS_GET], get,
	    ARRAY_LEN(get), &rows) == DB_OK) {
		struct review rv;

		rc = REVIEW_NOT_FOUND;
		if (rows.nrows == 1 && reviews_parse(&rows, 0, &rv) == 0 &&
		    rv.reply != NULL)
			rc = REVIEW_ALREADY;
	}
	arena_free(&a);
	return rc;
}

int
reviews_report(struct db *db, long long id, long long reporter_id,
    const char *reason)
{
	struct db_arg lock[] = { DB_INT(id) };
	struct db_arg add[] = { DB_INT(id), DB_INT(reporter_id),
	    DB_STR(reason) };
	struct arena a;
	struct db_rows rows;
	enum db_status st;
	size_t found;

	arena_init(&a, 256);
	st = db_query(db, &a, DB_PRIMARY, reviews_stmts[REVIEWS_LOCK_SHOWN],
	    lock, ARRAY_LEN(lock), &rows);
	found = st == DB_OK ? rows.nrows : 0;
	arena_free(&a);
	if (st != DB_OK)
		return -1;
	if (found == 0)
		return REVIEW_NOT_FOUND;
	st = db_exec(db, reviews_stmts[REVIEWS_REPORT_ADD], add,
	    ARRAY_LEN(add), NULL, NULL);
	if (st == DB_DUPLICATE)
		return REVIEW_ALREADY;
	if (st != DB_OK || db_exec(db, reviews_stmts[REVIEWS_REPORT_COUNT],
	    lock, ARRAY_LEN(lock), NULL, NULL) != DB_OK)
		return -1;
	return REVIEW_REPLIED;
}

int
reviews_set_hidden(struct db *db, long long id, long long admin_id,
    int hidden)
{
	struct db_arg lock[] = { DB_INT(id) };
	struct db_arg hide[] = { DB_INT(admin_id), DB_INT(id) };
	struct arena a;
	struct db_rows rows;
	struct row_reader rd;
	long long event_id;
	int rating, was, rc = -1;

	hidden = hidden != 0;
	if ((rc = lock_row(db, REVIEWS_EVENT_OF, id, &event_id)) <= 0 ||
	    (rc = lock_row(db, REVIEWS_LOCK_EVENT, event_id, NULL)) <= 0)
		return rc < 0 ? -1 : 1;
	rc = -1;
	arena_init(&a, 256);
	if (db_query(db, &a, DB_PRIMARY, reviews_stmts[REVIEWS_LOCK], lock,
	    ARRAY_LEN(lock), &rows) != DB_OK)
		goto out;
	rc = 1;
	if (rows.nrows == 0)
		goto out;
	row_begin(&rd, &rows, 0, "review");
	event_id = row_int(&rd, 0, 1, LLONG_MAX);
	rating = (int)row_int(&rd, 1, 1, 5);
	was = row_bool(&rd, 2);
	if (row_end(&rd) != 0) {
		rc = -1;
		goto out;
	}
	if (was == hidden)
		goto out;
	rc = -1;
	if ((hidden ? db_exec(db, reviews_stmts[REVIEWS_HIDE], hide,
	    ARRAY_LEN(hide), NULL, NULL) : db_exec(db,
	    reviews_stmts[REVIEWS_SHOW], lock, ARRAY_LEN(lock), NULL,
	    NULL)) != DB_OK)
		goto out;
	if (counters_move(db, event_id, hidden ? rating : 0,
	    hidden ? 0 : rating) != 0)
		goto out;
	rc = 0;
out:
	arena_free(&a);
	return rc;
}
