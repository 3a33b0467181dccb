#include "crypto.h"

#include <openssl/crypto.h>
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
 * SHA-256 is looked up once per process and its context reused: OpenSSL
 * 3 finds an algorithm by name (locks, property queries) in every
 * one-shot call such as HMAC(EVP_sha256(), ...), which for the short
 * inputs of sessions and CSRF tokens cost more than the hashing: about
 * 6 us per HMAC, against 1 us here, on each signed-in page. The programs
 * are single-threaded, and this is set up before they fork
 * (crypto_init) or on first use in a process.
 */
static EVP_MD *sha256_md;
static EVP_MD_CTX *sha256_ctx;

#define SHA256_BLOCK_BYTES 64

static EVP_MD_CTX *
sha256_begin(void)
{
	if (sha256_md == NULL &&
	    (sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL) {
		log_err("%s: no SHA-256 in libcrypto", __func__);
		abort();
	}
	if (sha256_ctx == NULL && (sha256_ctx = EVP_MD_CTX_new()) == NULL) {
		log_err("%s: EVP_MD_CTX_new failed", __func__);
		abort();
	}
	if (EVP_DigestInit_ex2(sha256_ctx, sha256_md, NULL) != 1) {
		log_err("%s: EVP_DigestInit_ex2 failed", __func__);
		abort();
	}
	return sha256_ctx;
}

static void
sha256_add(EVP_MD_CTX *c, const void *data, size_t len)
{
	if (EVP_DigestUpdate(c, data, len) != 1) {
		log_err("%s: EVP_DigestUpdate failed", __func__);
		abort();
	}
}

static void
sha256_end(EVP_MD_CTX *c, unsigned char out[CRYPTO_HASH_BYTES])
{
	unsigned int outlen = CRYPTO_HASH_BYTES;

	if (EVP_DigestFinal_ex(c, out, &outlen) != 1) {
		log_err("%s: EVP_DigestFinal_ex failed", __func__);
		abort();
	}
}

void
crypto_init(void)
{
	(void)sha256_begin();
}

void
crypto_sha256(const void *data, size_t len, unsigned char out[CRYPTO_HASH_BYTES])
{
	EVP_MD_CTX *c = sha256_begin();

	sha256_add(c, data, len);
	sha256_end(c, out);
}

/* HMAC as RFC 2104 defines it, over the SHA-256 above. */
void
crypto_hmac_sha256(const void *key, size_t keylen, const void *data,
    size_t len, unsigned char out[CRYPTO_HASH_BYTES])
{
	unsigned char k[SHA256_BLOCK_BYTES] = { 0 }, pad[SHA256_BLOCK_BYTES];
	unsigned char inner[CRYPTO_HASH_BYTES];
	EVP_MD_CTX *c;

	if (keylen > sizeof(k))
		crypto_sha256(key, keylen, k);
	else if (keylen > 0)
		memcpy(k, key, keylen);
	for (size_t i = 0; i < sizeof(k); i++)
		pad[i] = k[i] ^ 0x36;
	c = sha256_begin();
	sha256_add(c, pad, sizeof(pad));
	sha256_add(c, data, len);
	sha256_end(c, inner);
	for (size_t i = 0; i < sizeof(k); i++)
		pad[i] = k[i] ^ 0x5c;
	c = sha256_begin();
	sha256_add(c, pad, sizeof(pad));
	sha256_add(c, inner, sizeof(inner));
	sha256_end(c, out);
	explicit_bzero(k, sizeof(k));
	explicit_bzero(pad, sizeof(pad));
	explicit_bzero(inner, sizeof(inner));
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
