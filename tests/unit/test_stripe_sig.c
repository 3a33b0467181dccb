/*
 * Stripe webhook signatures. The expected signatures are not made by the
 * module under test: one is a constant from
 *
 *	printf '%s' '1700000000.{"id":"evt_test","object":"event"}' |
 *	    openssl dgst -sha256 -hmac whsec_test_secret_tessera
 *
 * and the others come from OpenSSL's HMAC() called here.
 */
#include <json-c/json.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stripe_sig.h"
#include "tap.h"
#include "blns.h"

#define SECRET "whsec_test_secret_tessera"
#define BODY "{\"id\":\"evt_test\",\"object\":\"event\"}"
#define T 1700000000L
#define T_TEXT "1700000000"
#define SIG "8ab6158badcfc388f5536d3ad7c26e311fe13e8819e8c73f542c50f37fe3efd4"
/* The same key and time over an empty body. */
#define SIG_EMPTY \
	"abef2659da8f9137ff1681afc62101d9b7f53aa760493a077545a5b6332ec33b"
#define SIG_UPPER \
	"8AB6158BADCFC388F5536D3AD7C26E311FE13E8819E8C73F542C50F37FE3EFD4"
#define SIG_SHORT \
	"8ab6158badcfc388f5536d3ad7c26e311fe13e8819e8c73f542c50f37fe3efd"
#define WRONG \
	"0000000000000000000000000000000000000000000000000000000000000000"

static enum stripe_sig_result
check(const char *body, const char *header, long now)
{
	return stripe_sig_verify(body, strlen(body), header, SECRET, now,
	    STRIPE_SIG_TOLERANCE);
}

/* The v1 value for t "." body under secret, as lowercase hex, computed
 * with OpenSSL directly. */
static void
sign(const char *secret, const char *t, const void *body, size_t len,
    char out[65])
{
	size_t tlen = strlen(t);
	unsigned char mac[32], *msg = malloc(tlen + 1 + len + 1);
	unsigned int maclen = sizeof(mac);

	memcpy(msg, t, tlen);
	msg[tlen] = '.';
	memcpy(msg + tlen + 1, body, len);
	HMAC(EVP_sha256(), secret, (int)strlen(secret), msg, tlen + 1 + len,
	    mac, &maclen);
	free(msg);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
}

static void
test_known(void)
{
	is_int(check(BODY, "t=" T_TEXT ",v1=" SIG, T), STRIPE_SIG_OK,
	    "the openssl dgst vector verifies");
	is_int(stripe_sig_verify("", 0, "t=" T_TEXT ",v1=" SIG_EMPTY, SECRET, T,
	    300), STRIPE_SIG_OK, "an empty body verifies");
	is_int(stripe_sig_verify(NULL, 0, "t=" T_TEXT ",v1=" SIG_EMPTY, SECRET,
	    T, 300), STRIPE_SIG_OK, "a NULL body of length 0 is empty");
	is_int(check(BODY, "v1=" SIG ",t=" T_TEXT, T), STRIPE_SIG_OK,
	    "entries in any order");
	is_int(check(BODY, "t=" T_TEXT ",v1=" SIG ",v0=" WRONG, T),
	    STRIPE_SIG_OK, "a v0 entry (test mode) is ignored");
	is_int(check(BODY, "t=" T_TEXT ",v1=" SIG ",v9=abc,x=Y_z-1", T),
	    STRIPE_SIG_OK, "unknown schemes are ignored");
}

