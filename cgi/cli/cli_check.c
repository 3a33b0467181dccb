#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cli.h"
#include "config.h"
#include "db.h"
#include "tmpl.h"

/*
 * `tessera check`: what an operator runs after changing the configuration:
 * reads it, compiles every template, looks at the media folders, and
 * asks every database server.
 * Exit status 0 only when all is well.
 *
 * `tessera check-config` checks what a production site needs besides:
 * every setting a program refuses to run without, the account's grants
 * against sql/grants.sql, and the site's certificate.
 */

/* Settings a production site cannot go without, and why. */
static const struct {
	const char *name, *why;
} required[] = {
	{ "TESSERA_BASE_URL", "the site's address, https://HOST; the "
	    "programs refuse to start without it" },
	{ "TESSERA_SECRET_KEY", "keys the CSRF tokens, 32 characters or "
	    "more, the same in every program" },
	{ "TESSERA_DB_PASSWORD", "the password of TESSERA_DB_USER" },
	{ "TESSERA_MEDIA_DIR", "the pictures' folder; uploads answer 500 "
	    "without it" },
	{ "TESSERA_TLS_CERT", "the certificate nginx serves, whose expiry "
	    "is checked" },
};

#define CERT_WARN_DAYS 14

static int
check_required(void)
{
	int rc = 0;

	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		const char *v = getenv(required[i].name);

		if (v != NULL && *v != '\0')
			continue;
		printf("missing setting: %s (%s)\n", required[i].name,
		    required[i].why);
		rc = 1;
	}
	return rc;
}

int
cli_check(int argc, char **argv)
{
	struct config cfg;
	struct tmpl_set *set;
	struct tmpl_error terr;
	struct db_server_health primary, replicas[CONFIG_MAX_REPLICAS];
	struct db *db;
	char err[256];
	struct arena ar;
	int n, rc = 0, strict;

	if (argc != 1 && strcmp(argv[0], "check-config") == 0)
		return cli_script(argc, argv);
	if (argc != 1) {
		fprintf(stderr, "usage: tessera %s\n", argv[0]);
		return 2;
	}
	strict = strcmp(argv[0], "check-config") == 0;
	/* Without a program's settings: every program's, from /etc/tessera,
	 * by the script (which calls back with them). */
	if (strict && getenv("TESSERA_DB_USER") == NULL)
		return cli_script(argc, argv);
	if (strict && check_required() != 0)
		rc = 1;
	if (config_load(&cfg, err, sizeof(err)) != 0) {
		printf("configuration: %s\n", err);
		return 1;
	}
	printf("configuration: ok (database %s as %s)\n", cfg.db_name,
	    cfg.db_user);

	set = tmpl_set_new();
	if (tmpl_set_load_dir(set, cfg.templates_dir, &terr) != 0) {
		printf("templates: %s:%d: %s\n", terr.file, terr.line, terr.reason);
		rc = 1;
	} else {
		printf("templates: ok (%s)\n", cfg.templates_dir);
	}
	tmpl_set_free(set);

	/* Only the programs that take uploads need it; without it they
	 * answer uploads 500, so say so, but it is no failure here. */
	if (cfg.media_dir == NULL) {
		printf("media: TESSERA_MEDIA_DIR is not set (uploads answer "
		    "500)\n");
	} else if (config_check_media(cfg.media_dir, err, sizeof(err)) != 0) {
		printf("media: %s\n", err);
		rc = 1;
	} else {
		printf("media: ok (%s)\n", cfg.media_dir);
	}

	db = db_open(&cfg);
	n = db_health(db, &primary, replicas);
	printf("primary %s: %s%s\n", primary.address,
	    primary.reachable ? "ok" : "down: ", primary.error);
	if (!primary.reachable)
		rc = 1;
	for (int i = 0; i < n; i++) {
		printf("replica %s: %s", replicas[i].address,
		    replicas[i].usable ? "ok" : "unusable: ");
		if (replicas[i].usable)
			printf(" (%ld s behind)\n", replicas[i].lag);
		else
			printf("%s\n", replicas[i].reachable ? replicas[i].error :
			    "down");
	}
	if (strict && primary.reachable) {
		arena_init(&ar, 0);
		if (cli_check_grants(db, &ar, cfg.sql_dir, cfg.db_user) != 0)
			rc = 1;
		arena_free(&ar);
	}
	db_close(db);
	mysql_library_end();
	if (strict && getenv("TESSERA_TLS_CERT") != NULL &&
	    *getenv("TESSERA_TLS_CERT") != '\0' &&
	    cli_check_cert(getenv("TESSERA_TLS_CERT"), CERT_WARN_DAYS) != 0)
		rc = 1;
	return rc;
}
