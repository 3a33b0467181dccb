#include "orders.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "db.h"
#include "events.h"
#include "log.h"
#include "row.h"
#include "util.h"

enum orders_stmt {
	ORD_EXPIRED_HOLDS,
	ORD_LOCK_BUYER,
	ORD_ACCOUNT_SEATS,
	ORD_TAKE_SEATS,
	ORD_SEATS_LEFT,
	ORD_INSERT,
	ORD_LINES_INSERT,
	ORD_TICKETS_INSERT,
	ORD_HISTORY_INSERT,
	ORD_GET,
	ORD_GET_LOCK,
	ORD_GET_ANY_LOCK,
	ORD_ITEMS,
	ORD_HISTORY,
	ORD_NAME_TICKETS,
	ORD_SET_STATUS,
	ORD_SET_PAID,
	ORD_SEATS_SELL,
	ORD_SEATS_RELEASE,
	ORD_SEATS_UNSELL,
	ORD_SET_PROVIDER,
	ORD_SET_PAYMENT,
	ORD_SEATS_RETAKE,
	ORD_PAYMENT_EVENT,
	ORD_TYPES_OF,
	ORD_OF_BUYER,
	ORD_TICKETS_OF_BUYER,
	ORD_TICKET_GET,
	ORD_SET_PENDING,
	ORD_AWAITING,
	ORD_LIVE_OF_EVENT,
	ORD_EVENT_OPEN,
	ORD_COUNT_OF_EVENT,
	ORD_PAID_BUYERS,
	ORD_PICTURE_LIVE,
	ORD_PICTURE_LINE_INSERT,
	ORD__MAX
};

#define ORDER_COLS "o.id, o.code, COALESCE(o.event_id, 0), o.buyer_id, o.status, " \
	"o.total_cents, o.currency, o.provider, o.hold_expires_at, " \
	"o.created_at, o.paid_at, u.email, u.display_name, o.provider_payment"
#define ORDER_FROM " FROM orders o JOIN users u ON u.id = o.buyer_id "
#define TICKET_COLS "k.id, k.code, k.attendee_name, tt.name, o.code, " \
	"e.id, e.title, e.venue, e.city, e.timezone, e.starts_at, e.ends_at, " \
	"k.checked_in_at"
/* Seats per ticket type of one order: its ticket lines, one per type
 * (order_lines_one_per_type), whose quantity is its tickets of the type.
 * A join, not a grouped count of tickets: no temporary table per move. */
#define ORDER_SEATS "order_lines l ON l.ticket_type_id = tt.id"
#define OF_ORDER " WHERE l.order_id = ?"

