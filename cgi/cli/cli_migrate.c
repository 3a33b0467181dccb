#include <dirent.h>
#include <errno.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "cli.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "util.h"

/*
 * `tessera migrate`: applies sql/NNN_name.sql files in number order, each
 * once, recording them in schema_migrations. A named lock keeps two
 * migrations from running at once. MariaDB commits DDL implicitly, so a
 * migration that fails half-way is reported with the statement that
 * failed; migrations are written so they can be completed by hand.
 *
 * It runs while the site serves (README.md, "Online migrations"). An
 * ALTER TABLE needs the table's metadata lock for an instant, but while it
 * waits for a long transaction to end, every query on that table waits
 * behind it: the site stalls. So each statement waits for its locks at
 * most TESSERA_MIGRATE_LOCK_WAIT seconds (default 1), then gives up, lets
 * the queries through, and tries again, up to MIGRATE_TRIES times.
 */

enum mig_stmt { MIG_CREATE, MIG_LOCK, MIG_UNLOCK, MIG_APPLIED, MIG_RECORD,
	MIG_LOCK_WAIT, MIG__MAX };
static const char *const mig_stmts[MIG__MAX] = {
	/* MIG_CREATE */
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INT UNSIGNED NOT NULL PRIMARY KEY,"
	" name VARCHAR(255) NOT NULL,"
	" applied_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP()"
	") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
	/* MIG_LOCK */ "SELECT GET_LOCK('tessera_migrate', 60)",
	/* MIG_UNLOCK */ "SELECT RELEASE_LOCK('tessera_migrate')",
	/* MIG_APPLIED */ "SELECT version FROM schema_migrations",
	/* MIG_RECORD */
	"INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
	/* MIG_LOCK_WAIT */ "SET SESSION lock_wait_timeout = ?",
};

#define MIGRATE_TRIES 60
#define MIGRATE_LOCK_WAIT_MAX 60

struct migration {
	unsigned version;
	char *name;
};

static int
is_migration_name(const char *name, unsigned *version)
{
	const char *p = name;
	size_t len = strlen(name);

	if (len < 6 || strcmp(name + len - 4, ".sql") != 0)
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == name || *p != '_')
		return 0;
	*version = (unsigned)strtoul(name, NULL, 10);
	return 1;
}

static int
cmp_migration(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

/* Lists the migration files of dir in version order. Returns the count,
 * or -1. */
static int
list_migrations(struct arena *ar, const char *dir, struct migration **out)
{
	struct migration *list = NULL;
	struct dirent *de;
	size_t n = 0, cap = 0;
	unsigned version;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "tessera migrate: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (!is_migration_name(de->d_name, &version))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			list = xrealloc(list, cap * sizeof(*list));
		}
		list[n].version = version;
		list[n].name = arena_strdup(ar, de->d_name);
		n++;
	}
	closedir(d);
	qsort(list, n, sizeof(*list), cmp_migration);
	for (size_t i = 1; i < n; i++)
		if (list[i].version == list[i - 1].version) {
			fprintf(stderr, "tessera migrate: %s and %s share a number\n",
			    list[i - 1].name, list[i].name);
			free(list);
			return -1;
		}
	*out = arena_alloc(ar, (n ? n : 1) * sizeof(**out));
	if (n)
		memcpy(*out, list, n * sizeof(*list));
	free(list);
	return (int)n;
}

static int
is_applied(const struct db_rows *applied, unsigned version)
{
	for (size_t i = 0; i < applied->nrows; i++)
		if (strtoul(db_cell(applied, i, 0), NULL, 10) == version)
			return 1;
	return 0;
}

