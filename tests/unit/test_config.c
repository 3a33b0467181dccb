/*
 * Unit tests for config.c's TESSERA_MEDIA_DIR: unset is NULL (uploads
 * then answer 500), a good root is kept as given, and a root the spool's
 * paths could not be built under safely stops config_load.
 */
#include <stdlib.h>
#include <string.h>

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
	return done_testing();
}