static const char *const orders_stmts[ORD__MAX] = {
	/* ORD_EXPIRED_HOLDS: through orders_expiry (status, hold_expires_at);
	 * a hold at the checkout, or an order waiting for an offline
	 * payment, past its deadline */
	"SELECT id, status, code, provider, provider_ref FROM orders "
	"WHERE status IN ('held', 'pending_payment') "
	"AND hold_expires_at < UTC_TIMESTAMP() "
	"ORDER BY hold_expires_at LIMIT ? FOR UPDATE SKIP LOCKED",
	/* ORD_LOCK_BUYER: one account's bookings, one at a time */
	"SELECT id FROM users WHERE id = ? FOR UPDATE",
	/* ORD_ACCOUNT_SEATS: what the account holds or has of a type. A plain
	 * read: the transaction's snapshot is taken after the buyer's row was
	 * locked (orders_place_hold), so it holds every earlier booking of
	 * the account. A locking read would put next-key locks on the tickets
	 * it scans, and other buyers' new tickets would deadlock on them. */
	"SELECT COUNT(*) FROM tickets k JOIN orders o ON o.id = k.order_id "
	"WHERE o.buyer_id = ? AND k.ticket_type_id = ? "
	"AND o.status IN ('held', 'pending_payment', 'paid')",
	/* ORD_TAKE_SEATS: the guarded update (DESIGN.md), 0 rows: sold out */
	"UPDATE ticket_types SET held = held + ? "
	"WHERE id = ? AND sold + held + ? <= quota",
	/* ORD_SEATS_LEFT */
	"SELECT GREATEST(CAST(quota AS SIGNED) - CAST(sold AS SIGNED) "
	"- CAST(held AS SIGNED), 0) FROM ticket_types WHERE id = ?",
	/* ORD_INSERT */
	"INSERT INTO orders (code, event_id, buyer_id, status, total_cents, "
	"currency, hold_expires_at) VALUES (?, ?, ?, 'held', ?, ?, "
	"UTC_TIMESTAMP() + INTERVAL ? MINUTE)",
	/* ORD_LINES_INSERT: every ticket line of the order in one statement,
	 * from a JSON array of {"t": type, "n": name, "q": quantity,
	 * "p": unit price}, in its order */
	"INSERT INTO order_lines (order_id, kind, ticket_type_id, description, "
	"quantity, unit_price_cents) SELECT ?, 'ticket', j.t, j.n, j.q, j.p "
	"FROM JSON_TABLE(?, '$[*]' COLUMNS (i FOR ORDINALITY, "
	"t BIGINT PATH '$.t', n VARCHAR(200) PATH '$.n', q INT PATH '$.q', "
	"p BIGINT PATH '$.p')) j ORDER BY j.i",
	/* ORD_TICKETS_INSERT: every ticket of the order in one statement,
	 * from a JSON array of {"t": type, "c": code} */
	"INSERT INTO tickets (order_id, ticket_type_id, code) "
	"SELECT ?, j.t, j.c FROM JSON_TABLE(?, '$[*]' COLUMNS ("
	"i FOR ORDINALITY, t BIGINT PATH '$.t', c CHAR(24) PATH '$.c')) j "
	"ORDER BY j.i",
	/* ORD_HISTORY_INSERT */
	"INSERT INTO order_history (order_id, from_status, to_status, note) "
	"VALUES (?, ?, ?, ?)",
	/* ORD_GET */
	"SELECT " ORDER_COLS ORDER_FROM "WHERE o.code = ? AND o.buyer_id = ?",
	/* ORD_GET_LOCK */
	"SELECT " ORDER_COLS ORDER_FROM "WHERE o.code = ? AND o.buyer_id = ? "
	"FOR UPDATE",
	/* ORD_GET_ANY_LOCK: for a payment provider's word on an order */
	"SELECT " ORDER_COLS ORDER_FROM "WHERE o.code = ? FOR UPDATE",
	/* ORD_ITEMS: the order's lines, each with its tickets (one line per
	 * type: order_lines_one_per_type), a row per ticket, or one for a
	 * line without any */
	"SELECT l.id, l.ticket_type_id, l.description, l.quantity, "
	"l.unit_price_cents, k.id, k.ticket_type_id, tt.name, "
	"k.attendee_name, k.code FROM order_lines l "
	"LEFT JOIN tickets k ON k.order_id = l.order_id "
	"AND k.ticket_type_id = l.ticket_type_id "
	"LEFT JOIN ticket_types tt ON tt.id = k.ticket_type_id "
	"WHERE l.order_id = ? ORDER BY l.id, k.id",
	/* ORD_HISTORY */
	"SELECT at, from_status, to_status, note FROM order_history "
	"WHERE order_id = ? ORDER BY id",
	/* ORD_NAME_TICKETS: the attendees of an order's tickets in one
	 * statement, from a JSON array of {"k": ticket id, "n": name} */
	"UPDATE tickets k JOIN JSON_TABLE(?, '$[*]' COLUMNS ("
	"id BIGINT PATH '$.k', n VARCHAR(100) PATH '$.n')) j ON j.id = k.id "
	"SET k.attendee_name = j.n WHERE k.order_id = ?",
	/* ORD_SET_STATUS */
	"UPDATE orders SET status = ? WHERE id = ? AND status = ?",
	/* ORD_SET_PAID */
	"UPDATE orders SET status = 'paid', paid_at = UTC_TIMESTAMP(), "
	"provider = ?, hold_expires_at = NULL WHERE id = ? AND status = ?",
	/* ORD_SEATS_SELL: held seats become sold */
	"UPDATE ticket_types tt JOIN " ORDER_SEATS " "
	"SET tt.held = tt.held - l.quantity, tt.sold = tt.sold + l.quantity"
	OF_ORDER,
	/* ORD_SEATS_RELEASE: held seats go back on sale */
	"UPDATE ticket_types tt JOIN " ORDER_SEATS " "
	"SET tt.held = tt.held - l.quantity" OF_ORDER,
	/* ORD_SEATS_UNSELL: sold seats go back on sale */
	"UPDATE ticket_types tt JOIN " ORDER_SEATS " "
	"SET tt.sold = tt.sold - l.quantity" OF_ORDER,
	/* ORD_SET_PROVIDER: what the provider calls the checkout */
	"UPDATE orders SET provider = ?, provider_ref = ? WHERE id = ?",
	/* ORD_SET_PAYMENT: what it calls the payment, for refunds */
	"UPDATE orders SET provider_payment = ? WHERE id = ?",
	/* ORD_SEATS_RETAKE: a late payment takes its seats again, each type
	 * only if they are free (the guarded update); fewer rows changed than
	 * types: not all were */
	"UPDATE ticket_types tt JOIN " ORDER_SEATS " "
	"SET tt.sold = tt.sold + l.quantity" OF_ORDER " "
	"AND tt.sold + tt.held + l.quantity <= tt.quota",
	/* ORD_PAYMENT_EVENT: a provider's event, once (unique key) */
	"INSERT INTO payment_events (provider, event_id, type, order_code) "
	"VALUES (?, ?, ?, ?)",
	/* ORD_TYPES_OF: how many ticket types the order's seats are of */
	"SELECT COUNT(*) FROM order_lines "
	"WHERE order_id = ? AND ticket_type_id IS NOT NULL",
	/* ORD_OF_BUYER: through orders_by_buyer (buyer_id, created_at); an
	 * order of pictures, without an event, is named after its first line */
	"SELECT " ORDER_COLS ", COALESCE(e.title, (SELECT l.description "
	"FROM order_lines l WHERE l.order_id = o.id ORDER BY l.id LIMIT 1)), "
	"COALESCE(e.timezone, 'UTC'), COALESCE(e.starts_at, o.created_at), "
	"(SELECT COUNT(*) FROM tickets k WHERE k.order_id = o.id)"
	ORDER_FROM "LEFT JOIN events e ON e.id = o.event_id "
	"WHERE o.buyer_id = ? ORDER BY o.created_at DESC, o.id DESC LIMIT ?",
	/* ORD_TICKETS_OF_BUYER */
	"SELECT " TICKET_COLS " FROM orders o "
	"JOIN tickets k ON k.order_id = o.id "
	"JOIN ticket_types tt ON tt.id = k.ticket_type_id "
	"JOIN events e ON e.id = o.event_id "
	"WHERE o.buyer_id = ? AND o.status = 'paid' "
	"ORDER BY e.ends_at < UTC_TIMESTAMP(), "
	"IF(e.ends_at < UTC_TIMESTAMP(), -UNIX_TIMESTAMP(e.starts_at), "
	"UNIX_TIMESTAMP(e.starts_at)), k.id LIMIT ?",
	/* ORD_TICKET_GET */
	"SELECT " TICKET_COLS " FROM tickets k "
	"JOIN orders o ON o.id = k.order_id "
	"JOIN ticket_types tt ON tt.id = k.ticket_type_id "
	"JOIN events e ON e.id = o.event_id "
	"WHERE k.code = ? AND o.buyer_id = ? AND o.status = 'paid'",
	/* ORD_SET_PENDING: waits for an offline payment until its deadline */
	"UPDATE orders SET status = 'pending_payment', provider = ?, "
	"hold_expires_at = ? WHERE id = ? AND status = ?",
	/* ORD_AWAITING: what an organizer has to act on, soonest due first */
	"SELECT " ORDER_COLS ", e.title, e.timezone, e.starts_at, "
	"(SELECT COUNT(*) FROM tickets k WHERE k.order_id = o.id)"
	ORDER_FROM "JOIN events e ON e.id = o.event_id "
	"WHERE e.organizer_id = ? AND o.status IN ('pending_payment', "
	"'refund_due') ORDER BY o.status, o.hold_expires_at, o.id LIMIT ?",
	/* ORD_LIVE_OF_EVENT: what a cancelled event still has to undo, one
	 * batch locked through orders_by_event; no ORDER BY, which would
	 * make InnoDB lock every live order of the event to sort them, and
	 * SKIP LOCKED leaves an order a payment holds to a later batch */
	"SELECT code FROM orders WHERE event_id = ? "
	"AND status IN ('held', 'pending_payment', 'paid') LIMIT ? "
	"FOR UPDATE SKIP LOCKED",
	/* ORD_EVENT_OPEN: a shared lock, so cancelling the event waits for
	 * the payment and the payment after it sees the event cancelled */
	"SELECT status = 'published' FROM events WHERE id = ? "
	"LOCK IN SHARE MODE",
	/* ORD_COUNT_OF_EVENT */
	"SELECT status, COUNT(*) FROM orders WHERE event_id = ? GROUP BY status",
	/* ORD_PAID_BUYERS: keyset pages of an event's paid orders */
	"SELECT o.id, o.code, u.email, u.display_name, u.id FROM orders o "
	"JOIN users u ON u.id = o.buyer_id WHERE o.event_id = ? "
	"AND o.status = 'paid' AND o.id > ? ORDER BY o.id LIMIT ?",
	/* ORD_PICTURE_LIVE: the buyer's order of the picture that is still
	 * held, waiting or paid; a locking read after the buyer's row, so it
	 * sees the order a buy at the same moment just committed */
	"SELECT o.code, o.status FROM order_lines l "
	"JOIN orders o ON o.id = l.order_id WHERE l.picture_id = ? "
	"AND o.buyer_id = ? AND o.status IN ('held', 'pending_payment', 'paid') "
	"ORDER BY o.id DESC LIMIT 1 LOCK IN SHARE MODE",
	/* ORD_PICTURE_LINE_INSERT */
	"INSERT INTO order_lines (order_id, kind, picture_id, description, "
	"quantity, unit_price_cents) VALUES (?, 'picture', ?, ?, 1, ?)",
};

