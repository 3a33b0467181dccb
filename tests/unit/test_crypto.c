#include <string.h>

#include "arena.h"
#include "crypto.h"
#include "password.h"
#include "tap.h"

static const char *
hex(struct arena *a, const unsigned char *p, size_t n)
{
	char *out = arena_alloc(a, n * 2 + 1);

	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
	return out;
}

int
main(void)
{
	struct arena a;
	unsigned char h[CRYPTO_HASH_BYTES], h2[CRYPTO_HASH_BYTES], raw[32];
	char mcf[PASSWORD_MCF_LEN];
	const char *tok, *tok2;

	arena_init(&a, 0);
	crypto_sha256("abc", 3, h);
	is_str(hex(&a, h, 32),
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    "SHA-256 of \"abc\" (FIPS 180-2 vector)");
	crypto_hmac_sha256("key", 3, "The quick brown fox jumps over the lazy dog",
	    43, h);
	is_str(hex(&a, h, 32),
	    "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
	    "HMAC-SHA-256 (RFC 4231-style known vector)");
	crypto_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, h);
	is_str(hex(&a, h, 32),
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	    "HMAC-SHA-256, RFC 4231 test case 2");
	{
		unsigned char longkey[131];
		const char *m = "Test Using Larger Than Block-Size Key - Hash "
		    "Key First";

		memset(longkey, 0xaa, sizeof(longkey));
		crypto_hmac_sha256(longkey, sizeof(longkey), m, strlen(m), h);
		is_str(hex(&a, h, 32), "60e431591ee0b67f0d8a26aacbf5b77f"
		    "8e0bc6213728c5140546040f0ee37f54",
		    "HMAC-SHA-256, RFC 4231 test case 6 (a key longer than "
		    "a block is hashed first)");
	}

	is_str(crypto_b64url(&a, "\xfb\xff", 2), "-_8", "base64url alphabet");
	is_str(crypto_b64url(&a, "foobar", 6), "Zm9vYmFy", "no padding");
	ok(crypto_b64url_decode("Zm9vYmFy", raw, 6) == 0 &&
	    memcmp(raw, "foobar", 6) == 0, "decodes");
	ok(crypto_b64url_decode("Zm9vYmE", raw, 6) != 0, "too short refused");
	ok(crypto_b64url_decode("Zm9vYmFy=", raw, 6) != 0, "padding refused");
	ok(crypto_b64url_decode("Zm9v+mFy", raw, 6) != 0, "'+' refused");
	ok(crypto_b64url_decode("Zm9", raw, 2) != 0,
	    "non-zero leftover bits refused (one spelling per value)");
	ok(crypto_b64url_decode(NULL, raw, 2) != 0, "NULL refused");

	tok = crypto_new_token(&a, h);
	tok2 = crypto_new_token(&a, h2);
	is_int(strlen(tok), 43, "a token is 43 characters");
	ok(strcmp(tok, tok2) != 0, "two tokens differ");
	ok(crypto_token_hash(tok, h2) == 0 && memcmp(h, h2, 32) == 0,
	    "a token hashes to what was stored");
	ok(crypto_token_hash("short", h2) != 0, "a malformed token is refused");
	ok(crypto_equal("abcd", "abcd", 4) && !crypto_equal("abcd", "abce", 4),
	    "constant-time comparison");

	ok(password_hash("correct horse battery", mcf) == PASSWORD_OK,
	    "hashes a password");
	ok(strncmp(mcf, "$s1$100801$", 11) == 0,
	    "scrypt N=2^16, r=8, p=1 recorded in the MCF string");
	ok(!password_needs_rehash(mcf), "a fresh hash needs no upgrade");
	ok(password_needs_rehash("$s1$0e0801$abc$def"),
	    "a hash with older parameters needs one");
	is_int(password_verify("correct horse battery", mcf), PASSWORD_OK,
	    "the right password matches");
	is_int(password_verify("correct horse batterY", mcf), PASSWORD_MISMATCH,
	    "a wrong one does not");
	is_int(password_verify("x", "not a hash"), PASSWORD_ERROR,
	    "a malformed hash is an error, not a match");
	ok(password_limit_init(1) == 0, "the shared limit sets up");
	is_int(password_verify("correct horse battery", mcf), PASSWORD_OK,
	    "and hashing works under it");
	arena_free(&a);
	return done_testing();
}
