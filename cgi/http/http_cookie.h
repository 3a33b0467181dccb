/*
 * Cookies (RFC 6265): reading the Cookie request header and writing
 * Set-Cookie values. Cookie values are opaque tokens chosen by the
 * program; they are never percent-decoded or encoded here.
 */
#ifndef TESSERA_HTTP_COOKIE_H
#define TESSERA_HTTP_COOKIE_H

#include "http_params.h"

struct arena;

#define COOKIE_MAX_COUNT 50	/* cookies kept from one header */
#define COOKIE_MAX_LEN 4096	/* name plus value, in bytes */

struct cookie_attrs {
	const char *name;	/* RFC 7230 token */
	const char *value;	/* RFC 6265 cookie-octets, may be empty */
	long long max_age;	/* seconds; -1 session cookie, 0 delete */
	const char *path;	/* starts with '/'; NULL to omit */
	int http_only;
	int secure;
	const char *same_site;	/* "Lax", "Strict" or NULL to omit */
};

void cookie_parse(struct arena *a, const char *header, struct params *out);
char *cookie_format(struct arena *a, const struct cookie_attrs *c);

#endif
