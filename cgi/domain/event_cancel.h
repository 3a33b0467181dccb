/*
 * Calling off a published event. One transaction marks it cancelled, so
 * no booking or payment goes through after it (orders_event_open), and
 * queues the outbox row "event_cancelled" {"event_id", "reason"}; the
 * worker then undoes its orders one at a time (event_cancel_order): holds
 * and reservations cancelled, payments refunded through their provider
 * (or left as a refund the organizer owes, for offline ones), and every
 * buyer mailed. Each order is its own transaction, guarded by its status,
 * so a worker that stops half-way goes on where it was.
 */
#ifndef TESSERA_EVENT_CANCEL_H
#define TESSERA_EVENT_CANCEL_H

#include "db.h"

struct arena;
struct config;

#define EVENT_CANCEL_REASON_MAX 500    /* characters, shown to buyers */
/* Orders one outbox row undoes before it hands on to a new row. */
#define EVENT_CANCEL_BATCH 50

/* Marks event_id cancelled and queues the undoing of its orders, in the
 * caller's transaction. Returns 0; 1 when it is not a published event
 * (nothing changed); -1. */
int event_cancel(struct db *db, long long event_id, const char *reason);

#endif
