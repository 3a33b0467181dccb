/*
 * "Your order is about to expire": a held order (seats kept at the
 * checkout) or one waiting for an offline payment, not paid, whose hold
 * ends within ORDER_EXPIRING_WARN_SECONDS, is told to its buyer once (a
 * notification and, as they chose, a mail), with the link to pay. An
 * order younger than that is not: with holds that short
 * (TESSERA_HOLD_MINUTES), the buyer is still at the checkout, whose page
 * says when the hold ends.
 *
 * One transaction per batch locks the orders (SKIP LOCKED: another worker
 * or a payment in progress keeps its own), sets orders.expiry_warned_at
 * and writes the notifications and mails, so each order is warned exactly
 * once however often the worker runs or restarts; an order paid or
 * cancelled first is no longer held and never found.
 */
#ifndef TESSERA_ORDER_EXPIRING_H
#define TESSERA_ORDER_EXPIRING_H

struct arena;
struct config;
struct db;

#define ORDER_EXPIRING_WARN_SECONDS (5 * 60)
#define ORDER_EXPIRING_BATCH 50

/* Warns one batch of orders about to expire. Returns how many were
 * warned (a full batch: call again), or -1 (logged). */
int order_expiring_run(struct db *db, const struct config *cfg,
    struct arena *a);

#endif
