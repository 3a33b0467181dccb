#include "picture_sweep.h"

#include <string.h>

#include "arena.h"
#include "db.h"
#include "log.h"
#include "media_store.h"
#include "picture_files.h"
#include "util.h"

enum sweep_stmt { SW_KEY_LIVE, SW__MAX };

static const char *const sweep_stmts[SW__MAX] = {
	/* SW_KEY_LIVE: the unique key pictures_storage_key */
	"SELECT 1 FROM pictures WHERE storage_key = ?",
};

struct sweep {
	struct db *db;
	const struct media_store *ms;
	enum media_area area;
	long min_age;
	int dry_run;
	struct picture_sweep *out;
};

/* 1 when a picture row has key, 0 when none, -1. */
static int
key_live(struct db *db, const char *key)
{
	struct db_arg args[] = { DB_STR(key) };
	struct db_rows rows;
	struct arena a;
	int rc;

	arena_init(&a, 256);
	rc = db_query(db, &a, DB_PRIMARY, sweep_stmts[SW_KEY_LIVE], args,
	    ARRAY_LEN(args), &rows) == DB_OK ? rows.nrows > 0 : -1;
	arena_free(&a);
	return rc;
}

/* One file of the listing: kept, or removed as an orphan. */
static int
sweep_file(const char *name, long age, void *arg)
{
	struct sweep *s = arg;
	char key[MEDIA_KEY_MAX + 1];
	int live;

	if (s->area == MEDIA_ORIGINALS)
		memcpy(key, name, strlen(name) + 1);
	else if (!picture_file_owner(name, key, sizeof(key)))
		return 0;       /* not a derived file: not ours to judge */
	if ((live = key_live(s->db, key)) < 0)
		return -1;
	if (live) {
		s->out->kept++;
		return 0;
	}
	if (age < s->min_age) {
		s->out->young++;
		return 0;
	}
	if (!s->dry_run && media_remove(s->ms, s->area, name) != 0)
		return -1;
	if (s->area == MEDIA_ORIGINALS)
		s->out->originals++;
	else
		s->out->derived++;
	log_info("%s %s/%s, of no picture, %ld s old", s->dry_run ? "would remove" :
	    "removed", s->area == MEDIA_ORIGINALS ? "originals" : "public", name,
	    age);
	return 0;
}

int
picture_sweep(struct db *db, const struct media_store *ms, long min_age,
    int dry_run, struct picture_sweep *out)
{
	struct sweep s = { db, ms, MEDIA_ORIGINALS, min_age, dry_run, out };

	memset(out, 0, sizeof(*out));
	if (media_list(ms, MEDIA_ORIGINALS, sweep_file, &s) != 0)
		return -1;
	s.area = MEDIA_PUBLIC;
	return media_list(ms, MEDIA_PUBLIC, sweep_file, &s) != 0 ? -1 : 0;
}
