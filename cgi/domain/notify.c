#include "notify.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "crypto.h"
#include "log.h"
#include "outbox.h"
#include "utf8.h"
#include "util.h"

/* The kinds, in the order of enum notify_kind. */
static const struct {
	const char *name;
	const char *label;
	int mail;          /* mailed by default */
	int essential;     /* always mailed: tickets and money */
	int aggregates;
	/* Aggregated: the text for one person and for many, of the subject. */
	const char *one;   /* "Someone liked “%s”" */
	const char *many;  /* "%lld people liked “%s”" */
} kinds[NOTIFY__MAX] = {
	[NOTIFY_BOOKING_CONFIRMED] = { "booking_confirmed",
	    "A booking of mine is confirmed", 1, 1, 0, NULL, NULL },
	[NOTIFY_ORDER_PENDING] = { "order_pending",
	    "An order of mine waits for my payment", 1, 1, 0, NULL, NULL },
	[NOTIFY_ORDER_EXPIRING] = { "order_expiring",
	    "An order of mine is about to expire", 1, 0, 0, NULL, NULL },
	[NOTIFY_PAYMENT_FAILED] = { "payment_failed",
	    "A payment of mine failed", 1, 0, 0, NULL, NULL },
	[NOTIFY_ORDER_CANCELLED] = { "order_cancelled",
	    "An order of mine is cancelled", 1, 1, 0, NULL, NULL },
	[NOTIFY_REFUND_DONE] = { "refund_done",
	    "A refund of mine is done or due", 1, 1, 0, NULL, NULL },
	[NOTIFY_EVENT_CHANGED] = { "event_changed",
	    "An event I have tickets for moves", 1, 1, 0, NULL, NULL },
	[NOTIFY_EVENT_CANCELLED] = { "event_cancelled",
	    "An event I have tickets for is cancelled", 1, 1, 0, NULL, NULL },
	[NOTIFY_EVENT_REMINDER] = { "event_reminder",
	    "The day before an event I have tickets for", 1, 0, 0, NULL, NULL },
	[NOTIFY_EVENT_STARTS_SOON] = { "event_starts_soon",
	    "Organizer: an event of mine starts in 24 hours", 1, 0, 0, NULL, NULL },
	[NOTIFY_NEW_BOOKINGS] = { "new_bookings",
	    "Organizer: new bookings of my events", 0, 0, 0, NULL, NULL },
	[NOTIFY_REVIEW_NEW] = { "review_new",
	    "Organizer: a new review of my event", 1, 0, 0, NULL, NULL },
	[NOTIFY_REVIEW_REPLY] = { "review_reply",
	    "The organizer replied to my review", 1, 0, 0, NULL, NULL },
	[NOTIFY_PICTURE_SOLD] = { "picture_sold",
	    "A picture of mine is sold", 1, 0, 0, NULL, NULL },
	[NOTIFY_PICTURE_LIKED] = { "picture_liked",
	    "People like a picture of mine", 0, 0, 1,
	    "Someone liked “%s”", "%lld people liked “%s”" },
	[NOTIFY_PICTURE_HIDDEN] = { "picture_hidden",
	    "A picture of mine is hidden by the moderators", 1, 0, 0, NULL, NULL },
};

enum notify_stmt {
	NS_INSERT,
	NS_AGGREGATE,
	NS_AGGREGATE_BUMP,
	NS_COUNT_UP,
	NS_PREF,
	NS_LIST,
	NS_READ_ONE,
	NS_LOCK_USER,
	NS_READ_ALL,
	NS_COUNT_DOWN,
	NS_SET_PREF,
	NS__MAX
};

