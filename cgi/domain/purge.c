#include "purge.h"

#include "db.h"
#include "util.h"

enum purge_stmt {
	PURGE_SESSIONS,
	PURGE_TOKENS,
	PURGE_THROTTLE,
	PURGE__MAX
};

/* Each deletes a bounded batch, so the rows it locks stay few. */
static const char *const purge_stmts[PURGE__MAX] = {
	/* PURGE_SESSIONS: past their end, or idle longer than the limit */
	"DELETE FROM sessions WHERE expires_at < UTC_TIMESTAMP() "
	"OR last_seen_at < UTC_TIMESTAMP() - INTERVAL 604800 SECOND LIMIT 1000",
	/* PURGE_TOKENS: a day after they stopped working */
	"DELETE FROM account_tokens "
	"WHERE expires_at < UTC_TIMESTAMP() - INTERVAL 1 DAY LIMIT 1000",
	/* PURGE_THROTTLE: no failure for a day and no lock in force */
	"DELETE FROM login_throttle "
	"WHERE last_failure < UTC_TIMESTAMP() - INTERVAL 1 DAY "
	"AND (locked_until IS NULL OR locked_until < UTC_TIMESTAMP()) "
	"LIMIT 1000",
};

long
purge_expired(struct db *db)
{
	unsigned long long n;
	long total = 0;

	for (size_t i = 0; i < ARRAY_LEN(purge_stmts); i++) {
		if (db_exec(db, purge_stmts[i], NULL, 0, &n, NULL) != 0)
			return -1;
		total += (long)n;
	}
	return total;
}
