/*
 * Unit tests for router.c: pattern matching, path parameters and their
 * decoding, 404 versus 405, and the startup check of route tables.
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "router.h"
#include "tap.h"
#include "util.h"

enum page {
	PAGE_HOME, PAGE_EVENTS, PAGE_EVENTS_SLASH, PAGE_EVENT, PAGE_ICS,
	PAGE_BOOK, PAGE_TICKET, PAGE_SEAT, PAGE_LOGIN, PAGE_LOGIN_POST,
	PAGE_DELETE, PAGE_FILE, PAGE_PREFIXED, PAGE_HEAD_ONLY, PAGE_USER,
	PAGE_DEEP,
};

static const struct route routes[] = {
	ROUTE("GET",    "/",                              PAGE_HOME),
	ROUTE("GET",    "/events",                        PAGE_EVENTS),
	ROUTE("GET",    "/events/",                       PAGE_EVENTS_SLASH),
	ROUTE("GET",    "/events/{id:int}",               PAGE_EVENT),
	ROUTE("GET",    "/events/{id:int}.ics",           PAGE_ICS),
	ROUTE("POST",   "/events/{id:int}/book",          PAGE_BOOK),
	ROUTE("GET",    "/tickets/{code}",                PAGE_TICKET),
	ROUTE("GET",    "/events/{id:int}/seats/{seat}",  PAGE_SEAT),
	ROUTE("GET",    "/login",                         PAGE_LOGIN),
	ROUTE("POST",   "/login",                         PAGE_LOGIN_POST),
	ROUTE("DELETE", "/tickets/{code}",                PAGE_DELETE),
	ROUTE("GET",    "/files/{name}.txt",              PAGE_FILE),
	ROUTE("GET",    "/u/@{user}",                     PAGE_USER),
	ROUTE("GET",    "/x/v{n:int}",                    PAGE_PREFIXED),
	ROUTE("HEAD",   "/ping",                          PAGE_HEAD_ONLY),
	ROUTE("GET",    "/a/{p1}/{p2}/{p3}/{p4}/{p5}/{p6}/{p7}/{p8}", PAGE_DEEP),
};

/*
 * Matches and checks the handler and, if given, the parameters as a flat
 * name/value list; all in one test line.
 */
static void
found_is(struct arena *a, const char *method, const char *path, int handler,
    const char *const *want, size_t npairs)
{
	struct route_match m;
	enum route_status st;
	int same;

	st = router_match(routes, ARRAY_LEN(routes), method, path, a, &m);
	same = st == ROUTE_FOUND && routes[m.route].handler == handler &&
	    m.params.count == npairs && m.allow == NULL;
	for (size_t i = 0; same && i < npairs; i++)
		same = strcmp(m.params.items[i].name, want[2 * i]) == 0 &&
		    strcmp(m.params.items[i].value, want[2 * i + 1]) == 0 &&
		    m.params.items[i].value_len == strlen(want[2 * i + 1]);
	if (!ok(same, "%s %s -> handler %d", method, path, handler))
		printf("#   status %d, route %zu, %zu params\n", st, m.route,
		    m.params.count);
}

