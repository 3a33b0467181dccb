/*
 * The worker's side of an event's news to its ticket holders: the outbox
 * topic "event_cancelled" undoes a called-off event's orders
 * (event_cancel.h), and "event_changed" tells them it moved
 * (event_notice.h), a batch of orders per row.
 */
#ifndef TESSERA_EVENT_FANOUT_H
#define TESSERA_EVENT_FANOUT_H

#include <stddef.h>

struct arena;
struct config;
struct db;
struct json_object;

/*
 * Undoes payload's event's live orders, EVENT_CANCEL_BATCH per
 * transaction, for up to EVENT_CANCEL_ROW_SECONDS: a hold or a
 * reservation is cancelled, a payment refunded (Stripe, with the
 * idempotency key "refund-CODE"; an offline one is left as a refund due),
 * and each buyer told and mailed, in their batch's transaction. Returns 0
 * when every order is undone; 1 when some are left (the time is up, or a
 * payment held them locked): the caller gives the row back, due at once,
 * so it keeps its place ahead of the mails it queued; or -1 with the
 * reason in err (Stripe failing: the row is tried again later).
 */
int event_fanout_cancelled(struct db *db, const struct config *cfg,
    struct arena *a, struct json_object *payload, char *err, size_t errlen);

/*
 * Topic "event_changed" (event_notice.h): mails up to EVENT_NOTICE_BATCH
 * buyers of the event's paid orders past payload's "after" the event's
 * new date, time and place, and queues a row for the rest, all in one
 * transaction. Returns 0, or -1 with the reason in err.
 */
int event_fanout_changed(struct db *db, const struct config *cfg,
    struct arena *a, struct json_object *payload, char *err, size_t errlen);

#endif
