/*
 * Orders and the seats they hold (DESIGN.md, "Never oversell"). An order
 * is made of priced lines and is either an event's (tickets of one type
 * per line, and one row per seat in tickets) or an order of pictures
 * (no event; a line per picture, which tessera-app's checkout gives the
 * buyer once paid: picture_purchases.h). An order in status 'held' (at
 * the checkout) or 'pending_payment' (to be paid offline) keeps its seats
 * until its hold_expires_at; paying turns them into sold seats, and an
 * unpaid order expires and gives them back.
 *
 * This module is the only writer of the seat counters
 * ticket_types.sold and ticket_types.held (events.c reads them, and owns
 * quota): each change to them happens here, in the same transaction as
 * the change of the order that explains it, and the order's status
 * changes only through orders_transition(), along the arrows of
 * order_moves[] in orders.c:
 *
 *	held -> pending_payment -> paid -> refunded
 *	held, pending_payment -> expired, cancelled
 *	held -> paid
 *	paid -> refund_due -> refunded (paid offline: the organizer owes it)
 *	held -> refunded (paid at the provider for an event cancelled meanwhile)
 *	expired, cancelled -> paid (a late payment, if its seats are free)
 *	expired, cancelled -> refunded (a late payment, if they are not)
 *
 * Lock order, for every transaction here: the buyer's users row (only
 * when a ticket type caps what one account may buy), then the order rows
 * (FOR UPDATE), then the event row (shared, orders_event_open), then the
 * ticket_types rows, by id; never an order while
 * holding ticket types. The guarded counter updates serialise on the
 * ticket_types rows. A deadlock that still happens rolls one transaction
 * back whole, it changed nothing, and db_tx runs it again.
 */
#ifndef TESSERA_ORDERS_H
#define TESSERA_ORDERS_H

#include <stddef.h>
#include <time.h>

#include "db.h"

struct arena;
struct event;
struct ticket_type;

/* Most overdue holds orders_expire_holds() takes at once. */
#define ORDERS_EXPIRE_BATCH 100
/* Codes: 32 letters and digits that cannot be read for one another (no
 * I, O, 0, 1), 5 bits a character from the system's random source. */
#define ORDER_CODE_LEN 16
#define TICKET_CODE_LEN 24
/* Ticket types one order may take. */
#define ORDERS_MAX_TYPES 20

enum order_status {
	ORDER_HELD,
	ORDER_PENDING_PAYMENT,
	ORDER_PAID,
	ORDER_CANCELLED,
	ORDER_EXPIRED,
	ORDER_REFUNDED,
	ORDER_REFUND_DUE,
	ORDER__STATUS_MAX
};

/* orders.status's values, by status. */
extern const char *const order_status_names[ORDER__STATUS_MAX];

struct order {
	long long id;
	const char *code;
	long long event_id;        /* 0: an order of pictures */
	long long buyer_id;
	enum order_status status;
	long long total;           /* minor units of currency */
	const char *currency;
	const char *provider;      /* NULL until chosen */
	int has_hold_expires_at;
	time_t hold_expires_at;    /* held: the hold ends; pending_payment:
	                            * the payment deadline */
	time_t created_at;
	int has_paid_at;
	time_t paid_at;
	const char *buyer_email;   /* where its mails go */
	const char *buyer_name;
	const char *provider_payment; /* the provider's payment id, or NULL */
};

struct order_line {
	long long id;
	long long ticket_type_id;  /* 0 for a line that is not tickets */
	const char *description;
	long long quantity;
	long long unit_price;
};

struct order_ticket {
	long long id;
	long long ticket_type_id;
	const char *type_name;
	const char *attendee_name; /* "" until the buyer names it */
	const char *code;
};

struct order_change {
	time_t at;
	int has_from;
	enum order_status from;
	enum order_status to;
	const char *note;
};

struct booking_item {
	long long ticket_type_id;
	long long quantity;        /* at least 1 */
};

struct booking {
	long long event_id;
	long long buyer_id;
	const struct booking_item *items;
	size_t nitems;             /* 1 to ORDERS_MAX_TYPES, distinct types */
	int hold_minutes;
};

/* Why a booking was refused; nothing of it is kept. */
enum booking_refusal {
	BOOKING_OK,
	BOOKING_EVENT_CLOSED,      /* cancelled, over, or not published */
	BOOKING_UNKNOWN_TYPE,      /* not a ticket type of this event */
	BOOKING_NOT_ON_SALE,       /* outside the type's sale window */
	BOOKING_BELOW_MIN,         /* fewer than its min_per_order */
	BOOKING_ABOVE_MAX,         /* more than its max_per_order */
	BOOKING_ACCOUNT_CAP,       /* over its max_per_account */
	BOOKING_MIXED_CURRENCY,
	BOOKING_SOLD_OUT,          /* not enough seats left */
};

