#include "crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <errno.h>

#include "arena.h"
#include "log.h"

static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void
crypto_random(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			log_err("%s: getrandom failed", __func__);
			abort();
		}
		p += got;
		n -= (size_t)got;
	}
}

void
crypto_sha256(const void *data, size_t len, unsigned char out[CRYPTO_HASH_BYTES])
{
	unsigned int outlen = CRYPTO_HASH_BYTES;

	if (EVP_Digest(data, len, out, &outlen, EVP_sha256(), NULL) != 1) {
		log_err("%s: EVP_Digest failed", __func__);
		abort();
	}
}

void
crypto_hmac_sha256(const void *key, size_t keylen, const void *data,
    size_t len, unsigned char out[CRYPTO_HASH_BYTES])
{
	unsigned int outlen = CRYPTO_HASH_BYTES;

	if (HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &outlen) ==
	    NULL) {
		log_err("%s: HMAC failed", __func__);
		abort();
	}
}

int
crypto_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

char *
crypto_b64url(struct arena *a, const void *data, size_t n)
{
	const unsigned char *in = data;
	char *out = arena_alloc(a, (n + 2) / 3 * 4 + 1), *o = out;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 |
		    in[i + 2];

		*o++ = b64url_alphabet[v >> 18 & 63];
		*o++ = b64url_alphabet[v >> 12 & 63];
		*o++ = b64url_alphabet[v >> 6 & 63];
		*o++ = b64url_alphabet[v & 63];
	}
	if (n - i == 1) {
		unsigned v = (unsigned)in[i] << 16;

		*o++ = b64url_alphabet[v >> 18 & 63];
		*o++ = b64url_alphabet[v >> 12 & 63];
	} else if (n - i == 2) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;

		*o++ = b64url_alphabet[v >> 18 & 63];
		*o++ = b64url_alphabet[v >> 12 & 63];
		*o++ = b64url_alphabet[v >> 6 & 63];
	}
	*o = '\0';
	return out;
}

static int
b64url_value(char c)
{
	const char *p;

	if (c == '\0' || (p = strchr(b64url_alphabet, c)) == NULL)
		return -1;
	return (int)(p - b64url_alphabet);
}

int
crypto_b64url_decode(const char *s, unsigned char *out, size_t outlen)
{
	size_t want = outlen / 3 * 4 + (outlen % 3 ? outlen % 3 + 1 : 0);
	unsigned v = 0;
	int bits = 0;
	size_t o = 0;

	if (s == NULL || strlen(s) != want)
		return -1;
	for (size_t i = 0; i < want; i++) {
		int d = b64url_value(s[i]);

		if (d < 0)
			return -1;
		v = (v << 6 | (unsigned)d) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o < outlen)
				out[o++] = (unsigned char)(v >> bits);
		}
	}
	/* Leftover bits must be zero, so each token has one spelling. */
	if (bits > 0 && (v & ((1u << bits) - 1)) != 0)
		return -1;
	return o == outlen ? 0 : -1;
}

char *
crypto_new_token(struct arena *a, unsigned char hash[CRYPTO_HASH_BYTES])
{
	unsigned char raw[CRYPTO_TOKEN_BYTES];
	char *text;

	crypto_random(raw, sizeof(raw));
	text = crypto_b64url(a, raw, sizeof(raw));
	crypto_sha256(raw, sizeof(raw), hash);
	explicit_bzero(raw, sizeof(raw));
	return text;
}

int
crypto_token_hash(const char *token, unsigned char hash[CRYPTO_HASH_BYTES])
{
	unsigned char raw[CRYPTO_TOKEN_BYTES];

	if (crypto_b64url_decode(token, raw, sizeof(raw)) != 0)
		return -1;
	crypto_sha256(raw, sizeof(raw), hash);
	explicit_bzero(raw, sizeof(raw));
	return 0;
}
