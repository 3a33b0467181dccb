/*
 * Unit tests for http_url.c: percent-decoding, strict UTF-8 checking and
 * percent-encoding, including every string of the Big List of Naughty
 * Strings, found through $BLNS_JSON or next to the source tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "http_url.h"
#include "tap.h"
#include "blns.h"
#include "util.h"

/* Returns s[0..len) with non-printable bytes as \xHH, for test names. */
static const char *
show(struct arena *a, const char *s, size_t len)
{
	char *out = arena_alloc(a, len * 4 + 1), *p = out;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7F && c != '\\')
			*p++ = (char)c;
		else
			p += sprintf(p, "\\x%02X", c);
	}
	*p = '\0';
	return out;
}

static void
dec_ok(struct arena *a, const char *in, int plus, const char *want,
    size_t want_len)
{
	char *out = NULL;
	size_t n = 0;
	int rc;

	rc = url_decode(a, in, strlen(in), plus, &out, &n);
	ok(rc == 0 && n == want_len && memcmp(out, want, n) == 0 &&
	    out[n] == '\0', "decode%s \"%s\" -> \"%s\"", plus ? " form" : "",
	    show(a, in, strlen(in)), show(a, want, want_len));
}

static void
dec_bad(struct arena *a, const char *in, size_t len, int plus)
{
	char *out = (char *)"untouched";
	size_t n = 12345;
	int rc;

	rc = url_decode(a, in, len, plus, &out, &n);
	ok(rc == -1 && strcmp(out, "untouched") == 0 && n == 12345,
	    "reject%s \"%s\"", plus ? " form" : "", show(a, in, len));
}

static void
enc_is(struct arena *a, const char *in, size_t len, const char *want)
{
	is_str(url_encode(a, in, len), want, "encode \"%s\"",
	    show(a, in, len));
}

static void
test_decode_basic(struct arena *a)
{
	char *out = NULL;
	size_t n = 99;

	dec_ok(a, "", 0, "", 0);
	dec_ok(a, "", 1, "", 0);
	dec_ok(a, "abc", 0, "abc", 3);
	dec_ok(a, "a%20b", 0, "a b", 3);
	dec_ok(a, "a+b", 1, "a b", 3);
	dec_ok(a, "a+b", 0, "a+b", 3);
	dec_ok(a, "%2B", 1, "+", 1);
	dec_ok(a, "%2b+%2B", 1, "+ +", 3);
	dec_ok(a, "++", 1, "  ", 2);
	dec_ok(a, "%41%42%43", 0, "ABC", 3);
	dec_ok(a, "%6a%6A", 0, "jj", 2);
	dec_ok(a, "%4a%4A", 0, "JJ", 2);
	dec_ok(a, "%25", 0, "%", 1);
	dec_ok(a, "%2525", 0, "%25", 3);
	dec_ok(a, "100%25", 0, "100%", 4);
	dec_ok(a, "%3D%26", 1, "=&", 2);
	dec_ok(a, "%0D%0A", 0, "\r\n", 2);
	dec_ok(a, "%09tab", 0, "\ttab", 4);
	dec_ok(a, "%7F", 0, "\x7F", 1);
	dec_ok(a, "%01", 0, "\x01", 1);
	dec_ok(a, "/a/b?c", 0, "/a/b?c", 6);
	dec_ok(a, "%2F", 0, "/", 1);

	/* Only len bytes are read, and the copy is NUL-terminated. */
	ok(url_decode(a, "abcdef", 3, 0, &out, &n) == 0 &&
	    strcmp(out, "abc") == 0 && n == 3, "decode stops at len");
	ok(url_decode(a, "x", 0, 0, &out, &n) == 0 && *out == '\0' && n == 0,
	    "decode of zero bytes");
	ok(url_decode(a, "%41", 3, 0, &out, NULL) == 0 &&
	    strcmp(out, "A") == 0, "out_len may be NULL");
	dec_bad(a, "%41", 2, 0);
	dec_bad(a, "%41", 1, 0);
}