const char *const order_status_names[ORDER__STATUS_MAX] = {
	[ORDER_HELD] = "held",
	[ORDER_PENDING_PAYMENT] = "pending_payment",
	[ORDER_PAID] = "paid",
	[ORDER_CANCELLED] = "cancelled",
	[ORDER_EXPIRED] = "expired",
	[ORDER_REFUNDED] = "refunded",
	[ORDER_REFUND_DUE] = "refund_due",
};

/* What a move does to the order's seats. */
enum seats_move { SEATS_KEEP, SEATS_SELL, SEATS_RELEASE, SEATS_UNSELL,
	SEATS_RETAKE };

/* The order's state machine: every move there is. */
static const struct {
	enum order_status from, to;
	enum seats_move seats;
} order_moves[] = {
	{ ORDER_HELD, ORDER_PENDING_PAYMENT, SEATS_KEEP },
	{ ORDER_HELD, ORDER_PAID, SEATS_SELL },
	{ ORDER_PENDING_PAYMENT, ORDER_PAID, SEATS_SELL },
	{ ORDER_HELD, ORDER_EXPIRED, SEATS_RELEASE },
	{ ORDER_PENDING_PAYMENT, ORDER_EXPIRED, SEATS_RELEASE },
	{ ORDER_HELD, ORDER_CANCELLED, SEATS_RELEASE },
	/* Paid at the provider while held, for an event cancelled meanwhile:
	 * the money back, the seats free. */
	{ ORDER_HELD, ORDER_REFUNDED, SEATS_RELEASE },
	{ ORDER_PENDING_PAYMENT, ORDER_CANCELLED, SEATS_RELEASE },
	{ ORDER_PAID, ORDER_REFUNDED, SEATS_UNSELL },
	/* Paid offline and cancelled: the organizer pays the money back. */
	{ ORDER_PAID, ORDER_REFUND_DUE, SEATS_UNSELL },
	{ ORDER_REFUND_DUE, ORDER_REFUNDED, SEATS_KEEP },
	/* Paid after the hold ran out: the seats again if they are free,
	 * else the money back. */
	{ ORDER_EXPIRED, ORDER_PAID, SEATS_RETAKE },
	{ ORDER_CANCELLED, ORDER_PAID, SEATS_RETAKE },
	{ ORDER_EXPIRED, ORDER_REFUNDED, SEATS_KEEP },
	{ ORDER_CANCELLED, ORDER_REFUNDED, SEATS_KEEP },
};

/* The index of the move from -> to in order_moves[], or its length. */
static size_t
move_index(enum order_status from, enum order_status to)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(order_moves); i++)
		if (order_moves[i].from == from && order_moves[i].to == to)
			break;
	return i;
}

int
orders_move_allowed(enum order_status from, enum order_status to)
{
	return move_index(from, to) < ARRAY_LEN(order_moves);
}

static const enum orders_stmt seats_stmts[] = {
	[SEATS_SELL] = ORD_SEATS_SELL,
	[SEATS_RELEASE] = ORD_SEATS_RELEASE,
	[SEATS_UNSELL] = ORD_SEATS_UNSELL,
	[SEATS_RETAKE] = ORD_SEATS_RETAKE,
};

/* A random code of n characters of [A-Z2-9] into out (n + 1 bytes). */
static void
new_code(char *out, size_t n)
{
	/* No I, O, 0 or 1, which people read for one another. */
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	unsigned char bytes[32];

	crypto_random(bytes, n);
	/* 256 is a multiple of 32: every character is equally likely. */
	for (size_t i = 0; i < n; i++)
		out[i] = alphabet[bytes[i] % 32];
	out[n] = '\0';
}

static int
exec_affected(struct db *db, enum orders_stmt stmt, const struct db_arg *args,
    size_t nargs, unsigned long long *n)
{
	return db_exec(db, orders_stmts[stmt], args, nargs, n, NULL) == DB_OK ?
	    0 : -1;
}

static int
history_add(struct db *db, long long order_id, const char *from,
    enum order_status to, const char *note)
{
	struct db_arg args[] = {
		DB_INT(order_id), from ? DB_STR(from) : DB_NULL,
		DB_STR(order_status_names[to]), DB_STR(note ? note : ""),
	};

	return exec_affected(db, ORD_HISTORY_INSERT, args, ARRAY_LEN(args),
	    NULL);
}

