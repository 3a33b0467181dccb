#include "throttle.h"

#include <stdlib.h>

#include "db.h"
#include "util.h"

enum throttle_stmt {
	THROTTLE_LOCKED,
	THROTTLE_FAIL,
	THROTTLE_CLEAR,
	THROTTLE__MAX
};

static const char *const throttle_stmts[THROTTLE__MAX] = {
	/* THROTTLE_LOCKED: the longest lock in force on either subject */
	"SELECT MAX(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), locked_until)) "
	"FROM login_throttle "
	"WHERE ((scope = 'account' AND subject = ?) "
	"OR (scope = 'ip' AND subject = ?)) "
	"AND locked_until > UTC_TIMESTAMP()",
	/*
	 * THROTTLE_FAIL: args scope, subject, window, limit, base lock, limit,
	 * cap. A count older than the window starts again at one. Assignments
	 * run left to right, so the lock sees the new count and the window
	 * test the old last_failure. From the limit on, every failure sets a
	 * lock of base * 2^(failures - limit) seconds, capped.
	 */
	"INSERT INTO login_throttle (scope, subject, failures, last_failure) "
	"VALUES (?, LEFT(?, 254), 1, UTC_TIMESTAMP()) "
	"ON DUPLICATE KEY UPDATE "
	"failures = IF(last_failure < UTC_TIMESTAMP() - INTERVAL ? SECOND, 1, "
	"LEAST(failures + 1, 1000)), "
	"locked_until = IF(failures >= ?, UTC_TIMESTAMP() + INTERVAL "
	"LEAST(? * POW(2, LEAST(CAST(failures AS SIGNED) - ?, 20)), ?) SECOND, locked_until), "
	"last_failure = UTC_TIMESTAMP()",
	/* THROTTLE_CLEAR */
	"DELETE FROM login_throttle WHERE scope = 'account' AND subject = ?",
};

int
throttle_check(struct db *db, struct arena *a, const char *email,
    const char *ip, long *retry_after)
{
	struct db_arg args[] = { DB_STR(email), DB_STR(ip) };
	struct db_rows rows;
	const char *left;

	*retry_after = 0;
	if (db_query(db, a, DB_PRIMARY, throttle_stmts[THROTTLE_LOCKED], args,
	    ARRAY_LEN(args), &rows) != 0)
		return -1;
	if (rows.nrows == 0 || (left = db_cell(&rows, 0, 0)) == NULL)
		return 0;
	*retry_after = strtol(left, NULL, 10);
	if (*retry_after < 1)
		*retry_after = 1;
	return 1;
}

static int
count_failure(struct db *db, const char *scope, const char *subject,
    long limit)
{
	struct db_arg args[] = {
		DB_STR(scope), DB_STR(subject), DB_INT(THROTTLE_WINDOW_SECONDS),
		DB_INT(limit), DB_INT(THROTTLE_LOCK_SECONDS), DB_INT(limit),
		DB_INT(THROTTLE_LOCK_MAX_SECONDS),
	};

	return db_exec(db, throttle_stmts[THROTTLE_FAIL], args,
	    ARRAY_LEN(args), NULL, NULL);
}

int
throttle_failed(struct db *db, const char *email, const char *ip)
{
	if (count_failure(db, "account", email,
	    THROTTLE_ACCOUNT_FAILURES) != 0)
		return -1;
	return count_failure(db, "ip", ip, THROTTLE_IP_FAILURES);
}

int
throttle_clear(struct db *db, const char *email)
{
	struct db_arg args[] = { DB_STR(email) };

	return db_exec(db, throttle_stmts[THROTTLE_CLEAR], args,
	    ARRAY_LEN(args), NULL, NULL);
}
