/*
 * Growable byte buffer on the heap, used for response bodies and rendered
 * templates. Never fails (aborts on out-of-memory). The owner calls
 * buf_free(); buf_reset() keeps the allocation for reuse across requests.
 * data is always NUL-terminated after any append.
 */
#ifndef TESSERA_BUF_H
#define TESSERA_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