struct booking_outcome {
	enum booking_refusal refusal;
	long long ticket_type_id;  /* the type refused, if any */
	long long limit;           /* MIN/MAX/CAP: the limit; SOLD_OUT: left */
	char code[ORDER_CODE_LEN + 1];   /* BOOKING_OK: the new order */
};

/*
 * Starts a hold, in the caller's transaction on the primary: locks the
 * buyer's users row (the lock order above), then reads the event into ev
 * and its ticket types into *types (arena-owned), as the primary has them
 * now. Returns 0; 1 when the event is not shown (events_get); -1.
 */
int orders_hold_start(struct db *db, struct arena *a, long long event_id,
    long long buyer_id, struct event *ev, struct ticket_type **types,
    size_t *ntypes);

/*
 * Places the hold orders_hold_start() began, with its ev and types:
 * checks the event, every type's sale window and limits, creates the
 * order, held for b->hold_minutes, with its first history entry, takes
 * the seats with the guarded update "sold + held + n <= quota" (by type
 * id), then writes its lines and its tickets (unnamed). Returns 0 with
 * out->code set; 1 refused (out->refusal; the caller rolls back, as the
 * order's rows and seats of other types may have been written); -1 for
 * a database failure (db_last_status()).
 */
int orders_place_hold(struct db *db, struct arena *a, const struct booking *b,
    const struct event *ev, const struct ticket_type *types, size_t ntypes,
    struct booking_outcome *out);

/* A hold of one picture's original, as an order without an event. */
struct picture_hold {
	long long picture_id;
	long long buyer_id;
	const char *description;   /* the line: the picture's title */
	long long price;           /* minor units, above 0 */
	const char *currency;
	int hold_minutes;
};

struct picture_hold_outcome {
	int existing;              /* the buyer's order of it, held, waiting
	                            * or paid, not a new one */
	enum order_status status;
	char code[ORDER_CODE_LEN + 1];
};

/*
 * In the caller's transaction on the primary, the buyer's row locked
 * first: the buyer's order of the picture that is still held, waiting
 * for payment or paid (out->existing), or else a new held order with one
 * picture line and its first history entry. The caller has checked the
 * picture (public, priced, not the buyer's own). Returns 0, -1 or
 * ROW_BAD.
 */
int orders_place_picture_hold(struct db *db, struct arena *a,
    const struct picture_hold *h, struct picture_hold_outcome *out);

/*
 * The order with code, if it is buyer_id's (lock: FOR UPDATE, in the
 * caller's transaction). Another person's order is no order: 1, as for a
 * code that does not exist. Returns 0, 1, -1 or ROW_BAD.
 */
int orders_get(struct db *db, struct arena *a, const char *code,
    long long buyer_id, int lock, struct order *out);
/* The order with code whoever's it is, locked: for what a payment
 * provider says of it. Returns 0, 1, -1 or ROW_BAD. */
int orders_get_any(struct db *db, struct arena *a, const char *code,
    struct order *out);
/* The order's lines and their tickets (by line, then by id), in one
 * statement, and its history (oldest first), each an arena-owned array.
 * Return 0, -1 or ROW_BAD. */
int orders_items(struct db *db, struct arena *a, long long order_id,
    struct order_line **lines, size_t *nlines, struct order_ticket **tickets,
    size_t *ntickets);
int orders_history(struct db *db, struct arena *a, long long order_id,
    struct order_change **out, size_t *n);

/* One of a person's orders, for their list. */
struct order_summary {
	struct order order;
	const char *event_title;
	const char *event_timezone;
	time_t event_starts_at;
	long long seats;
};

/* One ticket of a paid order, for its holder's list and its page. */
struct held_ticket {
	long long id;
	const char *code;
	const char *attendee_name;
	const char *type_name;
	const char *order_code;
	long long event_id;
	const char *event_title;
	const char *venue;
	const char *city;
	const char *timezone;
	time_t starts_at;
	time_t ends_at;
	int has_checked_in_at;
	time_t checked_in_at;
};

/* buyer_id's latest limit orders, newest first. Returns 0, -1, ROW_BAD. */
int orders_of_buyer(struct db *db, struct arena *a, long long buyer_id,
    int limit, struct order_summary **out, size_t *n);
/* The orders of organizer_id's events that wait for the organizer: a
 * payment to record (pending_payment, soonest deadline first), then a
 * refund to pay back (refund_due). At most limit. */
