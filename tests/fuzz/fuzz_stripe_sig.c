/*
 * libFuzzer target for the Stripe-Signature parser. The input up to its
 * first NUL is the header, the rest the body. Whatever the input, the
 * result is one of the enum's; a header with a character Stripe never
 * writes, or longer than the limit, is malformed; and nothing is accepted
 * unless the body really is signed (the fuzzer cannot forge HMACs, so an
 * OK here means the parser let something through).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stripe_sig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_SECRET "whsec_fuzz"
#define FUZZ_NOW 1700000000

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t hlen = nul != NULL ? (size_t)(nul - data) : size;
	const uint8_t *body = nul != NULL ? nul + 1 : data + size;
	size_t blen = size - hlen - (nul != NULL);
	char *header = malloc(hlen + 1);
	enum stripe_sig_result r;

	memcpy(header, data, hlen);
	header[hlen] = '\0';
	r = stripe_sig_verify(body, blen, header, FUZZ_SECRET, FUZZ_NOW,
	    STRIPE_SIG_TOLERANCE);
	if ((unsigned)r >= STRIPE_SIG__MAX || r == STRIPE_SIG_OK ||
	    r == STRIPE_SIG_STALE)
		abort();
	if ((hlen > STRIPE_SIG_HEADER_MAX || strspn(header,
	    "abcdefghijklmnopqrstuvwxyz" "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_-=,") != hlen) && r != STRIPE_SIG_MALFORMED)
		abort();
	free(header);
	return 0;
}
