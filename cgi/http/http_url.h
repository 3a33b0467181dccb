/*
 * Percent-encoding (RFC 3986) for paths, query strings and form bodies.
 *
 * Decoding is strict: whatever it hands back is valid UTF-8 without NUL
 * bytes, so every later stage (templates, the database, logs) can treat
 * request text as ordinary C strings.
 */
#ifndef TESSERA_HTTP_URL_H
#define TESSERA_HTTP_URL_H

#include <stddef.h>

struct arena;

int url_decode(struct arena *a, const char *s, size_t len,
    int plus_is_space, char **out, size_t *out_len);
char *url_encode(struct arena *a, const char *s, size_t len);
int url_utf8_valid(const char *s, size_t len);
/* path?NAME=VALUE&... for the n names whose value is not NULL, encoded,
 * then page=PAGE when page is past the first: a list's link to another
 * of its pages with the same filters. Arena-owned. */
const char *url_with_query(struct arena *a, const char *path,
    const char *const *names, const char *const *values, size_t n, int page);

#endif
