/*
 * Where pictures' files live: the originals (readable by the programs
 * only, served after a check through nginx's internal location) and the
 * derived sizes (public, served by nginx under /media/ with long cache
 * headers). Handlers and the worker name a file by its area and key and
 * never build a path themselves, so the local folder below can give way to
 * an object store by adding a struct media_store_ops, without touching
 * them.
 *
 * The local store is the media root (TESSERA_MEDIA_DIR) with originals/
 * and public/ under it, on the same filesystem as the upload spool (tmp/,
 * http_spool.h), so keeping an upload is a rename(2).
 *
 * A key is 1 to MEDIA_KEY_MAX characters of [a-z0-9.-], not starting with
 * a dot: no key names a folder or leaves its area.
 */
#ifndef TESSERA_MEDIA_STORE_H
#define TESSERA_MEDIA_STORE_H

#include <stddef.h>

#define MEDIA_KEY_MAX 64
/* A new original's key: 32 lowercase hex digits (128 random bits). */
#define MEDIA_NEW_KEY_LEN 32

enum media_area {
	MEDIA_ORIGINALS,   /* uploads as received: never served directly */
	MEDIA_PUBLIC,      /* derived files: served as they are */
	MEDIA__AREA_MAX
};

struct media_store;

/* One key of a listing (media_list): 0 to go on, else stop with it. */
typedef int (*media_list_fn)(const char *key, long age_seconds, void *arg);

struct media_store_ops {
	/* Moves the local file src into the store as key (replacing one of
	 * the same key): src is gone afterwards. */
	int (*keep)(const struct media_store *ms, enum media_area area,
	    const char *key, const char *src);
	/* A local path to read key from into out (size n). */
	int (*path)(const struct media_store *ms, enum media_area area,
	    const char *key, char *out, size_t n);
	/* Removes key; a key that is not there is not an error. */
	int (*remove)(const struct media_store *ms, enum media_area area,
	    const char *key);
	/* Where the web server serves an original from once a program has
	 * allowed it (nginx's internal location, through X-Accel-Redirect),
	 * into out (size n). */
	int (*internal_uri)(const struct media_store *ms, const char *key,
	    char *out, size_t n);
	/* Calls fn with each key of area and how many seconds ago it was
	 * last written, in no order, until fn returns non-zero. */
	int (*list)(const struct media_store *ms, enum media_area area,
	    media_list_fn fn, void *arg);
};

/* The local store's internal location of the originals, "internal" in
 * both nginx configurations, so no request can name it. */
#define MEDIA_ORIGINALS_URI "/_originals/"

struct media_store {
	const struct media_store_ops *ops;
	const char *root;      /* the local store's media root; borrowed */
};

/* A local store at media_dir (not copied: it must outlive the store).
 * Returns 0, or -1 when media_dir is NULL. */
int media_store_local(struct media_store *ms, const char *media_dir);

/* 1 when key is a valid key, else 0. */
int media_key_valid(const char *key);
/* A fresh random key for an original, NUL-terminated into out. */
void media_new_key(char out[MEDIA_NEW_KEY_LEN + 1]);

/* The operations, with the key checked first: 0, or -1 (logged) for a
 * bad key or a failed operation. */
int media_keep(const struct media_store *ms, enum media_area area,
    const char *key, const char *src);
int media_path(const struct media_store *ms, enum media_area area,
    const char *key, char *out, size_t n);
int media_remove(const struct media_store *ms, enum media_area area,
    const char *key);
int media_internal_uri(const struct media_store *ms, const char *key,
    char *out, size_t n);
/* Every key of area to fn (names that are no valid key are skipped):
 * 0, what fn returned to stop, or -1 (logged) when area cannot be read. */
int media_list(const struct media_store *ms, enum media_area area,
    media_list_fn fn, void *arg);

#endif
