/*
 * Table-driven request routing with path parameters.
 *
 * Each program owns a static const table:
 *
 *	static const struct route routes[] = {
 *		ROUTE("GET",  "/",                     PAGE_HOME),
 *		ROUTE("GET",  "/events",               PAGE_EVENTS),
 *		ROUTE("GET",  "/events/{id:int}",      PAGE_EVENT),
 *		ROUTE("GET",  "/events/{id:int}.ics",  PAGE_ICS),
 *		ROUTE("POST", "/events/{id:int}/book", PAGE_BOOK),
 *	};
 *
 * (the programs' tables say more per route, see web/program.h).
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
 *
 * A route also says who may use it and what body it takes; the table is
 * the one list of what a program answers, and nginx's locations are
 * checked against it (tessera-* --routes, tests/e2e/test_routes.py).
 */
#ifndef TESSERA_ROUTER_H
#define TESSERA_ROUTER_H

#include <stddef.h>

#include "http_params.h"

struct arena;

#define ROUTER_MAX_PARAMS 8

/* What a route accepts as a request body. */
enum route_body {
	BODY_FORM = 0,		/* application/x-www-form-urlencoded */
	BODY_MULTIPART,		/* multipart/form-data: uploads */
	BODY_RAW,		/* any type, the exact bytes kept (webhooks) */
};

/* The body limit of a route that does not set its own. */
#define ROUTE_FORM_MAX_BYTES (64 * 1024)

struct route {
	const char *method;	/* "GET", "POST", ... */
	const char *pattern;
	int handler;		/* the program's own page enum */
	/* Who may use it: the program glue's enum access (web/program.h);
	 * the router does not read it. 0 is anyone. */
	int access;
	enum route_body body;	/* for methods with a body */
	size_t body_max;	/* bytes; 0: ROUTE_FORM_MAX_BYTES */
};

/* A route anyone may use, with a form body if any. */
#define ROUTE(method, pattern, handler) \
	{ (method), (pattern), (handler), 0, BODY_FORM, 0 }

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
/* "form", "multipart" or "raw". */
const char *router_body_name(enum route_body body);
enum route_status router_match(const struct route *routes, size_t nroutes,
    const char *method, const char *path, struct arena *a,
    struct route_match *m);

#endif
