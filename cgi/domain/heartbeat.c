#include "heartbeat.h"

#include <limits.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "row.h"
#include "util.h"

enum heartbeat_stmt { HB_BEAT, HB_CLEAR, HB_STOP, HB_LIST, HB__MAX };

static const char *const heartbeat_stmts[HB__MAX] = {
	/* HB_BEAT */
	"INSERT INTO worker_heartbeat (worker, started_at, beat_at, mails_sent, "
	"mails_failed) VALUES (?, ?, UTC_TIMESTAMP(), ?, ?) "
	"ON DUPLICATE KEY UPDATE beat_at = UTC_TIMESTAMP(), "
	"mails_sent = VALUES(mails_sent), mails_failed = VALUES(mails_failed)",
	/* HB_CLEAR */
	"DELETE FROM worker_heartbeat "
	"WHERE beat_at < UTC_TIMESTAMP() - INTERVAL 1 DAY",
	/* HB_STOP */
	"DELETE FROM worker_heartbeat WHERE worker = ?",
	/* HB_LIST: the age by the server's clock, which wrote beat_at */
	"SELECT worker, started_at, beat_at, "
	"TIMESTAMPDIFF(SECOND, beat_at, UTC_TIMESTAMP()), mails_sent, "
	"mails_failed "
	"FROM worker_heartbeat ORDER BY beat_at DESC LIMIT 100",
};

int
heartbeat_beat(struct db *db, const char *worker, time_t started,
    long long mails_sent, long long mails_failed)
{
	struct tm tm;
	char when[32];

	if (gmtime_r(&started, &tm) == NULL)
		return -1;
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);

	struct db_arg args[] = { DB_STR(worker), DB_STR(when),
	    DB_INT(mails_sent), DB_INT(mails_failed) };

	if (db_exec(db, heartbeat_stmts[HB_BEAT], args, ARRAY_LEN(args), NULL,
	    NULL) != DB_OK)
		return -1;
	return db_exec(db, heartbeat_stmts[HB_CLEAR], NULL, 0, NULL, NULL) ==
	    DB_OK ? 0 : -1;
}

int
heartbeat_stop(struct db *db, const char *worker)
{
	struct db_arg args[] = { DB_STR(worker) };

	return db_exec(db, heartbeat_stmts[HB_STOP], args, ARRAY_LEN(args),
	    NULL, NULL) == DB_OK ? 0 : -1;
}

int
heartbeat_list(struct db *db, struct arena *a, struct heartbeat **out,
    size_t *n)
{
	struct db_rows rows;

	*n = 0;
	if (db_query(db, a, DB_PRIMARY, heartbeat_stmts[HB_LIST], NULL, 0,
	    &rows) != DB_OK)
		return -1;
	*out = arena_calloc(a, rows.nrows + 1, sizeof(**out));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct heartbeat *h = &(*out)[i];
		struct row_reader rd;

		row_begin(&rd, &rows, i, "worker heartbeat");
		h->worker = row_text(&rd, 0);
		h->started_at = row_time(&rd, 1);
		h->beat_at = row_time(&rd, 2);
		h->age = row_int(&rd, 3, LLONG_MIN / 2, LLONG_MAX / 2);
		h->mails_sent = row_int(&rd, 4, 0, LLONG_MAX);
		h->mails_failed = row_int(&rd, 5, 0, LLONG_MAX);
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*n = rows.nrows;
	return 0;
}
