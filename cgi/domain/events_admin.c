#include "events_admin.h"

#include <limits.h>
#include <string.h>

#include "dates.h"
#include "orders.h"
#include "util.h"

enum events_admin_stmt {
	EA_LOCK_EVENT,
	EA_LOCK_TYPE,
	EA_INSERT,
	EA_UPDATE,
	EA_COUNT_TYPES,
	EA_ANY_ORDER,
	EA_COPY,
	EA_COPY_TYPES,
	EA_DELETE_TYPES,
	EA_DELETE,
	EA_TYPE_INSERT,
	EA_TYPE_UPDATE,
	EA_TYPE_SET_QUOTA,
	EA_TYPE_OTHER_CURRENCY,
	EA_TYPE_ORDERED,
	EA_TYPE_DELETE,
	EA__MAX
};

static const char *const events_admin_stmts[EA__MAX] = {
	/* EA_LOCK_EVENT */
	"SELECT id FROM events WHERE id = ? FOR UPDATE",
	/* EA_LOCK_TYPE */
	"SELECT id FROM ticket_types WHERE id = ? AND event_id = ? FOR UPDATE",
	/* EA_INSERT */
	"INSERT INTO events (organizer_id, title, summary, description, venue, "
	"address, city, timezone, starts_at, ends_at, refunds_until, "
	"offline_payment_days, offline_instructions, status) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft')",
	/* EA_UPDATE */
	"UPDATE events SET title = ?, summary = ?, description = ?, venue = ?, "
	"address = ?, city = ?, timezone = ?, starts_at = ?, ends_at = ?, "
	"refunds_until = ?, offline_payment_days = ?, "
	"offline_instructions = ?, status = ?, updated_at = UTC_TIMESTAMP() "
	"WHERE id = ?",
	/* EA_COUNT_TYPES */
	"SELECT COUNT(*) FROM ticket_types WHERE event_id = ?",
	/* EA_ANY_ORDER */
	"SELECT EXISTS (SELECT 1 FROM orders WHERE event_id = ?)",
	/* EA_COPY */
	"INSERT INTO events (organizer_id, title, summary, description, venue, "
	"address, city, timezone, starts_at, ends_at, refunds_until, "
	"offline_payment_days, offline_instructions, status) "
	"SELECT organizer_id, title, summary, description, venue, address, "
	"city, timezone, starts_at, ends_at, refunds_until, "
	"offline_payment_days, offline_instructions, 'draft' "
	"FROM events WHERE id = ?",
	/* EA_COPY_TYPES: sold and held start at their default, 0 */
	"INSERT INTO ticket_types (event_id, name, description, price_cents, "
	"currency, quota, sales_start, sales_end, sort_order, min_per_order, "
	"max_per_order, max_per_account) "
	"SELECT ?, name, description, price_cents, currency, quota, "
	"sales_start, sales_end, sort_order, min_per_order, max_per_order, "
	"max_per_account FROM ticket_types WHERE event_id = ? "
	"ORDER BY sort_order, id",
	/* EA_DELETE_TYPES */
	"DELETE FROM ticket_types WHERE event_id = ?",
	/* EA_DELETE */
	"DELETE FROM events WHERE id = ? AND status = 'draft'",
	/* EA_TYPE_INSERT */
	"INSERT INTO ticket_types (event_id, name, description, price_cents, "
	"currency, quota, min_per_order, max_per_order, max_per_account, "
	"sales_start, sales_end, sort_order) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* EA_TYPE_UPDATE: everything but the quota and the counters */
	"UPDATE ticket_types SET name = ?, description = ?, price_cents = ?, "
	"currency = ?, min_per_order = ?, max_per_order = ?, "
	"max_per_account = ?, sales_start = ?, sales_end = ?, sort_order = ? "
	"WHERE id = ? AND event_id = ?",
	/* EA_TYPE_SET_QUOTA: never below the seats taken */
	"UPDATE ticket_types SET quota = ? "
	"WHERE id = ? AND event_id = ? AND sold + held <= ?",
	/* EA_TYPE_OTHER_CURRENCY */
	"SELECT currency FROM ticket_types WHERE event_id = ? AND id <> ? "
	"AND currency <> ? LIMIT 1",
	/* EA_TYPE_ORDERED */
	"SELECT EXISTS (SELECT 1 FROM order_lines WHERE ticket_type_id = ?)",
	/* EA_TYPE_DELETE */
	"DELETE FROM ticket_types "
	"WHERE id = ? AND event_id = ? AND sold = 0 AND held = 0",
};

static int
refuse(struct events_outcome *out, enum events_refusal why)
{
	out->refusal = why;
	return 1;
}

