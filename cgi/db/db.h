/*
 * Database access for one worker: a connection to the primary and one to
 * each replica. Statements are named by their SQL text, which must come
 * from a module's static statement table (enum + const array, see
 * events.c); each connection prepares a statement on its first use and
 * again after a reconnect, keyed by the text's address. Reads go to a
 * replica that is running and not lagging past the configured limit, else
 * to the primary, else, when the primary is down too, to any replica that
 * answers. Writes, and every read inside a transaction, go to the primary.
 * Only prepared statements are sent.
 *
 * Every call says what happened as an enum db_status. DB_OK is 0, so
 * "!= 0" still reads as "failed"; callers that can do something about a
 * failure (a duplicate key is an answer, a deadlock is worth another
 * try) look at which one it is.
 */
#ifndef TESSERA_DB_H
#define TESSERA_DB_H

#include <stddef.h>
#include <string.h>

#include "arena.h"
#include "config.h"

enum db_status {
	DB_OK = 0,
	DB_DUPLICATE,      /* a unique key already holds that value */
	DB_DEADLOCK,       /* chosen as a deadlock's victim: rolled back */
	DB_LOCK_TIMEOUT,   /* waited too long for a row lock */
	DB_CONN_LOST,      /* no server answered, or the connection died */
	DB_CONSTRAINT,     /* foreign key, CHECK, NOT NULL, value too long */
	DB_ERROR,          /* anything else (logged) */
	DB_ABORTED,        /* a db_tx function chose to roll back */
	DB__STATUS_MAX
};

/* "duplicate key", "deadlock", ...: for logs. */
const char *db_status_name(enum db_status st);

enum db_target {
	DB_READ,     /* a fresh replica, else the primary */
	DB_PRIMARY,  /* writes, and reads that must see the latest commit */
};

enum db_arg_type { DB_ARG_NULL, DB_ARG_INT, DB_ARG_STR, DB_ARG_BLOB };

struct db_arg {
	enum db_arg_type type;
	long long i;
	const char *s;
	unsigned long len;
};

#define DB_INT(v) ((struct db_arg){ .type = DB_ARG_INT, .i = (long long)(v) })
#define DB_STR(v) ((struct db_arg){ .type = DB_ARG_STR, .s = (v), \
	.len = (unsigned long)strlen(v) })
#define DB_STRN(v, n) ((struct db_arg){ .type = DB_ARG_STR, .s = (v), \
	.len = (unsigned long)(n) })
/* Bytes, e.g. a SHA-256 compared with a BINARY column. */
#define DB_BLOB(v, n) ((struct db_arg){ .type = DB_ARG_BLOB, .s = (const char *)(v), \
	.len = (unsigned long)(n) })
#define DB_NULL ((struct db_arg){ .type = DB_ARG_NULL })

/* A result set as text, as the server formats it. Arena-owned. */
struct db_rows {
	size_t nrows;
	size_t ncols;
	const char **names;  /* ncols column names */
	char **cells;        /* nrows * ncols; NULL for SQL NULL */
};

static inline const char *
db_cell(const struct db_rows *r, size_t row, size_t col)
{
	return r->cells[row * r->ncols + col];
}

struct db_server_health {
	const char *address;
	int reachable;        /* answered a query just now */
	int usable;           /* replica: running and lag within the limit */
	long lag;             /* seconds behind the primary, -1 if unknown */
	char error[160];
};

struct db;

/* What a connection to one server asks of TLS. */
struct db_tls {
	int enforce;      /* refuse to talk without TLS */
	int verify;       /* check the server's certificate and name */
	const char *ca;   /* the CAs to check it with; NULL: the system's */
};

/* The TLS a connection to address ("unix:/path" or "host:port") asks for
 * under cfg: none over a unix socket, which never leaves the machine;
 * over TCP what TESSERA_DB_TLS says (by default required and verified). */
void db_tls_for(const struct config *cfg, const char *address,
    struct db_tls *out);

/* Creates the worker's handle; connects lazily. */
struct db *db_open(const struct config *cfg);
void db_close(struct db *db);

/* Runs a statement that returns rows. DB_CONN_LOST when no server could
 * answer (the caller answers 503). */
