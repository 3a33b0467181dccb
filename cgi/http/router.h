/*
 * Table-driven request routing with path parameters.
 *
 * Each program owns a static const table:
 *
 *	static const struct route routes[] = {
 *		{ "GET",  "/",                     PAGE_HOME },
 *		{ "GET",  "/events",               PAGE_EVENTS },
 *		{ "GET",  "/events/{id:int}",      PAGE_EVENT },
 *		{ "GET",  "/events/{id:int}.ics",  PAGE_ICS },
 *		{ "POST", "/events/{id:int}/book", PAGE_BOOK },
 *	};
 *
 * Pattern syntax: '/' followed by segments separated by '/'; a pattern
 * may end in '/' to require a trailing slash. A segment is literal text or
 * holds one parameter, with optional literal text before and after it:
 * "{name}" or "{name:int}". Literal text is RFC 3986 pchar without '%',
 * '{' and '}' (letters, digits, "-._~!$&'()*+,;=:@") and is compared
 * byte for byte against the path as sent, still percent-encoded. Names are
 * letters, digits and '_', unique within a pattern; a pattern has at most
 * ROUTER_MAX_PARAMS of them.
 *
 * "{name}" matches one or more characters of a single segment; its value
 * is percent-decoded (url_decode, '+' left alone) and must be valid UTF-8
 * without NUL, must not contain '/' (from "%2F") and must not be "." or
 * "..". "{name:int}" matches 1 to 18 ASCII digits without a leading zero:
 * a positive number that always fits in a long long.
 *
 * Routes are tried in table order; the first whose method and pattern
 * both match wins. A GET route also answers HEAD.
 */
#ifndef TESSERA_ROUTER_H
#define TESSERA_ROUTER_H

#include <stddef.h>

#include "http_params.h"

struct arena;

#define ROUTER_MAX_PARAMS 8

struct route {
	const char *method;	/* "GET", "POST", ... */
	const char *pattern;
	int handler;		/* the program's own page enum */
};

struct route_match {
	size_t route;		/* ROUTE_FOUND: index into the table */
	struct params params;	/* ROUTE_FOUND: path parameters */
	const char *allow;	/* ROUTE_METHOD_NOT_ALLOWED: "GET, HEAD" */
};

enum route_status {
	ROUTE_FOUND,
	ROUTE_NOT_FOUND,		/* 404 */
	ROUTE_METHOD_NOT_ALLOWED,	/* 405, send m->allow as Allow */
};

int router_check(const struct route *routes, size_t nroutes);
enum route_status router_match(const struct route *routes, size_t nroutes,
    const char *method, const char *path, struct arena *a,
    struct route_match *m);

#endif
