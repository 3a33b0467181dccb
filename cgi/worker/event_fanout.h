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
 * Undoes up to EVENT_CANCEL_BATCH live orders of payload's event, each in
 * a transaction of its own: a hold or a reservation is cancelled, a
 * payment refunded (Stripe, with the idempotency key "refund-CODE"; an
 * offline one is left as a refund due), and the buyer mailed, all in that
 * order's transaction. When orders remain, a new row goes on with them.
 * Returns 0 when the row is done, or -1 with the reason in err (Stripe
 * failing: the row is tried again later, from the order it stopped at).
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
