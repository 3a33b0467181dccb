#include "stripe_sig.h"

#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "util.h"

#define SIG_HEX_LEN (2 * CRYPTO_HASH_BYTES)
/* Ten digits until the year 2286; twelve bound the arithmetic below. */
#define SIG_T_DIGITS_MAX 12
#define SIG_KEY_MAX 8
#define SIG_VALUE_MAX 256

static const char *const result_names[STRIPE_SIG__MAX] = {
	/* STRIPE_SIG_OK */ "ok",
	/* STRIPE_SIG_MALFORMED */ "malformed header",
	/* STRIPE_SIG_NO_V1 */ "no v1 signature",
	/* STRIPE_SIG_BAD */ "bad signature",
	/* STRIPE_SIG_STALE */ "timestamp outside tolerance",
};

/* What the header says, pointing into it. */
struct sig_header {
	const char *t;                  /* the timestamp's digits, as signed */
	size_t tlen;
	long long tval;
	const char *v1[STRIPE_SIG_ENTRIES_MAX];
	size_t nv1;
};

const char *
stripe_sig_result_str(enum stripe_sig_result r)
{
	return (unsigned)r < STRIPE_SIG__MAX ? result_names[r] : "unknown";
}

static size_t
span_of(const char *s, size_t max, int (*in)(int))
{
	size_t n = 0;

	while (n <= max && s[n] != '\0' && in((unsigned char)s[n]))
		n++;
	return n;
}

static int
key_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int
value_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int
digit_char(int c)
{
	return c >= '0' && c <= '9';
}

static int
lower_hex_char(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/*
 * Parses the header strictly: entries key=value separated by single
 * commas, no spaces, keys of lowercase letters and digits, values of
 * letters, digits, '_' and '-'; exactly one t of digits; every v1 exactly
 * 64 lowercase hex digits. Returns STRIPE_SIG_OK with h filled, or
 * STRIPE_SIG_MALFORMED.
 */
static enum stripe_sig_result
sig_parse(const char *header, struct sig_header *h)
{
	const char *p = header;
	size_t entries = 0, klen, vlen;

	memset(h, 0, sizeof(*h));
	if (header == NULL)
		return STRIPE_SIG_MALFORMED;
	vlen = strnlen(header, STRIPE_SIG_HEADER_MAX + 1);
	if (vlen == 0 || vlen > STRIPE_SIG_HEADER_MAX)
		return STRIPE_SIG_MALFORMED;
	for (;;) {
		const char *key = p, *value;

		if (++entries > STRIPE_SIG_ENTRIES_MAX)
			return STRIPE_SIG_MALFORMED;
		klen = span_of(key, SIG_KEY_MAX, key_char);
		if (klen == 0 || klen > SIG_KEY_MAX || key[klen] != '=')
			return STRIPE_SIG_MALFORMED;
		value = key + klen + 1;
		vlen = span_of(value, SIG_VALUE_MAX, value_char);
		if (vlen == 0 || vlen > SIG_VALUE_MAX ||
		    (value[vlen] != ',' && value[vlen] != '\0'))
			return STRIPE_SIG_MALFORMED;
		if (klen == 1 && key[0] == 't') {
			if (h->t != NULL || vlen > SIG_T_DIGITS_MAX ||
			    span_of(value, vlen, digit_char) != vlen)
				return STRIPE_SIG_MALFORMED;
			h->t = value;
			h->tlen = vlen;
			h->tval = strtoll(value, NULL, 10);
		} else if (klen == 2 && memcmp(key, "v1", 2) == 0) {
			if (vlen != SIG_HEX_LEN ||
			    span_of(value, vlen, lower_hex_char) != vlen)
				return STRIPE_SIG_MALFORMED;
			h->v1[h->nv1++] = value;
		}
		p = value + vlen;
		if (*p == '\0')
			break;
		p++;            /* the comma; an entry must follow it */
	}
	return h->t != NULL ? STRIPE_SIG_OK : STRIPE_SIG_MALFORMED;
}

/* The lowercase hex HMAC-SHA-256 of t "." body, keyed with secret. */
static void
sig_expected(const struct sig_header *h, const void *body, size_t len,
    const char *secret, char hex[SIG_HEX_LEN])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char mac[CRYPTO_HASH_BYTES];
	char *msg = xmalloc(h->tlen + 1 + len);

	memcpy(msg, h->t, h->tlen);
	msg[h->tlen] = '.';
	if (len > 0)
		memcpy(msg + h->tlen + 1, body, len);
	crypto_hmac_sha256(secret, strlen(secret), msg, h->tlen + 1 + len, mac);
	free(msg);
	for (size_t i = 0; i < CRYPTO_HASH_BYTES; i++) {
		hex[2 * i] = digits[mac[i] >> 4];
		hex[2 * i + 1] = digits[mac[i] & 15];
	}
	explicit_bzero(mac, sizeof(mac));
}

enum stripe_sig_result
stripe_sig_verify(const void *body, size_t len, const char *header,
    const char *secret, time_t now, long tolerance)
{
	struct sig_header h;
	enum stripe_sig_result r;
	char want[SIG_HEX_LEN];
	int match = 0;

	if ((r = sig_parse(header, &h)) != STRIPE_SIG_OK)
		return r;
	if (h.nv1 == 0)
		return STRIPE_SIG_NO_V1;
	if (secret == NULL || *secret == '\0') {
		log_err("%s: no webhook secret configured "
		    "(TESSERA_STRIPE_WEBHOOK_SECRET); every event is refused",
		    __func__);
		return STRIPE_SIG_BAD;
	}
	sig_expected(&h, body, len, secret, want);
	/* Every entry is compared, so the time says nothing of which one
	 * matched. */
	for (size_t i = 0; i < h.nv1; i++)
		match |= crypto_equal(want, h.v1[i], SIG_HEX_LEN);
	explicit_bzero(want, sizeof(want));
	if (!match)
		return STRIPE_SIG_BAD;
	if (tolerance < 0)
		tolerance = 0;
	if (h.tval < (long long)now - tolerance ||
	    h.tval > (long long)now + tolerance)
		return STRIPE_SIG_STALE;
	return STRIPE_SIG_OK;
}