/* Refuses out with why for type tt and limit; returns 1. */
static int
refuse(struct booking_outcome *out, enum booking_refusal why, long long tt,
    long long limit)
{
	out->refusal = why;
	out->ticket_type_id = tt;
	out->limit = limit;
	return 1;
}

static const struct ticket_type *
find_type(const struct ticket_type *types, size_t n, long long id)
{
	for (size_t i = 0; i < n; i++)
		if (types[i].id == id)
			return &types[i];
	return NULL;
}

/* Checks b against the event and its types, before any seat is taken.
 * Returns 0, 1 refused, -1. */
static int
check_booking(struct db *db, struct arena *a, const struct booking *b,
    const struct event *ev, const struct ticket_type *types, size_t ntypes,
    struct booking_outcome *out)
{
	time_t now = time(NULL);
	const char *currency = NULL;
	int capped = 0;

	if (!events_is_public(ev) || ev->status != EVENT_PUBLISHED ||
	    events_is_over(ev, now))
		return refuse(out, BOOKING_EVENT_CLOSED, 0, 0);
	for (size_t i = 0; i < b->nitems; i++) {
		const struct booking_item *it = &b->items[i];
		const struct ticket_type *t = find_type(types, ntypes,
		    it->ticket_type_id);
		enum ticket_sale sale;

		if (t == NULL)
			return refuse(out, BOOKING_UNKNOWN_TYPE,
			    it->ticket_type_id, 0);
		sale = events_ticket_sale(t, ev->ends_at, now);
		if (sale == TICKET_SALES_ENDED || sale == TICKET_NOT_YET_ON_SALE)
			return refuse(out, BOOKING_NOT_ON_SALE, t->id, 0);
		if (it->quantity < t->min_per_order)
			return refuse(out, BOOKING_BELOW_MIN, t->id,
			    t->min_per_order);
		if (it->quantity > t->max_per_order)
			return refuse(out, BOOKING_ABOVE_MAX, t->id,
			    t->max_per_order);
		if (currency != NULL && strcmp(currency, t->currency) != 0)
			return refuse(out, BOOKING_MIXED_CURRENCY, t->id, 0);
		currency = t->currency;
		capped |= t->max_per_account > 0;
	}
	if (!capped)
		return 0;
	struct db_rows rows;

	for (size_t i = 0; i < b->nitems; i++) {
		const struct ticket_type *t = find_type(types, ntypes,
		    b->items[i].ticket_type_id);
		struct db_arg args[] = { DB_INT(b->buyer_id), DB_INT(t->id) };
		long long has;

		if (t->max_per_account == 0)
			continue;
		if (db_query(db, a, DB_PRIMARY, orders_stmts[ORD_ACCOUNT_SEATS],
		    args, ARRAY_LEN(args), &rows) != DB_OK || rows.nrows != 1)
			return -1;
		has = strtoll(db_cell(&rows, 0, 0), NULL, 10);
		if (has + b->items[i].quantity > t->max_per_account)
			return refuse(out, BOOKING_ACCOUNT_CAP, t->id,
			    t->max_per_account - has > 0 ?
			    t->max_per_account - has : 0);
	}
	return 0;
}

/* Items by ticket type id: every transaction takes ticket_types rows in
 * the same order. */
static int
by_type(const void *x, const void *y)
{
	const struct booking_item *a = x, *b = y;

	return (a->ticket_type_id > b->ticket_type_id) -
	    (a->ticket_type_id < b->ticket_type_id);
}

int
orders_hold_start(struct db *db, struct arena *a, long long event_id,
    long long buyer_id, struct event *ev, struct ticket_type **types,
    size_t *ntypes)
{
	/* One account's bookings one after the other, so two at once cannot
	 * both fit under a cap per account. First of all, before any plain
	 * read takes the transaction's snapshot: that snapshot then holds the
	 * account's bookings committed before this one (check_booking). */
	struct db_arg buyer[] = { DB_INT(buyer_id) };
	struct db_rows locked;
	int rc;

	if (db_query(db, a, DB_PRIMARY, orders_stmts[ORD_LOCK_BUYER], buyer, 1,
	    &locked) != DB_OK)
		return -1;
	/* Inside the transaction this reads the primary. */
	rc = events_get_with_types(db, a, event_id, ev, types, ntypes);
	return rc == 0 || rc == 1 ? rc : -1;
}

/* The order's ticket lines and its tickets, each in one statement: items
 * sorted by type, their types in types. 0 or -1. */
static int
insert_lines(struct db *db, long long order_id,
    const struct booking_item *items, size_t nitems,
    const struct ticket_type *const *types)
{
	struct json_object *lines = json_object_new_array();
	struct json_object *tickets = json_object_new_array();
	int rc = -1;

	for (size_t i = 0; i < nitems; i++) {
		struct json_object *l = json_object_new_object();

		json_object_object_add(l, "t",
		    json_object_new_int64(types[i]->id));
		json_object_object_add(l, "n",
		    json_object_new_string(types[i]->name));
		json_object_object_add(l, "q",
		    json_object_new_int64(items[i].quantity));
		json_object_object_add(l, "p",
		    json_object_new_int64(types[i]->price));
		json_object_array_add(lines, l);
		for (long long k = 0; k < items[i].quantity; k++) {
			struct json_object *t = json_object_new_object();
			char code[TICKET_CODE_LEN + 1];

			new_code(code, TICKET_CODE_LEN);
			json_object_object_add(t, "t",
			    json_object_new_int64(types[i]->id));
			json_object_object_add(t, "c", json_object_new_string(code));
			json_object_array_add(tickets, t);
		}
	}
	/* The strings belong to the arrays, which outlive both statements. */
	struct db_arg line_args[] = { DB_INT(order_id),
		DB_STR(json_object_to_json_string_ext(lines,
		JSON_C_TO_STRING_PLAIN)) };
	struct db_arg ticket_args[] = { DB_INT(order_id),
		DB_STR(json_object_to_json_string_ext(tickets,
		JSON_C_TO_STRING_PLAIN)) };

	if (exec_affected(db, ORD_LINES_INSERT, line_args,
	    ARRAY_LEN(line_args), NULL) == 0 &&
	    exec_affected(db, ORD_TICKETS_INSERT, ticket_args,
	    ARRAY_LEN(ticket_args), NULL) == 0)
		rc = 0;
	json_object_put(lines);
	json_object_put(tickets);
	return rc;
}

