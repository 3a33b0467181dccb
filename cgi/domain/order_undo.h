/*
 * Undoing an order whose event is called off or which its organizer
 * cancels: a hold or a reservation is cancelled; a payment is refunded
 * through its provider (Stripe, with the idempotency key "refund-CODE",
 * the same as a buyer's own refund, so it never happens twice), or left
 * as a refund the organizer owes when it was paid offline; and the buyer
 * is mailed what happened to their money. All of it in the caller's
 * transaction, on the order locked (orders_get_any): the Stripe call
 * comes first, so a refund that fails changes nothing.
 */
#ifndef TESSERA_ORDER_UNDO_H
#define TESSERA_ORDER_UNDO_H

#include <stddef.h>

#include "events.h"
#include "orders.h"

struct arena;
struct config;
struct db;

struct order_undo {
	const char *note;          /* for the order's history */
	const char *mail;          /* the mail template to its buyer */
	const char *reason;        /* a word from the organizer, or "" */
};

/*
 * Undoes locked order o of event ev as u says. Returns 0 when done; 1
 * when o has nothing left to undo (expired, cancelled or refunded
 * already); -1 for a database failure; -2 when the provider did not
 * refund (the reason in err; nothing changed, try again later).
 */
int order_undo(struct db *db, const struct config *cfg, struct arena *a,
    struct order *o, const struct event *ev, const struct order_undo *u,
    char *err, size_t errlen);

#endif
