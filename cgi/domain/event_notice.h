/*
 * Telling ticket holders that a published event moved: when its date,
 * time, zone or place changes, the change's transaction queues the outbox
 * row "event_changed" {"event_id", "after": 0}; the worker mails every
 * paid order's buyer the new details, a batch of orders per row, each
 * row handing the rest on to a new one (event_fanout.h).
 */
#ifndef TESSERA_EVENT_NOTICE_H
#define TESSERA_EVENT_NOTICE_H

#include "events.h"

struct db;

/* Orders whose buyers one outbox row mails before it hands on. */
#define EVENT_NOTICE_BATCH 50

/* Queues the notice when published event before became after in a way
 * its ticket holders must hear of, in the caller's transaction. Returns 0
 * queued, 1 nothing to tell, -1. */
int event_notice_change(struct db *db, const struct event *before,
    const struct event *after);

/* Queues the row for event_id's paid orders past order id after. 0 or
 * -1. */
int event_notice_queue(struct db *db, long long event_id, long long after);

#endif
