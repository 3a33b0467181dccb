#include "picture_derive.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "media_store.h"
#include "picture_files.h"
#include "picture_image.h"
#include "pictures.h"

/* A new empty file in the spool folder (arena-owned name), where the
 * derived files are written before they are kept, so nginx never serves
 * one being written; mode 0640, since nginx reads them through the group
 * (the savers truncate the file and keep its mode). NULL when it cannot. */
static char *
spool_file(struct arena *a, const struct config *cfg)
{
	char *tmp = arena_printf(a, "%s/tmp/derive-XXXXXX", cfg->media_dir);
	int fd;

	if ((fd = mkstemp(tmp)) == -1)
		return NULL;
	fchmod(fd, 0640);
	close(fd);
	return tmp;
}

/* Makes both encodings of one size and keeps them. */
static int
derive_size(struct arena *a, const struct config *cfg,
    const struct media_store *ms, const char *src, const char *key,
    enum picture_size size, int *w, int *h, char *err, size_t errlen)
{
	const char *tmp[PICTURE__ENC_MAX] = { NULL, NULL };
	int rc = -1, e;

	for (e = 0; e < PICTURE__ENC_MAX; e++)
		if ((tmp[e] = spool_file(a, cfg)) == NULL) {
			snprintf(err, errlen, "cannot create a file in %s/tmp",
			    cfg->media_dir);
			goto out;
		}
	if (picture_image_derive(src, picture_sides[size], tmp, w, h, err,
	    errlen) != 0)
		goto out;
	for (e = 0; e < PICTURE__ENC_MAX; e++)
		if (media_keep(ms, MEDIA_PUBLIC, picture_file_key(a, key, size,
		    (enum picture_encoding)e), tmp[e]) != 0) {
			snprintf(err, errlen, "cannot store a derived file");
			goto out;
		}
	rc = 0;
out:
	for (e = 0; e < PICTURE__ENC_MAX; e++)
		if (rc != 0 && tmp[e] != NULL)
			unlink(tmp[e]);
	return rc;
}

int
picture_derive(struct db *db, const struct config *cfg, struct arena *a,
    struct json_object *payload, long long attempts, char *err,
    size_t errlen)
{
	struct json_object *id;
	struct media_store ms;
	enum picture_status status;
	const char *key;
	char src[4096];
	int w[PICTURE__SIZE_MAX], h[PICTURE__SIZE_MAX], rc;
	long long pid;

	if (!json_object_object_get_ex(payload, "picture_id", &id) ||
	    !json_object_is_type(id, json_type_int)) {
		snprintf(err, errlen, "picture_derive needs \"picture_id\"");
		return -1;
	}
	pid = json_object_get_int64(id);
	if (media_store_local(&ms, cfg->media_dir) != 0) {
		snprintf(err, errlen, "TESSERA_MEDIA_DIR is not set");
		return -1;
	}
	if ((rc = pictures_derive_source(db, a, pid, &key, &status)) == 1 ||
	    (rc == 0 && status != PICTURE_PROCESSING))
		return 0;
	if (rc != 0 || media_path(&ms, MEDIA_ORIGINALS, key, src,
	    sizeof(src)) != 0) {
		snprintf(err, errlen, "picture %lld: cannot read its row", pid);
		return -1;
	}
	for (int i = 0; i < PICTURE__SIZE_MAX; i++) {
		if (derive_size(a, cfg, &ms, src, key, (enum picture_size)i,
		    &w[i], &h[i], err, errlen) == 0)
			continue;
		picture_files_remove(a, &ms, key, 0);
		if (attempts < PICTURE_DERIVE_ATTEMPTS)
			return -1;
		log_err("picture %lld: marked failed: %s", pid, err);
		return pictures_set_derived(db, pid, PICTURE_FAILED, 0, 0, 0,
		    0) == 0 ? 0 : -1;
	}
	if (pictures_set_derived(db, pid, PICTURE_READY, w[0], h[0], w[1],
	    h[1]) != 0) {
		snprintf(err, errlen, "picture %lld: its sizes are made but "
		    "the row was not updated", pid);
		return -1;
	}
	log_info("picture %lld: sizes made", pid);
	return 0;
}