int orders_awaiting(struct db *db, struct arena *a, long long organizer_id,
    int limit, struct order_summary **out, size_t *n);
/* 1 when event_id is published, 0 when it is not (cancelled), -1; with a
 * shared lock on its row until the caller's transaction ends, so a
 * payment and the event's cancellation happen one after the other. */
int orders_event_open(struct db *db, long long event_id);
/* The buyer of a paid order, for a notice to all of an event's. */
struct order_buyer {
	long long order_id;
	const char *code;
	const char *email;
	const char *name;
	long long user_id;
};

/* event_id's paid orders with an id past after, by id, at most limit.
 * Returns 0, -1 or ROW_BAD. */
int orders_paid_buyers(struct db *db, struct arena *a, long long event_id,
    long long after, int limit, struct order_buyer **out, size_t *n);
/* How many orders of event_id are in each status, on the primary.
 * Returns 0, -1 or ROW_BAD. */
int orders_count_of_event(struct db *db, struct arena *a, long long event_id,
    long long counts[ORDER__STATUS_MAX]);
/* Codes of event_id's orders still held, waiting for payment or paid
 * (what cancelling the event undoes), at most limit, in no order, locked
 * in the caller's transaction; orders another transaction has locked are
 * skipped, not waited for. On the primary. Returns 0, -1 or ROW_BAD. */
int orders_live_of_event(struct db *db, struct arena *a, long long event_id,
    int limit, const char ***codes, size_t *n);
/* The tickets of buyer_id's paid orders: events not over yet first,
 * soonest first, then the past ones, latest first. */
int orders_tickets_of_buyer(struct db *db, struct arena *a,
    long long buyer_id, int limit, struct held_ticket **out, size_t *n);
/* The ticket with code of a paid order of buyer_id: 0, 1 when there is
 * none (another person's ticket included), -1, ROW_BAD. */
int orders_ticket_get(struct db *db, struct arena *a, const char *code,
    long long buyer_id, struct held_ticket *out);

/* Records the provider chosen and its reference for the checkout (a
 * Checkout Session id). Returns 0 or -1. */
int orders_set_provider(struct db *db, long long order_id,
    const char *provider, const char *ref);
/* Records the provider's payment id, for refunds. Returns 0 or -1. */
int orders_set_payment(struct db *db, long long order_id, const char *payment);
/* Records a provider's event: 0 the first time, 1 when it was seen
 * already (act on it once), -1. */
int orders_payment_event(struct db *db, const char *provider,
    const char *event_id, const char *type, const char *order_code);

/* Names the attendees of order_id's tickets: each of tickets (n of them,
 * ids of its tickets, distinct) gets its attendee_name, in one statement
 * (none for n 0). Returns 0 or -1. */
int orders_name_tickets(struct db *db, long long order_id,
    const struct order_ticket *tickets, size_t n);

/* 1 when from -> to is one of the moves of the state machine. */
int orders_move_allowed(enum order_status from, enum order_status to);

/*
 * Moves a locked order (orders_get with lock) to status to, with its
 * seats: to paid, its held seats become sold; to expired or cancelled
 * from held or pending_payment, they are given back; to refunded, its
 * sold seats are; to paid from expired or cancelled (a late payment),
 * they are taken again if they are free. To pending_payment, the order
 * keeps its seats until o->hold_expires_at, which the caller sets. Records the change with note
 * and, to paid, the provider. Returns 0; 1 when the move is not one of
 * order_moves[] (or the order changed meanwhile), having changed nothing;
 * 2 when a late payment found its seats taken (the caller rolls back and
 * refunds); -1.
 */
int orders_transition(struct db *db, struct order *o, enum order_status to,
    const char *provider, const char *note);

/* An order orders_expire_holds() expired, and what its provider may still
 * have open for it (a Checkout Session to close). Strings arena-owned;
 * provider and provider_ref may be NULL. */
struct expired_order {
	const char *code;
	const char *provider;
	const char *provider_ref;
};

/*
 * Expires one batch of overdue orders in one transaction on the primary:
 * locks up to ORDERS_EXPIRE_BATCH 'held' or 'pending_payment' orders past
 * their hold_expires_at, oldest first, with FOR UPDATE SKIP LOCKED
 * (orders another transaction holds, a payment or another worker, are
 * left for the next run), and moves each to expired, giving its seats
 * back. Returns how many orders it expired (a full batch means more may
 * be waiting), listed in *out (arena-owned), or -1 (logged) having
 * changed nothing.
 */
int orders_expire_holds(struct db *db, struct arena *a,
    struct expired_order **out);

#endif
