/*
 * What organizers change of their events and ticket types (tessera-admin):
 * the statements that write them and the rules those writes keep.
 *
 * - A new event is a draft. It is published only with a ticket type, and
 *   goes back to draft only while it has no order. A cancelled event is
 *   not changed here; cancelling a published one, and telling its ticket
 *   holders, belongs with the orders and the worker.
 * - Only a draft without orders is deleted, with its ticket types.
 * - A copy of an event is a draft with the same texts, times and ticket
 *   types, none of its seats sold or held.
 * - An event sells in one currency: its ticket types all have the same
 *   one (a booking refuses orders in several), and it has at most
 *   ORDERS_MAX_TYPES of them (what one booking form takes).
 * - A quota is never set below the seats sold and held: a guarded UPDATE
 *   decides, as bookings do (DESIGN.md, "Never oversell"). sold and held
 *   are never written here (orders.c owns them).
 * - A ticket type that an order line names is kept, and a published
 *   event keeps at least one.
 *
 * Every change runs in the caller's transaction on the primary, after
 * events_admin_lock_event() or events_admin_lock_type(). They lock rows in
 * the order orders.c does (a ticket type, then its event, whose row an
 * order's foreign key reads), so a booking and an organizer's change wait
 * for each other rather than deadlock; and two changes of one event run
 * one after the other, so what is checked here holds until the commit.
 *
 * Functions return 0 when done; 1 when there is no such event or ticket
 * type (the locks), or when a rule refused the change (out->refusal says
 * which, and nothing may be committed); -1 when the database failed;
 * ROW_BAD when a row did not parse.
 */
#ifndef TESSERA_EVENTS_ADMIN_H
#define TESSERA_EVENTS_ADMIN_H

#include "db.h"
#include "events.h"

enum events_refusal {
	EVENTS_OK,
	EVENTS_CANCELLED,          /* a cancelled event stays as it is */
	EVENTS_NO_TICKET_TYPES,    /* published without a ticket type */
	EVENTS_HAS_ORDERS,         /* back to draft, or deleted, with orders */
	EVENTS_NOT_DRAFT,          /* only a draft is deleted */
	EVENTS_IN_USE,             /* other rows (reviews) refer to it */
	EVENTS_TOO_MANY_TYPES,     /* ORDERS_MAX_TYPES already */
	EVENTS_MIXED_CURRENCY,     /* the event's other types differ */
	EVENTS_QUOTA_BELOW_SEATS,  /* under sold + held */
	EVENTS_TYPE_ORDERED,       /* an order line names the ticket type */
	EVENTS_LAST_TYPE,          /* a published event's only ticket type */
};

struct events_outcome {
	enum events_refusal refusal;
	long long sold, held;      /* EVENTS_QUOTA_BELOW_SEATS */
	const char *currency;      /* EVENTS_MIXED_CURRENCY: the others' */
};

/* Locks event id and reads it (any status) into *ev. */
int events_admin_lock_event(struct db *db, struct arena *a, long long id,
    struct event *ev);
/* Locks ticket type id of event event_id, then the event, and reads both:
 * *t as it stands under the lock. */
int events_admin_lock_type(struct db *db, struct arena *a, long long event_id,
    long long id, struct event *ev, struct ticket_type *t);

/* A new draft of in->organizer_id with in's texts, zone and times; its
 * id into *id. Needs no lock. */
int events_admin_create(struct db *db, struct arena *a, const struct event *in,
    long long *id);
/* cur (locked) takes in's texts, zone, times, payment settings and
 * status (draft or published). */
int events_admin_update(struct db *db, struct arena *a, const struct event *cur,
    const struct event *in, struct events_outcome *out);
/* A draft copy of event id and its ticket types; its id into *copy. Needs
 * no lock: it reads the rows it copies with shared locks. */
int events_admin_duplicate(struct db *db, long long id, long long *copy);
/* Deletes cur (locked) and its ticket types. */
int events_admin_delete(struct db *db, struct arena *a, const struct event *cur,
    struct events_outcome *out);

/* A new ticket type of ev (locked) like in; its id into *id. */
int events_admin_type_create(struct db *db, struct arena *a,
    const struct event *ev, const struct ticket_type *in, long long *id,
    struct events_outcome *out);
/* cur of ev (both locked) takes in's name, description, price, currency,
 * quota, limits, sale window and sort order. */
int events_admin_type_update(struct db *db, struct arena *a,
    const struct event *ev, const struct ticket_type *cur,
    const struct ticket_type *in, struct events_outcome *out);
/* Removes t of ev (both locked). */
int events_admin_type_delete(struct db *db, struct arena *a,
    const struct event *ev, const struct ticket_type *t,
    struct events_outcome *out);

/* Whether the event has any order (1), for the pages that say what may
 * be done; 0 or -1. Reads a replica. */
int events_admin_has_orders(struct db *db, struct arena *a, long long id);

#endif