static void
test_decode_malformed(struct arena *a)
{
	static const char *const bad[] = {
		"%", "a%", "%4", "a%4", "%G1", "%1G", "%GG", "%%", "%%41",
		"%-1", "% 1", "%+1", "%0x", "%x0", "abc%", "%4%41", "%\xC3\xA9",
		"%g0", "%1g", "%.1", "%:0", "%@0", "%`0", "%0/",
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(bad); i++) {
		dec_bad(a, bad[i], strlen(bad[i]), 0);
		dec_bad(a, bad[i], strlen(bad[i]), 1);
	}
	/* NUL bytes, escaped or raw, never get through. */
	dec_bad(a, "%00", 3, 0);
	dec_bad(a, "a%00b", 5, 1);
	dec_bad(a, "a\0b", 3, 0);
	dec_bad(a, "\0", 1, 1);
	dec_bad(a, "abc%00", 6, 0);
}

/*
 * Well-formed UTF-8 decodes, escaped or raw; every ill-formed sequence of
 * RFC 3629 section 3 is refused.
 */
static void
test_decode_utf8(struct arena *a)
{
	static const struct {
		const char *in;
		const char *want;
	} good[] = {
		{ "%C3%A9", "\xC3\xA9" },			/* U+00E9 */
		{ "caf%C3%A9", "caf\xC3\xA9" },
		{ "\xC3\xA9", "\xC3\xA9" },			/* raw */
		{ "%C2%80", "\xC2\x80" },			/* U+0080 */
		{ "%DF%BF", "\xDF\xBF" },			/* U+07FF */
		{ "%E0%A0%80", "\xE0\xA0\x80" },		/* U+0800 */
		{ "%ED%9F%BF", "\xED\x9F\xBF" },		/* U+D7FF */
		{ "%EE%80%80", "\xEE\x80\x80" },		/* U+E000 */
		{ "%EF%BF%BD", "\xEF\xBF\xBD" },		/* U+FFFD */
		{ "%EF%BF%BF", "\xEF\xBF\xBF" },		/* U+FFFF */
		{ "%EF%BB%BF", "\xEF\xBB\xBF" },		/* BOM */
		{ "%F0%90%80%80", "\xF0\x90\x80\x80" },		/* U+10000 */
		{ "%F0%9F%98%80", "\xF0\x9F\x98\x80" },		/* emoji */
		{ "%F3%BF%BF%BF", "\xF3\xBF\xBF\xBF" },
		{ "%F4%8F%BF%BF", "\xF4\x8F\xBF\xBF" },		/* U+10FFFF */
		{ "%E2%80%AE", "\xE2\x80\xAE" },		/* U+202E RLO */
		{ "%E6%97%A5%E6%9C%AC", "\xE6\x97\xA5\xE6\x9C\xAC" },
		{ "%F0%9F%98%80+%C3%A9", "\xF0\x9F\x98\x80+\xC3\xA9" },
	};
	static const char *const bad[] = {
		"%80", "%BF", "%80%80",			/* lone continuation */
		"%C0%80",				/* overlong NUL */
		"%C0%AF", "%C1%BF",			/* overlong 2-byte */
		"%E0%80%AF", "%E0%9F%BF",		/* overlong 3-byte */
		"%F0%80%80%AF", "%F0%8F%BF%BF",		/* overlong 4-byte */
		"%ED%A0%80", "%ED%AD%BF", "%ED%B0%80",	/* surrogates */
		"%ED%BF%BF",
		"%ED%A0%BD%ED%B8%80",			/* CESU-8 pair */
		"%F4%90%80%80",				/* U+110000 */
		"%F5%80%80%80", "%F7%BF%BF%BF",
		"%F8%88%80%80%80",			/* 5-byte form */
		"%FC%84%80%80%80%80",			/* 6-byte form */
		"%FE", "%FF", "%FF%FE",
		"%C3", "a%C3", "%E2%82", "%F0%9F%98",	/* truncated */
		"%C3%28", "%C3%C3%A9",			/* bad continuation */
		"%E2%28%A1", "%E2%82%28",
		"%F0%28%8C%BC", "%F0%90%28%BC", "%F0%90%8C%28",
		"%C3+", "%E2%82+",
		"\xFF", "a\xC3", "\xC0\x80", "\xED\xA0\x80",	/* raw */
		"\xF4\x90\x80\x80", "\xE0\x80\xAF",
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(good); i++)
		dec_ok(a, good[i].in, 0, good[i].want, strlen(good[i].want));
	for (i = 0; i < ARRAY_LEN(bad); i++)
		dec_bad(a, bad[i], strlen(bad[i]), 1);
}