/* A statement that returns no rows; its affected rows into *n if not
 * NULL. 0 or -1. */
static int
exec(struct db *db, enum events_admin_stmt stmt, const struct db_arg *args,
    size_t nargs, unsigned long long *n)
{
	return db_exec(db, events_admin_stmts[stmt], args, nargs, n, NULL) ==
	    DB_OK ? 0 : -1;
}

/* The one number a statement returns on the primary, into *n. 0 or -1. */
static int
number(struct db *db, struct arena *a, enum events_admin_stmt stmt,
    const struct db_arg *args, size_t nargs, long long *n)
{
	struct db_rows rows;
	struct row_reader rd;

	if (db_query(db, a, DB_PRIMARY, events_admin_stmts[stmt], args, nargs,
	    &rows) != DB_OK || rows.nrows != 1)
		return -1;
	row_begin(&rd, &rows, 0, "count");
	*n = row_int(&rd, 0, 0, LLONG_MAX);
	return row_end(&rd) == 0 ? 0 : -1;
}

/* 1 when the statement finds a row, 0 when not, -1. */
static int
any_row(struct db *db, struct arena *a, enum events_admin_stmt stmt,
    const struct db_arg *args, size_t nargs)
{
	struct db_rows rows;

	if (db_query(db, a, DB_PRIMARY, events_admin_stmts[stmt], args, nargs,
	    &rows) != DB_OK)
		return -1;
	return rows.nrows > 0;
}

/* An optional time as a statement argument. */
static struct db_arg
time_arg(struct arena *a, int has, time_t t)
{
	return has ? DB_STR(dates_db(a, t)) : DB_NULL;
}

int
events_admin_lock_event(struct db *db, struct arena *a, long long id,
    struct event *ev)
{
	struct db_arg args[] = { DB_INT(id) };
	int rc;

	if ((rc = any_row(db, a, EA_LOCK_EVENT, args, ARRAY_LEN(args))) != 1)
		return rc == 0 ? 1 : -1;
	/* Read after the lock: the first plain read of the transaction, so
	 * it sees every change committed before the lock was granted. */
	return events_get_any(db, a, id, ev);
}

int
events_admin_lock_type(struct db *db, struct arena *a, long long event_id,
    long long id, struct event *ev, struct ticket_type *t)
{
	struct db_arg args[] = { DB_INT(id), DB_INT(event_id) };
	int rc;

	if ((rc = any_row(db, a, EA_LOCK_TYPE, args, ARRAY_LEN(args))) != 1)
		return rc == 0 ? 1 : -1;
	if ((rc = events_admin_lock_event(db, a, event_id, ev)) != 0)
		return rc;
	return events_ticket_type_get(db, a, event_id, id, t);
}

/* The values of in that EA_INSERT and EA_UPDATE set, in their order:
 * title to offline_instructions, 12 of them, into args. */
#define EVENT_VALUES 12

static void
event_values(struct arena *a, const struct event *in, struct db_arg *args)
{
	size_t n = 0;

	args[n++] = DB_STR(in->title);
	args[n++] = DB_STR(in->summary);
	args[n++] = DB_STR(in->description);
	args[n++] = DB_STR(in->venue);
	args[n++] = DB_STR(in->address);
	args[n++] = DB_STR(in->city);
	args[n++] = DB_STR(in->timezone);
	args[n++] = DB_STR(dates_db(a, in->starts_at));
	args[n++] = DB_STR(dates_db(a, in->ends_at));
	args[n++] = time_arg(a, in->has_refunds_until, in->refunds_until);
	args[n++] = in->offline_payment_days > 0 ?
	    DB_INT(in->offline_payment_days) : DB_NULL;
	args[n++] = DB_STR(in->offline_instructions);
}

int
events_admin_create(struct db *db, struct arena *a, const struct event *in,
    long long *id)
{
	struct db_arg args[1 + EVENT_VALUES];
	unsigned long long new_id = 0;

	args[0] = DB_INT(in->organizer_id);
	event_values(a, in, args + 1);
	if (db_exec(db, events_admin_stmts[EA_INSERT], args, ARRAY_LEN(args),
	    NULL, &new_id) != DB_OK)
		return -1;
	*id = (long long)new_id;
	return 0;
}

/*
 * 1 when the locked event has an order, 0, or -1. A plain read is enough,
 * and takes no lock on orders (which payments lock before the event):
 * orders are never deleted, and a new one waits for the event's row (its
 * foreign key reads it), so none can appear until the commit, and the
 * read, after the lock, sees every one committed before it.
 */
