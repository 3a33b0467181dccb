#include <string.h>

#include "arena.h"
#include "crypto.h"
#include "csrf.h"
#include "tap.h"

/* The CSRF token's mask (BREACH): every rendering differs, every one
 * unmasks to the same token, and nothing but a masked token of the right
 * size unmasks at all. */
int
main(void)
{
	struct arena a;
	unsigned char token[CSRF_TOKEN_BYTES], got[CSRF_TOKEN_BYTES];
	char *m1, *m2, *bad;

	arena_init(&a, 0);
	crypto_random(token, sizeof(token));
	m1 = csrf_mask(&a, token);
	m2 = csrf_mask(&a, token);
	ok(strcmp(m1, m2) != 0, "two renderings of one token differ");
	is_int(strlen(m1), 86, "a masked token is 64 bytes in base64url");
	ok(csrf_unmask(m1, got) == 0 && memcmp(got, token, sizeof(got)) == 0,
	    "the first unmasks to the token");
	ok(csrf_unmask(m2, got) == 0 && memcmp(got, token, sizeof(got)) == 0,
	    "the second too");
	ok(strstr(m1, crypto_b64url(&a, token, sizeof(token))) == NULL,
	    "the token itself is not in the masked text");

	bad = arena_strdup(&a, m1);
	bad[50] = bad[50] == 'A' ? 'B' : 'A';
	ok(csrf_unmask(bad, got) == 0 && memcmp(got, token, sizeof(got)) != 0,
	    "a changed character unmasks to another token");
	ok(csrf_unmask(crypto_b64url(&a, token, sizeof(token)), got) != 0,
	    "an unmasked token (32 bytes) is refused");
	bad = arena_strdup(&a, m1);
	bad[85] = '\0';
	ok(csrf_unmask(bad, got) != 0, "a truncated one is refused");
	ok(csrf_unmask(arena_printf(&a, "%s=", m1), got) != 0,
	    "one with a byte more is refused");
	ok(csrf_unmask("", got) != 0 && csrf_unmask(NULL, got) != 0,
	    "empty and missing are refused");
	ok(csrf_unmask("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
	    "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", got) != 0,
	    "characters outside base64url are refused");
	arena_free(&a);
	done_testing();
}
