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

#endif
