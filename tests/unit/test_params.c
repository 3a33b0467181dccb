/*
 * Unit tests for http_params.c: query strings and urlencoded form bodies,
 * their limits, and the lookup helpers.
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "http_params.h"
#include "http_url.h"
#include "tap.h"
#include "util.h"

static enum params_status
parse(struct arena *a, const char *s, const struct params_limits *lim,
    struct params *p)
{
	return params_parse(a, s, strlen(s), lim, p);
}

/*
 * Parses s and compares with want, a flat list of name/value pairs, in a
 * single test line.
 */
static void
parse_is(struct arena *a, const char *s, const char *const *want,
    size_t npairs)
{
	struct params p;
	int same;

	same = parse(a, s, NULL, &p) == PARAMS_OK && p.count == npairs;
	for (size_t i = 0; same && i < npairs; i++)
		same = strcmp(p.items[i].name, want[2 * i]) == 0 &&
		    strcmp(p.items[i].value, want[2 * i + 1]) == 0 &&
		    p.items[i].value_len == strlen(want[2 * i + 1]);
	ok(same, "parse \"%s\" into %zu pairs", s, npairs);
}

#define PARSE_IS(a, s, ...)						\
	do {								\
		static const char *const w[] = { __VA_ARGS__ };		\
		parse_is((a), (s), w, ARRAY_LEN(w) / 2);		\
	} while (0)

static void
status_is(struct arena *a, const char *s, size_t len,
    const struct params_limits *lim, enum params_status want,
    const char *what)
{
	struct params p = { (struct param *)1, 99 };

	is_int(params_parse(a, s, len, lim, &p), want, "%s", what);
	if (want != PARAMS_OK)
		ok(p.items == NULL && p.count == 0, "%s: output is empty",
		    what);
}

static void
test_syntax(struct arena *a)
{
	struct params p;

	PARSE_IS(a, "a=1&b=2", "a", "1", "b", "2");
	PARSE_IS(a, "a=1", "a", "1");
	PARSE_IS(a, "a", "a", "");
	PARSE_IS(a, "a=", "a", "");
	PARSE_IS(a, "a&b", "a", "", "b", "");
	PARSE_IS(a, "a=&b=", "a", "", "b", "");
	PARSE_IS(a, "a=1&&b=2", "a", "1", "b", "2");
	PARSE_IS(a, "&a=1", "a", "1");
	PARSE_IS(a, "a=1&", "a", "1");
	PARSE_IS(a, "&&&a=1&&&", "a", "1");
	PARSE_IS(a, "=1&a=2", "a", "2");
	PARSE_IS(a, "a=1=2", "a", "1=2");
	PARSE_IS(a, "a==", "a", "=");
	PARSE_IS(a, "a=b+c", "a", "b c");
	PARSE_IS(a, "a+b=c", "a b", "c");
	PARSE_IS(a, "+=+", " ", " ");
	PARSE_IS(a, "q=%2B1", "q", "+1");
	PARSE_IS(a, "q=a%26b%3Dc", "q", "a&b=c");
	PARSE_IS(a, "a%3Db=c", "a=b", "c");
	PARSE_IS(a, "a%26b=c", "a&b", "c");
	PARSE_IS(a, "a=1;b=2", "a", "1;b=2");
	PARSE_IS(a, "a=%C3%A9t%C3%A9", "a", "\xC3\xA9t\xC3\xA9");
	PARSE_IS(a, "%C3%A9=x", "\xC3\xA9", "x");
	PARSE_IS(a, "msg=line1%0D%0Aline2", "msg", "line1\r\nline2");
	PARSE_IS(a, "a=1&a=2&a=3", "a", "1", "a", "2", "a", "3");
	PARSE_IS(a, "A=1&a=2", "A", "1", "a", "2");
	PARSE_IS(a, "a=?/:@", "a", "?/:@");
	PARSE_IS(a, "x=%F0%9F%8E%AB", "x", "\xF0\x9F\x8E\xAB");

	ok(parse(a, "=&=", NULL, &p) == PARAMS_OK && p.count == 0,
	    "parse \"=&=\" into no pairs");
	ok(parse(a, "&", NULL, &p) == PARAMS_OK && p.count == 0,
	    "parse \"&\" into no pairs");
	is_int(params_parse(a, NULL, 0, NULL, &p), PARAMS_OK,
	    "NULL input of length 0");
	ok(p.count == 0 && p.items == NULL, "NULL input gives no fields");
	is_int(parse(a, "", NULL, &p), PARAMS_OK, "empty input");
	ok(p.count == 0 && p.items == NULL, "empty input gives no fields");
	is_int(params_parse(a, "a=1&b=2", 3, NULL, &p), PARAMS_OK,
	    "parse stops at len");
	ok(p.count == 1 && strcmp(p.items[0].value, "1") == 0,
	    "only the first pair is seen");
}