/* Every byte value, escaped in both cases of hex: ASCII in, the rest out. */
static void
test_decode_every_byte(struct arena *a)
{
	char in[4], *out;
	size_t n;
	int c, good = 1, bad = 1;

	for (c = 0; c < 256; c++) {
		snprintf(in, sizeof(in), c % 2 ? "%%%02X" : "%%%02x", c);
		if (url_decode(a, in, 3, 0, &out, &n) == 0) {
			if (c == 0 || c >= 0x80 || n != 1 ||
			    (unsigned char)out[0] != c)
				bad = 0;
		} else if (c != 0 && c < 0x80)
			good = 0;
	}
	ok(good, "every escaped ASCII byte but NUL decodes to itself");
	ok(bad, "NUL and every escaped byte >= 0x80 alone is rejected");
}

static void
test_decode_long(struct arena *a)
{
	size_t n = 100000, i, len;
	char *in = arena_alloc(a, n * 3 + 1), *out;
	int same = 1;

	for (i = 0; i < n; i++)
		memcpy(in + i * 3, "%41", 3);
	in[n * 3] = '\0';
	ok(url_decode(a, in, n * 3, 0, &out, &len) == 0 && len == n,
	    "decode 300000 bytes of escapes");
	for (i = 0; i < len; i++)
		if (out[i] != 'A')
			same = 0;
	ok(same && out[len] == '\0', "long decode is all 'A'");
	memcpy(in + n * 3 - 3, "%C3", 3);
	dec_bad(a, in, n * 3, 0);
}

static void
test_utf8_valid(void)
{
	ok(url_utf8_valid("", 0), "empty is valid UTF-8");
	ok(url_utf8_valid("plain", 5), "ASCII is valid UTF-8");
	ok(url_utf8_valid("\xF0\x9F\x98\x80", 4), "emoji is valid");
	ok(!url_utf8_valid("a\0b", 3), "NUL is refused");
	ok(!url_utf8_valid("\xF0\x9F\x98", 3), "truncated emoji is refused");
	ok(url_utf8_valid("\xF0\x9F\x98\x80", 4) &&
	    !url_utf8_valid("\xF0\x9F\x98\x80", 3),
	    "length bounds the check");
	ok(!url_utf8_valid("\xC2", 1), "lead byte at end is refused");
}

static void
test_encode(struct arena *a)
{
	unsigned char all[256];
	char *e, *d;
	size_t i, n;
	int shape = 1;

	enc_is(a, "", 0, "");
	enc_is(a, "abcXYZ019", 9, "abcXYZ019");
	enc_is(a, "-._~", 4, "-._~");
	enc_is(a, "a b", 3, "a%20b");
	enc_is(a, "a+b", 3, "a%2Bb");
	enc_is(a, "!*'();:@&=+$,/?#[]", 18,
	    "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D");
	enc_is(a, "%", 1, "%25");
	enc_is(a, "\"<>\\^`{|}", 9, "%22%3C%3E%5C%5E%60%7B%7C%7D");
	enc_is(a, "caf\xC3\xA9", 5, "caf%C3%A9");
	enc_is(a, "\xF0\x9F\x98\x80", 4, "%F0%9F%98%80");
	enc_is(a, "a\0b", 3, "a%00b");
	enc_is(a, "\r\n", 2, "%0D%0A");
	enc_is(a, "\xFF", 1, "%FF");
	enc_is(a, "abcdef", 3, "abc");

	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	e = url_encode(a, (const char *)all, 256);
	for (i = 0; e[i] != '\0'; i++) {
		if (e[i] == '%') {
			if (!strchr("0123456789ABCDEF", e[i + 1]) ||
			    !strchr("0123456789ABCDEF", e[i + 2]))
				shape = 0;
			i += 2;
		} else if (!strchr("-._~", e[i]) &&
		    !(e[i] >= 'A' && e[i] <= 'Z') &&
		    !(e[i] >= 'a' && e[i] <= 'z') &&
		    !(e[i] >= '0' && e[i] <= '9'))
			shape = 0;
	}
	ok(shape, "encoding of all 256 bytes is unreserved chars and %%XX");
	is_int(strlen(e), 66 + 190 * 3, "encoding of all 256 bytes has the "
	    "right length");
	/* 1..0x7F is valid UTF-8 and round-trips; the whole set does not. */
	e = url_encode(a, (const char *)all + 1, 127);
	ok(url_decode(a, e, strlen(e), 0, &d, &n) == 0 && n == 127 &&
	    memcmp(d, all + 1, 127) == 0, "ASCII round-trips");
	ok(url_decode(a, e, strlen(e), 1, &d, &n) == 0 && n == 127 &&
	    memcmp(d, all + 1, 127) == 0, "ASCII round-trips as a form");
	e = url_encode(a, (const char *)all, 256);
	ok(url_decode(a, e, strlen(e), 0, &d, &n) == -1,
	    "all 256 bytes round-trip to a rejection");
}

