#include "media_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "log.h"

/* The local store's folder of each area, under the media root. */
static const char *const local_dirs[MEDIA__AREA_MAX] = {
	[MEDIA_ORIGINALS] = "originals",
	[MEDIA_PUBLIC] = "public",
};

static int
local_path(const struct media_store *ms, enum media_area area,
    const char *key, char *out, size_t n)
{
	int len = snprintf(out, n, "%s/%s/%s", ms->root, local_dirs[area], key);

	return len < 0 || (size_t)len >= n ? -1 : 0;
}

static int
local_keep(const struct media_store *ms, enum media_area area,
    const char *key, const char *src)
{
	char dst[4096];

	if (local_path(ms, area, key, dst, sizeof(dst)) != 0)
		return -1;
	if (rename(src, dst) != 0) {
		log_err("%s: %s -> %s: %s", __func__, src, dst, strerror(errno));
		return -1;
	}
	return 0;
}

static int
local_remove(const struct media_store *ms, enum media_area area,
    const char *key)
{
	char path[4096];

	if (local_path(ms, area, key, path, sizeof(path)) != 0)
		return -1;
	if (unlink(path) != 0 && errno != ENOENT) {
		log_err("%s: %s: %s", __func__, path, strerror(errno));
		return -1;
	}
	return 0;
}

static int
local_internal_uri(const struct media_store *ms, const char *key, char *out,
    size_t n)
{
	int len = snprintf(out, n, MEDIA_ORIGINALS_URI "%s", key);

	(void)ms;
	return len < 0 || (size_t)len >= n ? -1 : 0;
}

static int
local_list(const struct media_store *ms, enum media_area area,
    media_list_fn fn, void *arg)
{
	char dir[4096];
	struct dirent *de;
	struct stat st;
	time_t now = time(NULL);
	DIR *d;
	int rc = 0;

	if (snprintf(dir, sizeof(dir), "%s/%s", ms->root, local_dirs[area]) >=
	    (int)sizeof(dir) || (d = opendir(dir)) == NULL) {
		log_err("%s: %s: %s", __func__, dir, strerror(errno));
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (!media_key_valid(de->d_name) ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		rc = fn(de->d_name, (long)(now - st.st_mtime), arg);
	}
	closedir(d);
	return rc;
}

static const struct media_store_ops local_ops = {
	.keep = local_keep,
	.path = local_path,
	.remove = local_remove,
	.internal_uri = local_internal_uri,
	.list = local_list,
};

int
media_store_local(struct media_store *ms, const char *media_dir)
{
	ms->ops = &local_ops;
	ms->root = media_dir;
	return media_dir != NULL ? 0 : -1;
}

int
media_key_valid(const char *key)
{
	size_t n = 0;

	if (key == NULL || key[0] == '.' || key[0] == '\0')
		return 0;
	for (; key[n] != '\0'; n++)
		if (n == MEDIA_KEY_MAX || !((key[n] >= 'a' && key[n] <= 'z') ||
		    (key[n] >= '0' && key[n] <= '9') || key[n] == '.' ||
		    key[n] == '-'))
			return 0;
	return 1;
}

void
media_new_key(char out[MEDIA_NEW_KEY_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[MEDIA_NEW_KEY_LEN / 2];

	crypto_random(raw, sizeof(raw));
	for (size_t i = 0; i < sizeof(raw); i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 15];
	}
	out[MEDIA_NEW_KEY_LEN] = '\0';
}

/* Whether the call may go on: a store, a known area and a valid key. */
static int
media_check(const struct media_store *ms, enum media_area area,
    const char *key, const char *op)
{
	if (ms == NULL || ms->ops == NULL || (int)area < 0 ||
	    area >= MEDIA__AREA_MAX || !media_key_valid(key)) {
		log_err("media_%s: no store, or a bad area or key", op);
		return -1;
	}
	return 0;
}

int
media_keep(const struct media_store *ms, enum media_area area,
    const char *key, const char *src)
{
	if (media_check(ms, area, key, "keep") != 0)
		return -1;
	return ms->ops->keep(ms, area, key, src);
}

int
media_path(const struct media_store *ms, enum media_area area,
    const char *key, char *out, size_t n)
{
	if (media_check(ms, area, key, "path") != 0)
		return -1;
	return ms->ops->path(ms, area, key, out, n);
}

int
media_remove(const struct media_store *ms, enum media_area area,
    const char *key)
{
	if (media_check(ms, area, key, "remove") != 0)
		return -1;
	return ms->ops->remove(ms, area, key);
}

int
media_internal_uri(const struct media_store *ms, const char *key, char *out,
    size_t n)
{
	if (media_check(ms, MEDIA_ORIGINALS, key, "internal_uri") != 0)
		return -1;
	return ms->ops->internal_uri(ms, key, out, n);
}

int
media_list(const struct media_store *ms, enum media_area area,
    media_list_fn fn, void *arg)
{
	if (ms == NULL || ms->ops == NULL || (int)area < 0 ||
	    area >= MEDIA__AREA_MAX) {
		log_err("media_list: no store, or a bad area");
		return -1;
	}
	return ms->ops->list(ms, area, fn, arg);
}
