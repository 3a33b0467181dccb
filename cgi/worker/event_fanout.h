/*
 * The worker's side of calling off an event (event_cancel.h): the outbox
 * topic "event_cancelled" undoes the event's orders, a batch per row.
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

#endif