/*
 * Each naughty string, url-encoded, must decode back to itself (they are
 * all valid UTF-8 without NUL) in both modes; decoded raw, it must either
 * be refused or give valid UTF-8 no longer than the input.
 */
static void
test_blns(void)
{
	struct json_object *list = blns_load();
	struct arena w;
	char *e, *d, *r;
	size_t n, rn, count;
	int rc;

	if (list == NULL)
		return;
	count = json_object_array_length(list);
	ok(count > 500, "blns has %zu strings", count);
	arena_init(&w, 0);
	for (size_t i = 0; i < count; i++) {
		struct json_object *item = json_object_array_get_idx(list, i);
		const char *s = json_object_get_string(item);
		size_t len = (size_t)json_object_get_string_len(item);

		e = url_encode(&w, s, len);
		if (url_utf8_valid(s, len)) {
			ok(url_decode(&w, e, strlen(e), 0, &d, &n) == 0 &&
			    n == len && memcmp(d, s, n) == 0 &&
			    url_decode(&w, e, strlen(e), 1, &d, &n) == 0 &&
			    n == len && memcmp(d, s, n) == 0,
			    "blns %zu round-trips", i);
		} else
			ok(url_decode(&w, e, strlen(e), 0, &d, &n) == -1,
			    "blns %zu (invalid UTF-8) is rejected", i);
		rc = url_decode(&w, s, len, 1, &r, &rn);
		ok(rc == -1 || (rn <= len && strlen(r) == rn &&
		    url_utf8_valid(r, rn)), "blns %zu decoded raw: %s", i,
		    rc == 0 ? "clean" : "rejected");
		arena_reset(&w);
	}
	arena_free(&w);
	json_object_put(list);
}

static void
test_with_query(struct arena *a)
{
	static const char *const names[] = { "q", "city", "to" };
	const char *values[] = { "jazz & blues", NULL, "2026-12-31" };
	const char *none[] = { NULL, NULL, NULL };

	is_str(url_with_query(a, "/events", names, values, 3, 1),
	    "/events?q=jazz%20%26%20blues&to=2026-12-31",
	    "the filters with a value, encoded; no page 1");
	is_str(url_with_query(a, "/events", names, values, 3, 3),
	    "/events?q=jazz%20%26%20blues&to=2026-12-31&page=3",
	    "page past the first at the end");
	is_str(url_with_query(a, "/events", names, none, 3, 2),
	    "/events?page=2", "no filter: the page alone");
	is_str(url_with_query(a, "/events", names, none, 3, 1), "/events",
	    "nothing: the path alone");
}

int
main(void)
{
	struct arena a;

	arena_init(&a, 0);
	test_with_query(&a);
	test_decode_basic(&a);
	test_decode_malformed(&a);
	test_decode_utf8(&a);
	test_decode_every_byte(&a);
	test_decode_long(&a);
	test_utf8_valid();
	test_encode(&a);
	test_blns();
	arena_free(&a);
	return done_testing();
}