int
orders_place_hold(struct db *db, struct arena *a, const struct booking *b,
    const struct event *ev, const struct ticket_type *types, size_t ntypes,
    struct booking_outcome *out)
{
	struct booking_item items[ORDERS_MAX_TYPES];
	const struct ticket_type *of[ORDERS_MAX_TYPES];
	long long total = 0;
	const char *currency = "EUR";
	unsigned long long order_id = 0, n;
	int rc;

	memset(out, 0, sizeof(*out));
	if (b->nitems == 0 || b->nitems > ORDERS_MAX_TYPES)
		return refuse(out, BOOKING_BELOW_MIN, 0, 1);
	if ((rc = check_booking(db, a, b, ev, types, ntypes, out)) != 0)
		return rc;
	memcpy(items, b->items, b->nitems * sizeof(*items));
	qsort(items, b->nitems, sizeof(*items), by_type);
	for (size_t i = 0; i < b->nitems; i++) {
		of[i] = find_type(types, ntypes, items[i].ticket_type_id);
		total += items[i].quantity * of[i]->price;
		currency = of[i]->currency;
	}
	new_code(out->code, ORDER_CODE_LEN);
	struct db_arg order[] = {
		DB_STR(out->code), DB_INT(b->event_id), DB_INT(b->buyer_id),
		DB_INT(total), DB_STR(currency), DB_INT(b->hold_minutes),
	};

	/* The order's own rows first, the seats, then the lines and tickets:
	 * the ticket_types rows are the ones every booking of the event
	 * waits for, so they are locked as late as can be. Not any later:
	 * the foreign keys of lines and tickets share-lock their type, and
	 * two holds sharing it could then not both take it for the update.
	 * Refused, the caller rolls the order back with the rest. */
	if (db_exec(db, orders_stmts[ORD_INSERT], order, ARRAY_LEN(order), NULL,
	    &order_id) != DB_OK ||
	    history_add(db, (long long)order_id, NULL, ORDER_HELD, "") != 0)
		return -1;
	for (size_t i = 0; i < b->nitems; i++) {
		struct db_arg take[] = { DB_INT(items[i].quantity),
			DB_INT(of[i]->id), DB_INT(items[i].quantity) };

		if (exec_affected(db, ORD_TAKE_SEATS, take, ARRAY_LEN(take),
		    &n) != 0)
			return -1;
		if (n == 0) {
			struct db_arg id[] = { DB_INT(of[i]->id) };
			struct db_rows rows;

			if (db_query(db, a, DB_PRIMARY, orders_stmts[ORD_SEATS_LEFT],
			    id, 1, &rows) != DB_OK || rows.nrows != 1)
				return -1;
			return refuse(out, BOOKING_SOLD_OUT, of[i]->id,
			    strtoll(db_cell(&rows, 0, 0), NULL, 10));
		}
	}
	if (insert_lines(db, (long long)order_id, items, b->nitems, of) != 0)
		return -1;
	out->refusal = BOOKING_OK;
	return 0;
}

int
orders_place_picture_hold(struct db *db, struct arena *a,
    const struct picture_hold *h, struct picture_hold_outcome *out)
{
	struct db_arg buyer[] = { DB_INT(h->buyer_id) };
	struct db_arg live[] = { DB_INT(h->picture_id), DB_INT(h->buyer_id) };
	unsigned long long order_id = 0;
	struct db_rows rows;

	memset(out, 0, sizeof(*out));
	/* One account's buys one after the other: two at once find the
	 * same order instead of making two. */
	if (db_query(db, a, DB_PRIMARY, orders_stmts[ORD_LOCK_BUYER], buyer, 1,
	    &rows) != DB_OK ||
	    db_query(db, a, DB_PRIMARY, orders_stmts[ORD_PICTURE_LIVE], live,
	    ARRAY_LEN(live), &rows) != DB_OK)
		return -1;
	if (rows.nrows == 1) {
		struct row_reader rd;
		const char *code;

		row_begin(&rd, &rows, 0, "order of a picture");
		code = row_text(&rd, 0);
		out->status = (enum order_status)row_enum(&rd, 1,
		    order_status_names, ORDER__STATUS_MAX);
		if (row_end(&rd) != 0 || strlen(code) != ORDER_CODE_LEN)
			return ROW_BAD;
		memcpy(out->code, code, ORDER_CODE_LEN + 1);
		out->existing = 1;
		return 0;
	}
	new_code(out->code, ORDER_CODE_LEN);
	struct db_arg order[] = {
		DB_STR(out->code), DB_NULL, DB_INT(h->buyer_id),
		DB_INT(h->price), DB_STR(h->currency), DB_INT(h->hold_minutes),
	};

	if (db_exec(db, orders_stmts[ORD_INSERT], order, ARRAY_LEN(order), NULL,
	    &order_id) != DB_OK)
		return -1;
	struct db_arg line[] = { DB_INT(order_id), DB_INT(h->picture_id),
		DB_STR(h->description), DB_INT(h->price) };

	if (exec_affected(db, ORD_PICTURE_LINE_INSERT, line, ARRAY_LEN(line),
	    NULL) != 0 ||
	    history_add(db, (long long)order_id, NULL, ORDER_HELD, "") != 0)
		return -1;
	out->status = ORDER_HELD;
	return 0;
}

static int
parse_order(const struct db_rows *rows, struct order *o)
{
	struct row_reader rd;

	memset(o, 0, sizeof(*o));
	row_begin(&rd, rows, 0, "order");
	o->id = row_int(&rd, 0, 1, LLONG_MAX);
	o->code = row_text(&rd, 1);
	o->event_id = row_int(&rd, 2, 0, LLONG_MAX);
	o->buyer_id = row_int(&rd, 3, 1, LLONG_MAX);
	o->status = (enum order_status)row_enum(&rd, 4, order_status_names,
	    ORDER__STATUS_MAX);
	o->total = row_int(&rd, 5, 0, LLONG_MAX);
	o->currency = row_text(&rd, 6);
	o->provider = row_text_or_null(&rd, 7);
	o->has_hold_expires_at = row_time_or_null(&rd, 8, &o->hold_expires_at);
	o->created_at = row_time(&rd, 9);
	o->has_paid_at = row_time_or_null(&rd, 10, &o->paid_at);
	o->buyer_email = row_text(&rd, 11);
	o->buyer_name = row_text(&rd, 12);
	o->provider_payment = row_text_or_null(&rd, 13);
	return row_end(&rd);
}

