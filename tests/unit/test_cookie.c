/*
 * Unit tests for http_cookie.c: Cookie header parsing (lenient, pair by
 * pair) and Set-Cookie formatting (strict).
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "http_cookie.h"
#include "tap.h"
#include "util.h"

/* Parses h and compares with want, a flat name/value list, in one line. */
static void
cookies_is(struct arena *a, const char *h, const char *const *want,
    size_t npairs, const char *what)
{
	struct params p;
	int same;

	cookie_parse(a, h, &p);
	same = p.count == npairs;
	for (size_t i = 0; same && i < npairs; i++)
		same = strcmp(p.items[i].name, want[2 * i]) == 0 &&
		    strcmp(p.items[i].value, want[2 * i + 1]) == 0 &&
		    p.items[i].value_len == strlen(want[2 * i + 1]);
	if (!ok(same, "%s", what))
		printf("#   got %zu cookies\n", p.count);
}

#define COOKIES_IS(a, h, what, ...)					\
	do {								\
		static const char *const w[] = { __VA_ARGS__ };		\
		cookies_is((a), (h), w, ARRAY_LEN(w) / 2, (what));	\
	} while (0)

static void
none_is(struct arena *a, const char *h, const char *what)
{
	struct params p = { (struct param *)1, 99 };

	cookie_parse(a, h, &p);
	ok(p.count == 0 && p.items == NULL, "%s", what);
}

static void
test_parse(struct arena *a)
{
	struct params p;

	COOKIES_IS(a, "a=b", "one cookie", "a", "b");
	COOKIES_IS(a, "a=b; c=d", "two cookies", "a", "b", "c", "d");
	COOKIES_IS(a, "a=b;c=d", "no space after ';'", "a", "b", "c", "d");
	COOKIES_IS(a, "a=b;  \tc=d", "extra whitespace", "a", "b", "c", "d");
	COOKIES_IS(a, "  a = b  ;  c = d  ", "whitespace around everything",
	    "a", "b", "c", "d");
	COOKIES_IS(a, "a=b;", "trailing ';'", "a", "b");
	COOKIES_IS(a, ";;a=b;;;c=d;;", "empty pairs", "a", "b", "c", "d");
	COOKIES_IS(a, "a=", "empty value", "a", "");
	COOKIES_IS(a, "a=\"\"", "empty quoted value", "a", "");
	COOKIES_IS(a, "a=\"xyz\"", "quotes stripped", "a", "xyz");
	COOKIES_IS(a, "a= \"xyz\" ", "quotes stripped inside whitespace",
	    "a", "xyz");
	COOKIES_IS(a, "a=b=c", "'=' in a value", "a", "b=c");
	COOKIES_IS(a, "a==", "value of '='", "a", "=");
	COOKIES_IS(a, "sid=abc%20def", "no percent-decoding", "sid",
	    "abc%20def");
	COOKIES_IS(a, "a=1; a=2", "duplicates kept in order", "a", "1", "a",
	    "2");
	COOKIES_IS(a, "__Host-sid=x1; theme=dark",
	    "prefixed name", "__Host-sid", "x1", "theme", "dark");
	COOKIES_IS(a, "a=!#$%&'()*+-./:<=>?@[]^_`{|}~",
	    "every cookie-octet punctuation", "a",
	    "!#$%&'()*+-./:<=>?@[]^_`{|}~");
	COOKIES_IS(a, "!#$%&'*+-.^_`|~=1", "every tchar in a name",
	    "!#$%&'*+-.^_`|~", "1");
	none_is(a, "a=b,c=d", "',' is no separator: one bad pair");

	/* Malformed pairs are skipped, the rest kept. */
	COOKIES_IS(a, "junk; a=b", "pair without '='", "a", "b");
	COOKIES_IS(a, "=x; a=b", "empty name", "a", "b");
	COOKIES_IS(a, "a b=1; c=d", "space in name", "c", "d");
	COOKIES_IS(a, "a=b c; c=d", "space in value", "c", "d");
	COOKIES_IS(a, "a=\"b; c=d", "unbalanced quote", "c", "d");
	COOKIES_IS(a, "a=b\"; c=d", "trailing quote", "c", "d");
	COOKIES_IS(a, "a=\"; c=d", "lone quote", "c", "d");
	COOKIES_IS(a, "a=\"b\"c\"; c=d", "quote inside quotes", "c", "d");
	COOKIES_IS(a, "a=\\x; c=d", "backslash in value", "c", "d");
	COOKIES_IS(a, "a=\x01; c=d", "control character in value", "c", "d");
	COOKIES_IS(a, "a\x7F=1; c=d", "DEL in name", "c", "d");
	COOKIES_IS(a, "a=\xC3\xA9; c=d", "non-ASCII value", "c", "d");
	COOKIES_IS(a, "\xC3\xA9=1; c=d", "non-ASCII name", "c", "d");
	COOKIES_IS(a, "(a)=1; c=d", "separator in name", "c", "d");
	COOKIES_IS(a, "a@b=1; c=d", "'@' in name", "c", "d");
	none_is(a, "a\r\n=1; c=d\r\n", "CR LF is not whitespace");
	none_is(a, NULL, "NULL header");
	none_is(a, "", "empty header");
	none_is(a, " ;; ; ", "only separators");
	none_is(a, "a", "lone name");
	none_is(a, "=", "lone '='");
	none_is(a, "a=\"", "only a lone quote");

	cookie_parse(a, "sid=s3cr3t; lang=fr", &p);
	is_str(params_get(&p, "sid"), "s3cr3t", "params_get sid");
	is_str(params_get(&p, "lang"), "fr", "params_get lang");
	is_str(params_get(&p, "SID"), NULL, "names are case-sensitive");
}

