/*
 * The few cryptographic primitives sessions and mailed links need, from
 * OpenSSL's libcrypto: random bytes, SHA-256, HMAC-SHA-256, constant-time
 * comparison, and URL-safe base64 for putting bytes in cookies and links.
 */
#ifndef TESSERA_CRYPTO_H
#define TESSERA_CRYPTO_H

#include <stddef.h>

struct arena;

#define CRYPTO_TOKEN_BYTES 32
#define CRYPTO_HASH_BYTES 32

/* Sets libcrypto up for the hashes below: a master calls it before it
 * forks, so that its workers inherit libcrypto's start-up (its provider,
 * its tables of algorithms) instead of each doing it again and touching
 * 1.3 MB more of the library's pages. Aborts if it cannot. */
void crypto_init(void);
/* Fills buf from the kernel's random source; aborts if it cannot. */
void crypto_random(void *buf, size_t n);
void crypto_sha256(const void *data, size_t len,
    unsigned char out[CRYPTO_HASH_BYTES]);
void crypto_hmac_sha256(const void *key, size_t keylen, const void *data,
    size_t len, unsigned char out[CRYPTO_HASH_BYTES]);
/* 1 when the n bytes are equal, in time independent of their contents. */
int crypto_equal(const void *a, const void *b, size_t n);
/* Unpadded base64url of n bytes. Arena-owned. */
char *crypto_b64url(struct arena *a, const void *data, size_t n);
/* Decodes exactly outlen bytes from unpadded base64url s. Returns 0, or -1
 * when s is not exactly that. */
int crypto_b64url_decode(const char *s, unsigned char *out, size_t outlen);
/* A new random token for a cookie or a link: returns its base64url text
 * (arena-owned) and puts its SHA-256, the only form ever stored, in hash. */
char *crypto_new_token(struct arena *a,
    unsigned char hash[CRYPTO_HASH_BYTES]);
/* The SHA-256 of a token as received. Returns 0, or -1 when the text is
 * not a well-formed token. */
int crypto_token_hash(const char *token,
    unsigned char hash[CRYPTO_HASH_BYTES]);

#endif
