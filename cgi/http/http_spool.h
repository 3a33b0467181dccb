/*
 * The spool of uploads being received: <media_dir>/tmp/. Each file part of
 * a multipart body is written to a file of its own there, created
 * exclusively (O_EXCL, O_NOFOLLOW, mode 0600) under a random name nobody
 * can guess. A handler keeps one by rename(2) into originals/ (the same
 * filesystem); whatever is still in the spool when the request ends is
 * unlinked (request_discard_uploads). A worker that dies mid-request
 * leaves its files behind: spool_sweep removes those once they are old.
 */
#ifndef TESSERA_HTTP_SPOOL_H
#define TESSERA_HTTP_SPOOL_H

#include <time.h>

#include "config.h"

struct arena;

/* The spool is <media_dir>/CONFIG_MEDIA_TMP. How old a file left in it
 * must be before a sweep removes it (an upload being written is touched
 * by every write, so only a dead worker's files grow this old): */
#define SPOOL_MAX_AGE_SECONDS (60 * 60)

/*
 * Creates a new empty file in <media_dir>/tmp and returns its descriptor, open for writing, with *path
 * set to its absolute name (arena-owned). Returns -1, logged, when it
 * cannot (no such folder, no space, no permission).
 */
int spool_create(struct arena *a, const char *media_dir, const char **path);
/* Removes the spool files in <media_dir>/tmp last modified more than
 * max_age seconds ago. Returns how many it removed, or -1 when the folder
 * cannot be read (logged). */
int spool_sweep(const char *media_dir, time_t max_age);

#endif