static void
test_parse_limits(struct arena *a)
{
	struct params p;
	char *h, *v;
	size_t i;

	/* The first COOKIE_MAX_COUNT good cookies are kept. */
	h = arena_strdup(a, "");
	for (i = 0; i < COOKIE_MAX_COUNT + 10; i++)
		h = arena_printf(a, "%sc%zu=%zu; ", h, i, i);
	cookie_parse(a, h, &p);
	is_int(p.count, COOKIE_MAX_COUNT, "at most %d cookies",
	    COOKIE_MAX_COUNT);
	is_str(p.items[COOKIE_MAX_COUNT - 1].name, "c49", "last one kept");
	is_str(params_get(&p, "c50"), NULL, "later ones dropped");

	h = arena_strdup(a, "bad; ");
	for (i = 0; i < COOKIE_MAX_COUNT; i++)
		h = arena_printf(a, "%sbad%zu; c%zu=x", h, i, i);
	cookie_parse(a, h, &p);
	is_int(p.count, COOKIE_MAX_COUNT, "malformed pairs do not count");

	/* Name plus value may be COOKIE_MAX_LEN bytes. */
	v = arena_alloc(a, COOKIE_MAX_LEN + 1);
	memset(v, 'v', COOKIE_MAX_LEN);
	v[COOKIE_MAX_LEN - 1] = '\0';
	cookie_parse(a, arena_printf(a, "a=%s; b=1", v), &p);
	ok(p.count == 2 && p.items[0].value_len == COOKIE_MAX_LEN - 1,
	    "cookie of COOKIE_MAX_LEN bytes kept");
	v[COOKIE_MAX_LEN - 1] = 'v';
	v[COOKIE_MAX_LEN] = '\0';
	cookie_parse(a, arena_printf(a, "a=%s; b=1", v), &p);
	ok(p.count == 1 && strcmp(p.items[0].name, "b") == 0,
	    "cookie over COOKIE_MAX_LEN bytes skipped");
	cookie_parse(a, arena_printf(a, "a=\"%s\"", v + 2), &p);
	ok(p.count == 1, "quotes do not count toward the length");

	/* A long header of junk is walked without trouble. */
	h = arena_alloc(a, 200001);
	for (i = 0; i < 200000; i++)
		h[i] = ";= \"a"[i % 5];
	h[200000] = '\0';
	cookie_parse(a, h, &p);
	ok(p.count <= COOKIE_MAX_COUNT, "200 KB of junk");
}

static void
format_is(struct arena *a, const struct cookie_attrs *c, const char *want,
    const char *what)
{
	is_str(cookie_format(a, c), want, "%s", what);
}