enum db_status db_query(struct db *db, struct arena *a, enum db_target target,
    const char *stmt, const struct db_arg *args, size_t nargs,
    struct db_rows *out);

/* Runs a statement on the primary that returns no rows. affected and
 * insert_id may be NULL. */
enum db_status db_exec(struct db *db, const char *stmt,
    const struct db_arg *args, size_t nargs, unsigned long long *affected,
    unsigned long long *insert_id);

/* 1 when this worker's last attempt to connect to the primary failed
 * (and none has succeeded since): writes cannot be made, reads are served
 * by the replicas, and pages say so. 0 while the primary answers, and
 * before anything asked for it. */
int db_primary_down(const struct db *db);

/* The outcome of the last statement, commit or transaction: for a domain
 * function that returned -1 and a caller that wants to know why. */
enum db_status db_last_status(const struct db *db);

/*
 * Transactions on the primary. While one is open, every statement runs
 * inside it. A lost connection, a deadlock or a lock wait timeout breaks
 * it: from then on every statement and db_commit() fail with that status
 * until db_rollback(), so no part of it is ever committed on its own (a
 * reconnect would otherwise carry on in autocommit). Nested transactions
 * are refused.
 */
enum db_status db_begin(struct db *db);
enum db_status db_commit(struct db *db);
void db_rollback(struct db *db);
int db_in_transaction(const struct db *db);

/* How many times db_tx runs a transaction that lost a deadlock or a lock
 * wait before it gives up. */
#define DB_TX_ATTEMPTS 3

/* A transaction's body: DB_OK to commit, anything else to roll back
 * (DB_ABORTED when the body itself decided so). It may run more than once,
 * so it must start from the same state every time. */
typedef enum db_status (*db_tx_fn)(struct db *db, void *arg);

/* Runs fn in a transaction and commits it. When the server rolled it back
 * for a deadlock or a lock wait timeout (in fn or at the commit), runs it
 * again, up to DB_TX_ATTEMPTS times in all. Returns DB_OK once committed,
 * else what stopped it (fn's own status, or the database's). */
enum db_status db_tx(struct db *db, db_tx_fn fn, void *arg);
/* db_tx at READ COMMITTED: for a transaction that must take no gap locks
 * (a queue's claim, which would hold up the inserts of others). */
enum db_status db_tx_read_committed(struct db *db, db_tx_fn fn, void *arg);

/* Called after every request: rolls back a transaction the handler left
 * open, releasing its locks before the next request. Returns 1 when there
 * was one (the caller logs it), else 0. */
int db_request_end(struct db *db);

/* For this request, reads on a replica must first see the write with
 * this GTID (read-your-writes): the replica waits for it briefly, else the
 * read goes to the primary. NULL or "" clears it; db_request_start() too. */
void db_wait_for_gtid(struct db *db, const char *gtid);
/* 1 when this request's reads wait for a GTID (db_wait_for_gtid): the
 * person wrote a moment ago and must see it, so nothing kept from before
 * may answer them. */
int db_waits_for_gtid(const struct db *db);
/* Called at the start of every request. */
void db_request_start(struct db *db);
/* The GTID of this connection's last commit on the primary, into out
 * (size n). Returns 0, or -1 when there is none. */
int db_last_gtid(struct db *db, char *out, size_t n);

/* Prepares and runs one trusted statement text on the primary: for
 * migrations, whose SQL comes from the program's own files, never from a
 * request. Returns DB_OK (0), or what went wrong with the server's
 * message in err (DB_LOCK_TIMEOUT: a lock, a table's metadata lock too,
 * was not had within lock_wait_timeout). */
enum db_status db_exec_sql(struct db *db, const char *sql, char *err,
    size_t errlen);

/* Checks every server now, for /healthz and the status page: a ping or a
 * replica status on the connections there are, reconnecting only as a
 * query would (after a connection went stale, or past the backoff of one
 * refused). Returns the number of replicas described in replicas[] (at
 * most CONFIG_MAX_REPLICAS). */
int db_health(struct db *db, struct db_server_health *primary,
    struct db_server_health *replicas);

#endif
