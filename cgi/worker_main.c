#include <mysql.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "util.h"

/*
 * tessera-worker: the background daemon. It runs jobs on a timer against
 * the primary; today that is releasing the seats of holds that were never
 * paid. Several workers may run at once: rows are claimed with SKIP LOCKED,
 * so no two handle the same order.
 */

#define TICK_SECONDS 5
#define EXPIRE_BATCH 100

enum worker_stmt {
	WK_EXPIRED_HOLDS,
	WK_RELEASE_SEATS,
	WK_MARK_EXPIRED,
	WK__MAX
};

static const char *const worker_stmts[WK__MAX] = {
	/* WK_EXPIRED_HOLDS */
	"SELECT id FROM orders WHERE status = 'held' "
	"AND hold_expires_at < UTC_TIMESTAMP() "
	"ORDER BY hold_expires_at LIMIT 100 FOR UPDATE SKIP LOCKED",
	/* WK_RELEASE_SEATS: give back the seats the order's tickets held */
	"UPDATE ticket_types tt JOIN ("
	" SELECT ticket_type_id, COUNT(*) AS n FROM tickets"
	" WHERE order_id = ? GROUP BY ticket_type_id) t"
	" ON t.ticket_type_id = tt.id SET tt.held = tt.held - t.n",
	/* WK_MARK_EXPIRED */
	"UPDATE orders SET status = 'expired' WHERE id = ? AND status = 'held'",
};

static volatile sig_atomic_t stopping;

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

/* Expires one batch of overdue holds in one transaction. Returns how many
 * orders it expired, or -1. */
static int
expire_holds(struct db *db, struct arena *a)
{
	struct db_rows rows;
	int done = 0;

	if (db_begin(db) != 0)
		return -1;
	if (db_query(db, a, DB_PRIMARY, worker_stmts[WK_EXPIRED_HOLDS], NULL, 0,
	    &rows) != 0)
		goto fail;
	for (size_t i = 0; i < rows.nrows; i++) {
		struct db_arg id[] = { DB_INT(strtoll(db_cell(&rows, i, 0), NULL,
		    10)) };

		if (db_exec(db, worker_stmts[WK_RELEASE_SEATS], id, 1, NULL,
		    NULL) != 0 ||
		    db_exec(db, worker_stmts[WK_MARK_EXPIRED], id, 1, NULL,
		    NULL) != 0)
			goto fail;
		done++;
	}
	if (db_commit(db) != 0)
		return -1;
	return done;
fail:
	db_rollback(db);
	return -1;
}

int
main(void)
{
	struct sigaction sa;
	struct config cfg;
	struct arena a;
	struct db *db;
	char err[256];

	log_set_program("tessera-worker");
	if (config_load(&cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "tessera-worker: %s\n", err);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;  /* no SA_RESTART: the sleep is cut short */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (mysql_library_init(0, NULL, NULL) != 0) {
		fprintf(stderr, "tessera-worker: cannot initialise the MySQL "
		    "client library\n");
		return 1;
	}
	db = db_open(&cfg);
	arena_init(&a, 0);
	log_info("started");
	while (!stopping) {
		struct timespec tick = { TICK_SECONDS, 0 };
		int n;

		arena_reset(&a);
		n = expire_holds(db, &a);
		if (n > 0)
			log_info("expired %d unpaid holds", n);
		if (n == EXPIRE_BATCH)
			continue;
		nanosleep(&tick, NULL);
	}
	log_info("stopped");
	arena_free(&a);
	db_close(db);
	mysql_library_end();
	return 0;
}
