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

int
cli_create_admin(int argc, char **argv)
{
	struct config cfg;
	struct arena a;
	struct db *db;
	struct db_rows rows;
	char err[256], email[255];
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
	if (db_begin(db) != 0) {
		fprintf(stderr, "tessera create-admin: cannot reach the primary "
		    "at %s\n", cfg.db_primary);
		goto out;
	}
	struct db_arg find[] = { DB_STR(email) };

	if (db_query(db, &a, DB_PRIMARY, admin_cli_stmts[ACLI_FIND], find, 1,
	    &rows) != 0)
		goto fail;
	if (rows.nrows == 0) {
		fprintf(stderr, "tessera create-admin: no account with the address "
		    "%s; register it first at /register\n", email);
		goto fail;
	}
	long long id = strtoll(db_cell(&rows, 0, 0), NULL, 10);
	struct db_arg idarg[] = { DB_INT(id) };

	if (strcmp(db_cell(&rows, 0, 1), "admin") == 0) {
		printf("%s is already an admin\n", email);
		db_rollback(db);
		rc = 0;
		goto out;
	}
	if (db_exec(db, admin_cli_stmts[ACLI_PROMOTE], idarg, 1, NULL, NULL) != 0 ||
	    audit_log(db, id, "role.admin", email, "command line",
	    "granted by tessera create-admin") != 0)
		goto fail;
	if (db_commit(db) != 0)
		goto out;
	printf("%s is now an admin\n", email);
	rc = 0;
	goto out;
fail:
	db_rollback(db);
out:
	db_close(db);
	arena_free(&a);
	mysql_library_end();
	return rc;
}