static int
ordered(struct db *db, struct arena *a, long long id)
{
	struct db_arg args[] = { DB_INT(id) };
	long long any;

	if (number(db, a, EA_ANY_ORDER, args, ARRAY_LEN(args), &any) != 0)
		return -1;
	return any != 0;
}

static int
count_types(struct db *db, struct arena *a, long long id, long long *n)
{
	struct db_arg args[] = { DB_INT(id) };

	return number(db, a, EA_COUNT_TYPES, args, ARRAY_LEN(args), n);
}

int
events_admin_update(struct db *db, struct arena *a, const struct event *cur,
    const struct event *in, struct events_outcome *out)
{
	struct db_arg args[EVENT_VALUES + 2];
	long long ntypes;
	int rc;

	memset(out, 0, sizeof(*out));
	if (cur->status == EVENT_CANCELLED || in->status == EVENT_CANCELLED)
		return refuse(out, EVENTS_CANCELLED);
	if (in->status == EVENT_PUBLISHED && cur->status != EVENT_PUBLISHED) {
		if (count_types(db, a, cur->id, &ntypes) != 0)
			return -1;
		if (ntypes == 0)
			return refuse(out, EVENTS_NO_TICKET_TYPES);
	}
	if (in->status == EVENT_DRAFT && cur->status != EVENT_DRAFT) {
		if ((rc = ordered(db, a, cur->id)) != 0)
			return rc < 0 ? -1 : refuse(out, EVENTS_HAS_ORDERS);
	}
	event_values(a, in, args);
	args[EVENT_VALUES] = DB_STR(events_status_name(in->status));
	args[EVENT_VALUES + 1] = DB_INT(cur->id);
	return exec(db, EA_UPDATE, args, ARRAY_LEN(args), NULL);
}

int
events_admin_duplicate(struct db *db, long long id, long long *copy)
{
	struct db_arg from[] = { DB_INT(id) };
	unsigned long long new_id = 0;

	if (db_exec(db, events_admin_stmts[EA_COPY], from, ARRAY_LEN(from),
	    NULL, &new_id) != DB_OK || new_id == 0)
		return -1;
	struct db_arg types[] = { DB_INT(new_id), DB_INT(id) };

	if (exec(db, EA_COPY_TYPES, types, ARRAY_LEN(types), NULL) != 0)
		return -1;
	*copy = (long long)new_id;
	return 0;
}

int
events_admin_delete(struct db *db, struct arena *a, const struct event *cur,
    struct events_outcome *out)
{
	struct db_arg args[] = { DB_INT(cur->id) };
	unsigned long long n = 0;
	enum db_status st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (cur->status != EVENT_DRAFT)
		return refuse(out, EVENTS_NOT_DRAFT);
	if ((rc = ordered(db, a, cur->id)) != 0)
		return rc < 0 ? -1 : refuse(out, EVENTS_HAS_ORDERS);
	if (exec(db, EA_DELETE_TYPES, args, ARRAY_LEN(args), NULL) != 0)
		return -1;
	st = db_exec(db, events_admin_stmts[EA_DELETE], args, ARRAY_LEN(args),
	    &n, NULL);
	if (st == DB_CONSTRAINT)
		return refuse(out, EVENTS_IN_USE);
	return st == DB_OK && n == 1 ? 0 : -1;
}

/* Whether currency is that of ev's ticket types other than id (0: all of
 * them); else the refusal, naming theirs. */
static int
one_currency(struct db *db, struct arena *a, const struct event *ev,
    long long id, const char *currency, struct events_outcome *out)
{
	struct db_arg args[] = { DB_INT(ev->id), DB_INT(id), DB_STR(currency) };
	struct db_rows rows;
	struct row_reader rd;

	if (db_query(db, a, DB_PRIMARY,
	    events_admin_stmts[EA_TYPE_OTHER_CURRENCY], args, ARRAY_LEN(args),
	    &rows) != DB_OK)
		return -1;
	if (rows.nrows == 0)
		return 0;
	row_begin(&rd, &rows, 0, "ticket type currency");
	out->currency = row_text(&rd, 0);
	if (row_end(&rd) != 0)
		return -1;
	return refuse(out, EVENTS_MIXED_CURRENCY);
}

/* The values of t that EA_TYPE_INSERT and EA_TYPE_UPDATE set after the
 * event: name to sort order as each lists them. */
static void
type_values(struct arena *a, const struct ticket_type *t, int with_quota,
    struct db_arg *args, size_t *n)
{
	args[(*n)++] = DB_STR(t->name);
	args[(*n)++] = DB_STR(t->description);
	args[(*n)++] = DB_INT(t->price);
	args[(*n)++] = DB_STR(t->currency);
	if (with_quota)
		args[(*n)++] = DB_INT(t->quota);
	args[(*n)++] = DB_INT(t->min_per_order);
	args[(*n)++] = DB_INT(t->max_per_order);
	args[(*n)++] = DB_INT(t->max_per_account);
	args[(*n)++] = time_arg(a, t->has_sales_start, t->sales_start);
	args[(*n)++] = time_arg(a, t->has_sales_end, t->sales_end);
	args[(*n)++] = DB_INT(t->sort_order);
}