static const char *const notify_stmts[NS__MAX] = {
	/* NS_INSERT */
	"INSERT INTO notifications (user_id, kind, subject_id, text, subject, "
	"link) VALUES (?, ?, ?, LEFT(?, 300), LEFT(?, 200), LEFT(?, 300))",
	/* NS_AGGREGATE: a new open row of (user, kind, subject); a duplicate
	 * key when another transaction made it first. Not an INSERT ... ON
	 * DUPLICATE KEY UPDATE, for which MariaDB asks UPDATE on every
	 * column inserted: the worker may change only actors and updated_at */
	"INSERT INTO notifications (user_id, kind, subject_id, open_subject, "
	"text, subject, link) VALUES (?, ?, ?, ?, LEFT(?, 300), LEFT(?, 200), "
	"LEFT(?, 300))",
	/* NS_AGGREGATE_BUMP: the open row counts one more (a locking read of
	 * the unique key notifications_open) */
	"UPDATE notifications SET actors = actors + 1, "
	"updated_at = UTC_TIMESTAMP() WHERE user_id = ? AND kind = ? "
	"AND open_subject = ?",
	/* NS_COUNT_UP */
	"UPDATE users SET unread_notifications = unread_notifications + 1 "
	"WHERE id = ?",
	/* NS_PREF */
	"SELECT mail FROM notification_prefs WHERE user_id = ? AND kind = ?",
	/* NS_LIST: through notifications_latest */
	"SELECT id, kind, subject_id, text, subject, link, actors, updated_at, "
	"read_at IS NOT NULL FROM notifications WHERE user_id = ? "
	"ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?",
	/* NS_READ_ONE */
	"UPDATE notifications SET read_at = UTC_TIMESTAMP(), open_subject = NULL "
	"WHERE id = ? AND user_id = ? AND read_at IS NULL",
	/* NS_LOCK_USER: the counter first, so reading all and a new one
	 * queue up on it */
	"SELECT unread_notifications FROM users WHERE id = ? FOR UPDATE",
	/* NS_READ_ALL */
	"UPDATE notifications SET read_at = UTC_TIMESTAMP(), open_subject = NULL "
	"WHERE user_id = ? AND read_at IS NULL",
	/* NS_COUNT_DOWN: by the rows just read, never below 0 */
	"UPDATE users SET unread_notifications = "
	"IF(unread_notifications > ?, unread_notifications - ?, 0) WHERE id = ?",
	/* NS_SET_PREF */
	"INSERT INTO notification_prefs (user_id, kind, mail) VALUES (?, ?, ?) "
	"ON DUPLICATE KEY UPDATE mail = VALUES(mail)",
};

const char *
notify_kind_name(enum notify_kind kind)
{
	return kinds[kind].name;
}

int
notify_kind_from_name(const char *name)
{
	for (int k = 0; name != NULL && k < NOTIFY__MAX; k++)
		if (strcmp(kinds[k].name, name) == 0)
			return k;
	return -1;
}

const char *
notify_kind_label(enum notify_kind kind)
{
	return kinds[kind].label;
}

int
notify_kind_mail_default(enum notify_kind kind)
{
	return kinds[kind].mail;
}

int
notify_kind_essential(enum notify_kind kind)
{
	return kinds[kind].essential;
}

int
notify_kind_aggregates(enum notify_kind kind)
{
	return kinds[kind].aggregates;
}

static int
count_up(struct db *db, long long recipient)
{
	struct db_arg args[] = { DB_INT(recipient) };

	return db_exec(db, notify_stmts[NS_COUNT_UP], args, ARRAY_LEN(args),
	    NULL, NULL) == DB_OK ? 0 : -1;
}

int
notify(struct db *db, long long recipient, enum notify_kind kind,
    long long subject_id, const char *link, const char *text,
    const char *subject)
{
	struct db_arg args[] = { DB_INT(recipient), DB_STR(kinds[kind].name),
	    DB_INT(subject_id), DB_STR(text), DB_STR(subject ? subject : ""),
	    DB_STR(link) };

	if (db_exec(db, notify_stmts[NS_INSERT], args, ARRAY_LEN(args), NULL,
	    NULL) != DB_OK)
		return -1;
	return count_up(db, recipient);
}

int
notify_aggregate(struct db *db, long long recipient, enum notify_kind kind,
    long long subject_id, const char *link, const char *subject)
{
	char one[NOTIFY_TEXT_MAX_CHARS * 4];
	unsigned long long affected;

	if (kinds[kind].one == NULL) {
		log_err("%s: %s does not aggregate", __func__, kinds[kind].name);
		return -1;
	}
	snprintf(one, sizeof(one), kinds[kind].one, subject);
	struct db_arg open[] = { DB_INT(recipient), DB_STR(kinds[kind].name),
	    DB_INT(subject_id) };
	struct db_arg args[] = { DB_INT(recipient), DB_STR(kinds[kind].name),
	    DB_INT(subject_id), DB_INT(subject_id), DB_STR(one),
	    DB_STR(subject), DB_STR(link) };

	/* The open row if there is one, else a new one; made meanwhile by
	 * another transaction (a duplicate), it is there to count on. */
	for (int tries = 0; tries < 2; tries++) {
		if (db_exec(db, notify_stmts[NS_AGGREGATE_BUMP], open,
		    ARRAY_LEN(open), &affected, NULL) != DB_OK)
			return -1;
		if (affected > 0)
			return 0;
		switch (db_exec(db, notify_stmts[NS_AGGREGATE], args,
		    ARRAY_LEN(args), NULL, NULL)) {
		case DB_OK:
			return count_up(db, recipient) == 0 ? 1 : -1;
		case DB_DUPLICATE:
			break;
		default:
			return -1;
		}
	}
	return -1;
}