#define FOUND(a, method, path, handler, ...)				\
	do {								\
		static const char *const w[] = { NULL, ## __VA_ARGS__ }; \
		found_is((a), (method), (path), (handler), w + 1,	\
		    (ARRAY_LEN(w) - 1) / 2);				\
	} while (0)

static void
not_found(struct arena *a, const char *method, const char *path)
{
	struct route_match m;

	ok(router_match(routes, ARRAY_LEN(routes), method, path, a, &m) ==
	    ROUTE_NOT_FOUND && m.allow == NULL && m.params.count == 0,
	    "%s %s -> 404", method, path ? path : "(null)");
}

static void
not_allowed(struct arena *a, const char *method, const char *path,
    const char *allow)
{
	struct route_match m;

	if (!ok(router_match(routes, ARRAY_LEN(routes), method, path, a,
	    &m) == ROUTE_METHOD_NOT_ALLOWED && m.params.count == 0,
	    "%s %s -> 405", method, path))
		return;
	is_str(m.allow, allow, "%s %s: Allow", method, path);
}

static void
test_literal(struct arena *a)
{
	FOUND(a, "GET", "/", PAGE_HOME);
	FOUND(a, "GET", "/events", PAGE_EVENTS);
	FOUND(a, "GET", "/events/", PAGE_EVENTS_SLASH);
	FOUND(a, "GET", "/login", PAGE_LOGIN);
	FOUND(a, "POST", "/login", PAGE_LOGIN_POST);
	FOUND(a, "HEAD", "/", PAGE_HOME);
	FOUND(a, "HEAD", "/login", PAGE_LOGIN);
	FOUND(a, "HEAD", "/ping", PAGE_HEAD_ONLY);
	FOUND(a, "GET", "/events?page=2", PAGE_EVENTS);
	FOUND(a, "GET", "/?", PAGE_HOME);
	FOUND(a, "GET", "/events?a/b/../c", PAGE_EVENTS);
	FOUND(a, "GET", "/?'\"//", PAGE_HOME);
	not_found(a, "GET", "/event");
	not_found(a, "GET", "/eventss");
	not_found(a, "GET", "/Events");
	not_found(a, "GET", "/login/");
	not_found(a, "GET", "/events/x/");
	not_found(a, "GET", "/%65vents");
	not_found(a, "GET", "/events%2F");
	not_found(a, "GET", "/nope");
	not_found(a, "GET", "");
	not_found(a, "GET", NULL);
	not_found(a, NULL, "/");
	not_found(a, "GET", "events");
	not_found(a, "GET", "?/events");
	not_found(a, "GET", "http://host/events");
	not_found(a, "GET", "*");
}

static void
test_params(struct arena *a)
{
	FOUND(a, "GET", "/events/42", PAGE_EVENT, "id", "42");
	FOUND(a, "GET", "/events/42?x=1", PAGE_EVENT, "id", "42");
	FOUND(a, "GET", "/events/42.ics", PAGE_ICS, "id", "42");
	FOUND(a, "HEAD", "/events/7.ics", PAGE_ICS, "id", "7");
	FOUND(a, "POST", "/events/1/book", PAGE_BOOK, "id", "1");
	FOUND(a, "GET", "/events/123456789012345678", PAGE_EVENT,
	    "id", "123456789012345678");
	FOUND(a, "GET", "/events/9/seats/A-12", PAGE_SEAT, "id", "9",
	    "seat", "A-12");
	FOUND(a, "GET", "/tickets/abc", PAGE_TICKET, "code", "abc");
	FOUND(a, "GET", "/tickets/a%20b", PAGE_TICKET, "code", "a b");
	FOUND(a, "GET", "/tickets/a+b", PAGE_TICKET, "code", "a+b");
	FOUND(a, "GET", "/tickets/%2B", PAGE_TICKET, "code", "+");
	FOUND(a, "GET", "/tickets/caf%C3%A9", PAGE_TICKET, "code",
	    "caf\xC3\xA9");
	FOUND(a, "GET", "/tickets/\xC3\xA9", PAGE_TICKET, "code", "\xC3\xA9");
	FOUND(a, "GET", "/tickets/%F0%9F%8E%AB", PAGE_TICKET, "code",
	    "\xF0\x9F\x8E\xAB");
	FOUND(a, "GET", "/tickets/%3F%23", PAGE_TICKET, "code", "?#");
	FOUND(a, "GET", "/tickets/...", PAGE_TICKET, "code", "...");
	FOUND(a, "GET", "/tickets/.a", PAGE_TICKET, "code", ".a");
	FOUND(a, "GET", "/tickets/%3Cscript%3E", PAGE_TICKET, "code",
	    "<script>");
	FOUND(a, "GET", "/tickets/x.ics", PAGE_TICKET, "code", "x.ics");
	FOUND(a, "DELETE", "/tickets/abc", PAGE_DELETE, "code", "abc");
	FOUND(a, "GET", "/files/a.b.txt", PAGE_FILE, "name", "a.b");
	FOUND(a, "GET", "/u/@bob", PAGE_USER, "user", "bob");
	FOUND(a, "GET", "/x/v12", PAGE_PREFIXED, "n", "12");
	FOUND(a, "GET", "/a/1/2/3/4/5/6/7/8", PAGE_DEEP, "p1", "1", "p2", "2",
	    "p3", "3", "p4", "4", "p5", "5", "p6", "6", "p7", "7", "p8", "8");

	/* {id:int}: 1-18 digits, no leading zero, nothing else. */
	not_found(a, "GET", "/events/0");
	not_found(a, "GET", "/events/042");
	not_found(a, "GET", "/events/1234567890123456789");
	not_found(a, "GET", "/events/-1");
	not_found(a, "GET", "/events/+1");
	not_found(a, "GET", "/events/1e3");
	not_found(a, "GET", "/events/0x10");
	not_found(a, "GET", "/events/%31");
	not_found(a, "GET", "/events/4 2");
	not_found(a, "GET", "/events/\xD9\xA1");
	not_found(a, "GET", "/events/.ics");
	not_found(a, "GET", "/events/abc.ics");
	not_found(a, "GET", "/events/42.ICS");
	not_found(a, "GET", "/events/42%2Eics");

	/* A parameter is never empty and never spans segments. */
	not_found(a, "GET", "/tickets/");
	not_found(a, "GET", "/tickets/a/b");
	not_found(a, "GET", "/files/.txt");
	not_found(a, "GET", "/u/@");
	not_found(a, "GET", "/x/v");
	not_found(a, "GET", "/x/v01");
	not_found(a, "GET", "/x/12");
	not_found(a, "GET", "/a/1/2/3/4/5/6/7");
	not_found(a, "GET", "/a/1/2/3/4/5/6/7/8/9");

	/* Decoded values must be clean. */
	not_found(a, "GET", "/tickets/a%2Fb");
	not_found(a, "GET", "/tickets/%2f");
	not_found(a, "GET", "/tickets/a%00");
	not_found(a, "GET", "/tickets/%");
	not_found(a, "GET", "/tickets/%G0");
	not_found(a, "GET", "/tickets/%C3");
	not_found(a, "GET", "/tickets/%C0%AF");
	not_found(a, "GET", "/tickets/%ED%A0%80");
	not_found(a, "GET", "/tickets/\xFF");
	not_found(a, "GET", "/files/..txt");
	not_found(a, "GET", "/files/...txt");
	not_found(a, "GET", "/files/%2E.txt");
	not_found(a, "GET", "/files/%2e%2E.txt");
}

static void
test_unsafe_paths(struct arena *a)
{
	static const char *const paths[] = {
		"//", "//events", "/events//", "/events//42", "/./events",
		"/events/.", "/events/..", "/events/./42", "/events/../events",
		"/tickets/..", "/tickets/.", "/tickets/%2e", "/tickets/%2E%2E",
		"/tickets/.%2e", "/tickets/%2e.", "/../etc/passwd",
		"/events/%2e%2e/events", "/.", "/..", "/%2e",
	};

	for (size_t i = 0; i < ARRAY_LEN(paths); i++)
		not_found(a, "GET", paths[i]);
}

static void
test_method(struct arena *a)
{
	not_allowed(a, "POST", "/", "GET, HEAD");
	not_allowed(a, "PUT", "/login", "GET, HEAD, POST");
	not_allowed(a, "GET", "/events/42/book", "POST");
	not_allowed(a, "HEAD", "/events/42/book", "POST");
	not_allowed(a, "POST", "/tickets/abc", "GET, HEAD, DELETE");
	not_allowed(a, "GET", "/ping", "HEAD");
	not_allowed(a, "DELETE", "/events/42", "GET, HEAD");
	not_allowed(a, "get", "/events", "GET, HEAD");
	not_allowed(a, "", "/", "GET, HEAD");
	/* A 405 needs a path match, parameters checks included. */
	not_found(a, "POST", "/events/abc");
	not_found(a, "GET", "/events/01/book");
	not_found(a, "POST", "/tickets/a%2Fb");
}

static void
test_allow_order(struct arena *a)
{
	static const struct route r[] = {
		ROUTE("POST", "/thing", 0),
		ROUTE("HEAD", "/thing", 1),
		ROUTE("GET", "/thing", 2),
		ROUTE("POST", "/thing", 3),
		ROUTE("PUT", "/{x}", 4),
		ROUTE("GET", "/{x}", 5),
	};
	struct route_match m;

	is_int(router_match(r, ARRAY_LEN(r), "DELETE", "/thing", a, &m),
	    ROUTE_METHOD_NOT_ALLOWED, "405 with repeated methods");
	is_str(m.allow, "POST, HEAD, GET, PUT", "Allow lists each method once");
	is_int(router_match(r, ARRAY_LEN(r), "HEAD", "/thing", a, &m),
	    ROUTE_FOUND, "explicit HEAD route");
	is_int(m.route, 1, "HEAD takes its own route first");
	is_int(router_match(r, ARRAY_LEN(r), "POST", "/thing", a, &m),
	    ROUTE_FOUND, "first POST");
	is_int(m.route, 0, "table order decides");
	is_int(router_match(r, ARRAY_LEN(r), "GET", "/other", a, &m),
	    ROUTE_FOUND, "parameter route");
	is_int(m.route, 5, "GET /{x}");
	is_str(params_get(&m.params, "x"), "other", "params_get works on m");
	is_int(router_match(r, 0, "GET", "/", a, &m), ROUTE_NOT_FOUND,
	    "empty table");
}

static void
test_check(void)
{
	static const struct route bad[] = {
		ROUTE("GET", "", 0),
		ROUTE("GET", "events", 0),
		ROUTE("GET", "//events", 0),
		ROUTE("GET", "/events//x", 0),
		ROUTE("GET", "/./x", 0),
		ROUTE("GET", "/x/..", 0),
		ROUTE("GET", "/{id", 0),
		ROUTE("GET", "/id}", 0),
		ROUTE("GET", "/}id{", 0),
		ROUTE("GET", "/{}", 0),
		ROUTE("GET", "/{:int}", 0),
		ROUTE("GET", "/{id:float}", 0),
		ROUTE("GET", "/{id:}", 0),
		ROUTE("GET", "/{a}{b}", 0),
		ROUTE("GET", "/{a}-{b}", 0),
		ROUTE("GET", "/{{a}}", 0),
		ROUTE("GET", "/{a-b}", 0),
		ROUTE("GET", "/{id}/{id}", 0),
		ROUTE("GET", "/a b", 0),
		ROUTE("GET", "/a%20b", 0),
		ROUTE("GET", "/a?b", 0),
		ROUTE("GET", "/a#b", 0),
		ROUTE("GET", "/\xC3\xA9", 0),
		ROUTE("GET", "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}", 0),
		ROUTE("GET", NULL, 0),
		ROUTE("get", "/", 0),
		ROUTE("", "/", 0),
		ROUTE(NULL, "/", 0),
		ROUTE("GE T", "/", 0),
	};
	static const struct route good[] = {
		ROUTE("GET", "/", 0),
		ROUTE("GET", "/a/", 0),
		ROUTE("GET", "/{id:int}", 0),
		ROUTE("GET", "/pre{x}post", 0),
		ROUTE("GET", "/-._~!$&'()*+,;=:@", 0),
		ROUTE("OPTIONS", "/{a_1}/{B2}", 0),
	};

	is_int(router_check(routes, ARRAY_LEN(routes)), 0,
	    "the test table is good");
	is_int(router_check(good, ARRAY_LEN(good)), 0, "good patterns pass");
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		is_int(router_check(&bad[i], 1), -1, "bad route #%zu: %s %s", i,
		    bad[i].method ? bad[i].method : "(null)",
		    bad[i].pattern ? bad[i].pattern : "(null)");
	is_int(router_check(NULL, 0), 0, "empty table");
}

/* Malformed patterns that slipped past router_check() just never match. */
static void
test_bad_pattern_match(struct arena *a)
{
	static const struct route r[] = {
		ROUTE("GET", "/{id", 0),
		ROUTE("GET", "/{id:float}", 1),
		ROUTE("GET", "x", 2),
		ROUTE("GET", "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}", 3),
	};
	static const struct route nulls[] = {
		ROUTE(NULL, "/", 0),
		ROUTE("GET", NULL, 1),
		ROUTE(NULL, "/x", 2),
		ROUTE("GET", "/x", 3),
	};
	struct route_match m;

	is_int(router_match(r, ARRAY_LEN(r), "GET", "/{id", a, &m),
	    ROUTE_NOT_FOUND, "unclosed brace never matches");
	is_int(router_match(r, ARRAY_LEN(r), "GET", "/7", a, &m),
	    ROUTE_NOT_FOUND, "unknown kind never matches");
	is_int(router_match(r, ARRAY_LEN(r), "GET", "/1/2/3/4/5/6/7/8/9", a,
	    &m), ROUTE_NOT_FOUND, "too many parameters never match");
	is_int(router_match(nulls, ARRAY_LEN(nulls), "GET", "/", a, &m),
	    ROUTE_NOT_FOUND, "NULL method or pattern never matches");
	is_int(router_match(nulls, ARRAY_LEN(nulls), "POST", "/x", a, &m),
	    ROUTE_METHOD_NOT_ALLOWED, "NULL entries stay out of 405s");
	is_str(m.allow, "GET, HEAD", "and out of Allow");
}

static void
test_long(struct arena *a)
{
	char *p = arena_alloc(a, 100002);
	struct route_match m;

	memset(p, 'x', 100001);
	p[0] = '/';
	p[100001] = '\0';
	is_int(router_match(routes, ARRAY_LEN(routes), "GET", p, a, &m),
	    ROUTE_NOT_FOUND, "100 KB segment");
	memcpy(p, "/tickets/", 9);
	is_int(router_match(routes, ARRAY_LEN(routes), "GET", p, a, &m),
	    ROUTE_FOUND, "100 KB parameter");
	is_int(m.params.items[0].value_len, 100001 - 9, "its length");
	for (size_t i = 0; i < 100000; i += 2)
		memcpy(p + i, "/a", 2);
	is_int(router_match(routes, ARRAY_LEN(routes), "GET", p, a, &m),
	    ROUTE_NOT_FOUND, "50000 segments");
}

int
main(void)
{
	struct arena a;

	arena_init(&a, 0);
	test_literal(&a);
	test_params(&a);
	test_unsafe_paths(&a);
	test_method(&a);
	test_allow_order(&a);
	test_check();
	test_bad_pattern_match(&a);
	test_long(&a);
	arena_free(&a);
	return done_testing();
}
