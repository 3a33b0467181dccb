/*
 * Transactions against a real MariaDB primary (and its replica): what the
 * database layer promises a handler that changes something. Run by
 * tests/e2e/test_db_tx.py on the test stack, as the database's root user
 * over the unix sockets, in a scratch database of its own:
 *
 *	TESSERA_DB_PRIMARY=unix:... TESSERA_DB_REPLICAS=unix:...
 *	TESSERA_DB_USER=root-user tests/db/test_db_tx
 *
 * The killer and the lock holder are plain client connections beside the
 * database layer's own, as another worker or an operator would be.
 */
#include <mysql.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "tap.h"

#define SCRATCH_DB "tessera_txtest"

enum tx_stmt {
	T_BUMP,
	T_VALUE,
	T_LOCK,
	T_INSERT,
	T_CONN_ID,
	T_SHORT_WAIT,
	T__MAX
};

static const char *const tx_stmts[T__MAX] = {
	/* T_BUMP */ "UPDATE counters SET v = v + 1 WHERE id = ?",
	/* T_VALUE */ "SELECT v FROM counters WHERE id = ?",
	/* T_LOCK */ "SELECT v FROM counters WHERE id = ? FOR UPDATE",
	/* T_INSERT */ "INSERT INTO counters (id, v) VALUES (?, 0)",
	/* T_CONN_ID */ "SELECT CONNECTION_ID()",
	/* T_SHORT_WAIT */ "SET SESSION innodb_lock_wait_timeout = 1",
};

static struct config cfg;

/* A plain client connection to the primary, outside the database layer. */
static MYSQL *
side_connect(void)
{
	MYSQL *m = mysql_init(NULL);
	const char *sock = cfg.db_primary + strlen("unix:");

	if (mysql_real_connect(m, "localhost", cfg.db_user, cfg.db_password,
	    NULL, 0, sock, 0) == NULL) {
		printf("Bail out! cannot connect to %s: %s\n", cfg.db_primary,
		    mysql_error(m));
		exit(1);
	}
	return m;
}

static void
side_sql(MYSQL *m, const char *sql)
{
	if (mysql_query(m, sql) != 0) {
		printf("Bail out! %s: %s\n", sql, mysql_error(m));
		exit(1);
	}
}

/* The committed value of counter id, as another connection sees it. */
static long long
committed(MYSQL *m, int id)
{
	char sql[128];
	MYSQL_RES *res;
	MYSQL_ROW row;
	long long v = -1;

	snprintf(sql, sizeof(sql),
	    "SELECT v FROM " SCRATCH_DB ".counters WHERE id = %d", id);
	side_sql(m, sql);
	res = mysql_store_result(m);
	if (res != NULL && (row = mysql_fetch_row(res)) != NULL && row[0])
		v = atoll(row[0]);
	mysql_free_result(res);
	return v;
}

static void
reset_counters(MYSQL *m)
{
	side_sql(m, "DELETE FROM " SCRATCH_DB ".counters");
	side_sql(m, "INSERT INTO " SCRATCH_DB ".counters (id, v) "
	    "VALUES (1, 0), (2, 0)");
}

static enum db_status
bump(struct db *db, int id)
{
	struct db_arg args[] = { DB_INT(id) };

	return db_exec(db, tx_stmts[T_BUMP], args, 1, NULL, NULL);
}

static enum db_status
lock_row(struct db *db, struct arena *a, int id)
{
	struct db_arg args[] = { DB_INT(id) };
	struct db_rows rows;

	return db_query(db, a, DB_PRIMARY, tx_stmts[T_LOCK], args, 1, &rows);
}

/* ------------------------------------------------ 1: a lost connection */

static void
test_killed_connection(MYSQL *side)
{
	struct db *db = db_open(&cfg);
	struct arena a;
	struct db_rows rows;
	char kill[64];

	arena_init(&a, 4096);
	reset_counters(side);
	is_int(db_begin(db), DB_OK, "a transaction begins");
	is_int(bump(db, 1), DB_OK, "its first statement runs");
	if (!ok(db_query(db, &a, DB_PRIMARY, tx_stmts[T_CONN_ID], NULL, 0,
	    &rows) == DB_OK && rows.nrows == 1, "its connection has an id"))
		return;
	snprintf(kill, sizeof(kill), "KILL CONNECTION %s", db_cell(&rows, 0, 0));
	side_sql(side, kill);

	is_int(bump(db, 2), DB_CONN_LOST,
	    "the statement after the kill reports the lost connection");
	is_int(bump(db, 2), DB_CONN_LOST,
	    "so does the next one: no reconnect in the middle of a transaction");
	is_int(db_commit(db), DB_CONN_LOST, "and the commit fails");
	is_int(committed(side, 1), 0, "the statement before the kill is not committed");
	is_int(committed(side, 2), 0, "nor anything after it");
	db_rollback(db);
	ok(!db_in_transaction(db), "the rollback ends the transaction");
	is_int(bump(db, 2), DB_OK, "after the rollback a new connection works");
	is_int(committed(side, 2), 1, "in autocommit, as before the transaction");
	db_close(db);
	arena_free(&a);
}

