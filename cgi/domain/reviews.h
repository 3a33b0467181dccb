/*
 * Reviews of events: who may write one (a buyer of a paid order for the
 * event, once it has started), one per person and event that its author
 * edits or deletes, the organizer's one reply, reports by signed-in people
 * and admins hiding (and showing again) what is abusive.
 *
 * The counters the event pages show (events.rating_sum, rating_count and
 * rating_1 .. rating_5, the reviews of each number of stars) count the
 * shown reviews; only this module changes them, in the transaction that
 * adds, edits, deletes, hides or shows again a review. Those lock the
 * event row first and the review second, so one event's reviews are
 * written one at a time.
 *
 * Writes run in the caller's transaction and return a small enum (0 when
 * done) or -1 when the database failed (db_last_status says why; a
 * deadlock is worth another run of the transaction). Reads return 0, -1
 * (503) or ROW_BAD (500). Strings are arena-owned.
 */
#ifndef TESSERA_REVIEWS_H
#define TESSERA_REVIEWS_H

#include <stddef.h>
#include <time.h>

#include "db.h"
#include "row.h"

#define REVIEW_TEXT_MAX_CHARS 4000
#define REVIEW_REPLY_MAX_CHARS 2000
#define REVIEW_REASON_MAX_CHARS 500
#define REVIEWS_PAGE_SIZE 10

struct review {
	long long id;
	long long event_id;
	long long author_id;
	int rating;                /* 1 to 5 */
	const char *comment;
	time_t created_at;
	int edited;                /* changed since; updated_at is when */
	time_t updated_at;
	const char *author;        /* the author's display name */
	const char *reply;         /* the organizer's, or NULL */
	time_t replied_at;
	long long reports;
	int hidden;                /* by an admin: left out of the pages */
};

/* A review in the moderation queue: the review and its event's title. */
struct reported_review {
	struct review review;
	const char *event_title;
	const char *last_reason;   /* the latest report's, may be "" */
};

/* Whether person user_id may review event_id now (the event's start
 * is given): first match wins. */
enum review_rule {
	REVIEW_ALLOWED,
	REVIEW_NOT_STARTED,        /* the event has not started yet */
	REVIEW_NO_TICKET,          /* no paid order of theirs for it */
};

/* Reads on the primary, for a write's transaction; -1 on failure. */
int reviews_rule(struct db *db, struct arena *a, long long event_id,
    time_t starts_at, long long user_id, time_t now);
/* "You can review this event once it has started.", ...: for the page
 * that refuses. */
const char *reviews_rule_text(enum review_rule rule);

/* ------------------------------------------------------------ reads */

/* The shown reviews of event_id, newest first, limit from offset. */
int reviews_list(struct db *db, struct arena *a, long long event_id,
    int limit, int offset, struct review **out, size_t *n);
/* author_id's review of event_id, hidden or not: 0, 1 when none. */
int reviews_of_author(struct db *db, struct arena *a, long long event_id,
    long long author_id, struct review *out);
/* A review by id, hidden or not: 0, 1 when none. */
int reviews_get(struct db *db, struct arena *a, long long id,
    struct review *out);
/* Reported reviews, shown ones first, most reported first, at most
 * limit from offset. */
int reviews_reported(struct db *db, struct arena *a, int limit, int offset,
    struct reported_review **out, size_t *n);

/* ------------------------------------------------------------ writes */

enum review_saved { REVIEW_CREATED, REVIEW_UPDATED };
/* Creates author_id's review of event_id or replaces its rating and text
 * (a second review edits the first), moving the event's counters unless
 * it is hidden. The caller has checked reviews_rule. Returns an enum
 * review_saved or -1. */
int reviews_save(struct db *db, long long event_id, long long author_id,
    int rating, const char *comment);
/* Deletes author_id's review of event_id: 0, 1 when there is none, -1. */
int reviews_delete(struct db *db, long long event_id, long long author_id);

enum review_replied { REVIEW_REPLIED, REVIEW_NOT_FOUND, REVIEW_ALREADY };
/* The organizer's reply to review id of an event of organizer_id (another
 * organizer's review is REVIEW_NOT_FOUND). Once per review. */
int reviews_reply(struct db *db, long long id, long long organizer_id,
    const char *text);
/* reporter_id reports shown review id (REVIEW_NOT_FOUND when hidden or
 * gone; REVIEW_ALREADY when they did before): an enum review_replied. */
int reviews_report(struct db *db, long long id, long long reporter_id,
    const char *reason);
/* Hides review id (admin_id did) or shows it again, moving the event's
 * counters: 0, 1 when there is none or it already was, -1. */
int reviews_set_hidden(struct db *db, long long id, long long admin_id,
    int hidden);

/* Row i of a reviews statement into *out; public for the unit tests. */
int reviews_parse(const struct db_rows *rows, size_t i, struct review *out);

#endif
