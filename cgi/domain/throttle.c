#include "throttle.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "util.h"

enum throttle_stmt {
	THROTTLE_LOCKED,
	THROTTLE_ATTEMPT,
	THROTTLE_GIVE_BACK,
	THROTTLE_CLEAR,
	THROTTLE__MAX
};

static const char *const throttle_stmts[THROTTLE__MAX] = {
	/* THROTTLE_LOCKED: seconds left of a subject's lock, if any */
	"SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), locked_until) "
	"FROM login_throttle WHERE scope = ? AND subject = LEFT(?, 254) "
	"AND locked_until > UTC_TIMESTAMP()",
	/*
	 * THROTTLE_ATTEMPT: args scope, subject, window, limit, base lock,
	 * limit, cap. Counts one attempt, in one statement, so parallel
	 * attempts are counted one after the other under the row's lock.
	 * While a lock is in force nothing changes, and the affected-row
	 * count (0) says the attempt is refused; else 1 (a new row) or 2.
	 * Assignments run left to right: the count sees the old
	 * last_failure, and the lock the new count and its own old value.
	 * A count older than the window starts again at one; from the limit
	 * on, every attempt sets a lock of base * 2^(count - limit) seconds,
	 * capped, for the attempts after it.
	 */
	"INSERT INTO login_throttle (scope, subject, failures, last_failure) "
	"VALUES (?, LEFT(?, 254), 1, UTC_TIMESTAMP()) "
	"ON DUPLICATE KEY UPDATE "
	"failures = IF(locked_until > UTC_TIMESTAMP(), failures, "
	"IF(last_failure < UTC_TIMESTAMP() - INTERVAL ? SECOND, 1, "
	"LEAST(failures + 1, 1000))), "
	"last_failure = IF(locked_until > UTC_TIMESTAMP(), last_failure, "
	"UTC_TIMESTAMP()), "
	"locked_until = IF(locked_until > UTC_TIMESTAMP(), locked_until, "
	"IF(failures >= ?, UTC_TIMESTAMP() + INTERVAL "
	"LEAST(? * POW(2, LEAST(CAST(failures AS SIGNED) - ?, 20)), ?) SECOND, "
	"locked_until))",
	/* THROTTLE_GIVE_BACK: args limit, scope, subject. An attempt that
	 * turned out right; a lock it set (it was the limit-th) goes too. */
	"UPDATE login_throttle SET failures = failures - 1, "
	"locked_until = IF(failures < ?, NULL, locked_until) "
	"WHERE scope = ? AND subject = LEFT(?, 254) AND failures > 0",
	/* THROTTLE_CLEAR */
	"DELETE FROM login_throttle WHERE scope = 'account' AND subject = ?",
};

const char *
throttle_network(struct arena *a, const char *addr)
{
	struct in6_addr v6;
	struct in_addr v4;
	char buf[INET6_ADDRSTRLEN];

	if (addr == NULL)
		return "";
	if (inet_pton(AF_INET, addr, &v4) == 1) {
		inet_ntop(AF_INET, &v4, buf, sizeof(buf));
		return arena_strdup(a, buf);
	}
	if (inet_pton(AF_INET6, addr, &v6) != 1)
		return addr;
	if (IN6_IS_ADDR_V4MAPPED(&v6)) {
		memcpy(&v4, &v6.s6_addr[12], sizeof(v4));
		inet_ntop(AF_INET, &v4, buf, sizeof(buf));
		return arena_strdup(a, buf);
	}
	/* One subscriber gets a /64 (RFC 6177) and picks any address in it
	 * at will: the network is what is counted. */
	memset(&v6.s6_addr[8], 0, 8);
	inet_ntop(AF_INET6, &v6, buf, sizeof(buf));
	return arena_printf(a, "%s/64", buf);
}

/* Seconds left of subject's lock in scope, at least 1; 1 when the lock
 * ended meanwhile or the database cannot say. */
static long
lock_left(struct db *db, struct arena *a, const char *scope,
    const char *subject)
{
	struct db_arg args[] = { DB_STR(scope), DB_STR(subject) };
	struct db_rows rows;
	long left;

	if (db_query(db, a, DB_PRIMARY, throttle_stmts[THROTTLE_LOCKED], args,
	    ARRAY_LEN(args), &rows) != 0 || rows.nrows == 0 ||
	    db_cell(&rows, 0, 0) == NULL)
		return 1;
	left = strtol(db_cell(&rows, 0, 0), NULL, 10);
	return left < 1 ? 1 : left;
}

/* Counts one attempt of subject in scope. Returns 0 when it may go on,
 * 1 when a lock refuses it (*retry_after set), -1 on a database error. */
static int
count_attempt(struct db *db, struct arena *a, const char *scope,
    const char *subject, long limit, long *retry_after)
{
	struct db_arg args[] = {
		DB_STR(scope), DB_STR(subject), DB_INT(THROTTLE_WINDOW_SECONDS),
		DB_INT(limit), DB_INT(THROTTLE_LOCK_SECONDS), DB_INT(limit),
		DB_INT(THROTTLE_LOCK_MAX_SECONDS),
	};
	unsigned long long affected = 0;

	if (db_exec(db, throttle_stmts[THROTTLE_ATTEMPT], args,
	    ARRAY_LEN(args), &affected, NULL) != 0)
		return -1;
	if (affected > 0)
		return 0;
	*retry_after = lock_left(db, a, scope, subject);
	return 1;
}

int
throttle_attempt(struct db *db, struct arena *a, const char *email,
    const char *ip, long *retry_after)
{
	int rc;

	*retry_after = 0;
	/* The network first: from a locked one, attempts do not add to an
	 * account's count, so nobody locks another person out from there. */
	if ((rc = count_attempt(db, a, "ip", throttle_network(a, ip),
	    THROTTLE_IP_FAILURES, retry_after)) != 0)
		return rc;
	return count_attempt(db, a, "account", email,
	    THROTTLE_ACCOUNT_FAILURES, retry_after);
}

int
throttle_succeeded(struct db *db, struct arena *a, const char *email,
    const char *ip)
{
	struct db_arg args[] = {
		DB_INT(THROTTLE_IP_FAILURES), DB_STR("ip"),
		DB_STR(throttle_network(a, ip)),
	};

	if (db_exec(db, throttle_stmts[THROTTLE_GIVE_BACK], args,
	    ARRAY_LEN(args), NULL, NULL) != 0)
		return -1;
	return throttle_clear(db, email);
}

int
throttle_costly(struct db *db, struct arena *a, const char *ip,
    long limit, long *retry_after)
{
	*retry_after = 0;
	return count_attempt(db, a, "costly", throttle_network(a, ip), limit,
	    retry_after);
}

int
throttle_clear(struct db *db, const char *email)
{
	struct db_arg args[] = { DB_STR(email) };

	return db_exec(db, throttle_stmts[THROTTLE_CLEAR], args,
	    ARRAY_LEN(args), NULL, NULL);
}