static void
test_format(struct arena *a)
{
	struct cookie_attrs c = {
		.name = "sid", .value = "abc", .max_age = -1,
	};
	struct cookie_attrs base = c;
	char *v;

	format_is(a, &c, "sid=abc", "bare session cookie");
	c.max_age = 3600;
	c.path = "/";
	c.http_only = 1;
	c.secure = 1;
	c.same_site = "Lax";
	format_is(a, &c,
	    "sid=abc; Max-Age=3600; Path=/; HttpOnly; Secure; SameSite=Lax",
	    "every attribute");
	c.same_site = "Strict";
	c.value = "";
	c.max_age = 0;
	format_is(a, &c,
	    "sid=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict",
	    "deleting a cookie");
	c = base;
	c.max_age = 9223372036854775807LL;
	format_is(a, &c, "sid=abc; Max-Age=9223372036854775807",
	    "huge Max-Age");
	c = base;
	c.path = "/events/42";
	c.http_only = 1;
	format_is(a, &c, "sid=abc; Path=/events/42; HttpOnly", "path");
	c = base;
	c.value = "!#$%&'()*+-./:<=>?@[]^_`{|}~09AZaz";
	format_is(a, &c, "sid=!#$%&'()*+-./:<=>?@[]^_`{|}~09AZaz",
	    "every cookie-octet");
	c = base;
	c.name = "!#$%&'*+-.^_`|~";
	format_is(a, &c, "!#$%&'*+-.^_`|~=abc", "every tchar");

	/* Refusals. */
	static const char *const bad_names[] = {
		"", "a b", "a;b", "a=b", "a,b", "a\"b", "a\\b", "(a)", "a@b",
		"a:b", "a/b", "a?b", "{a}", "a\tb", "a\rb", "a\nb", "a\x7F",
		"\xC3\xA9", "a[b]",
	};
	static const char *const bad_values[] = {
		" ", "a b", "a;b", "a,b", "\"quoted\"", "a\"b", "a\\b", "a\tb",
		"a\r\nSet-Cookie: x=y", "\x01", "\x7F", "\xC3\xA9", "a\nb",
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(bad_names); i++) {
		c = base;
		c.name = bad_names[i];
		ok(cookie_format(a, &c) == NULL, "name #%zu refused", i);
	}
	for (i = 0; i < ARRAY_LEN(bad_values); i++) {
		c = base;
		c.value = bad_values[i];
		ok(cookie_format(a, &c) == NULL, "value #%zu refused", i);
	}
	c = base;
	c.name = NULL;
	ok(cookie_format(a, &c) == NULL, "NULL name refused");
	c = base;
	c.value = NULL;
	ok(cookie_format(a, &c) == NULL, "NULL value refused");
	c = base;
	c.max_age = -2;
	ok(cookie_format(a, &c) == NULL, "Max-Age below -1 refused");
	c = base;
	c.path = "events";
	ok(cookie_format(a, &c) == NULL, "relative path refused");
	c.path = "";
	ok(cookie_format(a, &c) == NULL, "empty path refused");
	c.path = "/a;b";
	ok(cookie_format(a, &c) == NULL, "';' in path refused");
	c.path = "/a\r\nX: y";
	ok(cookie_format(a, &c) == NULL, "CR LF in path refused");
	c.path = "/a\x7F";
	ok(cookie_format(a, &c) == NULL, "DEL in path refused");
	c = base;
	c.same_site = "None";
	ok(cookie_format(a, &c) == NULL, "SameSite=None refused");
	c.same_site = "lax";
	ok(cookie_format(a, &c) == NULL, "SameSite is case-sensitive");
	c.same_site = "Lax; Domain=evil";
	ok(cookie_format(a, &c) == NULL, "SameSite injection refused");

	/* Cookie prefixes. */
	c = base;
	c.name = "__Secure-sid";
	ok(cookie_format(a, &c) == NULL, "__Secure- without Secure refused");
	c.secure = 1;
	format_is(a, &c, "__Secure-sid=abc; Secure", "__Secure- with Secure");
	c = base;
	c.name = "__Host-sid";
	c.secure = 1;
	ok(cookie_format(a, &c) == NULL, "__Host- without Path refused");
	c.path = "/app";
	ok(cookie_format(a, &c) == NULL, "__Host- with Path=/app refused");
	c.path = "/";
	c.secure = 0;
	ok(cookie_format(a, &c) == NULL, "__Host- without Secure refused");
	c.secure = 1;
	format_is(a, &c, "__Host-sid=abc; Path=/; Secure",
	    "__Host- done right");
	c.name = "__host-sid";
	c.secure = 0;
	ok(cookie_format(a, &c) == NULL, "prefixes match in any case");

	/* Length limit on name plus value, as for parsing. */
	v = arena_alloc(a, COOKIE_MAX_LEN + 1);
	memset(v, 'v', COOKIE_MAX_LEN);
	v[COOKIE_MAX_LEN - 3] = '\0';
	c = base;
	c.value = v;
	ok(cookie_format(a, &c) != NULL, "name + value = COOKIE_MAX_LEN");
	v[COOKIE_MAX_LEN - 3] = 'v';
	v[COOKIE_MAX_LEN - 2] = '\0';
	ok(cookie_format(a, &c) == NULL, "name + value > COOKIE_MAX_LEN");
}

/* Whatever cookie_format writes, cookie_parse reads back the same. */
static void
test_roundtrip(struct arena *a)
{
	static const char *const values[] = {
		"", "x", "abc123", "a=b", "YWJj+/==", "%41", "{json:1}",
		"<b>", "'quoted'", "a.b-c_d~e",
	};
	struct cookie_attrs c = {
		.name = "t", .max_age = 60, .path = "/", .http_only = 1,
		.secure = 1, .same_site = "Lax",
	};
	struct params p;
	const char *h;

	for (size_t i = 0; i < ARRAY_LEN(values); i++) {
		c.value = values[i];
		h = cookie_format(a, &c);
		cookie_parse(a, h ? arena_printf(a, "t=%s", values[i]) : "",
		    &p);
		ok(h != NULL && p.count == 1 &&
		    strcmp(params_get(&p, "t"), values[i]) == 0,
		    "round trip of \"%s\"", values[i]);
	}
}

int
main(void)
{
	struct arena a;

	arena_init(&a, 0);
	test_parse(&a);
	test_parse_limits(&a);
	test_format(&a);
	test_roundtrip(&a);
	arena_free(&a);
	return done_testing();
}
