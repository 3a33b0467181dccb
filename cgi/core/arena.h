/*
 * Region allocator: one per request (and one per command-line run).
 *
 * Everything allocated from an arena lives until arena_reset() or
 * arena_free(); nothing is freed one by one. Allocation never fails: out of
 * memory aborts (see util.h). Pointers returned are arena-owned.
 */
#ifndef TESSERA_ARENA_H
#define TESSERA_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;  /* block being filled */
	size_t block_size;         /* size of ordinary blocks */
};

void arena_init(struct arena *a, size_t block_size);
/* Releases every block but the first, which is kept for reuse. */
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

void *arena_alloc(struct arena *a, size_t size);      /* 16-byte aligned */
void *arena_calloc(struct arena *a, size_t count, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

#endif
