/*
 * UTF-8 text as the site holds it: request text is valid UTF-8 without
 * NUL (http_url.c checks it on the way in), so these helpers only walk it.
 * Limits people see ("at most 80 characters") count code points, with
 * utf8_chars, everywhere.
 */
#ifndef TESSERA_UTF8_H
#define TESSERA_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The number of code points in the NUL-terminated UTF-8 string s (bytes
 * that do not continue a sequence; for valid UTF-8, its characters). */
size_t utf8_chars(const char *s);

/* The code point at *p in valid UTF-8, advancing *p past it. *p must not
 * point at the terminating NUL. */
uint32_t utf8_next(const char **p);

#endif
