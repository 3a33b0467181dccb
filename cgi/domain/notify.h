/*
 * Notifications: what happened that concerns a person, shown at
 * /me/notifications, each linking to what it is about, and mailed as
 * their preferences say (notification_prefs over each kind's default).
 *
 * Every kind is a row of one table (notify.c): its name as stored, the
 * label of its preference, whether its mail is on by default, whether it
 * is essential (about tickets and money one has: always mailed, no
 * unsubscribe) and whether it aggregates (one unread row per subject
 * counting the people, "12 people liked ...", instead of one each).
 *
 * How a topic handler tells someone, in its own transaction:
 *
 *	notify(db, user_id, NOTIFY_PICTURE_SOLD, picture_id,
 *	    "/pictures/42", "Someone bought “Harbour at dawn”", NULL);
 *	notify_aggregate(db, owner_id, NOTIFY_PICTURE_LIKED, picture_id,
 *	    "/pictures/42", "Harbour at dawn");
 *
 * and with the mail that goes with it, gated by the person's choice:
 * notify_deliver() (the worker, in a fan-out's batch transaction) or
 * notify_queue() (a request's transaction: an outbox row "notify" that
 * the worker turns into the same, exactly once).
 *
 * users.unread_notifications moves in the same transaction as the rows.
 * Functions return 0 or -1 (the caller rolls back) unless they say more;
 * reads return 0, -1 or ROW_BAD. Strings are arena-owned.
 */
#ifndef TESSERA_NOTIFY_H
#define TESSERA_NOTIFY_H

#include <stddef.h>
#include <time.h>

#include "db.h"
#include "row.h"

struct arena;
struct json_object;

enum notify_kind {
	NOTIFY_BOOKING_CONFIRMED,
	NOTIFY_ORDER_PENDING,      /* to pay offline, by a deadline */
	NOTIFY_ORDER_EXPIRING,     /* a hold about to run out */
	NOTIFY_PAYMENT_FAILED,
	NOTIFY_ORDER_CANCELLED,
	NOTIFY_REFUND_DONE,
	NOTIFY_EVENT_CHANGED,
	NOTIFY_EVENT_CANCELLED,
	NOTIFY_EVENT_REMINDER,     /* your event is tomorrow */
	NOTIFY_EVENT_STARTS_SOON,  /* the organizer's: starts in 24 h */
	NOTIFY_NEW_BOOKINGS,       /* the organizer's, or their daily digest */
	NOTIFY_REVIEW_NEW,         /* the organizer's */
	NOTIFY_REVIEW_REPLY,       /* the reviewer's */
	NOTIFY_PICTURE_SOLD,
	NOTIFY_PICTURE_LIKED,      /* aggregated */
	NOTIFY_PICTURE_HIDDEN,
	NOTIFY__MAX
};

#define NOTIFY_TEXT_MAX_CHARS 300
#define NOTIFY_SUBJECT_MAX_CHARS 200
#define NOTIFY_PAGE_SIZE 20

/* "booking_confirmed", ...: as stored and in URLs. */
const char *notify_kind_name(enum notify_kind kind);
/* The kind of a stored name, or -1. */
int notify_kind_from_name(const char *name);
/* "Bookings confirmed", ...: the preference's label. */
const char *notify_kind_label(enum notify_kind kind);
int notify_kind_mail_default(enum notify_kind kind);
/* Mailed whatever the preference, with no unsubscribe link. */
int notify_kind_essential(enum notify_kind kind);
int notify_kind_aggregates(enum notify_kind kind);

/* Tells recipient about subject_id of kind: a new unread row (text, link
 * to it; subject is what aggregated kinds name, may be NULL). */
int notify(struct db *db, long long recipient, enum notify_kind kind,
    long long subject_id, const char *link, const char *text,
    const char *subject);
/* One more person did kind to subject_id (a like): the open unread row
 * of recipient, kind and subject counts one more (0), else a new row
 * (1: the first since the last was read, which a mail may tell). */
int notify_aggregate(struct db *db, long long recipient,
    enum notify_kind kind, long long subject_id, const char *link,
    const char *subject);

/* Whether recipient wants kind's mail: 1, 0, or -1. Essential kinds are
 * always 1. */
int notify_wants_mail(struct db *db, long long recipient,
    enum notify_kind kind);

/*
 * notify() and, when notify_wants_mail(), the mail template_name to
 * address to with vars (borrowed), as outbox_mail() queues it; a mail of
 * a kind that is not essential gets "unsubscribe_url" for the one-click
 * link and the List-Unsubscribe headers. The caller's transaction.
 */
int notify_deliver(struct db *db, const char *base_url, const char *secret,
    long long recipient, enum notify_kind kind, long long subject_id,
    const char *link, const char *text, const char *to,
    const char *template_name, struct json_object *vars);

/* notify_deliver()'s mail alone, for a notification written otherwise
 * (notify_aggregate): 0 also when recipient does not want it. */
int notify_mail(struct db *db, const char *base_url, const char *secret,
    long long recipient, enum notify_kind kind, const char *to,
    const char *template_name, struct json_object *vars);

/* The same, queued as an outbox row "notify" in the caller's transaction
 * for the worker (notify_handle). to, template_name and vars may be NULL
 * for a notification without mail. */
int notify_queue(struct db *db, long long recipient, enum notify_kind kind,
    long long subject_id, const char *link, const char *text,
    const char *to, const char *template_name, struct json_object *vars);

/* Topic "notify": payload as notify_queue() wrote it, in the caller's
 * transaction. Returns 0, or -1 with the reason in err. */
int notify_handle(struct db *db, const char *base_url, const char *secret,
    struct json_object *payload, char *err, size_t errlen);

/* ------------------------------------------------------------ reading */

struct notification {
	long long id;
	enum notify_kind kind;
	long long subject_id;
	const char *text;
	const char *subject;
	const char *link;
	long long actors;
	time_t updated_at;
	int read;
};

/* user_id's notifications, latest first. */
int notify_list(struct db *db, struct arena *a, long long user_id, int limit,
    int offset, struct notification **out, size_t *n);
/* Marks one of user_id's notifications read: 0, 1 when it is not theirs
 * or was read, -1. */
int notify_mark_read(struct db *db, long long user_id, long long id);
/* Marks all of them read. */
int notify_mark_all_read(struct db *db, long long user_id);

/* Sets user_id's mail choice for kind (on: 1 or 0). */
int notify_set_mail(struct db *db, long long user_id, enum notify_kind kind,
    int on);

/*
 * The one-click unsubscribe token of user_id and kind: HMAC-SHA256 of both
 * under the site's secret, base64url (arena-owned). notify_token_ok()
 * checks one in constant time: 1 or 0.
 */
const char *notify_token(struct arena *a, const char *secret,
    long long user_id, enum notify_kind kind);
int notify_token_ok(struct arena *a, const char *secret, long long user_id,
    enum notify_kind kind, const char *token);

#endif