static int
apply(struct db *db, struct arena *ar, const char *dir,
    const struct migration *m)
{
	char *path = arena_printf(ar, "%s/%s", dir, m->name);
	char *sql = cli_read_file(ar, path);
	char err[256];
	char **stmts;

	if (sql == NULL) {
		fprintf(stderr, "tessera migrate: %s: %s\n", path, strerror(errno));
		return -1;
	}
	stmts = cli_sql_split(ar, sql);
	for (size_t i = 0; stmts[i] != NULL; i++) {
		enum db_status st;
		int try = 1;

		/* A statement that timed out on a lock changed nothing. */
		while ((st = db_exec_sql(db, stmts[i], err, sizeof(err))) ==
		    DB_LOCK_TIMEOUT && try < MIGRATE_TRIES) {
			fprintf(stderr, "tessera migrate: %s, statement %zu: a "
			    "lock is held (a long transaction?): letting the "
			    "site's queries through, try %d of %d\n", m->name,
			    i + 1, try + 1, MIGRATE_TRIES);
			sleep(1);
			try++;
		}
		if (st != DB_OK) {
			fprintf(stderr, "tessera migrate: %s, statement %zu: %s\n",
			    m->name, i + 1, err);
			return -1;
		}
	}
	struct db_arg args[] = { DB_INT(m->version), DB_STR(m->name) };

	if (db_exec(db, mig_stmts[MIG_RECORD], args, ARRAY_LEN(args), NULL,
	    NULL) != 0)
		return -1;
	printf("applied %s\n", m->name);
	return 0;
}

int
cli_migrate(int argc, char **argv)
{
	struct config cfg;
	struct arena ar;
	struct db *db = NULL;
	struct db_rows rows;
	struct migration *list;
	char err[256];
	int n, rc = 1, locked = 0, applied = 0, lock_wait;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: tessera migrate\n");
		return 2;
	}
	if (config_load(&cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "tessera migrate: %s\n", err);
		return 1;
	}
	arena_init(&ar, 0);
	if ((n = list_migrations(&ar, cfg.sql_dir, &list)) < 0)
		goto out;
	lock_wait = atoi(getenv("TESSERA_MIGRATE_LOCK_WAIT") ?
	    getenv("TESSERA_MIGRATE_LOCK_WAIT") : "1");
	if (lock_wait < 1 || lock_wait > MIGRATE_LOCK_WAIT_MAX) {
		fprintf(stderr, "tessera migrate: TESSERA_MIGRATE_LOCK_WAIT: "
		    "1 to %d seconds\n", MIGRATE_LOCK_WAIT_MAX);
		goto out;
	}
	db = db_open(&cfg);
	if (db_exec(db, mig_stmts[MIG_CREATE], NULL, 0, NULL, NULL) != 0) {
		fprintf(stderr, "tessera migrate: cannot reach the primary at %s\n",
		    cfg.db_primary);
		goto out;
	}
	struct db_arg wait_arg = DB_INT(lock_wait);

	if (db_exec(db, mig_stmts[MIG_LOCK_WAIT], &wait_arg, 1, NULL,
	    NULL) != 0)
		goto out;
	if (db_query(db, &ar, DB_PRIMARY, mig_stmts[MIG_LOCK], NULL, 0,
	    &rows) != 0 ||
	    rows.nrows != 1 || db_cell(&rows, 0, 0) == NULL ||
	    strcmp(db_cell(&rows, 0, 0), "1") != 0) {
		fprintf(stderr, "tessera migrate: another migration is running\n");
		goto out;
	}
	locked = 1;
	if (db_query(db, &ar, DB_PRIMARY, mig_stmts[MIG_APPLIED], NULL, 0,
	    &rows) != 0)
		goto out;
	for (int i = 0; i < n; i++) {
		if (is_applied(&rows, list[i].version))
			continue;
		if (apply(db, &ar, cfg.sql_dir, &list[i]) != 0)
			goto out;
		applied++;
	}
	if (applied == 0)
		printf("schema is up to date (%d migrations)\n", n);
	rc = 0;
out:
	if (locked)
		db_query(db, &ar, DB_PRIMARY, mig_stmts[MIG_UNLOCK], NULL, 0,
		    &rows);
	db_close(db);
	arena_free(&ar);
	mysql_library_end();
	return rc;
}
