/*
 * The files of a picture in the media store: its original under its
 * storage key in MEDIA_ORIGINALS, and its derived sizes in MEDIA_PUBLIC
 * as KEY-SIDE.EXT, one per size and encoding. The one place that names
 * them: the worker makes them, the pages link them, a deletion removes
 * them.
 */
#ifndef TESSERA_PICTURE_FILES_H
#define TESSERA_PICTURE_FILES_H

#include <stddef.h>

struct arena;
struct media_store;

/* The sizes the worker derives, each the longest side of its box. */
#define PICTURE_THUMB_SIDE 400
#define PICTURE_PREVIEW_SIDE 1600

enum picture_size { PICTURE_THUMB, PICTURE_PREVIEW, PICTURE__SIZE_MAX };
extern const int picture_sides[PICTURE__SIZE_MAX];

/* The two encodings of each derived size. */
enum picture_encoding { PICTURE_ENC_WEBP, PICTURE_ENC_JPEG, PICTURE__ENC_MAX };
extern const char *const picture_encoding_ext[PICTURE__ENC_MAX];

/* The key of one derived file ("KEY-400.webp"), arena-owned. */
const char *picture_file_key(struct arena *a, const char *key,
    enum picture_size size, enum picture_encoding enc);

/* When name is a derived file's ("KEY-400.webp"), its picture's key into
 * key (size n): 1; else 0. */
int picture_file_owner(const char *name, char *key, size_t n);

/* Removes every derived file of key and, with original, the original. */
void picture_files_remove(struct arena *a, const struct media_store *ms,
    const char *key, int original);

#endif
