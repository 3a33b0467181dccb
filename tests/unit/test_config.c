/*
 * Unit tests for config.c's TESSERA_MEDIA_DIR: unset is NULL (uploads
 * then answer 500), a good root is kept as given, and a root the spool's
 * paths could not be built under safely stops config_load;
 * config_check_media (tessera check) wants its three folders, writable,
 * tmp/ and originals/ on one filesystem.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "tap.h"
#include "util.h"

static int
load(struct config *cfg)
{
	char err[256];

	return config_load(cfg, err, sizeof(err));
}

static int
load_with_media(const char *dir, struct config *cfg)
{
	setenv("TESSERA_MEDIA_DIR", dir, 1);
	return load(cfg);
}

static void
accepted(const char *dir)
{
	struct config cfg;

	is_int(load_with_media(dir, &cfg), 0, "%s is a media root", dir);
	is_str(cfg.media_dir, dir, "kept as given");
}

static void
refused(const char *dir)
{
	struct config cfg;

	is_int(load_with_media(dir, &cfg), -1, "%s is refused", dir);
}

static void
test_check_media(void)
{
	char root[] = "/tmp/tessera-config-XXXXXX", path[300], shm[300];
	char err[256];

	if (!ok(mkdtemp(root) != NULL, "a scratch media root"))
		return;
	is_int(config_check_media(root, err, sizeof(err)), -1,
	    "no folders: refused (%s)", err);
	snprintf(path, sizeof(path), "%s/" CONFIG_MEDIA_TMP, root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/" CONFIG_MEDIA_ORIGINALS, root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/" CONFIG_MEDIA_PUBLIC, root);
	FILE *f = fopen(path, "w");
	if (f != NULL)
		fclose(f);
	is_int(config_check_media(root, err, sizeof(err)), -1,
	    "public/ a file: refused (%s)", err);
	unlink(path);
	mkdir(path, 0750);
	is_int(config_check_media(root, err, sizeof(err)), 0,
	    "tmp/, originals/ and public/: fine");
	snprintf(shm, sizeof(shm), "/dev/shm/tessera-config-%d", (int)getpid());
	snprintf(path, sizeof(path), "%s/" CONFIG_MEDIA_ORIGINALS, root);
	if (mkdir(shm, 0700) == 0 && rmdir(path) == 0 &&
	    symlink(shm, path) == 0) {
		is_int(config_check_media(root, err, sizeof(err)), -1,
		    "originals/ on another filesystem: refused (%s)", err);
		unlink(path);
		mkdir(path, 0700);
	}
	rmdir(shm);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/" CONFIG_MEDIA_TMP, root);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/" CONFIG_MEDIA_PUBLIC, root);
	rmdir(path);
	rmdir(root);
}

int
main(void)
{
	static const char *const good[] = {
		"/var/lib/tessera/media", "/m", "/srv/media.d", "/a/b-c_d/e",
	};
	static const char *const bad[] = {
		"media", "./media", "/var/lib/tessera/media/", "/",
		"/var/../etc", "/var/./media", "/var//media", "/var/media/.",
		"/var/media/..", "~/media",
	};
	struct config cfg;
	char longest[256];

	unsetenv("TESSERA_MEDIA_DIR");
	is_int(load(&cfg), 0, "TESSERA_MEDIA_DIR unset loads");
	ok(cfg.media_dir == NULL, "and media_dir is NULL");
	is_int(load_with_media("", &cfg), 0, "set empty loads");
	ok(cfg.media_dir == NULL, "and is unset too");
	for (size_t i = 0; i < ARRAY_LEN(good); i++)
		accepted(good[i]);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		refused(bad[i]);
	memset(longest, 'm', sizeof(longest));
	longest[0] = '/';
	longest[200] = '\0';
	is_int(load_with_media(longest, &cfg), 0, "a 200-byte root loads");
	longest[200] = 'm';
	longest[201] = '\0';
	is_int(load_with_media(longest, &cfg), -1, "a 201-byte root is refused");
	test_check_media();
	return done_testing();
}