int
notify_wants_mail(struct db *db, long long recipient, enum notify_kind kind)
{
	struct db_arg args[] = { DB_INT(recipient), DB_STR(kinds[kind].name) };
	struct arena a;
	struct db_rows rows;
	int rc = -1;

	if (kinds[kind].essential)
		return 1;
	arena_init(&a, 256);
	if (db_query(db, &a, DB_PRIMARY, notify_stmts[NS_PREF], args,
	    ARRAY_LEN(args), &rows) == DB_OK)
		rc = rows.nrows == 0 ? kinds[kind].mail :
		    strcmp(db_cell(&rows, 0, 0), "1") == 0;
	arena_free(&a);
	return rc;
}

int
notify_deliver(struct db *db, const char *base_url, const char *secret,
    long long recipient, enum notify_kind kind, long long subject_id,
    const char *link, const char *text, const char *to,
    const char *template_name, struct json_object *vars)
{
	if (notify(db, recipient, kind, subject_id, link, text, NULL) != 0)
		return -1;
	return notify_mail(db, base_url, secret, recipient, kind, to,
	    template_name, vars);
}

int
notify_mail(struct db *db, const char *base_url, const char *secret,
    long long recipient, enum notify_kind kind, const char *to,
    const char *template_name, struct json_object *vars)
{
	struct arena a;
	const char *unsub = NULL;
	int wants, rc = -1;

	if (to == NULL || template_name == NULL)
		return 0;
	if ((wants = notify_wants_mail(db, recipient, kind)) <= 0)
		return wants;
	arena_init(&a, 512);
	if (!kinds[kind].essential && secret != NULL) {
		unsub = arena_printf(&a, "%s/unsubscribe?u=%lld&k=%s&t=%s",
		    base_url ? base_url : "", recipient, kinds[kind].name,
		    notify_token(&a, secret, recipient, kind));
		if (vars != NULL)
			json_object_object_add(vars, "unsubscribe_url",
			    json_object_new_string(unsub));
	}
	rc = outbox_mail_list(db, to, template_name, vars, unsub);
	arena_free(&a);
	return rc;
}

int
notify_queue(struct db *db, long long recipient, enum notify_kind kind,
    long long subject_id, const char *link, const char *text,
    const char *to, const char *template_name, struct json_object *vars)
{
	struct json_object *p = json_object_new_object();
	int rc;

	json_object_object_add(p, "user_id", json_object_new_int64(recipient));
	json_object_object_add(p, "kind",
	    json_object_new_string(kinds[kind].name));
	json_object_object_add(p, "subject_id",
	    json_object_new_int64(subject_id));
	json_object_object_add(p, "link", json_object_new_string(link));
	json_object_object_add(p, "text", json_object_new_string(text));
	if (to != NULL && template_name != NULL) {
		json_object_object_add(p, "to", json_object_new_string(to));
		json_object_object_add(p, "template",
		    json_object_new_string(template_name));
		json_object_object_add(p, "vars", vars != NULL ?
		    json_object_get(vars) : json_object_new_object());
	}
	rc = outbox_add(db, "notify", p);
	json_object_put(p);
	return rc;
}

/* The member key of obj of type t, or NULL. */
static struct json_object *
member(struct json_object *obj, const char *key, enum json_type t)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v,
	    t))
		return NULL;
	return v;
}

int
notify_handle(struct db *db, const char *base_url, const char *secret,
    struct json_object *payload, char *err, size_t errlen)
{
	struct json_object *user = member(payload, "user_id", json_type_int);
	struct json_object *kind = member(payload, "kind", json_type_string);
	struct json_object *subject = member(payload, "subject_id",
	    json_type_int);
	struct json_object *link = member(payload, "link", json_type_string);
	struct json_object *text = member(payload, "text", json_type_string);
	struct json_object *to = member(payload, "to", json_type_string);
	struct json_object *tmpl = member(payload, "template", json_type_string);
	struct json_object *vars = member(payload, "vars", json_type_object);
	int k;

