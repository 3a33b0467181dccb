/*
 * Query strings and application/x-www-form-urlencoded bodies: "a=1&b=2",
 * '+' for space, %XX escapes. The same name/value list also carries
 * cookies (http_cookie.h) and router path parameters (router.h), so the
 * lookup helpers here serve all three.
 */
#ifndef TESSERA_HTTP_PARAMS_H
#define TESSERA_HTTP_PARAMS_H

#include <stddef.h>

struct arena;

struct param {
	const char *name;	/* non-empty, NUL-terminated */
	const char *value;	/* NUL-terminated, may be empty */
	size_t value_len;
};

/* In input order, duplicates kept. All strings are arena-owned. */
struct params {
	struct param *items;
	size_t count;
};

/*
 * Lengths are in bytes after decoding. A zero limit allows nothing, so
 * start from params_default_limits and change what differs.
 */
struct params_limits {
	size_t max_bytes;	/* whole encoded input */
	size_t max_fields;
	size_t max_name_len;
	size_t max_value_len;
};

/* 64 KiB input, 200 fields, 64-byte names, 16 KiB values. */
extern const struct params_limits params_default_limits;

enum params_status {
	PARAMS_OK,
	PARAMS_TOO_LARGE,	/* input over max_bytes: 413 */
	PARAMS_TOO_MANY,	/* more than max_fields: 413 */
	PARAMS_MALFORMED,	/* bad escape or UTF-8, NUL, name or value
				 * too long: 400 */
};

enum params_status params_parse(struct arena *a, const char *s, size_t len,
    const struct params_limits *limits, struct params *out);
const char *params_get(const struct params *p, const char *name);
const char *params_get_n(const struct params *p, const char *name,
    size_t index);
size_t params_count_name(const struct params *p, const char *name);

#endif