int
orders_get(struct db *db, struct arena *a, const char *code,
    long long buyer_id, int lock, struct order *out)
{
	struct db_arg args[] = { DB_STR(code), DB_INT(buyer_id) };
	struct db_rows rows;

	if (strlen(code) != ORDER_CODE_LEN)
		return 1;
	if (db_query(db, a, DB_PRIMARY, orders_stmts[lock ? ORD_GET_LOCK :
	    ORD_GET], args, ARRAY_LEN(args), &rows) != DB_OK)
		return -1;
	if (rows.nrows == 0)
		return 1;
	return parse_order(&rows, out);
}

int
orders_get_any(struct db *db, struct arena *a, const char *code,
    struct order *out)
{
	struct db_arg args[] = { DB_STR(code) };
	struct db_rows rows;

	if (strlen(code) != ORDER_CODE_LEN)
		return 1;
	if (db_query(db, a, DB_PRIMARY, orders_stmts[ORD_GET_ANY_LOCK], args,
	    ARRAY_LEN(args), &rows) != DB_OK)
		return -1;
	if (rows.nrows == 0)
		return 1;
	return parse_order(&rows, out);
}

int
orders_items(struct db *db, struct arena *a, long long order_id,
    struct order_line **lines, size_t *nlines, struct order_ticket **tickets,
    size_t *ntickets)
{
	struct db_arg args[] = { DB_INT(order_id) };
	struct db_rows rows;

	*nlines = *ntickets = 0;
	if (db_query(db, a, DB_PRIMARY, orders_stmts[ORD_ITEMS], args, 1,
	    &rows) != DB_OK)
		return -1;
	*lines = arena_calloc(a, rows.nrows + 1, sizeof(**lines));
	*tickets = arena_calloc(a, rows.nrows + 1, sizeof(**tickets));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct row_reader rd;
		long long line_id;

		row_begin(&rd, &rows, i, "order line");
		line_id = row_int(&rd, 0, 1, LLONG_MAX);
		/* A line's first row starts it; the rest only add tickets. */
		if (*nlines == 0 || (*lines)[*nlines - 1].id != line_id) {
			struct order_line *l = &(*lines)[(*nlines)++];

			l->id = line_id;
			if (db_cell(&rows, i, 1) != NULL)
				l->ticket_type_id = row_int(&rd, 1, 1, LLONG_MAX);
			l->description = row_text(&rd, 2);
			l->quantity = row_int(&rd, 3, 1, LLONG_MAX);
			l->unit_price = row_int(&rd, 4, 0, LLONG_MAX);
		}
		if (db_cell(&rows, i, 5) != NULL) {
			struct order_ticket *t = &(*tickets)[(*ntickets)++];

			t->id = row_int(&rd, 5, 1, LLONG_MAX);
			t->ticket_type_id = row_int(&rd, 6, 1, LLONG_MAX);
			t->type_name = row_text(&rd, 7);
			t->attendee_name = row_text(&rd, 8);
			t->code = row_text(&rd, 9);
		}
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	return 0;
}

int
orders_history(struct db *db, struct arena *a, long long order_id,
    struct order_change **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(order_id) };
	struct db_rows rows;

	*n = 0;
	if (db_query(db, a, DB_PRIMARY, orders_stmts[ORD_HISTORY], args, 1,
	    &rows) != DB_OK)
		return -1;
	*out = arena_calloc(a, rows.nrows + 1, sizeof(**out));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct order_change *c = &(*out)[i];
		struct row_reader rd;

		row_begin(&rd, &rows, i, "order change");
		c->at = row_time(&rd, 0);
		c->has_from = db_cell(&rows, i, 1) != NULL;
		if (c->has_from)
			c->from = (enum order_status)row_enum(&rd, 1,
			    order_status_names, ORDER__STATUS_MAX);
		c->to = (enum order_status)row_enum(&rd, 2, order_status_names,
		    ORDER__STATUS_MAX);
		c->note = row_text(&rd, 3);
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*n = rows.nrows;
	return 0;
}

int
orders_name_tickets(struct db *db, long long order_id,
    const struct order_ticket *tickets, size_t n)
{
	struct json_object *names;
	int rc;

	if (n == 0)
		return 0;
	names = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		struct json_object *t = json_object_new_object();

		json_object_object_add(t, "k", json_object_new_int64(tickets[i].id));
		json_object_object_add(t, "n",
		    json_object_new_string(tickets[i].attendee_name));
		json_object_array_add(names, t);
	}
	/* The string belongs to names, which outlives the statement. */
	struct db_arg args[] = { DB_STR(json_object_to_json_string_ext(names,
		JSON_C_TO_STRING_PLAIN)), DB_INT(order_id) };

	rc = exec_affected(db, ORD_NAME_TICKETS, args, ARRAY_LEN(args), NULL);
	json_object_put(names);
	return rc;
}

