/*
 * Unit tests for the media store's listing (media_list) and for telling
 * a derived file's picture from its name (picture_file_owner), which the
 * sweep of orphan files (picture_sweep.c) relies on: every file of the
 * area is listed with its age, names that are no key are not, and only
 * the names the worker gives derived files have a picture's key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "arena.h"
#include "media_store.h"
#include "picture_files.h"
#include "tap.h"

static char root[] = "/tmp/test_media_files.XXXXXX";

static void
put(const char *area, const char *name, time_t mtime)
{
	char path[512];
	struct utimbuf t = { mtime, mtime };
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", root, area, name);
	if ((f = fopen(path, "w")) != NULL) {
		fputs("x", f);
		fclose(f);
	}
	utime(path, &t);
}

struct seen {
	int n, old_key, young_key, bad_name;
	long old_age;
};

static int
count(const char *key, long age, void *arg)
{
	struct seen *s = arg;

	s->n++;
	if (strcmp(key, "0123456789abcdef0123456789abcdef") == 0) {
		s->old_key = 1;
		s->old_age = age;
	} else if (strcmp(key, "fedcba9876543210fedcba9876543210") == 0)
		s->young_key = 1;
	else
		s->bad_name = 1;
	return 0;
}

static int
stop_at_first(const char *key, long age, void *arg)
{
	(void)key;
	(void)age;
	++*(int *)arg;
	return 7;
}

static void
test_list(void)
{
	struct media_store ms;
	struct seen s = { 0 };
	char sub[512];
	int calls = 0;

	media_store_local(&ms, root);
	put("originals", "0123456789abcdef0123456789abcdef", time(NULL) - 7200);
	put("originals", "fedcba9876543210fedcba9876543210", time(NULL));
	put("originals", "Not A Key", time(NULL));
	put("originals", ".hidden", time(NULL));
	snprintf(sub, sizeof(sub), "%s/originals/somedir", root);
	mkdir(sub, 0700);
	is_int(media_list(&ms, MEDIA_ORIGINALS, count, &s), 0, "media_list: 0");
	is_int(s.n, 2, "it lists the two files with a key's name");
	ok(s.old_key && s.young_key && !s.bad_name,
	    "names that are no key, and folders, are not listed");
	ok(s.old_age >= 7199 && s.old_age < 7300, "an age in seconds since "
	    "the file was written");
	is_int(media_list(&ms, MEDIA_ORIGINALS, stop_at_first, &calls), 7,
	    "a callback's non-zero stops the listing and is returned");
	is_int(calls, 1, "... after one call");
	is_int(media_list(&ms, MEDIA__AREA_MAX, count, &s), -1, "a bad area");
	media_store_local(&ms, "/nonexistent/media");
	is_int(media_list(&ms, MEDIA_PUBLIC, count, &s), -1,
	    "a folder that cannot be read: -1");
}

static void
test_owner(void)
{
	struct arena a;
	char key[40];

	arena_init(&a, 0);
	for (int s = 0; s < PICTURE__SIZE_MAX; s++)
		for (int e = 0; e < PICTURE__ENC_MAX; e++) {
			const char *name = picture_file_key(&a, "ab12cd",
			    (enum picture_size)s, (enum picture_encoding)e);

			ok(picture_file_owner(name, key, sizeof(key)) == 1 &&
			    strcmp(key, "ab12cd") == 0, name);
		}
	is_int(picture_file_owner("ab12cd-800.webp", key, sizeof(key)), 0,
	    "a size the worker does not make");
	is_int(picture_file_owner("ab12cd-400.png", key, sizeof(key)), 0,
	    "an encoding it does not make");
	is_int(picture_file_owner("ab12cd", key, sizeof(key)), 0,
	    "an original's name");
	is_int(picture_file_owner("-400.webp", key, sizeof(key)), 0,
	    "no key before the size");
	is_int(picture_file_owner("a-b-400.jpg", key, sizeof(key)), 1,
	    "a key with a dash: up to the last one");
	is_str(key, "a-b", "... is the key");
	is_int(picture_file_owner("0123456789abcdef0123456789abcdef0123456789-400"
	    ".jpg", key, sizeof(key)), 0, "a key longer than the room for it");
	arena_free(&a);
}

int
main(void)
{
	char path[512];

	if (mkdtemp(root) == NULL) {
		printf("Bail out! no scratch folder\n");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/originals", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/public", root);
	mkdir(path, 0700);
	test_list();
	test_owner();
	snprintf(path, sizeof(path), "rm -rf '%s'", root);
	ok(system(path) == 0, "the scratch folder is removed");
	return done_testing();
}
