/*
 * Calls to Stripe's API with libcurl: create a Checkout Session (the page
 * on Stripe where the buyer pays), expire one, and refund a payment. No
 * HTTP request handling here: a handler or the worker calls these and
 * decides what the result means for the order.
 *
 * Every call is a form-encoded POST to cfg->stripe_api_base, authenticated
 * with cfg->stripe_secret_key, with the caller's Idempotency-Key (derive
 * it from the order and the action, e.g. "ORDERCODE-checkout-1", and use
 * the same key when trying the same thing again: Stripe then answers with
 * the first reply and does nothing twice). It takes at most
 * STRIPE_API_CONNECT_TIMEOUT_MS to connect and STRIPE_API_TIMEOUT_MS in
 * all, without signals (README.md, "Process model"), and reads at most
 * STRIPE_API_RESPONSE_MAX bytes of reply.
 *
 * One curl handle per process, made on first use (after the fork, so
 * workers share no connections), keeps the connection to Stripe open
 * between calls. Call stripe_api_init() once before forking. When a kept
 * connection turns out closed before any reply, curl sends the request
 * once more on a new one; the idempotency key makes that safe.
 *
 * Failures are logged here, once, with Stripe's request id; never the
 * secret key. The caller shows or records reply->message but need not log
 * it again.
 */
#ifndef TESSERA_STRIPE_API_H
#define TESSERA_STRIPE_API_H

#include <stddef.h>
#include <time.h>

struct config;

#define STRIPE_API_CONNECT_TIMEOUT_MS 1000L
#define STRIPE_API_TIMEOUT_MS 4000L
#define STRIPE_API_RESPONSE_MAX (64 * 1024)
#define STRIPE_API_KEY_MAX 255          /* Idempotency-Key, Stripe's limit */
#define STRIPE_API_LINES_MAX 100        /* line items of one session */
#define STRIPE_API_ORDER_CODE_MAX 200   /* client_reference_id's limit */
#define STRIPE_API_ID_MAX 255
#define STRIPE_API_URL_MAX 2048
#define STRIPE_API_MESSAGE_MAX 512

enum stripe_api_result {
	/* Done: out is filled. */
	STRIPE_API_OK,
	/* Refused for good: Stripe answered 4xx (the request is invalid,
	 * the payment intent unknown or already refunded, the session not
	 * open, the key reused with other parameters), or the arguments
	 * were refused here and nothing was sent. The same request fails
	 * again; reply->message says why. */
	STRIPE_API_DECLINED,
	/* Not known to be done: no connection, a timeout, 5xx, 429, 409 (the
	 * same key in flight), 401 or 403 (our key refused: the site's
	 * fault, not the buyer's), a reply too large or unreadable, or no
	 * secret key configured. Leave the order as it was and try again
	 * later with the same idempotency key. */
	STRIPE_API_TEMPORARY,
	STRIPE_API__MAX
};

/* What came back, whatever the result. Strings are "" when absent. */
struct stripe_api_reply {
	long status;                          /* HTTP status; 0: no reply */
	char request_id[64];                  /* Stripe's Request-Id */
	char type[64];                        /* error.type */
	char code[64];                        /* error.code or decline_code */
	char message[STRIPE_API_MESSAGE_MAX]; /* error.message (control
	                                       * characters replaced), or what
	                                       * failed on this side */
};

/* One line of a Checkout Session; strings are borrowed. */
struct stripe_line {
	const char *name;        /* product_data[name], UTF-8, not empty */
	long long unit_amount;   /* in the currency's minor unit, >= 0 */
	long quantity;           /* >= 1 */
};

/* A Checkout Session to create, in mode=payment; strings are borrowed. */
struct stripe_checkout {
	const char *order_code;  /* client_reference_id and
	                          * metadata[order_code]; 1 to 200 characters */
	const char *currency;    /* ISO 4217, three lowercase letters, "eur" */
	const struct stripe_line *lines;
	size_t nlines;           /* 1 to STRIPE_API_LINES_MAX */
	const char *success_url; /* may hold {CHECKOUT_SESSION_ID} */
	const char *cancel_url;
	time_t expires_at;       /* 0: Stripe's default (24 h). Stripe wants
	                          * 30 minutes to 24 hours from now, and
	                          * answers DECLINED otherwise. */
};

struct stripe_session {
	char id[STRIPE_API_ID_MAX + 1];    /* cs_... */
	char url[STRIPE_API_URL_MAX + 1];  /* the hosted page: send the buyer
	                                    * there with 303 */
};

struct stripe_refund {
	char id[STRIPE_API_ID_MAX + 1];    /* re_... */
	char status[32];                   /* succeeded, pending, failed,
	                                    * requires_action, canceled */
	long long amount;                  /* minor units */
};

/* curl's global set-up, once per process before it forks. Returns 0 or
 * -1. */
int stripe_api_init(void);
/* Drops this process's handle and curl's global state. */
void stripe_api_cleanup(void);

/*
 * Creates the Checkout Session req under idempotency_key (1 to 255
 * printable ASCII characters). On STRIPE_API_OK, out holds its id and
 * url. reply is always filled.
 */
enum stripe_api_result stripe_api_checkout_create(const struct config *cfg,
    const char *idempotency_key, const struct stripe_checkout *req,
    struct stripe_session *out, struct stripe_api_reply *reply);

/*
 * Expires the open Checkout Session session_id (cs_...), so nobody can
 * pay for seats whose hold ended. DECLINED when it is no longer open
 * (paid meanwhile: its checkout.session.completed event will come).
 */
enum stripe_api_result stripe_api_checkout_expire(const struct config *cfg,
    const char *idempotency_key, const char *session_id,
    struct stripe_api_reply *reply);

/*
 * Refunds amount (minor units; 0: all that is left) of the payment
 * payment_intent (pi_..., from the checkout.session.completed event). On
 * STRIPE_API_OK, out holds the refund; its status may still be pending.
 */
enum stripe_api_result stripe_api_refund_create(const struct config *cfg,
    const char *idempotency_key, const char *payment_intent,
    long long amount, struct stripe_refund *out,
    struct stripe_api_reply *reply);

/* "ok", "declined", "temporary failure" (or "unknown"), for logs. */
const char *stripe_api_result_str(enum stripe_api_result r);

#endif
