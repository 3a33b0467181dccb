/*
 * libFuzzer target for http_url.c and router.c. The input is decoded in
 * both modes and encoded; decode must give clean UTF-8 or refuse, and
 * encode then decode must give back exactly the valid inputs. Then its
 * first byte picks a method and the rest, cut at a NUL, is routed through
 * a table like a program's.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "http_url.h"
#include "router.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct route routes[] = {
	ROUTE("GET",    "/",                             0),
	ROUTE("GET",    "/events",                       1),
	ROUTE("GET",    "/events/",                      2),
	ROUTE("GET",    "/events/{id:int}",              3),
	ROUTE("GET",    "/events/{id:int}.ics",          4),
	ROUTE("POST",   "/events/{id:int}/book",         5),
	ROUTE("GET",    "/tickets/{code}",               6),
	ROUTE("DELETE", "/tickets/{code}",               7),
	ROUTE("GET",    "/e/{id:int}/s/{seat}",          8),
	ROUTE("GET",    "/u/@{user}.txt",                9),
	ROUTE("HEAD",   "/ping",                         10),
};

static void
fuzz_decode(struct arena *a, const char *s, size_t len)
{
	char *out, *e, *back;
	size_t n, bn;
	int plus;

	for (plus = 0; plus < 2; plus++) {
		if (url_decode(a, s, len, plus, &out, &n) == -1)
			continue;
		if (n > len || strlen(out) != n || !url_utf8_valid(out, n))
			abort();
		e = url_encode(a, out, n);
		if (url_decode(a, e, strlen(e), plus, &back, &bn) == -1 ||
		    bn != n || memcmp(back, out, n) != 0)
			abort();
	}
	e = url_encode(a, s, len);
	if (url_decode(a, e, strlen(e), 0, &back, &bn) == 0) {
		if (!url_utf8_valid(s, len) || bn != len ||
		    memcmp(back, s, len) != 0)
			abort();
	} else if (url_utf8_valid(s, len))
		abort();
}

static void
fuzz_route(struct arena *a, const char *s, size_t len)
{
	static const char *const methods[] = {
		"GET", "HEAD", "POST", "DELETE", "PUT", "get", "",
	};
	struct route_match m;
	const struct param *it;
	const char *path;
	size_t plen;

	if (len == 0)
		return;
	path = arena_strndup(a, s + 1, len - 1);
	switch (router_match(routes, ARRAY_LEN(routes),
	    methods[(unsigned char)s[0] % ARRAY_LEN(methods)], path, a, &m)) {
	case ROUTE_FOUND:
		/* Only the part before '?' is the path proper. */
		plen = strcspn(path, "?");
		if (m.route >= ARRAY_LEN(routes) || m.allow != NULL ||
		    path[0] != '/')
			abort();
		for (size_t i = 0; i + 1 < plen; i++)
			if (path[i] == '/' && path[i + 1] == '/')
				abort();
		for (size_t i = 0; i < m.params.count; i++) {
			it = &m.params.items[i];
			if (it->value_len == 0 ||
			    strlen(it->value) != it->value_len ||
			    !url_utf8_valid(it->value, it->value_len) ||
			    strchr(it->value, '/') != NULL ||
			    strcmp(it->value, ".") == 0 ||
			    strcmp(it->value, "..") == 0)
				abort();
		}
		break;
	case ROUTE_METHOD_NOT_ALLOWED:
		if (m.allow == NULL || m.allow[0] == '\0' ||
		    m.params.count != 0)
			abort();
		break;
	case ROUTE_NOT_FOUND:
		if (m.allow != NULL || m.params.count != 0)
			abort();
		break;
	default:
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int checked;
	struct arena a;
	const char *s = (const char *)data;

	if (!checked && router_check(routes, ARRAY_LEN(routes)) == -1)
		abort();
	checked = 1;
	arena_init(&a, 1024);
	fuzz_decode(&a, s, size);
	fuzz_route(&a, s, strnlen(s, size));
	arena_free(&a);
	return 0;
}
