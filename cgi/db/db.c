#include "db.h"

#include <errno.h>
#include <stdint.h>
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "metrics.h"
#include "util.h"

/* Seconds between replica status checks, and before retrying a server
 * that refused a connection. */
#define REPLICA_CHECK_INTERVAL 1
#define RECONNECT_BACKOFF 1
/* Column values up to this size are fetched in one go; longer ones are
 * fetched again into a buffer of their exact size. */
#define FETCH_CHUNK 256

/* Statements the database layer itself runs, beside the program's own. */
enum internal_stmt {
	INTERNAL_PING,
	INTERNAL_REPLICA_STATUS,
	INTERNAL_GTID_WAIT,
	INTERNAL_LAST_GTID,
	INTERNAL__MAX
};
static const char *const internal_sql[INTERNAL__MAX] = {
	/* INTERNAL_PING */ "SELECT 1",
	/* INTERNAL_REPLICA_STATUS */ "SHOW REPLICA STATUS",
	/* INTERNAL_GTID_WAIT: 0 once applied, -1 after the timeout */
	"SELECT MASTER_GTID_WAIT(?, 0.5)",
	/* INTERNAL_LAST_GTID */ "SELECT @@last_gtid",
};

/* Prepared statements of one connection, keyed by the address of their
 * SQL text in a module's static statement table. */
#define STMT_SLOTS 512

struct stmt_slot {
	const char *sql;
	MYSQL_STMT *st;
};

struct db_conn {
	const char *address;
	int is_replica;
	MYSQL *mysql;                /* NULL while disconnected */
	struct stmt_slot slots[STMT_SLOTS];
	size_t nslots;
	time_t retry_after;          /* no connect attempt before this */
	time_t checked_at;           /* replica: last status check */
	int usable;                  /* replica: fresh enough to read */
	int has_gtid;                /* replica: has applied db->wait_gtid */
	int gtid_asked;              /* replica: waited for it this request */
	int down;                    /* the last connect attempt failed */
	long lag;
	/* primary: the GTID of the last commit as the server's OK packet
	 * reported it (session tracking), "" when none came this request */
	char tracked_gtid[160];
	char error[160];
};

struct db {
	const struct config *cfg;
	struct db_conn primary;
	struct db_conn replicas[CONFIG_MAX_REPLICAS];
	int nreplicas;
	enum { TX_NONE, TX_OPEN, TX_BROKEN } tx;
	enum db_status tx_error;     /* TX_BROKEN: what broke it */
	enum db_status last;         /* the last statement's outcome */
	char wait_gtid[160];         /* this request's read-your-writes GTID */
};

static void
conn_disconnect(struct db *db, struct db_conn *c)
{
	(void)db;
	for (size_t i = 0; i < STMT_SLOTS; i++) {
		if (c->slots[i].st != NULL)
			mysql_stmt_close(c->slots[i].st);
		c->slots[i].st = NULL;
		c->slots[i].sql = NULL;
	}
	c->nslots = 0;
	if (c->mysql != NULL)
		mysql_close(c->mysql);
	c->mysql = NULL;
	c->usable = 0;
}

/* What a server error code means to the caller. */
static enum db_status
status_of(unsigned int err)
{
	switch (err) {
	case 0:
		return DB_OK;
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_COMMANDS_OUT_OF_SYNC:
	case ER_CONNECTION_KILLED:
	case ER_SERVER_SHUTDOWN:
	case ER_QUERY_INTERRUPTED:
		return DB_CONN_LOST;
	case ER_DUP_ENTRY:
	case ER_DUP_ENTRY_WITH_KEY_NAME:
		return DB_DUPLICATE;
	case ER_LOCK_DEADLOCK:
		return DB_DEADLOCK;
	case ER_LOCK_WAIT_TIMEOUT:
		return DB_LOCK_TIMEOUT;
	case ER_NO_REFERENCED_ROW:
	case ER_NO_REFERENCED_ROW_2:
	case ER_ROW_IS_REFERENCED:
	case ER_ROW_IS_REFERENCED_2:
	case ER_BAD_NULL_ERROR:
	case ER_CONSTRAINT_FAILED:
	case ER_DATA_TOO_LONG:
	case ER_WARN_DATA_OUT_OF_RANGE:
	case ER_TRUNCATED_WRONG_VALUE_FOR_FIELD:
	case ER_TRUNCATED_WRONG_VALUE:
	case ER_NO_DEFAULT_FOR_FIELD:
		return DB_CONSTRAINT;
	default:
		return DB_ERROR;
	}
}

