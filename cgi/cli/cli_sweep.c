#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "db.h"
#include "media_store.h"
#include "picture_sweep.h"

/*
 * `tessera sweep-media [--dry-run] [--min-age SECONDS]`: removes the
 * media store's files that no picture names (picture_sweep.h), older
 * than an hour unless --min-age says otherwise, and says how many. Safe
 * to run from cron at any time, the site up.
 */

int
cli_sweep_media(int argc, char **argv)
{
	struct picture_sweep sw;
	struct media_store ms;
	struct config cfg;
	long min_age = PICTURE_SWEEP_MIN_AGE;
	int dry_run = 0, rc;
	struct db *db;
	char err[256];

	for (int i = 1; i < argc; i++) {
		char *end;

		if (strcmp(argv[i], "--dry-run") == 0)
			dry_run = 1;
		else if (strcmp(argv[i], "--min-age") == 0 && i + 1 < argc &&
		    (min_age = strtol(argv[i + 1], &end, 10)) >= 0 &&
		    *argv[i + 1] != '\0' && *end == '\0')
			i++;
		else {
			fprintf(stderr, "usage: tessera sweep-media [--dry-run] "
			    "[--min-age SECONDS]\n");
			return 2;
		}
	}
	if (config_load(&cfg, err, sizeof(err)) != 0 ||
	    config_check_media(cfg.media_dir, err, sizeof(err)) != 0) {
		fprintf(stderr, "tessera sweep-media: %s\n", err);
		return 1;
	}
	if (media_store_local(&ms, cfg.media_dir) != 0) {
		fprintf(stderr, "tessera sweep-media: no TESSERA_MEDIA_DIR\n");
		return 1;
	}
	db = db_open(&cfg);
	rc = picture_sweep(db, &ms, min_age, dry_run, &sw);
	printf("%s %lld original(s) and %lld derived file(s) of no picture; "
	    "kept %lld file(s) of pictures and %lld younger than %ld s\n",
	    dry_run ? "would remove" : "removed", sw.originals, sw.derived,
	    sw.kept, sw.young, min_age);
	if (rc != 0)
		fprintf(stderr, "tessera sweep-media: stopped: the database or "
		    "the media folder failed (see the log)\n");
	db_close(db);
	mysql_library_end();
	return rc != 0;
}