int
orders_transition(struct db *db, struct order *o, enum order_status to,
    const char *provider, const char *note)
{
	const char *from = order_status_names[o->status];
	struct db_arg id[] = { DB_INT(o->id) };
	unsigned long long n = 0;
	size_t i;

	if ((i = move_index(o->status, to)) == ARRAY_LEN(order_moves)) {
		log_info("%s: order %lld: no move from %s to %s", __func__, o->id,
		    from, order_status_names[to]);
		return 1;
	}
	if (to == ORDER_PAID) {
		struct db_arg args[] = { provider ? DB_STR(provider) : DB_NULL,
			DB_INT(o->id), DB_STR(from) };

		if (exec_affected(db, ORD_SET_PAID, args, ARRAY_LEN(args),
		    &n) != 0)
			return -1;
	} else if (to == ORDER_PENDING_PAYMENT) {
		char deadline[32];
		struct tm tm;

		if (!o->has_hold_expires_at ||
		    gmtime_r(&o->hold_expires_at, &tm) == NULL)
			return 1;
		strftime(deadline, sizeof(deadline), "%Y-%m-%d %H:%M:%S", &tm);

		struct db_arg args[] = { provider ? DB_STR(provider) : DB_NULL,
			DB_STR(deadline), DB_INT(o->id), DB_STR(from) };

		if (exec_affected(db, ORD_SET_PENDING, args, ARRAY_LEN(args),
		    &n) != 0)
			return -1;
	} else {
		struct db_arg args[] = { DB_STR(order_status_names[to]),
			DB_INT(o->id), DB_STR(from) };

		if (exec_affected(db, ORD_SET_STATUS, args, ARRAY_LEN(args),
		    &n) != 0)
			return -1;
	}
	if (n == 0)
		return 1;
	/* The history before the seats: the ticket_types rows are the ones
	 * every booking of the event waits for, so they are locked last,
	 * just before the commit. */
	if (history_add(db, o->id, from, to, note) != 0)
		return -1;
	if (order_moves[i].seats != SEATS_KEEP &&
	    exec_affected(db, seats_stmts[order_moves[i].seats], id, 1,
	    &n) != 0)
		return -1;
	if (order_moves[i].seats == SEATS_RETAKE) {
		struct db_rows rows;
		struct arena a;
		int all;

		/* Every type of the order must have had room: one row each. */
		arena_init(&a, 1024);
		all = db_query(db, &a, DB_PRIMARY, orders_stmts[ORD_TYPES_OF],
		    id, 1, &rows) == DB_OK && rows.nrows == 1 &&
		    strtoull(db_cell(&rows, 0, 0), NULL, 10) == n;
		arena_free(&a);
		if (!all)
			return 2;
	}
	o->status = to;
	return 0;
}

static int
parse_held_ticket(const struct db_rows *rows, size_t i, struct held_ticket *t)
{
	struct row_reader rd;

	memset(t, 0, sizeof(*t));
	row_begin(&rd, rows, i, "ticket");
	t->id = row_int(&rd, 0, 1, LLONG_MAX);
	t->code = row_text(&rd, 1);
	t->attendee_name = row_text(&rd, 2);
	t->type_name = row_text(&rd, 3);
	t->order_code = row_text(&rd, 4);
	t->event_id = row_int(&rd, 5, 1, LLONG_MAX);
	t->event_title = row_text(&rd, 6);
	t->venue = row_text(&rd, 7);
	t->city = row_text(&rd, 8);
	t->timezone = row_text(&rd, 9);
	t->starts_at = row_time(&rd, 10);
	t->ends_at = row_time(&rd, 11);
	t->has_checked_in_at = row_time_or_null(&rd, 12, &t->checked_in_at);
	return row_end(&rd);
}

/* Orders with their event's title, zone and start and their seats, by
 * stmt with args. */
static int
order_summaries(struct db *db, struct arena *a, enum orders_stmt stmt,
    enum db_target target, const struct db_arg *args, size_t nargs,
    struct order_summary **out, size_t *n)
{
	struct db_rows rows;

	*n = 0;
	if (db_query(db, a, target, orders_stmts[stmt], args, nargs,
	    &rows) != DB_OK)
		return -1;
	*out = arena_calloc(a, rows.nrows + 1, sizeof(**out));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct order_summary *o = &(*out)[i];
		struct db_rows one = rows;
		struct row_reader rd;

		/* The order's own columns first, as parse_order reads them. */
		one.nrows = 1;
		one.cells = rows.cells + i * rows.ncols;
		if (parse_order(&one, &o->order) != 0)
			return ROW_BAD;
		row_begin(&rd, &rows, i, "order summary");
		o->event_title = row_text(&rd, 14);
		o->event_timezone = row_text(&rd, 15);
		o->event_starts_at = row_time(&rd, 16);
		o->seats = row_int(&rd, 17, 0, LLONG_MAX);
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*n = rows.nrows;
	return 0;
}

int
orders_of_buyer(struct db *db, struct arena *a, long long buyer_id, int limit,
    struct order_summary **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(buyer_id), DB_INT(limit) };

	return order_summaries(db, a, ORD_OF_BUYER, DB_READ, args,
	    ARRAY_LEN(args), out, n);
}

int
orders_awaiting(struct db *db, struct arena *a, long long organizer_id,
    int limit, struct order_summary **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(organizer_id), DB_INT(limit) };

	return order_summaries(db, a, ORD_AWAITING, DB_READ, args,
	    ARRAY_LEN(args), out, n);
}

int
orders_tickets_of_buyer(struct db *db, struct arena *a, long long buyer_id,
    int limit, struct held_ticket **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(buyer_id), DB_INT(limit) };
	struct db_rows rows;

	*n = 0;
	if (db_query(db, a, DB_READ, orders_stmts[ORD_TICKETS_OF_BUYER], args,
	    ARRAY_LEN(args), &rows) != DB_OK)
		return -1;
	*out = arena_calloc(a, rows.nrows + 1, sizeof(**out));
	for (size_t i = 0; i < rows.nrows; i++)
		if (parse_held_ticket(&rows, i, &(*out)[i]) != 0)
			return ROW_BAD;
	*n = rows.nrows;
	return 0;
}

int
orders_ticket_get(struct db *db, struct arena *a, const char *code,
    long long buyer_id, struct held_ticket *out)
{
	struct db_arg args[] = { DB_STR(code), DB_INT(buyer_id) };
	struct db_rows rows;

	if (strlen(code) != TICKET_CODE_LEN)
		return 1;
	if (db_query(db, a, DB_READ, orders_stmts[ORD_TICKET_GET], args,
	    ARRAY_LEN(args), &rows) != DB_OK)
		return -1;
	if (rows.nrows == 0)
		return 1;
	return parse_held_ticket(&rows, 0, out);
}

int
orders_set_provider(struct db *db, long long order_id, const char *provider,
    const char *ref)
{
	struct db_arg args[] = { DB_STR(provider), ref ? DB_STR(ref) : DB_NULL,
		DB_INT(order_id) };

	return exec_affected(db, ORD_SET_PROVIDER, args, ARRAY_LEN(args), NULL);
}