	if (user == NULL || kind == NULL || subject == NULL || link == NULL ||
	    text == NULL || (k = notify_kind_from_name(
	    json_object_get_string(kind))) < 0) {
		snprintf(err, errlen, "notify needs user_id, a known kind, "
		    "subject_id, link and text");
		return -1;
	}
	if (notify_deliver(db, base_url, secret, json_object_get_int64(user),
	    k, json_object_get_int64(subject), json_object_get_string(link),
	    json_object_get_string(text), to ? json_object_get_string(to) :
	    NULL, tmpl ? json_object_get_string(tmpl) : NULL, vars) != 0) {
		snprintf(err, errlen, "notify: %s",
		    db_status_name(db_last_status(db)));
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ reading */

int
notify_list(struct db *db, struct arena *a, long long user_id, int limit,
    int offset, struct notification **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(user_id), DB_INT(limit),
	    DB_INT(offset) };
	struct db_rows rows;

	*out = NULL;
	*n = 0;
	if (db_query(db, a, DB_READ, notify_stmts[NS_LIST], args,
	    ARRAY_LEN(args), &rows) != DB_OK)
		return -1;
	*out = arena_calloc(a, rows.nrows ? rows.nrows : 1, sizeof(**out));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct notification *nt = &(*out)[i];
		struct row_reader rd;
		int k;

		row_begin(&rd, &rows, i, "notification");
		nt->id = row_int(&rd, 0, 1, LLONG_MAX);
		if ((k = notify_kind_from_name(db_cell(&rows, i, 1))) < 0)
			row_invalid(&rd, 1, "not a kind of notify.c");
		nt->kind = k < 0 ? 0 : k;
		nt->subject_id = row_int(&rd, 2, 0, LLONG_MAX);
		nt->text = row_text(&rd, 3);
		nt->subject = row_text(&rd, 4);
		nt->link = row_text(&rd, 5);
		nt->actors = row_int(&rd, 6, 1, LLONG_MAX);
		nt->updated_at = row_time(&rd, 7);
		nt->read = row_bool(&rd, 8);
		if (row_end(&rd) != 0)
			return ROW_BAD;
		if (kinds[nt->kind].many != NULL && nt->actors > 1)
			nt->text = arena_printf(a, kinds[nt->kind].many,
			    nt->actors, nt->subject);
	}
	*n = rows.nrows;
	return 0;
}

static int
count_down(struct db *db, long long user_id, unsigned long long n)
{
	struct db_arg args[] = { DB_INT(n), DB_INT(n), DB_INT(user_id) };

	return db_exec(db, notify_stmts[NS_COUNT_DOWN], args, ARRAY_LEN(args),
	    NULL, NULL) == DB_OK ? 0 : -1;
}

/* Locks user_id's counter: 0 or -1. */
static int
lock_user(struct db *db, long long user_id)
{
	struct db_arg args[] = { DB_INT(user_id) };
	struct arena a;
	struct db_rows rows;
	enum db_status st;

	arena_init(&a, 256);
	st = db_query(db, &a, DB_PRIMARY, notify_stmts[NS_LOCK_USER], args,
	    ARRAY_LEN(args), &rows);
	arena_free(&a);
	return st == DB_OK ? 0 : -1;
}

int
notify_mark_read(struct db *db, long long user_id, long long id)
{
	struct db_arg args[] = { DB_INT(id), DB_INT(user_id) };
	unsigned long long affected;

	if (lock_user(db, user_id) != 0 || db_exec(db,
	    notify_stmts[NS_READ_ONE], args, ARRAY_LEN(args), &affected,
	    NULL) != DB_OK)
		return -1;
	if (affected == 0)
		return 1;
	return count_down(db, user_id, affected);
}

int
notify_mark_all_read(struct db *db, long long user_id)
{
	struct db_arg args[] = { DB_INT(user_id) };
	unsigned long long affected;

	if (lock_user(db, user_id) != 0 || db_exec(db,
	    notify_stmts[NS_READ_ALL], args, ARRAY_LEN(args), &affected,
	    NULL) != DB_OK)
		return -1;
	return affected > 0 ? count_down(db, user_id, affected) : 0;
}

int
notify_set_mail(struct db *db, long long user_id, enum notify_kind kind,
    int on)
{
	struct db_arg args[] = { DB_INT(user_id), DB_STR(kinds[kind].name),
	    DB_INT(on != 0) };

	return db_exec(db, notify_stmts[NS_SET_PREF], args, ARRAY_LEN(args),
	    NULL, NULL) == DB_OK ? 0 : -1;
}

const char *
notify_token(struct arena *a, const char *secret, long long user_id,
    enum notify_kind kind)
{
	unsigned char mac[CRYPTO_HASH_BYTES];
	char msg[96];
	int len = snprintf(msg, sizeof(msg), "unsubscribe:%lld:%s", user_id,
	    kinds[kind].name);

	crypto_hmac_sha256(secret, strlen(secret), msg, (size_t)len, mac);
	return crypto_b64url(a, mac, sizeof(mac));
}

int
notify_token_ok(struct arena *a, const char *secret, long long user_id,
    enum notify_kind kind, const char *token)
{
	const char *want = notify_token(a, secret, user_id, kind);

	return token != NULL && strlen(token) == strlen(want) &&
	    crypto_equal(token, want, strlen(want));
}