static void
test_malformed(struct arena *a)
{
	static const char *const bad[] = {
		"a=%", "a=%4", "a=%G1", "a=%1G", "%=1", "%zz=1", "a=1&b=%",
		"a=%00", "a%00=1", "a=%C0%AF", "a=%ED%A0%80", "a=%F4%90%80%80",
		"a=%FF", "a=%C3", "a=ok&b=%E2%82", "%C3=1",
		"a=\xFF", "\xC3=1",
	};

	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		status_is(a, bad[i], strlen(bad[i]), NULL, PARAMS_MALFORMED,
		    bad[i]);
	status_is(a, "a=1\0b", 5, NULL, PARAMS_MALFORMED, "raw NUL in value");
	status_is(a, "a\0=1", 4, NULL, PARAMS_MALFORMED, "raw NUL in name");
	status_is(a, "a=1&\0", 5, NULL, PARAMS_MALFORMED, "raw NUL as a name");
}

static void
test_limits(struct arena *a)
{
	struct params_limits lim = params_default_limits;
	struct params p;
	char *big;
	size_t i, n;

	is_int(params_default_limits.max_bytes, 64 * 1024, "default bytes");
	is_int(params_default_limits.max_fields, 200, "default fields");
	is_int(params_default_limits.max_name_len, 64, "default name len");
	is_int(params_default_limits.max_value_len, 16 * 1024,
	    "default value len");

	/* max_bytes counts the encoded input, checked before anything else. */
	lim.max_bytes = 7;
	status_is(a, "a=1&b=2", 7, &lim, PARAMS_OK, "input at max_bytes");
	status_is(a, "a=1&b=22", 8, &lim, PARAMS_TOO_LARGE,
	    "input over max_bytes");
	status_is(a, "a=%GG&b", 8, &lim, PARAMS_TOO_LARGE,
	    "size is checked before syntax");
	lim = params_default_limits;

	/* max_fields counts kept pairs, not empty ones. */
	lim.max_fields = 3;
	status_is(a, "a&b&c", 5, &lim, PARAMS_OK, "fields at max_fields");
	status_is(a, "a&&b&&c&&&=x&=", 14, &lim, PARAMS_OK,
	    "skipped pairs do not count");
	status_is(a, "a&b&c&d", 7, &lim, PARAMS_TOO_MANY,
	    "fields over max_fields");
	status_is(a, "a&b&c&%", 7, &lim, PARAMS_TOO_MANY,
	    "count is checked before syntax");
	lim.max_fields = 0;
	status_is(a, "a", 1, &lim, PARAMS_TOO_MANY, "max_fields 0");
	status_is(a, "&&", 2, &lim, PARAMS_OK, "max_fields 0, no fields");
	lim = params_default_limits;

	/* Name and value limits apply to decoded lengths. */
	lim.max_name_len = 3;
	lim.max_value_len = 4;
	status_is(a, "abc=wxyz", 8, &lim, PARAMS_OK, "name and value at max");
	status_is(a, "abcd=1", 6, &lim, PARAMS_MALFORMED, "name over max");
	status_is(a, "a=vwxyz", 7, &lim, PARAMS_MALFORMED, "value over max");
	status_is(a, "%41%42%43=%41%42%43%44", 22, &lim, PARAMS_OK,
	    "limits count decoded bytes");
	status_is(a, "a=%C3%A9%C3%A9x", 15, &lim, PARAMS_MALFORMED,
	    "value limit is in bytes, not characters");
	status_is(a, "abcd", 4, &lim, PARAMS_MALFORMED,
	    "name without '=' over max");

	/* Defaults at and over each edge. */
	n = 200;
	big = arena_alloc(a, n * 4 + 8);
	for (i = 0, big[0] = '\0'; i < n; i++)
		strcat(big, i ? "&a=1" : "a=1");
	is_int(parse(a, big, NULL, &p), PARAMS_OK, "200 fields by default");
	is_int(p.count, 200, "all 200 fields kept");
	strcat(big, "&z");
	is_int(parse(a, big, NULL, &p), PARAMS_TOO_MANY, "201 fields refused");

	big = arena_alloc(a, 64 * 1024 + 2);
	memset(big, 'x', 64 * 1024 + 1);
	big[0] = 'v';
	big[1] = '=';
	big[64 * 1024 + 1] = '\0';
	status_is(a, big, 64 * 1024 + 1, NULL, PARAMS_TOO_LARGE,
	    "64 KiB + 1 refused");
	big[16 * 1024 + 2] = '\0';
	status_is(a, big, 16 * 1024 + 2, NULL, PARAMS_OK, "16 KiB value");
	big[16 * 1024 + 2] = 'x';
	big[16 * 1024 + 3] = '\0';
	status_is(a, big, 16 * 1024 + 3, NULL, PARAMS_MALFORMED,
	    "16 KiB + 1 value refused");

	memset(big, 'n', 65);
	big[65] = '\0';
	status_is(a, big, 64, NULL, PARAMS_OK, "64-byte name");
	status_is(a, big, 65, NULL, PARAMS_MALFORMED, "65-byte name refused");
}