int
orders_set_payment(struct db *db, long long order_id, const char *payment)
{
	struct db_arg args[] = { DB_STR(payment), DB_INT(order_id) };

	return exec_affected(db, ORD_SET_PAYMENT, args, ARRAY_LEN(args), NULL);
}

int
orders_payment_event(struct db *db, const char *provider, const char *event_id,
    const char *type, const char *order_code)
{
	struct db_arg args[] = { DB_STR(provider), DB_STR(event_id),
		DB_STR(type), order_code ? DB_STR(order_code) : DB_NULL };

	switch (db_exec(db, orders_stmts[ORD_PAYMENT_EVENT], args,
	    ARRAY_LEN(args), NULL, NULL)) {
	case DB_OK:
		return 0;
	case DB_DUPLICATE:
		return 1;
	default:
		return -1;
	}
}

struct expiry {
	struct arena *arena;
	struct expired_order *list;    /* room for ORDERS_EXPIRE_BATCH */
	int done;
};

/* Releases one batch of overdue holds, in db_tx's transaction. */
static enum db_status
expire_batch(struct db *db, void *arg)
{
	struct db_arg limit[] = { DB_INT(ORDERS_EXPIRE_BATCH) };
	struct expiry *x = arg;
	struct db_rows rows;
	enum db_status st;

	x->done = 0;
	if ((st = db_query(db, x->arena, DB_PRIMARY,
	    orders_stmts[ORD_EXPIRED_HOLDS], limit, ARRAY_LEN(limit),
	    &rows)) != DB_OK)
		return st;
	for (size_t i = 0; i < rows.nrows; i++) {
		struct row_reader rd;
		struct order o;
		struct expired_order *e = &x->list[x->done];

		memset(&o, 0, sizeof(o));
		row_begin(&rd, &rows, i, "expired hold");
		o.id = row_int(&rd, 0, 1, LLONG_MAX);
		o.status = (enum order_status)row_enum(&rd, 1,
		    order_status_names, ORDER__STATUS_MAX);
		e->code = row_text(&rd, 2);
		e->provider = row_text_or_null(&rd, 3);
		e->provider_ref = row_text_or_null(&rd, 4);
		if (row_end(&rd) != 0)
			return DB_ERROR;
		switch (orders_transition(db, &o, ORDER_EXPIRED, NULL,
		    o.status == ORDER_HELD ? "the hold ran out" :
		    "no payment by the deadline")) {
		case 0:
			x->done++;
			break;
		case 1:
			break;
		default:
			st = db_last_status(db);
			return st == DB_OK ? DB_ERROR : st;
		}
	}
	return DB_OK;
}

int
orders_expire_holds(struct db *db, struct arena *a,
    struct expired_order **out)
{
	struct expiry x = { a, NULL, 0 };

	x.list = arena_calloc(a, ORDERS_EXPIRE_BATCH, sizeof(*x.list));
	*out = x.list;
	return db_tx(db, expire_batch, &x) == DB_OK ? x.done : -1;
}

int
orders_live_of_event(struct db *db, struct arena *a, long long event_id,
    int limit, const char ***codes, size_t *n)
{
	struct db_arg args[] = { DB_INT(event_id), DB_INT(limit) };
	struct db_rows rows;

	*n = 0;
	if (db_query(db, a, DB_PRIMARY, orders_stmts[ORD_LIVE_OF_EVENT], args,
	    ARRAY_LEN(args), &rows) != DB_OK)
		return -1;
	*codes = arena_calloc(a, rows.nrows + 1, sizeof(**codes));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct row_reader rd;

		row_begin(&rd, &rows, i, "order of a cancelled event");
		(*codes)[i] = row_text(&rd, 0);
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*n = rows.nrows;
	return 0;
}

int
orders_event_open(struct db *db, long long event_id)
{
	struct db_arg args[] = { DB_INT(event_id) };
	struct db_rows rows;
	struct arena a;
	int open;

	arena_init(&a, 256);
	if (db_query(db, &a, DB_PRIMARY, orders_stmts[ORD_EVENT_OPEN], args,
	    ARRAY_LEN(args), &rows) != DB_OK) {
		arena_free(&a);
		return -1;
	}
	open = rows.nrows == 1 && db_cell(&rows, 0, 0) != NULL &&
	    strcmp(db_cell(&rows, 0, 0), "1") == 0;
	arena_free(&a);
	return open;
}

int
orders_count_of_event(struct db *db, struct arena *a, long long event_id,
    long long counts[ORDER__STATUS_MAX])
{
	struct db_arg args[] = { DB_INT(event_id) };
	struct db_rows rows;

	memset(counts, 0, ORDER__STATUS_MAX * sizeof(counts[0]));
	if (db_query(db, a, DB_PRIMARY, orders_stmts[ORD_COUNT_OF_EVENT], args,
	    ARRAY_LEN(args), &rows) != DB_OK)
		return -1;
	for (size_t i = 0; i < rows.nrows; i++) {
		struct row_reader rd;
		int status;
		long long n;

		row_begin(&rd, &rows, i, "orders by status");
		status = row_enum(&rd, 0, order_status_names, ORDER__STATUS_MAX);
		n = row_int(&rd, 1, 0, LLONG_MAX);
		if (row_end(&rd) != 0)
			return ROW_BAD;
		counts[status] = n;
	}
	return 0;
}

int
orders_paid_buyers(struct db *db, struct arena *a, long long event_id,
    long long after, int limit, struct order_buyer **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(event_id), DB_INT(after),
		DB_INT(limit) };
	struct db_rows rows;

	*n = 0;
	if (db_query(db, a, DB_PRIMARY, orders_stmts[ORD_PAID_BUYERS], args,
	    ARRAY_LEN(args), &rows) != DB_OK)
		return -1;
	*out = arena_calloc(a, rows.nrows + 1, sizeof(**out));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct order_buyer *b = &(*out)[i];
		struct row_reader rd;

		row_begin(&rd, &rows, i, "buyer of an order");
		b->order_id = row_int(&rd, 0, 1, LLONG_MAX);
		b->code = row_text(&rd, 1);
		b->email = row_text(&rd, 2);
		b->name = row_text(&rd, 3);
		b->user_id = row_int(&rd, 4, 1, LLONG_MAX);
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*n = rows.nrows;
	return 0;
}