const char *
db_status_name(enum db_status st)
{
	static const char *const names[DB__STATUS_MAX] = {
		[DB_OK] = "ok",
		[DB_DUPLICATE] = "duplicate key",
		[DB_DEADLOCK] = "deadlock",
		[DB_LOCK_TIMEOUT] = "lock wait timeout",
		[DB_CONN_LOST] = "connection lost",
		[DB_CONSTRAINT] = "constraint violated",
		[DB_ERROR] = "database error",
		[DB_ABORTED] = "rolled back by the caller",
	};

	return (unsigned)st < DB__STATUS_MAX && names[st] ? names[st] : "?";
}

void
db_tls_for(const struct config *cfg, const char *address, struct db_tls *out)
{
	memset(out, 0, sizeof(*out));
	if (strncmp(address, "unix:", 5) == 0 ||
	    cfg->db_tls == CONFIG_DB_TLS_OFF)
		return;
	out->enforce = 1;
	out->verify = cfg->db_tls == CONFIG_DB_TLS_VERIFY;
	out->ca = cfg->db_tls_ca;
}

/* Sets c's TLS options before it connects; a server that cannot speak
 * TLS, or whose certificate fails the check, is then refused. */
static void
conn_set_tls(const struct config *cfg, struct db_conn *c)
{
	struct db_tls tls;
	my_bool on = 1, verify;

	db_tls_for(cfg, c->address, &tls);
	if (!tls.enforce)
		return;
	verify = tls.verify ? 1 : 0;
	mysql_options(c->mysql, MYSQL_OPT_SSL_ENFORCE, &on);
	mysql_options(c->mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
	if (tls.ca != NULL)
		mysql_options(c->mysql, MYSQL_OPT_SSL_CA, tls.ca);
}

static int
conn_connect(struct db *db, struct db_conn *c)
{
	const struct config *cfg = db->cfg;
	unsigned int timeout_connect = 2, timeout_io = 10;
	const char *host = NULL, *socket_path = NULL;
	char hostbuf[256];
	unsigned int port = 0;
	time_t now = time(NULL);

	if (c->mysql != NULL)
		return 0;
	if (now < c->retry_after)
		return -1;
	if (strncmp(c->address, "unix:", 5) == 0) {
		socket_path = c->address + 5;
		host = "localhost";
	} else {
		const char *colon = strrchr(c->address, ':');
		size_t hlen = colon ? (size_t)(colon - c->address) : strlen(c->address);

		if (hlen >= sizeof(hostbuf))
			hlen = sizeof(hostbuf) - 1;
		memcpy(hostbuf, c->address, hlen);
		hostbuf[hlen] = '\0';
		host = hostbuf;
		port = colon ? (unsigned int)atoi(colon + 1) : 3306;
	}
	c->mysql = mysql_init(NULL);
	if (c->mysql == NULL) {
		log_err("%s: mysql_init failed", __func__);
		abort();
	}
	mysql_options(c->mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeout_connect);
	mysql_options(c->mysql, MYSQL_OPT_READ_TIMEOUT, &timeout_io);
	mysql_options(c->mysql, MYSQL_OPT_WRITE_TIMEOUT, &timeout_io);
	mysql_options(c->mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* The server then names the GTID of each commit in its answer to
	 * it, and read-your-writes needs no SELECT @@last_gtid. */
	mysql_options(c->mysql, MYSQL_INIT_COMMAND,
	    "SET SESSION session_track_system_variables = 'last_gtid'");
	conn_set_tls(cfg, c);
	if (mysql_real_connect(c->mysql, host, cfg->db_user, cfg->db_password,
	    cfg->db_name, port, socket_path, 0) == NULL) {
		snprintf(c->error, sizeof(c->error), "%s", mysql_error(c->mysql));
		log_err("%s: %s: %s", __func__, c->address, c->error);
		mysql_close(c->mysql);
		c->mysql = NULL;
		c->retry_after = now + RECONNECT_BACKOFF;
		c->down = 1;
		return -1;
	}
	c->down = 0;
	c->error[0] = '\0';
	c->checked_at = 0;
	return 0;
}

/* The cache slot of sql on c: its own, or a free one. NULL when the table
 * is full, which only a program with an absurd number of statements (or
 * one passing SQL that is not from a static table) reaches. */
static MYSQL_STMT **
conn_slot(struct db_conn *c, const char *sql)
{
	size_t i = ((uintptr_t)sql >> 3) % STMT_SLOTS;

	for (size_t n = 0; n < STMT_SLOTS; n++, i = (i + 1) % STMT_SLOTS) {
		if (c->slots[i].sql == sql)
			return &c->slots[i].st;
		if (c->slots[i].sql == NULL) {
			if (c->nslots >= STMT_SLOTS * 3 / 4)
				break;
			c->slots[i].sql = sql;
			c->nslots++;
			return &c->slots[i].st;
		}
	}
	log_err("%s: statement cache full", __func__);
	abort();
}

/* Returns the prepared statement, or NULL with *err and c->error set
 * (the caller logs). */
static MYSQL_STMT *
conn_prepare(struct db_conn *c, MYSQL_STMT **slot, const char *sql,
    unsigned int *err)
{
	if (slot == NULL)
		slot = conn_slot(c, sql);
	if (*slot != NULL)
		return *slot;
	*slot = mysql_stmt_init(c->mysql);
	if (*slot == NULL) {
		log_err("%s: mysql_stmt_init failed", __func__);
		abort();
	}
	if (mysql_stmt_prepare(*slot, sql, (unsigned long)strlen(sql)) != 0) {
		*err = mysql_stmt_errno(*slot);
		snprintf(c->error, sizeof(c->error), "cannot prepare: %s",
		    mysql_stmt_error(*slot));
		mysql_stmt_close(*slot);
		*slot = NULL;
	}
	return *slot;
}

static void
bind_args(MYSQL_BIND *binds, const struct db_arg *args, size_t nargs)
{
	memset(binds, 0, nargs * sizeof(*binds));
	for (size_t i = 0; i < nargs; i++) {
		switch (args[i].type) {
		case DB_ARG_NULL:
			binds[i].buffer_type = MYSQL_TYPE_NULL;
			break;
		case DB_ARG_INT:
			binds[i].buffer_type = MYSQL_TYPE_LONGLONG;
			binds[i].buffer = (void *)&args[i].i;
			break;
		case DB_ARG_STR:
		case DB_ARG_BLOB:
			binds[i].buffer_type = args[i].type == DB_ARG_STR ?
			    MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
			binds[i].buffer = (void *)args[i].s;
			binds[i].buffer_length = args[i].len;
			binds[i].length = (unsigned long *)&args[i].len;
			break;
		}
	}
}

/* Reads the stored result of an executed statement into out, as text. */
static int
fetch_rows(MYSQL_STMT *st, struct arena *a, struct db_rows *out)
{
	MYSQL_RES *meta;
	MYSQL_FIELD *fields;
	MYSQL_BIND *binds;
	unsigned long *lens;
	my_bool *nulls, *errs;
	char *chunks;
	size_t ncols, row = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((meta = mysql_stmt_result_metadata(st)) == NULL)
		return 0;
	ncols = mysql_num_fields(meta);
	fields = mysql_fetch_fields(meta);
	if (mysql_stmt_store_result(st) != 0) {
		mysql_free_result(meta);
		return -1;
	}
	out->ncols = ncols;
	out->nrows = (size_t)mysql_stmt_num_rows(st);
	out->names = arena_calloc(a, ncols ? ncols : 1, sizeof(char *));
	for (size_t i = 0; i < ncols; i++)
		out->names[i] = arena_strdup(a, fields[i].name);
	mysql_free_result(meta);
	out->cells = arena_calloc(a, out->nrows * ncols + 1, sizeof(char *));

	binds = arena_calloc(a, ncols ? ncols : 1, sizeof(*binds));
	lens = arena_calloc(a, ncols ? ncols : 1, sizeof(*lens));
	nulls = arena_calloc(a, ncols ? ncols : 1, sizeof(*nulls));
	errs = arena_calloc(a, ncols ? ncols : 1, sizeof(*errs));
	chunks = arena_alloc(a, (ncols ? ncols : 1) * FETCH_CHUNK);
	for (size_t i = 0; i < ncols; i++) {
		binds[i].buffer_type = MYSQL_TYPE_STRING;
		binds[i].buffer = chunks + i * FETCH_CHUNK;
		binds[i].buffer_length = FETCH_CHUNK;
		binds[i].length = &lens[i];
		binds[i].is_null = &nulls[i];
		binds[i].error = &errs[i];
	}
	if (ncols > 0 && mysql_stmt_bind_result(st, binds) != 0)
		goto fail;
	while ((rc = mysql_stmt_fetch(st)) == 0 || rc == MYSQL_DATA_TRUNCATED) {
		for (size_t i = 0; i < ncols && row < out->nrows; i++) {
			char **cell = &out->cells[row * ncols + i];

			if (nulls[i])
				continue;
			if (lens[i] < FETCH_CHUNK) {
				*cell = arena_strndup(a, chunks + i * FETCH_CHUNK,
				    lens[i]);
				continue;
			}
			MYSQL_BIND one;
			unsigned long len = lens[i];

			*cell = arena_alloc(a, len + 1);
			memset(&one, 0, sizeof(one));
			one.buffer_type = MYSQL_TYPE_STRING;
			one.buffer = *cell;
			one.buffer_length = len + 1;
			one.length = &len;
			if (mysql_stmt_fetch_column(st, &one, (unsigned int)i, 0) != 0)
				goto fail;
			(*cell)[len] = '\0';
		}
		row++;
	}
	if (rc != MYSQL_NO_DATA)
		goto fail;
	out->nrows = row;
	mysql_stmt_free_result(st);
	return 0;
fail:
	mysql_stmt_free_result(st);
	return -1;
}

/* Keeps the last_gtid the server's last answer on c carried, if any
 * (session_track_system_variables, set at connect). */
static void
conn_track_gtid(struct db_conn *c)
{
	const char *data;
	size_t len;

	if (c->mysql == NULL || mysql_session_track_get_first(c->mysql,
	    SESSION_TRACK_SYSTEM_VARIABLES, &data, &len) != 0)
		return;
	do {
		/* Name, then value: two entries per variable. */
		int is_gtid = len == 9 && memcmp(data, "last_gtid", 9) == 0;

		if (mysql_session_track_get_next(c->mysql,
		    SESSION_TRACK_SYSTEM_VARIABLES, &data, &len) != 0)
			return;
		if (is_gtid && len > 0 && len < sizeof(c->tracked_gtid)) {
			memcpy(c->tracked_gtid, data, len);
			c->tracked_gtid[len] = '\0';
		}
	} while (mysql_session_track_get_next(c->mysql,
	    SESSION_TRACK_SYSTEM_VARIABLES, &data, &len) == 0);
}

/*
 * Executes a prepared statement on one connection. Returns DB_OK or what
 * went wrong; after DB_CONN_LOST the connection is closed (the caller may
 * retry on a new one). Errors but a lost connection are logged here.
 */
static enum db_status
conn_run(struct db *db, struct db_conn *c, MYSQL_STMT **slot, const char *sql,
    const struct db_arg *args, size_t nargs, struct arena *a,
    struct db_rows *out, unsigned long long *affected,
    unsigned long long *insert_id)
{
	MYSQL_BIND binds[32];
	MYSQL_STMT *st;
	unsigned int err = 0;
	enum db_status status;

	if (nargs > ARRAY_LEN(binds)) {
		log_err("%s: too many arguments (%zu) for \"%s\"", __func__, nargs,
		    sql);
		return DB_ERROR;
	}
	if (conn_connect(db, c) != 0)
		return DB_CONN_LOST;
	if ((st = conn_prepare(c, slot, sql, &err)) == NULL)
		goto error;
	bind_args(binds, args, nargs);
	if (mysql_stmt_bind_param(st, nargs ? binds : NULL) != 0 ||
	    mysql_stmt_execute(st) != 0) {
		err = mysql_stmt_errno(st);
		snprintf(c->error, sizeof(c->error), "%s", mysql_stmt_error(st));
		goto error;
	}
	if (out != NULL && fetch_rows(st, a, out) != 0) {
		err = mysql_stmt_errno(st);
		snprintf(c->error, sizeof(c->error), "%s", mysql_stmt_error(st));
		goto error;
	}
	if (out == NULL)
		mysql_stmt_free_result(st);
	if (!c->is_replica)
		conn_track_gtid(c);
	if (affected != NULL)
		*affected = mysql_stmt_affected_rows(st);
	if (insert_id != NULL)
		*insert_id = mysql_stmt_insert_id(st);
	return DB_OK;
error:
	/* A statement that failed without a code (a fetch that ran out of
	 * memory, say) is an error all the same. */
	status = err == 0 ? DB_ERROR : status_of(err);
	/* A duplicate key is an answer (taken, seen already), not an error. */
	if (status != DB_DUPLICATE)
		metrics_count(status == DB_CONN_LOST ? METRICS_DB_CONN_LOST :
		    status == DB_DEADLOCK || status == DB_LOCK_TIMEOUT ?
		    METRICS_DB_DEADLOCK : METRICS_DB_ERROR);
	if (status == DB_CONN_LOST)
		conn_disconnect(db, c);
	else if (status != DB_DUPLICATE)
		log_err("%s: %s: \"%s\": %s", __func__, c->address, sql, c->error);
	return status;
}

/*
 * Runs a statement, reconnecting once if the connection had gone away
 * (a server restart, or wait_timeout after a quiet night). Inside a
 * transaction on the primary there is no second try: the transaction died
 * with its connection, so it is marked broken and every later statement
 * and the commit fail until db_rollback(). A deadlock (the server has
 * rolled the transaction back) and a lock wait timeout break it too, so
 * that no part of it can be committed alone.
 */
static enum db_status
conn_run_retry(struct db *db, struct db_conn *c, const char *stmt,
    const struct db_arg *args, size_t nargs, struct arena *a,
    struct db_rows *out, unsigned long long *affected,
    unsigned long long *insert_id)
{
	int in_tx = c == &db->primary && db->tx != TX_NONE;
	int was_connected = c->mysql != NULL;
	enum db_status st;

	if (in_tx && db->tx == TX_BROKEN)
		return db->last = db->tx_error;
	st = conn_run(db, c, NULL, stmt, args, nargs, a, out, affected,
	    insert_id);
	if (st == DB_CONN_LOST && was_connected && !in_tx) {
		c->retry_after = 0;
		st = conn_run(db, c, NULL, stmt, args, nargs, a, out, affected,
		    insert_id);
	}
	if (in_tx && (st == DB_CONN_LOST || st == DB_DEADLOCK ||
	    st == DB_LOCK_TIMEOUT)) {
		log_err("%s: transaction broken by %s at \"%.60s\"", __func__,
		    db_status_name(st), stmt);
		db->tx = TX_BROKEN;
		db->tx_error = st;
	}
	return db->last = st;
}

static long
lag_from_status(const struct db_rows *rows)
{
	const char *io = NULL, *sql = NULL, *behind = NULL;

	if (rows->nrows == 0)
		return -1;
	for (size_t i = 0; i < rows->ncols; i++) {
		if (strcmp(rows->names[i], "Slave_IO_Running") == 0)
			io = db_cell(rows, 0, i);
		else if (strcmp(rows->names[i], "Slave_SQL_Running") == 0)
			sql = db_cell(rows, 0, i);
		else if (strcmp(rows->names[i], "Seconds_Behind_Master") == 0)
			behind = db_cell(rows, 0, i);
	}
	if (io == NULL || sql == NULL || strcmp(io, "Yes") != 0 ||
	    strcmp(sql, "Yes") != 0 || behind == NULL)
		return -1;
	return atol(behind);
}

/* Refreshes c->usable and c->lag at most once a second, or now if force. */
static void
replica_check(struct db *db, struct db_conn *c, int force)
{
	struct arena a;
	struct db_rows rows;
	time_t now = time(NULL);

	if (!force && c->mysql != NULL && now - c->checked_at <
	    REPLICA_CHECK_INTERVAL)
		return;
	if (!force && c->mysql == NULL && now < c->retry_after)
		return;
	c->checked_at = now;
	c->usable = 0;
	c->lag = -1;
	arena_init(&a, 4096);
	if (conn_run(db, c, NULL,
	    internal_sql[INTERNAL_REPLICA_STATUS], NULL, 0, &a, &rows, NULL,
	    NULL) == DB_OK) {
		c->lag = lag_from_status(&rows);
		c->usable = c->lag >= 0 && c->lag <= db->cfg->replica_max_lag;
		if (c->lag < 0)
			snprintf(c->error, sizeof(c->error),
			    "replication is not running");
		else if (!c->usable)
			snprintf(c->error, sizeof(c->error),
			    "%ld s behind the primary", c->lag);
		else
			c->error[0] = '\0';
	}
	arena_free(&a);
}

/* Whether replica c has applied this request's wait_gtid, waiting for it
 * briefly the first time it is asked, and only then: a replica that did
 * not catch up in time is not waited for again in this request (its
 * reads go elsewhere), so no cookie can make a page wait more than once
 * per replica. */
static int
replica_has_gtid(struct db *db, struct db_conn *c)
{
	struct db_arg args[] = { DB_STR(db->wait_gtid) };
	struct db_rows rows;
	struct arena a;

	if (db->wait_gtid[0] == '\0' || c->has_gtid)
		return 1;
	if (c->gtid_asked)
		return 0;
	c->gtid_asked = 1;
	arena_init(&a, 1024);
	if (conn_run(db, c, NULL, internal_sql[INTERNAL_GTID_WAIT], args, 1, &a,
	    &rows, NULL, NULL) == DB_OK && rows.nrows == 1 &&
	    db_cell(&rows, 0, 0) != NULL && strcmp(db_cell(&rows, 0, 0), "0") == 0)
		c->has_gtid = 1;
	arena_free(&a);
	return c->has_gtid;
}

void
db_wait_for_gtid(struct db *db, const char *gtid)
{
	snprintf(db->wait_gtid, sizeof(db->wait_gtid), "%s", gtid ? gtid : "");
	for (int i = 0; i < db->nreplicas; i++)
		db->replicas[i].has_gtid = db->replicas[i].gtid_asked = 0;
}

int
db_waits_for_gtid(const struct db *db)
{
	return db->wait_gtid[0] != '\0';
}

void
db_request_start(struct db *db)
{
	db_wait_for_gtid(db, NULL);
	db->primary.tracked_gtid[0] = '\0';
}

int
db_last_gtid(struct db *db, char *out, size_t n)
{
	struct db_rows rows;
	struct arena a;
	int rc = -1;

	if (db->primary.tracked_gtid[0] != '\0') {
		snprintf(out, n, "%s", db->primary.tracked_gtid);
		return 0;
	}
	arena_init(&a, 1024);
	if (db->primary.mysql != NULL && conn_run(db, &db->primary, NULL,
	    internal_sql[INTERNAL_LAST_GTID], NULL, 0, &a, &rows, NULL,
	    NULL) == DB_OK && rows.nrows == 1 && db_cell(&rows, 0, 0) != NULL &&
	    *db_cell(&rows, 0, 0) != '\0') {
		snprintf(out, n, "%s", db_cell(&rows, 0, 0));
		rc = 0;
	}
	arena_free(&a);
	return rc;
}

struct db *
db_open(const struct config *cfg)
{
	struct db *db = xcalloc(1, sizeof(*db));

	db->cfg = cfg;
	db->primary.address = cfg->db_primary;
	db->nreplicas = cfg->nreplicas;
	for (int i = 0; i < cfg->nreplicas; i++) {
		db->replicas[i].address = cfg->db_replicas[i];
		db->replicas[i].is_replica = 1;
	}
	return db;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	conn_disconnect(db, &db->primary);
	for (int i = 0; i < db->nreplicas; i++)
		conn_disconnect(db, &db->replicas[i]);
	free(db);
}

enum db_status
db_query(struct db *db, struct arena *a, enum db_target target,
    const char *stmt, const struct db_arg *args, size_t nargs,
    struct db_rows *out)
{
	enum db_status st;

	/* Inside a transaction every read sees the transaction's own view. */
	if (db->tx != TX_NONE)
		target = DB_PRIMARY;
	if (target == DB_READ) {
		for (int i = 0; i < db->nreplicas; i++) {
			struct db_conn *c = &db->replicas[i];

			replica_check(db, c, 0);
			if (c->usable && replica_has_gtid(db, c) &&
			    conn_run_retry(db, c, stmt, args, nargs, a, out, NULL,
			    NULL) == DB_OK) {
				metrics_count(METRICS_READ_REPLICA);
				return db->last = DB_OK;
			}
		}
	}
	st = conn_run_retry(db, &db->primary, stmt, args, nargs, a, out, NULL,
	    NULL);
	if (st == DB_OK)
		metrics_count(METRICS_READ_PRIMARY);
	if (st != DB_CONN_LOST)
		return st;
	if (target == DB_READ) {
		/* The primary is down: a stale page beats no page. */
		for (int i = 0; i < db->nreplicas; i++)
			if (conn_run_retry(db, &db->replicas[i], stmt, args, nargs,
			    a, out, NULL, NULL) == DB_OK) {
				metrics_count(METRICS_READ_REPLICA);
				return db->last = DB_OK;
			}
	}
	log_err("%s: no server could run \"%.60s\"", __func__, stmt);
	return db->last = DB_CONN_LOST;
}

int
db_primary_down(const struct db *db)
{
	return db->primary.down;
}

enum db_status
db_exec(struct db *db, const char *stmt, const struct db_arg *args,
    size_t nargs, unsigned long long *affected, unsigned long long *insert_id)
{
	return conn_run_retry(db, &db->primary, stmt, args, nargs, NULL, NULL,
	    affected, insert_id);
}

enum db_status
db_last_status(const struct db *db)
{
	return db->last;
}

int
db_in_transaction(const struct db *db)
{
	return db->tx != TX_NONE;
}

/* Starts a transaction on c, READ COMMITTED if read_committed, else the
 * server's default. The connection stays in autocommit mode, so nothing
 * has to be switched back after the commit or the rollback: one round
 * trip per transaction (two for READ COMMITTED, which SET TRANSACTION
 * must name before the transaction starts). */
static int
conn_start_transaction(struct db_conn *c, int read_committed)
{
	static const char iso[] = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED";
	static const char start[] = "START TRANSACTION";

	if (read_committed && mysql_real_query(c->mysql, iso,
	    sizeof(iso) - 1) != 0)
		return -1;
	return mysql_real_query(c->mysql, start, sizeof(start) - 1);
}

static enum db_status
tx_begin(struct db *db, int read_committed)
{
	struct db_conn *c = &db->primary;

	if (db->tx != TX_NONE) {
		log_err("%s: a transaction is already open", __func__);
		return db->last = DB_ERROR;
	}
	if (conn_connect(db, c) != 0)
		return db->last = DB_CONN_LOST;
	if (conn_start_transaction(c, read_committed) != 0) {
		/* The connection may have gone quietly; try a fresh one. */
		conn_disconnect(db, c);
		c->retry_after = 0;
		if (conn_connect(db, c) != 0 ||
		    conn_start_transaction(c, read_committed) != 0)
			return db->last = DB_CONN_LOST;
	}
	db->tx = TX_OPEN;
	db->tx_error = DB_OK;
	return db->last = DB_OK;
}

enum db_status
db_begin(struct db *db)
{
	return tx_begin(db, 0);
}

enum db_status
db_commit(struct db *db)
{
	struct db_conn *c = &db->primary;
	enum db_status st;

	if (db->tx == TX_NONE) {
		log_err("%s: no transaction is open", __func__);
		return db->last = DB_ERROR;
	}
	if (db->tx == TX_BROKEN)
		return db->last = db->tx_error;
	if (c->mysql == NULL) {
		st = DB_CONN_LOST;
	} else if (mysql_commit(c->mysql) == 0) {
		db->tx = TX_NONE;
		conn_track_gtid(c);
		return db->last = DB_OK;
	} else {
		st = status_of(mysql_errno(c->mysql));
		if (st == DB_OK)
			st = DB_ERROR;
		log_err("%s: %s", __func__, mysql_error(c->mysql));
		if (st == DB_CONN_LOST)
			conn_disconnect(db, c);
	}
	/* Whatever the commit did not make durable is gone: the transaction
	 * stays broken until the caller rolls back. */
	db->tx = TX_BROKEN;
	db->tx_error = st;
	return db->last = st;
}

void
db_rollback(struct db *db)
{
	struct db_conn *c = &db->primary;

	if (db->tx == TX_NONE)
		return;
	db->tx = TX_NONE;
	if (c->mysql == NULL)
		return;
	if (mysql_rollback(c->mysql) != 0) {
		/* Closing the connection rolls back what the server still had. */
		log_err("%s: %s", __func__, mysql_error(c->mysql));
		conn_disconnect(db, c);
		return;
	}
}

/* A short random pause before running a transaction again, so the two
 * sides of a deadlock do not meet again in step. */
static void
tx_backoff(int attempt)
{
	struct timespec ts = { 0, 0 };
	long ms = (long)(attempt * 10) + (long)(random() % 20);

	ts.tv_nsec = ms * 1000000L;
	nanosleep(&ts, NULL);
}

static enum db_status
tx_run(struct db *db, int read_committed, db_tx_fn fn, void *arg)
{
	enum db_status st = DB_ERROR;

	for (int attempt = 1; attempt <= DB_TX_ATTEMPTS; attempt++) {
		if ((st = tx_begin(db, read_committed)) != DB_OK)
			return st;
		st = fn(db, arg);
		if (st == DB_OK)
			st = db_commit(db);
		else if (db->tx == TX_BROKEN)
			st = db->tx_error;
		if (st == DB_OK)
			return st;
		db_rollback(db);
		if (st != DB_DEADLOCK && st != DB_LOCK_TIMEOUT)
			return db->last = st;
		if (attempt < DB_TX_ATTEMPTS) {
			log_info("%s: %s, running the transaction again (attempt %d)",
			    __func__, db_status_name(st), attempt + 1);
			tx_backoff(attempt);
		}
	}
	log_err("%s: gave up after %d attempts: %s", __func__, DB_TX_ATTEMPTS,
	    db_status_name(st));
	return db->last = st;
}

enum db_status
db_tx(struct db *db, db_tx_fn fn, void *arg)
{
	return tx_run(db, 0, fn, arg);
}

enum db_status
db_tx_read_committed(struct db *db, db_tx_fn fn, void *arg)
{
	return tx_run(db, 1, fn, arg);
}

int
db_request_end(struct db *db)
{
	if (db->tx == TX_NONE)
		return 0;
	db_rollback(db);
	return 1;
}

enum db_status
db_exec_sql(struct db *db, const char *sql, char *err, size_t errlen)
{
	MYSQL_STMT *st = NULL;
	enum db_status rc;

	rc = conn_run(db, &db->primary, &st, sql, NULL, 0, NULL, NULL, NULL, NULL);
	snprintf(err, errlen, "%s", rc == DB_OK ? "" : db->primary.error);
	if (st != NULL)
		mysql_stmt_close(st);
	return rc;
}

int
db_health(struct db *db, struct db_server_health *primary,
    struct db_server_health *replicas)
{
	struct arena a;
	struct db_rows rows;

	/* Asked as often as a load balancer likes, so it costs a ping on the
	 * connections there are: a server that refused one is asked again
	 * only after the usual backoff, as a page would. */
	arena_init(&a, 4096);
	memset(primary, 0, sizeof(*primary));
	primary->address = db->primary.address;
	primary->lag = 0;
	primary->reachable = conn_run_retry(db, &db->primary,
	    internal_sql[INTERNAL_PING], NULL, 0, &a, &rows, NULL,
	    NULL) == DB_OK;
	primary->usable = primary->reachable;
	snprintf(primary->error, sizeof(primary->error), "%s",
	    primary->reachable ? "" : db->primary.error[0] ? db->primary.error :
	    "not connected");
	for (int i = 0; i < db->nreplicas; i++) {
		struct db_conn *c = &db->replicas[i];
		struct db_server_health *h = &replicas[i];
		int was_connected = c->mysql != NULL;

		replica_check(db, c, 1);
		/* A stale connection fails once; a new one tells the truth. */
		if (was_connected && c->mysql == NULL)
			replica_check(db, c, 1);
		memset(h, 0, sizeof(*h));
		h->address = c->address;
		h->reachable = c->mysql != NULL;
		h->usable = c->usable;
		h->lag = c->lag;
		snprintf(h->error, sizeof(h->error), "%s", c->error);
	}
	arena_free(&a);
	return db->nreplicas;
}
