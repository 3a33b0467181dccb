/*
 * Allocation wrappers and small helpers shared by every module.
 *
 * The x* functions never return NULL: on out-of-memory they log and abort,
 * so callers need not check. Memory they return is caller-freed.
 */
#ifndef TESSERA_UTIL_H
#define TESSERA_UTIL_H

#include <stddef.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);

/* The value of a hexadecimal digit, either case; -1 for anything else. */
int hex_digit(int c);

#endif
