#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"

#define ARENA_ALIGN 16

struct arena_block {
	struct arena_block *next;
	size_t size;  /* usable bytes in data[] */
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

static struct arena_block *
block_new(size_t size)
{
	struct arena_block *b = xmalloc(sizeof(*b) + size);

	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

void
arena_init(struct arena *a, size_t block_size)
{
	a->block_size = block_size ? block_size : 16384;
	a->head = block_new(a->block_size);
}

void
arena_reset(struct arena *a)
{
	struct arena_block *b = a->head, *next;

	/* The last block in the chain is the first one allocated. */
	while (b->next != NULL) {
		next = b->next;
		free(b);
		b = next;
	}
	b->used = 0;
	a->head = b;
}

void
arena_free(struct arena *a)
{
	struct arena_block *b = a->head, *next;

	while (b != NULL) {
		next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

void *
arena_alloc(struct arena *a, size_t size)
{
	struct arena_block *b = a->head;
	size_t start = (b->used + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

	if (size > SIZE_MAX / 2) {
		log_err("%s: absurd allocation of %zu bytes", __func__, size);
		abort();
	}
	if (start + size > b->size) {
		size_t want = size > a->block_size / 4 ? size : a->block_size;
		struct arena_block *nb = block_new(want);

		/* Big allocations get their own block behind the current one,
		 * so the partly used block keeps serving small requests. */
		if (want == size && b->used > 0) {
			nb->next = b->next;
			b->next = nb;
			nb->used = size;
			return nb->data;
		}
		nb->next = b;
		a->head = nb;
		b = nb;
		start = 0;
	}
	b->used = start + size;
	return b->data + start;
}

void *
arena_calloc(struct arena *a, size_t count, size_t size)
{
	void *p;

	if (size != 0 && count > SIZE_MAX / size) {
		log_err("%s: overflow (%zu x %zu)", __func__, count, size);
		abort();
	}
	p = arena_alloc(a, count * size);
	memset(p, 0, count * size);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	char small[256];
	va_list ap2;
	int len;
	char *p;

	/* Most strings fit the stack buffer, so they are formatted once. */
	va_copy(ap2, ap);
	len = vsnprintf(small, sizeof(small), fmt, ap2);
	va_end(ap2);
	if (len < 0) {
		log_err("%s: bad format \"%s\"", __func__, fmt);
		abort();
	}
	p = arena_alloc(a, (size_t)len + 1);
	if ((size_t)len < sizeof(small))
		memcpy(p, small, (size_t)len + 1);
	else
		vsnprintf(p, (size_t)len + 1, fmt, ap);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}
