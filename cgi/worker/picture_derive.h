/*
 * The worker's side of an upload: outbox topic "picture_derive"
 * ({"picture_id": id}, pictures_insert()) makes the sizes the pages show
 * from the original, a thumbnail and a preview (PICTURE_THUMB_SIDE,
 * PICTURE_PREVIEW_SIDE), each as WebP and JPEG, into the media store's
 * public area (named by picture_files.h), and marks the picture
 * ready. The topic is of the slow class (outbox.h), so mail never waits
 * behind it.
 */
#ifndef TESSERA_PICTURE_DERIVE_H
#define TESSERA_PICTURE_DERIVE_H

#include <stddef.h>

struct arena;
struct config;
struct db;
struct json_object;

/* Tries a file that libvips cannot read this many times (a full disk
 * passes) before the picture is marked failed. */
#define PICTURE_DERIVE_ATTEMPTS 3

/*
 * Handles one row of the topic (attempts: the row's, after its claim).
 * A picture that is gone, or no longer processing, is done at once.
 * Returns 0 when the row is done (the picture ready, or marked failed
 * after PICTURE_DERIVE_ATTEMPTS), or -1 with the reason in err.
 */
int picture_derive(struct db *db, const struct config *cfg, struct arena *a,
    struct json_object *payload, long long attempts, char *err,
    size_t errlen);

#endif
