#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

#include "arena.h"
#include "audit.h"
#include "cli.h"
#include "config.h"
#include "db.h"
#include "util.h"

/*
 * `tessera create-admin EMAIL`: makes an existing account a site admin.
 * The first admin has no one to grant it the role, so it comes from the
 * command line, run by whoever holds the server. Admins then grant the
 * organizer role from /admin/users.
 */

enum admin_cli_stmt { ACLI_FIND, ACLI_PROMOTE, ACLI__MAX };

static const char *const admin_cli_stmts[ACLI__MAX] = {
	/* ACLI_FIND */
	"SELECT id, role FROM users WHERE email = ? AND deleted_at IS NULL "
	"FOR UPDATE",
	/* ACLI_PROMOTE */
	"UPDATE users SET role = 'admin' WHERE id = ?",
};

enum promotion { PROMOTED, ALREADY_ADMIN, NO_ACCOUNT };

struct promote {
	const char *email;
	struct arena *arena;
	enum promotion outcome;
};

/* Makes the account of p->email an admin, in db_tx's transaction. */
static enum db_status
promote(struct db *db, void *arg)
{
	struct promote *p = arg;
	struct db_arg find[] = { DB_STR(p->email) };
	struct db_rows rows;
	enum db_status st;
	long long id;

	if ((st = db_query(db, p->arena, DB_PRIMARY, admin_cli_stmts[ACLI_FIND],
	    find, 1, &rows)) != DB_OK)
		return st;
	if (rows.nrows == 0) {
		p->outcome = NO_ACCOUNT;
		return DB_ABORTED;
	}
	if (strcmp(db_cell(&rows, 0, 1), "admin") == 0) {
		p->outcome = ALREADY_ADMIN;
		return DB_ABORTED;
	}
	id = strtoll(db_cell(&rows, 0, 0), NULL, 10);
	struct db_arg idarg[] = { DB_INT(id) };

	if ((st = db_exec(db, admin_cli_stmts[ACLI_PROMOTE], idarg, 1, NULL,
	    NULL)) != DB_OK)
		return st;
	if (audit_log(db, id, "role.admin", p->email, "command line",
	    "granted by tessera create-admin") != 0)
		return db_last_status(db);
	p->outcome = PROMOTED;
	return DB_OK;
}

int
cli_create_admin(int argc, char **argv)
{
	struct config cfg;
	struct arena a;
	struct db *db;
	char err[256], email[255];
	struct promote p = { email, &a, NO_ACCOUNT };
	enum db_status st;
	int rc = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: tessera create-admin EMAIL\n");
		return 2;
	}
	if (strlen(argv[1]) >= sizeof(email)) {
		fprintf(stderr, "tessera create-admin: address too long\n");
		return 2;
	}
	for (size_t i = 0; argv[1][i] != '\0'; i++)
		email[i] = (char)tolower((unsigned char)argv[1][i]);
	email[strlen(argv[1])] = '\0';
	if (config_load(&cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "tessera create-admin: %s\n", err);
		return 1;
	}
	arena_init(&a, 0);
	db = db_open(&cfg);
	st = db_tx(db, promote, &p);
	if (st == DB_OK) {
		printf("%s is now an admin\n", email);
		rc = 0;
	} else if (st == DB_ABORTED && p.outcome == ALREADY_ADMIN) {
		printf("%s is already an admin\n", email);
		rc = 0;
	} else if (st == DB_ABORTED) {
		fprintf(stderr, "tessera create-admin: no account with the address "
		    "%s; register it first at /register\n", email);
	} else if (st == DB_CONN_LOST) {
		fprintf(stderr, "tessera create-admin: cannot reach the primary "
		    "at %s\n", cfg.db_primary);
	} else {
		fprintf(stderr, "tessera create-admin: the change was not made: "
		    "%s\n", db_status_name(st));
	}
	db_close(db);
	arena_free(&a);
	mysql_library_end();
	return rc;
}
