/*
 * Stripe webhook signatures: whether a POST to the webhook route came from
 * Stripe. Stripe sends
 *
 *	Stripe-Signature: t=TIMESTAMP,v1=HEX[,v1=HEX...][,v0=HEX]
 *
 * where each v1 is the lowercase hex HMAC-SHA-256, keyed with the whole
 * endpoint secret ("whsec_..." as text), of TIMESTAMP "." BODY, BODY being
 * the request body byte for byte. Several v1 entries come while a secret
 * is being rolled; v0 (test mode) and any other scheme are ignored.
 *
 * No HTTP here: the caller hands over the raw body and the header's value.
 */
#ifndef TESSERA_STRIPE_SIG_H
#define TESSERA_STRIPE_SIG_H

#include <stddef.h>
#include <time.h>

/* Stripe's own default: a signature older or newer than this is refused. */
#define STRIPE_SIG_TOLERANCE 300
/* Longest header value accepted, and most entries in it. Stripe's are
 * about 150 characters with three entries. */
#define STRIPE_SIG_HEADER_MAX 1024
#define STRIPE_SIG_ENTRIES_MAX 16

enum stripe_sig_result {
	STRIPE_SIG_OK,          /* a v1 matches and t is within tolerance */
	STRIPE_SIG_MALFORMED,   /* no header, too long, too many entries, no
	                         * or two t, or an entry that is not key=value
	                         * as Stripe writes it */
	STRIPE_SIG_NO_V1,       /* well formed, but no v1 entry */
	STRIPE_SIG_BAD,         /* no v1 matches (forged, tampered body, other
	                         * secret), or no secret configured */
	STRIPE_SIG_STALE,       /* a v1 matches but t is more than tolerance
	                         * seconds from now, either way (a replay) */
	STRIPE_SIG__MAX
};

/*
 * Checks header (the Stripe-Signature value; NULL when the request had
 * none) against the len bytes of body, keyed with secret, with now the
 * current time and tolerance in seconds (STRIPE_SIG_TOLERANCE). The
 * signature is checked before the time, so STRIPE_SIG_STALE only ever
 * describes a genuine but old or future event; comparisons take time
 * independent of the secret and the signatures. Never fails otherwise.
 */
enum stripe_sig_result stripe_sig_verify(const void *body, size_t len,
    const char *header, const char *secret, time_t now, long tolerance);

/* A short lowercase name of r for logs ("ok", "bad signature", ...). */
const char *stripe_sig_result_str(enum stripe_sig_result r);

#endif
