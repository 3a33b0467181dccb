#include "door_staff.h"

#include <limits.h>
#include <string.h>

#include "arena.h"
#include "row.h"
#include "util.h"

enum staff_stmt {
	ST_LIST,
	ST_ACCOUNT,
	ST_COUNT,
	ST_ADD,
	ST_REMOVE,
	ST_HAS,
	ST__MAX
};

static const char *const staff_stmts[ST__MAX] = {
	/* ST_LIST */
	"SELECT u.id, u.display_name, u.email, s.granted_at FROM event_staff s "
	"JOIN users u ON u.id = s.user_id WHERE s.event_id = ? "
	"ORDER BY u.display_name, u.id",
	/* ST_ACCOUNT: a live account, by its address */
	"SELECT id FROM users WHERE email = ? "
	"AND deleted_at IS NULL "
	"AND disabled_at IS NULL",
	/* ST_COUNT: locks the event's staff rows, so two additions at once
	 * cannot both pass the cap */
	"SELECT COUNT(*) FROM event_staff WHERE event_id = ? FOR UPDATE",
	/* ST_ADD: the primary key makes a second grant a duplicate */
	"INSERT INTO event_staff (event_id, user_id, granted_by) VALUES (?, ?, ?)",
	/* ST_REMOVE */
	"DELETE FROM event_staff WHERE event_id = ? AND user_id = ?",
	/* ST_HAS */
	"SELECT 1 FROM event_staff WHERE event_id = ? AND user_id = ?",
};

int
door_staff_list(struct db *db, struct arena *a, long long event_id,
    struct door_staff **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(event_id) };
	struct db_rows rows;

	*n = 0;
	if (db_query(db, a, DB_READ, staff_stmts[ST_LIST], args,
	    ARRAY_LEN(args), &rows) != DB_OK)
		return -1;
	*out = arena_calloc(a, rows.nrows + 1, sizeof(**out));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct door_staff *s = &(*out)[i];
		struct row_reader rd;

		row_begin(&rd, &rows, i, "door staff");
		s->user_id = row_int(&rd, 0, 1, LLONG_MAX);
		s->name = row_text(&rd, 1);
		s->email = row_text(&rd, 2);
		s->granted_at = row_time(&rd, 3);
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*n = rows.nrows;
	return 0;
}

int
door_staff_add(struct db *db, struct arena *a, long long event_id,
    const char *email, long long granted_by, long long *user_id)
{
	struct db_arg who[] = { DB_STR(email) };
	struct db_arg ev[] = { DB_INT(event_id) };
	struct db_rows rows;
	struct row_reader rd;

	*user_id = 0;
	if (db_query(db, a, DB_PRIMARY, staff_stmts[ST_ACCOUNT], who,
	    ARRAY_LEN(who), &rows) != DB_OK)
		return -1;
	if (rows.nrows == 0)
		return DOOR_STAFF_NO_ACCOUNT;
	row_begin(&rd, &rows, 0, "door staff account");
	*user_id = row_int(&rd, 0, 1, LLONG_MAX);
	if (row_end(&rd) != 0)
		return -1;
	if (db_query(db, a, DB_PRIMARY, staff_stmts[ST_COUNT], ev,
	    ARRAY_LEN(ev), &rows) != DB_OK || rows.nrows != 1)
		return -1;
	row_begin(&rd, &rows, 0, "door staff count");
	if (row_int(&rd, 0, 0, LLONG_MAX) >= DOOR_STAFF_MAX)
		return row_end(&rd) == 0 ? DOOR_STAFF_FULL : -1;
	if (row_end(&rd) != 0)
		return -1;

	struct db_arg add[] = { DB_INT(event_id), DB_INT(*user_id),
		DB_INT(granted_by) };

	switch (db_exec(db, staff_stmts[ST_ADD], add, ARRAY_LEN(add), NULL,
	    NULL)) {
	case DB_OK:
		return DOOR_STAFF_ADDED;
	case DB_DUPLICATE:
		return DOOR_STAFF_ALREADY;
	default:
		return -1;
	}
}

int
door_staff_remove(struct db *db, long long event_id, long long user_id)
{
	struct db_arg args[] = { DB_INT(event_id), DB_INT(user_id) };
	unsigned long long n = 0;

	if (db_exec(db, staff_stmts[ST_REMOVE], args, ARRAY_LEN(args), &n,
	    NULL) != DB_OK)
		return -1;
	return n == 1 ? 0 : 1;
}

int
door_staff_has(struct db *db, struct arena *a, long long event_id,
    long long user_id)
{
	struct db_arg args[] = { DB_INT(event_id), DB_INT(user_id) };
	struct db_rows rows;

	/* On the primary: a grant taken back closes the door at once. */
	if (db_query(db, a, DB_PRIMARY, staff_stmts[ST_HAS], args,
	    ARRAY_LEN(args), &rows) != DB_OK)
		return -1;
	return rows.nrows > 0;
}
