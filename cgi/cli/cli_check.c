#include <mysql.h>
#include <stdio.h>

#include "cli.h"
#include "config.h"
#include "db.h"
#include "tmpl.h"

/*
 * `tessera check`: what an operator runs after changing the configuration:
 * reads it, compiles every template, looks at the media folders, and
 * asks every database server.
 * Exit status 0 only when all is well.
 */
int
cli_check(int argc, char **argv)
{
	struct config cfg;
	struct tmpl_set *set;
	struct tmpl_error terr;
	struct db_server_health primary, replicas[CONFIG_MAX_REPLICAS];
	struct db *db;
	char err[256];
	int n, rc = 0;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: tessera check\n");
		return 2;
	}
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
	db_close(db);
	mysql_library_end();
	return rc;
}