/* ------------------------------------------------------ 2: a deadlock */

struct crossing {
	int first, second;   /* the rows, in this side's order */
	int signal_fd;       /* written once the first row is held */
	int wait_fd;         /* read before taking the second */
	int attempts;
	struct arena *arena;
};

/* Takes the two rows in opposite orders on the two sides; on the first
 * attempt each waits until the other holds its first row, so one of them
 * must lose the deadlock. */
static enum db_status
cross(struct db *db, void *arg)
{
	struct crossing *c = arg;
	enum db_status st;
	char byte = 'x';

	c->attempts++;
	if ((st = lock_row(db, c->arena, c->first)) != DB_OK)
		return st;
	if (c->attempts == 1) {
		if (write(c->signal_fd, &byte, 1) != 1 ||
		    read(c->wait_fd, &byte, 1) != 1)
			return DB_ERROR;
		/* Let the other side queue on our row first. */
		usleep(200 * 1000);
	}
	if ((st = lock_row(db, c->arena, c->second)) != DB_OK)
		return st;
	if ((st = bump(db, c->first)) != DB_OK)
		return st;
	return bump(db, c->second);
}

static void
test_deadlock(MYSQL *side)
{
	int to_child[2], to_parent[2], status;
	struct arena a;
	pid_t pid;

	reset_counters(side);
	if (pipe(to_child) != 0 || pipe(to_parent) != 0)
		exit(1);
	arena_init(&a, 4096);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		struct db *db = db_open(&cfg);
		struct crossing c = { 2, 1, to_parent[1], to_child[0], 0, &a };
		enum db_status st = db_tx(db, cross, &c);

		db_close(db);
		_exit(st == DB_OK ? c.attempts : 100 + (int)st);
	}
	struct db *db = db_open(&cfg);
	struct crossing c = { 1, 2, to_child[1], to_parent[0], 0, &a };
	enum db_status st = db_tx(db, cross, &c);

	waitpid(pid, &status, 0);
	is_int(st, DB_OK, "one side of a deadlock commits");
	ok(WIFEXITED(status) && WEXITSTATUS(status) < 100,
	    "so does the other (exit %d)", WEXITSTATUS(status));
	is_int(c.attempts + WEXITSTATUS(status), 3,
	    "the deadlock's victim ran its transaction once more");
	is_int(committed(side, 1), 2, "both bumps of row 1 are there");
	is_int(committed(side, 2), 2, "both bumps of row 2 are there");
	db_close(db);
	arena_free(&a);
}

/* -------------------------------------------- 3: a lock wait timeout */

static enum db_status
bump_two_then_one(struct db *db, void *arg)
{
	enum db_status st;

	(*(int *)arg)++;
	if ((st = bump(db, 2)) != DB_OK)
		return st;
	return bump(db, 1);
}

static void
test_lock_timeout(MYSQL *side)
{
	struct db *db = db_open(&cfg);
	MYSQL *holder = side_connect();
	int attempts = 0;

	reset_counters(side);
	is_int(db_exec(db, tx_stmts[T_SHORT_WAIT], NULL, 0, NULL, NULL), DB_OK,
	    "lock waits are short on this connection");
	side_sql(holder, "START TRANSACTION");
	side_sql(holder, "SELECT v FROM " SCRATCH_DB ".counters WHERE id = 1 "
	    "FOR UPDATE");
	mysql_free_result(mysql_store_result(holder));
	is_int(db_tx(db, bump_two_then_one, &attempts), DB_LOCK_TIMEOUT,
	    "a row held elsewhere ends in a lock wait timeout");
	is_int(attempts, DB_TX_ATTEMPTS, "after %d attempts", DB_TX_ATTEMPTS);
	ok(!db_in_transaction(db), "rolled back");
	is_int(committed(side, 2), 0,
	    "the statement before the wait is not committed");
	side_sql(holder, "ROLLBACK");
	mysql_close(holder);
	db_close(db);
}

