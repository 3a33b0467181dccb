/*
 * What the admin pages read and change: the list of accounts and their
 * roles, the audit log. An organizer's events are in events.h, the outbox
 * backlog in outbox.h.
 */
#ifndef TESSERA_DB_ADMIN_H
#define TESSERA_DB_ADMIN_H

#include <time.h>

#include "db.h"
#include "roles.h"

/* An account as the admin list shows it. Strings arena-owned. */
struct admin_user {
	long long id;
	const char *email;
	const char *display_name;
	enum role role;
	int verified;
	time_t created_at;
	int disabled;
};

/* One audit log entry; target, ip, detail and email may be NULL (email:
 * no account, or a deleted one's row is gone). */
struct audit_entry {
	time_t at;
	const char *action;
	const char *target;
	const char *ip;
	const char *detail;
	const char *email;
};

/* Accounts matching q (a prefix of email or name, as typed; NULL for
 * all), newest first, limit from offset, into an arena-owned array of
 * *n. Returns 0, -1 or ROW_BAD. */
int db_admin_users(struct db *db, struct arena *a, const char *q, int limit,
    int offset, struct admin_user **out, size_t *n);
/* Disables (disabled 1) a live account that is not a site admin, ending
 * its sessions, or enables it again, in the caller's transaction;
 * *changed says whether it was not so already. Returns 0 or -1. */
int db_admin_set_disabled(struct db *db, long long user_id, int disabled,
    int *changed);
/* Sets the role of a non-admin account that is not deleted; *changed says
 * whether a row changed. Runs in the caller's transaction. */
int db_admin_set_role(struct db *db, long long user_id, enum role role,
    int *changed);
/* The address of account user_id (locked, in the caller's transaction):
 * 0 with *email set, 1 when there is no such account, or -1. */
int db_admin_user_email(struct db *db, struct arena *a, long long user_id,
    const char **email);
/* Which audit entries to list; NULL members do not filter. */
struct audit_filter {
	const char *email;     /* the account's address, exactly */
	const char *action;    /* a prefix: "order." or "role.admin" */
	const char *from;      /* "YYYY-MM-DD hh:mm:ss" UTC, inclusive */
	const char *before;    /* the same, exclusive */
	int limit;
	int offset;
};

/* The entries matching f, newest first. Returns 0, -1 or ROW_BAD. */
int db_admin_audit(struct db *db, struct arena *a, const struct audit_filter *f,
    struct audit_entry **out, size_t *n);

#endif
