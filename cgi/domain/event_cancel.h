/*
 * Calling off a published event. One transaction marks it cancelled, so
 * no booking or payment goes through after it (orders_event_open), and
 * queues the outbox row "event_cancelled" {"event_id", "reason"}; the
 * worker then undoes its orders (order_undo.h): holds and reservations
 * cancelled, payments refunded through their provider (or left as a
 * refund the organizer owes, for offline ones), and every buyer told and
 * mailed. EVENT_CANCEL_BATCH orders are one transaction, locked with SKIP
 * LOCKED, their notifications and mails written with them: a worker that
 * stops or dies half-way rolls back at most the batch at hand, and goes on
 * where it was, each order undone and each buyer told exactly once.
 */
#ifndef TESSERA_EVENT_CANCEL_H
#define TESSERA_EVENT_CANCEL_H

#include "db.h"

struct arena;
struct config;

#define EVENT_CANCEL_REASON_MAX 500    /* characters, shown to buyers */
/* Orders undone in one transaction. */
#define EVENT_CANCEL_BATCH 50
/* How long one claim of the outbox row undoes batches before the row
 * goes back for the rest: well inside its lease (outbox.h), and a stop
 * request waits no longer than this. */
#define EVENT_CANCEL_ROW_SECONDS 20

/* Marks event_id cancelled and queues the undoing of its orders, in the
 * caller's transaction. Returns 0; 1 when it is not a published event
 * (nothing changed); -1. */
int event_cancel(struct db *db, long long event_id, const char *reason);

#endif