/* ----------------------------------------- 4: a transaction left open */

static void
test_left_open(MYSQL *side)
{
	struct db *db = db_open(&cfg);
	MYSQL *next = side_connect();
	struct arena a;
	time_t t0;

	arena_init(&a, 4096);
	reset_counters(side);
	is_int(db_request_end(db), 0, "a request without a transaction ends quietly");
	db_begin(db);
	is_int(lock_row(db, &a, 1), DB_OK, "a handler locks a row");
	is_int(bump(db, 1), DB_OK, "and changes it, but never commits");
	is_int(db_request_end(db), 1,
	    "the end of the request finds the open transaction");
	ok(!db_in_transaction(db), "and rolls it back");
	side_sql(next, "SET SESSION innodb_lock_wait_timeout = 1");
	t0 = time(NULL);
	ok(mysql_query(next, "UPDATE " SCRATCH_DB ".counters SET v = 10 "
	    "WHERE id = 1") == 0, "the next request gets the row's lock (%s)",
	    mysql_error(next));
	ok(time(NULL) - t0 < 1 + 1, "without waiting");
	is_int(committed(side, 1), 10, "and the forgotten change is gone");
	mysql_close(next);
	db_close(db);
	arena_free(&a);
}

/* ------------------------------------- 5: statuses and reads in a tx */

static enum db_status
insert_twice(struct db *db, void *arg)
{
	struct db_arg three[] = { DB_INT(3) };
	enum db_status *second = arg;

	if (db_exec(db, tx_stmts[T_INSERT], three, 1, NULL, NULL) != DB_OK)
		return DB_ERROR;
	*second = db_exec(db, tx_stmts[T_INSERT], three, 1, NULL, NULL);
	return DB_OK;
}

struct own_write {
	struct arena *arena;
	int seen;
};

/* Inserts a row, reads it back as a page would (DB_READ), and rolls back. */
static enum db_status
read_own_write(struct db *db, void *arg)
{
	struct db_arg four[] = { DB_INT(4) };
	struct own_write *w = arg;
	struct db_rows rows;

	if (db_exec(db, tx_stmts[T_INSERT], four, 1, NULL, NULL) != DB_OK)
		return DB_ERROR;
	w->seen = db_query(db, w->arena, DB_READ, tx_stmts[T_VALUE], four, 1,
	    &rows) == DB_OK && rows.nrows == 1;
	return DB_ABORTED;
}

static void
test_statuses(MYSQL *side)
{
	struct db *db = db_open(&cfg);
	enum db_status second = DB_OK;
	struct arena a;
	struct own_write w = { &a, 0 };

	arena_init(&a, 4096);
	reset_counters(side);
	is_int(db_tx(db, insert_twice, &second), DB_OK,
	    "a duplicate key does not break the transaction it is in");
	is_int(second, DB_DUPLICATE, "it is reported as a duplicate key");
	is_int(committed(side, 3), 0, "the first insert is committed");
	is_str(db_status_name(DB_DUPLICATE), "duplicate key",
	    "statuses have names for the logs");

	ok(cfg.nreplicas > 0, "a replica is configured");
	is_int(db_tx(db, read_own_write, &w), DB_ABORTED,
	    "a transaction body may choose to roll back");
	ok(w.seen, "a read inside a transaction sees its own write (primary)");
	is_int(committed(side, 4), -1, "and the rolled-back row is not there");
	arena_free(&a);
	db_close(db);
}

int
main(void)
{
	char err[256];
	MYSQL *side;

	setenv("TESSERA_DB_NAME", SCRATCH_DB, 1);
	if (config_load(&cfg, err, sizeof(err)) != 0) {
		printf("Bail out! %s\n", err);
		return 1;
	}
	if (strncmp(cfg.db_primary, "unix:", 5) != 0) {
		printf("Bail out! TESSERA_DB_PRIMARY must be unix:PATH\n");
		return 1;
	}
	mysql_library_init(0, NULL, NULL);
	srandom((unsigned)getpid());
	side = side_connect();
	side_sql(side, "DROP DATABASE IF EXISTS " SCRATCH_DB);
	side_sql(side, "CREATE DATABASE " SCRATCH_DB);
	side_sql(side, "CREATE TABLE " SCRATCH_DB ".counters "
	    "(id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB");

	test_killed_connection(side);
	test_deadlock(side);
	test_lock_timeout(side);
	test_left_open(side);
	test_statuses(side);

	side_sql(side, "DROP DATABASE " SCRATCH_DB);
	mysql_close(side);
	mysql_library_end();
	return done_testing();
}