int
events_admin_type_create(struct db *db, struct arena *a,
    const struct event *ev, const struct ticket_type *in, long long *id,
    struct events_outcome *out)
{
	struct db_arg args[12];
	unsigned long long new_id = 0;
	long long ntypes;
	size_t n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ev->status == EVENT_CANCELLED)
		return refuse(out, EVENTS_CANCELLED);
	if (count_types(db, a, ev->id, &ntypes) != 0)
		return -1;
	if (ntypes >= ORDERS_MAX_TYPES)
		return refuse(out, EVENTS_TOO_MANY_TYPES);
	if ((rc = one_currency(db, a, ev, 0, in->currency, out)) != 0)
		return rc;
	args[n++] = DB_INT(ev->id);
	type_values(a, in, 1, args, &n);
	if (db_exec(db, events_admin_stmts[EA_TYPE_INSERT], args, n, NULL,
	    &new_id) != DB_OK)
		return -1;
	*id = (long long)new_id;
	return 0;
}

int
events_admin_type_update(struct db *db, struct arena *a,
    const struct event *ev, const struct ticket_type *cur,
    const struct ticket_type *in, struct events_outcome *out)
{
	struct db_arg args[12];
	unsigned long long changed = 0;
	size_t n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ev->status == EVENT_CANCELLED)
		return refuse(out, EVENTS_CANCELLED);
	if ((rc = one_currency(db, a, ev, cur->id, in->currency, out)) != 0)
		return rc;
	if (in->quota != cur->quota) {
		struct db_arg quota[] = { DB_INT(in->quota), DB_INT(cur->id),
			DB_INT(ev->id), DB_INT(in->quota) };

		if (exec(db, EA_TYPE_SET_QUOTA, quota, ARRAY_LEN(quota),
		    &changed) != 0)
			return -1;
		/* The quota differs, so a row the guard let through changed. */
		if (changed == 0) {
			out->sold = cur->sold;
			out->held = cur->held;
			return refuse(out, EVENTS_QUOTA_BELOW_SEATS);
		}
	}
	type_values(a, in, 0, args, &n);
	args[n++] = DB_INT(cur->id);
	args[n++] = DB_INT(ev->id);
	return exec(db, EA_TYPE_UPDATE, args, n, NULL);
}

int
events_admin_type_delete(struct db *db, struct arena *a,
    const struct event *ev, const struct ticket_type *t,
    struct events_outcome *out)
{
	struct db_arg line[] = { DB_INT(t->id) };
	struct db_arg args[] = { DB_INT(t->id), DB_INT(ev->id) };
	unsigned long long n = 0;
	long long ntypes, any;
	enum db_status st;

	memset(out, 0, sizeof(*out));
	if (ev->status == EVENT_CANCELLED)
		return refuse(out, EVENTS_CANCELLED);
	if (ev->status == EVENT_PUBLISHED) {
		if (count_types(db, a, ev->id, &ntypes) != 0)
			return -1;
		if (ntypes <= 1)
			return refuse(out, EVENTS_LAST_TYPE);
	}
	if (number(db, a, EA_TYPE_ORDERED, line, ARRAY_LEN(line), &any) != 0)
		return -1;
	if (any || t->sold > 0 || t->held > 0)
		return refuse(out, EVENTS_TYPE_ORDERED);
	st = db_exec(db, events_admin_stmts[EA_TYPE_DELETE], args,
	    ARRAY_LEN(args), &n, NULL);
	/* Its tickets' and lines' foreign keys, should any be left. */
	if (st == DB_CONSTRAINT || (st == DB_OK && n == 0))
		return refuse(out, EVENTS_TYPE_ORDERED);
	return st == DB_OK ? 0 : -1;
}

int
events_admin_has_orders(struct db *db, struct arena *a, long long id)
{
	struct db_arg args[] = { DB_INT(id) };
	struct db_rows rows;
	struct row_reader rd;
	int any;

	if (db_query(db, a, DB_READ, events_admin_stmts[EA_ANY_ORDER], args,
	    ARRAY_LEN(args), &rows) != DB_OK || rows.nrows != 1)
		return -1;
	row_begin(&rd, &rows, 0, "orders of an event");
	any = row_bool(&rd, 0);
	return row_end(&rd) == 0 ? any : -1;
}