static void
test_refused(void)
{
	char sig[65];

	is_int(check(BODY "x", "t=" T_TEXT ",v1=" SIG, T), STRIPE_SIG_BAD,
	    "a byte added to the body");
	is_int(check("{\"id\":\"evt_tesT\",\"object\":\"event\"}",
	    "t=" T_TEXT ",v1=" SIG, T), STRIPE_SIG_BAD, "a byte changed");
	is_int(check(BODY "\n", "t=" T_TEXT ",v1=" SIG, T), STRIPE_SIG_BAD,
	    "a trailing newline");
	is_int(check(BODY, "t=1700000001,v1=" SIG, T), STRIPE_SIG_BAD,
	    "another timestamp than the one signed");
	is_int(check(BODY, "t=01700000000,v1=" SIG, T), STRIPE_SIG_BAD,
	    "the timestamp is signed as written (a leading zero differs)");
	is_int(stripe_sig_verify(BODY, strlen(BODY), "t=" T_TEXT ",v1=" SIG,
	    "whsec_other", T, 300), STRIPE_SIG_BAD, "another secret");
	is_int(stripe_sig_verify(BODY, strlen(BODY), "t=" T_TEXT ",v1=" SIG,
	    "test_secret_tessera", T, 300), STRIPE_SIG_BAD,
	    "the secret without its whsec_ prefix is another key");
	is_int(stripe_sig_verify(BODY, strlen(BODY), "t=" T_TEXT ",v1=" SIG,
	    "", T, 300), STRIPE_SIG_BAD, "an empty secret verifies nothing");
	is_int(stripe_sig_verify(BODY, strlen(BODY), "t=" T_TEXT ",v1=" SIG,
	    NULL, T, 300), STRIPE_SIG_BAD, "no secret verifies nothing");
	sign("", T_TEXT, BODY, strlen(BODY), sig);
	{
		char h[128];

		snprintf(h, sizeof(h), "t=%s,v1=%s", T_TEXT, sig);
		is_int(stripe_sig_verify(BODY, strlen(BODY), h, "", T, 300),
		    STRIPE_SIG_BAD, "not even a signature made with the "
		    "empty key");
	}
	is_int(check(BODY, "t=" T_TEXT ",v0=" SIG, T), STRIPE_SIG_NO_V1,
	    "the right signature as v0 only: no v1");
	is_int(check(BODY, "t=" T_TEXT, T), STRIPE_SIG_NO_V1,
	    "a timestamp alone: no v1");
	is_int(check(BODY, "t=" T_TEXT ",v0=" SIG ",v1=" WRONG, T),
	    STRIPE_SIG_BAD, "v0 never stands in for a wrong v1");
}

static void
test_time(void)
{
	const char *h = "t=" T_TEXT ",v1=" SIG;

	is_int(check(BODY, h, T + 300), STRIPE_SIG_OK, "300 s old: accepted");
	is_int(check(BODY, h, T + 301), STRIPE_SIG_STALE, "301 s old: stale");
	is_int(check(BODY, h, T + 86400 * 365), STRIPE_SIG_STALE,
	    "a year old: stale");
	is_int(check(BODY, h, T - 300), STRIPE_SIG_OK,
	    "300 s in the future: accepted");
	is_int(check(BODY, h, T - 301), STRIPE_SIG_STALE,
	    "301 s in the future: refused");
	is_int(check(BODY, "t=999999999999,v1=" WRONG, T), STRIPE_SIG_BAD,
	    "signature first: a forged far-future event is bad, not stale");
	is_int(stripe_sig_verify(BODY, strlen(BODY), h, SECRET, T + 1, 0),
	    STRIPE_SIG_STALE, "tolerance 0: one second off is stale");
	is_int(stripe_sig_verify(BODY, strlen(BODY), h, SECRET, T, -5),
	    STRIPE_SIG_OK, "a negative tolerance counts as 0");
}

static void
test_multiple(void)
{
	is_int(check(BODY, "t=" T_TEXT ",v1=" WRONG ",v1=" SIG, T),
	    STRIPE_SIG_OK, "two v1, the second right (a rolled secret)");
	is_int(check(BODY, "t=" T_TEXT ",v1=" SIG ",v1=" WRONG, T),
	    STRIPE_SIG_OK, "two v1, the first right");
	is_int(check(BODY, "t=" T_TEXT ",v1=" WRONG ",v1="
	    "1111111111111111111111111111111111111111111111111111111111111111",
	    T), STRIPE_SIG_BAD, "two v1, neither right");
}