static void
test_lookup(struct arena *a)
{
	struct params p, empty = { NULL, 0 };

	parse(a, "tag=a&x=1&tag=b&tag=&y&X=2", NULL, &p);
	is_str(params_get(&p, "x"), "1", "get x");
	is_str(params_get(&p, "X"), "2", "names are case-sensitive");
	is_str(params_get(&p, "tag"), "a", "get returns the first value");
	is_str(params_get(&p, "y"), "", "get a field without '='");
	is_str(params_get(&p, "z"), NULL, "get a missing field");
	is_str(params_get(&p, ""), NULL, "get the empty name");
	is_str(params_get(&p, "ta"), NULL, "no prefix match");
	is_str(params_get_n(&p, "tag", 0), "a", "tag #0");
	is_str(params_get_n(&p, "tag", 1), "b", "tag #1");
	is_str(params_get_n(&p, "tag", 2), "", "tag #2");
	is_str(params_get_n(&p, "tag", 3), NULL, "tag #3 is absent");
	is_str(params_get_n(&p, "tag", (size_t)-1), NULL, "huge index");
	is_int(params_count_name(&p, "tag"), 3, "count tag");
	is_int(params_count_name(&p, "x"), 1, "count x");
	is_int(params_count_name(&p, "nope"), 0, "count missing");
	is_str(params_get(&empty, "x"), NULL, "get from empty params");
	is_int(params_count_name(&empty, "x"), 0, "count in empty params");
}

/*
 * Awkward values survive a trip through url_encode into a form body and
 * back, as when the program builds a link and the browser follows it.
 */
static void
test_roundtrip(struct arena *a)
{
	static const char *const values[] = {
		"", " ", "+", "&", "=", "a=b&c=d", "100%", "%41", "\r\n",
		"<script>alert(1)</script>", "' OR 1=1 --", "\xC3\xA9",
		"\xF0\x9F\x98\x80", "\xE2\x80\xAExyz", "\xEF\xBB\xBF",
		"../../etc/passwd", "a\tb", "\x7F", "null", "?#[]@",
	};
	struct params p;
	const char *q;

	for (size_t i = 0; i < ARRAY_LEN(values); i++) {
		q = arena_printf(a, "k=%s&%s=v", url_encode(a, values[i],
		    strlen(values[i])), url_encode(a, values[i],
		    strlen(values[i])));
		ok(parse(a, q, NULL, &p) == PARAMS_OK &&
		    strcmp(params_get(&p, "k"), values[i]) == 0 &&
		    (values[i][0] == '\0' ?
		    p.count == 1 : strcmp(params_get(&p, values[i]), "v") == 0),
		    "round trip #%zu via \"%s\"", i, q);
	}
}

int
main(void)
{
	struct arena a;

	arena_init(&a, 0);
	test_syntax(&a);
	test_malformed(&a);
	test_limits(&a);
	test_lookup(&a);
	test_roundtrip(&a);
	arena_free(&a);
	return done_testing();
}
