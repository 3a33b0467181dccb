/*
 * Pictures: the statements that read and change them, and their likes.
 * Public reads go to a replica (DB_READ) and read one page of rows through
 * an index; the like count comes from the picture's row, which only
 * pictures_like_toggle() changes, in the transaction that adds or removes
 * the like.
 *
 * A picture is public once the worker made its derived sizes (status
 * ready) and while its owner's account is not disabled. Only its owner
 * sees it before (processing), when that failed, or once a moderator hid
 * it (picture_reports.h).
 *
 * Every read returns 0, -1 when no server could answer (503), or ROW_BAD
 * when a row did not parse (500); reads of one picture also 1 when there
 * is none (or it is not the reader's to see). Strings are arena-owned.
 */
#ifndef TESSERA_PICTURES_H
#define TESSERA_PICTURES_H

#include <stddef.h>
#include <time.h>

#include "db.h"
#include "row.h"

/* As the pictures.format ENUM. */
enum picture_format {
	PICTURE_JPEG,
	PICTURE_PNG,
	PICTURE_WEBP,
	PICTURE_HEIF,      /* HEIF and AVIF, when libheif is there */
	PICTURE__FORMAT_MAX
};

extern const char *const picture_format_names[PICTURE__FORMAT_MAX];
/* The Content-Type of an original of each format. */
extern const char *const picture_format_types[PICTURE__FORMAT_MAX];

enum picture_status { PICTURE_PROCESSING, PICTURE_READY, PICTURE_FAILED,
	PICTURE_HIDDEN, PICTURE__STATUS_MAX };
extern const char *const picture_status_names[PICTURE__STATUS_MAX];

/* As the pictures.licence ENUM; picture_licence_labels says them for
 * people. */
enum picture_licence {
	LICENCE_ALL_RIGHTS,
	LICENCE_CC_BY,
	LICENCE_CC_BY_SA,
	LICENCE_CC0,
	LICENCE__MAX
};
extern const char *const picture_licence_names[LICENCE__MAX];
extern const char *const picture_licence_labels[LICENCE__MAX];

/* What one person may upload: how many in an hour, and how many bytes of
 * originals in all. */
#define PICTURES_PER_HOUR 30
#define PICTURES_QUOTA_BYTES (500LL * 1024 * 1024)

#define PICTURE_TITLE_MAX 120
#define PICTURE_DESCRIPTION_MAX 2000

struct picture {
	long long id;
	long long owner_id;
	const char *owner_name;    /* "" for a deleted account */
	long long event_id;        /* 0: none */
	const char *event_title;   /* "" without an event */
	const char *title;
	const char *description;   /* may be "" */
	long long price;           /* minor units; 0 is free */
	const char *currency;
	enum picture_licence licence;
	enum picture_format format;
	long long width, height;   /* of the original */
	long long bytes;
	const char *storage_key;
	enum picture_status status;
	long long thumb_width, thumb_height;
	long long preview_width, preview_height;
	long long like_count;
	time_t created_at;
	long long sales;           /* paid orders of its original, kept by */
	long long sales_cents;     /* orders_transition(); in its currency */
};

/* A new upload, already decoded and checked. */
struct picture_new {
	long long owner_id;
	long long event_id;        /* 0: none */
	const char *title;
	const char *description;
	long long price;
	enum picture_licence licence;
	enum picture_format format;
	long long width, height, bytes;
	const unsigned char *sha256;   /* 32 bytes */
	const char *storage_key;
};

enum picture_insert {
	PICTURE_INSERTED,
	PICTURE_DUPLICATE,     /* the same bytes are on the site already */
	PICTURE_RATE,          /* PICTURES_PER_HOUR reached */
	PICTURE_QUOTA,         /* the bytes would pass PICTURES_QUOTA_BYTES */
	PICTURE_INSERT_FAILED, /* the database failed (the caller rolls back) */
};

/*
 * In the caller's transaction: checks the owner's rate and quota (locking
 * the owner's pictures, so two uploads at once count each other), inserts
 * the picture as processing and queues its derivation (topic
 * "picture_derive", {"picture_id": id}). *id gets the new id.
 */
enum picture_insert pictures_insert(struct db *db, struct arena *a,
    const struct picture_new *p, long long *id);

/* Which public list, and its filter. */
enum picture_list {
	PICTURES_RECENT,
	PICTURES_POPULAR,      /* uploaded in the last 7 days, most liked */
	PICTURES_BY_EVENT,     /* filter: the event's id */
	PICTURES_BY_OWNER,     /* filter: the owner's id */
	PICTURES__LIST_MAX
};

/* One page of a public list: limit rows from offset. */
int pictures_list(struct db *db, struct arena *a, enum picture_list which,
    long long filter, int limit, int offset, struct picture **out,
    size_t *n);
/* A public picture by id. */
int pictures_get(struct db *db, struct arena *a, long long id,
    struct picture *out);
/* A picture of owner_id by id, whatever its status, read on the primary
 * (the owner just changed it). */
int pictures_get_own(struct db *db, struct arena *a, long long id,
    long long owner_id, struct picture *out);
/* The owner's pictures, newest first, at most limit. */
int pictures_of_owner(struct db *db, struct arena *a, long long owner_id,
    int limit, struct picture **out, size_t *n);
/* Whether user_id likes picture id: 1 yes, 0 no, -1. */
int pictures_liked(struct db *db, struct arena *a, long long id,
    long long user_id);

/*
 * In the caller's transaction: user_id's like of the public picture id is
 * taken back if there was one, else given, and the picture's count moved
 * with it; a like given queues the owner's notice (topic "picture_liked",
 * {"picture_id", "owner_id", "title"}). *liked says which. Returns 0, 1 when there is no such public
 * picture, or -1.
 */
int pictures_like_toggle(struct db *db, struct arena *a, long long id,
    long long user_id, int *liked);

/* The owner's edit of what people read about it. Returns 0, 1 when it is
 * not the owner's picture, or -1. */
int pictures_update(struct db *db, struct arena *a, long long id,
    long long owner_id,
    const char *title, const char *description, long long price,
    enum picture_licence licence);
/* Files the owner's picture under event_id's gallery (0: none); the
 * caller checked the owner may (pictures_event_choices). Returns 0, 1
 * when it is not the owner's picture, or -1. */
int pictures_set_event(struct db *db, struct arena *a, long long id,
    long long owner_id, long long event_id);
/* Deletes the owner's picture (its likes go with it), in the caller's
 * transaction; *key gets its storage key, so the caller removes the files
 * once committed. Returns 0, 1 when it is not the owner's, or -1. */
int pictures_delete(struct db *db, struct arena *a, long long id,
    long long owner_id, const char **key);

/* An event a person may file pictures under: one they held a paid
 * ticket for, or organize. */
struct picture_event {
	long long id;
	const char *title;
};
/* The person's events, latest first, at most limit, on the primary. */
int pictures_event_choices(struct db *db, struct arena *a, long long user_id,
    int limit, struct picture_event **out, size_t *n);

/* The worker: a picture's storage key and status, on the primary. */
int pictures_derive_source(struct db *db, struct arena *a, long long id,
    const char **key, enum picture_status *status);
/* The worker: marks a processing picture ready with its derived sizes, or
 * failed (widths 0). Returns 0 or -1. */
int pictures_set_derived(struct db *db, long long id,
    enum picture_status status, long long thumb_w, long long thumb_h,
    long long preview_w, long long preview_h);

#endif
