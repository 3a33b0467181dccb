#include "crypto.h"

#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
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

/*
 * SHA-256 and HMAC are looked up once per process and their contexts
 * reused: OpenSSL 3 finds an algorithm by name (locks, property queries)
 * in every one-shot call such as HMAC(EVP_sha256(), ...), which for the
 * short inputs of sessions and CSRF tokens cost more than the hashing:
 * about 6 us per HMAC on each signed-in page. The programs are
 * single-threaded, and this is set up before they fork (crypto_init) or
 * on first use in a process.
 */
static EVP_MD *sha256_md;
static EVP_MD_CTX *sha256_ctx;
static EVP_MAC_CTX *hmac_ctx;

static _Noreturn void
crypto_fail(const char *what)
{
	log_err("libcrypto: %s failed", what);
	abort();
}

static EVP_MD_CTX *
sha256_ctx_get(void)
{
	if (sha256_md == NULL &&
	    (sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL)
		crypto_fail("EVP_MD_fetch(SHA256)");
	if (sha256_ctx == NULL && (sha256_ctx = EVP_MD_CTX_new()) == NULL)
		crypto_fail("EVP_MD_CTX_new");
	return sha256_ctx;
}

/* The HMAC context, its digest set once: each EVP_MAC_init() after that
 * only takes the key. */
static EVP_MAC_CTX *
hmac_ctx_get(void)
{
	EVP_MAC *mac;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
		    (char *)"SHA256", 0),
		OSSL_PARAM_construct_end(),
	};

	if (hmac_ctx != NULL)
		return hmac_ctx;
	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		crypto_fail("EVP_MAC_fetch(HMAC)");
	hmac_ctx = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);
	if (hmac_ctx == NULL || EVP_MAC_CTX_set_params(hmac_ctx, params) != 1)
		crypto_fail("EVP_MAC_CTX_new(HMAC-SHA256)");
	return hmac_ctx;
}

void
crypto_init(void)
{
	(void)sha256_ctx_get();
	(void)hmac_ctx_get();
}

void
crypto_sha256(const void *data, size_t len, unsigned char out[CRYPTO_HASH_BYTES])
{
	EVP_MD_CTX *c = sha256_ctx_get();
	unsigned int outlen = CRYPTO_HASH_BYTES;

	if (EVP_DigestInit_ex2(c, sha256_md, NULL) != 1 ||
	    EVP_DigestUpdate(c, data, len) != 1 ||
	    EVP_DigestFinal_ex(c, out, &outlen) != 1)
		crypto_fail("SHA-256");
}

void
crypto_hmac_sha256(const void *key, size_t keylen, const void *data,
    size_t len, unsigned char out[CRYPTO_HASH_BYTES])
{
	EVP_MAC_CTX *c = hmac_ctx_get();
	size_t outlen = 0;

	/* A NULL key would mean "the previous one": an empty key is "". */
	if (EVP_MAC_init(c, keylen > 0 ? key : (const void *)"", keylen,
	    NULL) != 1 || EVP_MAC_update(c, data, len) != 1 ||
	    EVP_MAC_final(c, out, &outlen, CRYPTO_HASH_BYTES) != 1 ||
	    outlen != CRYPTO_HASH_BYTES)
		crypto_fail("HMAC-SHA-256");
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