static void
test_malformed(void)
{
	static const char *const bad[] = {
		"", "t", "t=", "=", ",", "t=,v1=" SIG, "t=abc,v1=" SIG,
		"t=-1700000000,v1=" SIG, "t=+1700000000,v1=" SIG,
		"t=1700000000.5,v1=" SIG, "t=1e9,v1=" SIG,
		"t=1700000000000,v1=" SIG,     /* 13 digits */
		"t=1,t=" T_TEXT ",v1=" SIG, "t=" T_TEXT ",t=" T_TEXT ",v1=" SIG,
		" t=" T_TEXT ",v1=" SIG, "t=" T_TEXT ", v1=" SIG,
		"t=" T_TEXT ",v1=" SIG " ", "t = " T_TEXT ",v1=" SIG,
		"t=" T_TEXT "\t,v1=" SIG, "t=" T_TEXT ",v1=" SIG "\r\n",
		"t=" T_TEXT ",v1=" SIG ",", ",t=" T_TEXT ",v1=" SIG,
		"t=" T_TEXT ",,v1=" SIG, "t=" T_TEXT ";v1=" SIG,
		"t=" T_TEXT ",v1",  "t=" T_TEXT ",v1=", "t=" T_TEXT ",=" SIG,
		"t==" T_TEXT ",v1=" SIG, "t=" T_TEXT ",v1==" SIG,
		"T=" T_TEXT ",v1=" SIG, "t=" T_TEXT ",V1=" SIG,
		"t=" T_TEXT ",v1=" SIG_UPPER,    /* Stripe writes lowercase */
		"t=" T_TEXT ",v1=" SIG_SHORT,    /* 63 digits */
		"t=" T_TEXT ",v1=" SIG "0", "t=" T_TEXT ",v1=" SIG "g",
		"t=" T_TEXT ",v1=0x" SIG, "t=" T_TEXT ",v1=\"" SIG "\"",
		"t=" T_TEXT ",verylongkey=1,v1=" SIG,
		"t=" T_TEXT ",v0=a/b,v1=" SIG, "t=" T_TEXT ",x=%41,v1=" SIG,
		"Stripe-Signature: t=" T_TEXT ",v1=" SIG,
		"t=" T_TEXT ",v1=" SIG "\xc3\xa9",
	};

	is_int(check(BODY, NULL, T), STRIPE_SIG_MALFORMED, "no header");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(check(BODY, bad[i], T), STRIPE_SIG_MALFORMED,
		    "malformed: \"%s\"", bad[i]);
}

/* A header of exactly n characters: t, v1, then filler entries. */
static char *
padded(size_t n, size_t *entries)
{
	char *h = malloc(n + 1);
	size_t len;

	len = (size_t)snprintf(h, n + 1, "t=%s,v1=%s", T_TEXT, SIG);
	*entries = 2;
	while (len < n) {
		size_t room = n - len, take;

		/* ",x=" plus 1..200 value characters */
		if (room < 4) {
			/* lengthen the previous filler instead */
			memset(h + len, 'a', room);
			len += room;
			break;
		}
		take = room - 3 > 200 ? 200 : room - 3;
		memcpy(h + len, ",x=", 3);
		memset(h + len + 3, 'a', take);
		len += 3 + take;
		(*entries)++;
	}
	h[len] = '\0';
	return h;
}

static void
test_limits(void)
{
	size_t entries;
	char *h;
	char big[64 * 1024];
	int off;

	h = padded(STRIPE_SIG_HEADER_MAX, &entries);
	is_int(strlen(h), STRIPE_SIG_HEADER_MAX, "a header at the limit");
	ok(entries <= STRIPE_SIG_ENTRIES_MAX, "  (%zu entries)", entries);
	is_int(check(BODY, h, T), STRIPE_SIG_OK, "at the length limit: ok");
	free(h);
	h = padded(STRIPE_SIG_HEADER_MAX + 1, &entries);
	is_int(check(BODY, h, T), STRIPE_SIG_MALFORMED,
	    "one character over: malformed");
	free(h);

	off = snprintf(big, sizeof(big), "t=%s,v1=%s", T_TEXT, SIG);
	for (int i = 2; i < STRIPE_SIG_ENTRIES_MAX; i++)
		off += snprintf(big + off, sizeof(big) - off, ",x=%d", i);
	is_int(check(BODY, big, T), STRIPE_SIG_OK, "%d entries: ok",
	    STRIPE_SIG_ENTRIES_MAX);
	snprintf(big + off, sizeof(big) - off, ",x=y");
	is_int(check(BODY, big, T), STRIPE_SIG_MALFORMED,
	    "%d entries: malformed", STRIPE_SIG_ENTRIES_MAX + 1);

	off = snprintf(big, sizeof(big), "t=%s", T_TEXT);
	while ((size_t)off + 68 < sizeof(big))
		off += snprintf(big + off, sizeof(big) - off, ",v1=%s", SIG);
	is_int(check(BODY, big, T), STRIPE_SIG_MALFORMED,
	    "a 64 KiB header of v1 entries: malformed");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	is_int(check(BODY, big, T), STRIPE_SIG_MALFORMED,
	    "64 KiB of letters: malformed");
}

