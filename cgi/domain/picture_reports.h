/*
 * Reports of pictures and what a site admin does about them. Anyone
 * signed in reports a shown picture once, with a reason; an admin hides
 * the picture (status hidden: gone from every list and page, its original
 * no longer handed out) or deletes it, which resolves its open reports
 * and, in the same transaction, queues the outbox row "picture_moderated"
 * ({"picture_id", "owner_id", "title", "action": "hidden" or "deleted"})
 * that has the worker tell its owner, and writes the audit log.
 *
 * Reads return 0, -1 or ROW_BAD; strings are arena-owned.
 */
#ifndef TESSERA_PICTURE_REPORTS_H
#define TESSERA_PICTURE_REPORTS_H

#include <stddef.h>
#include <time.h>

#include "db.h"
#include "row.h"

#define PICTURE_REPORT_REASON_MAX 500

enum picture_report_added {
	REPORT_ADDED,
	REPORT_AGAIN,          /* this person reported it before */
	REPORT_NO_PICTURE,     /* no such shown picture */
	REPORT_FAILED,
};

/* In the caller's transaction. */
enum picture_report_added picture_report_add(struct db *db,
    long long picture_id, long long reporter_id, const char *reason);

struct picture_report {
	long long id;
	long long picture_id;
	const char *title;
	const char *owner_name;
	int hidden;
	const char *reason;
	time_t created_at;
};

/* The open reports, oldest picture first, at most limit, on the primary. */
int picture_reports_open(struct db *db, struct arena *a, int limit,
    struct picture_report **out, size_t *n);

enum picture_moderation { MODERATE_HIDE, MODERATE_DELETE };

/*
 * In the caller's transaction: hides or deletes picture_id as above, by
 * admin_id from ip. *key gets its storage key, so the caller removes the
 * files of a deleted one once committed. Returns 0, 1 when there is no
 * such picture (or it is hidden already and hiding was asked), or -1.
 */
int picture_moderate(struct db *db, struct arena *a, long long picture_id,
    enum picture_moderation what, long long admin_id, const char *ip,
    const char **key);

/* The worker: the address and name of user_id, for the owner's mail.
 * Returns 0, 1 when there is none, -1 or ROW_BAD. */
int picture_owner_contact(struct db *db, struct arena *a, long long user_id,
    const char **email, const char **name);

#endif
