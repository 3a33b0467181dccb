/*
 * The ways to pay, as one table: each provider says whether it is offered
 * for an order and starts the payment of a held order at the checkout,
 * in the checkout's transaction (the order locked, its tickets named).
 * Adding a provider is a row here and its functions in a file of its own.
 */
#ifndef TESSERA_PAYMENTS_H
#define TESSERA_PAYMENTS_H

#include <stddef.h>

struct order_view;
struct request;

struct payment_provider {
	const char *name;       /* orders.provider, and the form's value */
	const char *label;      /* what the checkout calls it */
	/* 1 when it can take this order (a free one, a configured key). */
	int (*offered)(const struct request *r, const struct order_view *v);
	/* Starts the payment: 0 with page_change_location() set to where the
	 * buyer goes next (its page, or the order itself when it is paid at
	 * once); an HTTP status; or -1 for a database failure. */
	int (*start)(struct request *r, struct order_view *v);
};

/*
 * Confirms the payment of the locked order of v through provider, in
 * the caller's transaction: an event's order as order_view_confirm_paid
 * does, an order of pictures by picture_checkout.c (the buyer's pictures,
 * their sales, the mails). Returns as order_view_confirm_paid: 0, 409,
 * 410 (also: the buyer has one of its pictures already), -1.
 */
int payments_confirm_paid(struct request *r, struct order_view *v,
    const char *provider, const char *note);

/* The providers offered for v, in the order the checkout lists them, into
 * out (room for PAYMENTS_MAX). Returns how many. */
#define PAYMENTS_MAX 8
size_t payments_offered(const struct request *r, const struct order_view *v,
    const struct payment_provider **out);
/* The provider named name if it is offered for v, else NULL. */
const struct payment_provider *payments_find(const struct request *r,
    const struct order_view *v, const char *name);

#endif