/* Bodies as Stripe sends them are JSON, but any bytes must verify. */
static void
test_bodies(void)
{
	static const unsigned char nul_body[] = "a\0b\0\xff\xfe";
	size_t big_len = 1 << 20;
	char *big = malloc(big_len), sig[65], h[128];

	sign(SECRET, T_TEXT, nul_body, sizeof(nul_body), sig);
	snprintf(h, sizeof(h), "t=%s,v1=%s", T_TEXT, sig);
	is_int(stripe_sig_verify(nul_body, sizeof(nul_body), h, SECRET, T, 300),
	    STRIPE_SIG_OK, "a body with NUL bytes, all of it signed");
	is_int(stripe_sig_verify(nul_body, 1, h, SECRET, T, 300),
	    STRIPE_SIG_BAD, "and not only up to its first NUL");
	for (size_t i = 0; i < big_len; i++)
		big[i] = (char)('a' + i % 26);
	sign(SECRET, T_TEXT, big, big_len, sig);
	snprintf(h, sizeof(h), "t=%s,v1=%s", T_TEXT, sig);
	is_int(stripe_sig_verify(big, big_len, h, SECRET, T, 300),
	    STRIPE_SIG_OK, "a 1 MiB body");
	big[big_len / 2] ^= 1;
	is_int(stripe_sig_verify(big, big_len, h, SECRET, T, 300),
	    STRIPE_SIG_BAD, "one bit flipped in its middle");
	free(big);
}

static void
test_naughty(void)
{
	struct json_object *list = blns_load();
	size_t n, bad_header = 0, body_ok = 0, secret_ok = 0, header_ok = 0;
	char sig[65], h[STRIPE_SIG_HEADER_MAX * 2];

	if (list == NULL)
		return;
	n = json_object_array_length(list);
	for (size_t i = 0; i < n; i++) {
		const char *s = json_object_get_string(
		    json_object_array_get_idx(list, i));
		size_t len = strlen(s);
		enum stripe_sig_result r;

		/* As the header: never accepted, never out of range. */
		r = check(BODY, s, T);
		if (r == STRIPE_SIG_MALFORMED || r == STRIPE_SIG_NO_V1)
			bad_header++;
		else
			printf("# header \"%s\" gave %d\n", s, r);
		/* Appended to a good header: refused unless it is itself a
		 * well-formed entry. */
		snprintf(h, sizeof(h), "t=%s,v1=%s,%s", T_TEXT, SIG, s);
		if (check(BODY, h, T) != STRIPE_SIG_OK || strspn(s,
		    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789_-=") == len)
			header_ok++;
		/* As the body, rightly signed: accepted. */
		sign(SECRET, T_TEXT, s, len, sig);
		snprintf(h, sizeof(h), "t=%s,v1=%s", T_TEXT, sig);
		if (stripe_sig_verify(s, len, h, SECRET, T, 300) ==
		    STRIPE_SIG_OK)
			body_ok++;
		/* As the secret: accepted with it, refused with ours. */
		if (len == 0) {
			secret_ok++;
			continue;
		}
		sign(s, T_TEXT, BODY, strlen(BODY), sig);
		snprintf(h, sizeof(h), "t=%s,v1=%s", T_TEXT, sig);
		if (stripe_sig_verify(BODY, strlen(BODY), h, s, T, 300) ==
		    STRIPE_SIG_OK && (strcmp(s, SECRET) == 0 ||
		    check(BODY, h, T) == STRIPE_SIG_BAD))
			secret_ok++;
	}
	is_int(bad_header, n, "none of the %zu naughty strings is a "
	    "signature header", n);
	is_int(header_ok, n, "none spoils a good header unnoticed");
	is_int(body_ok, n, "each verifies as a signed body");
	is_int(secret_ok, n, "each works as a secret, and only as itself");
	json_object_put(list);
}

static void
test_names(void)
{
	int distinct = 1;

	for (int i = 0; i < STRIPE_SIG__MAX; i++)
		for (int j = 0; j < i; j++)
			if (strcmp(stripe_sig_result_str(i),
			    stripe_sig_result_str(j)) == 0)
				distinct = 0;
	ok(distinct, "every result has its own name");
	is_str(stripe_sig_result_str(STRIPE_SIG_STALE),
	    "timestamp outside tolerance", "the stale one");
	is_str(stripe_sig_result_str(STRIPE_SIG__MAX), "unknown",
	    "out of range");
}

int
main(void)
{
	test_known();
	test_refused();
	test_time();
	test_multiple();
	test_malformed();
	test_limits();
	test_bodies();
	test_naughty();
	test_names();
	return done_testing();
}
