/*
 * What the admin pages read and change: the list of accounts and their
 * roles, the audit log. An organizer's events are in events.h, the outbox
 * backlog in outbox.h.
 */
#ifndef TESSERA_DB_ADMIN_H
#define TESSERA_DB_ADMIN_H

#include "db.h"

enum admin_user_col { AU_ID, AU_EMAIL, AU_NAME, AU_ROLE, AU_VERIFIED,
	AU_CREATED_AT };
enum admin_audit_col { AA_AT, AA_ACTION, AA_TARGET, AA_IP, AA_DETAIL,
	AA_EMAIL };

/* Accounts matching q (prefix of email or name; NULL for all), newest
 * first, limit rows from offset. */
int db_admin_users(struct db *db, struct arena *a, const char *q, int limit,
    int offset, struct db_rows *out);
/* Sets the role of a non-admin account that is not deleted; *changed says
 * whether a row changed. Runs in the caller's transaction. */
int db_admin_set_role(struct db *db, long long user_id, const char *role,
    int *changed);
int db_admin_user_email(struct db *db, struct arena *a, long long user_id,
    struct db_rows *out);
int db_admin_audit(struct db *db, struct arena *a, int limit,
    struct db_rows *out);

#endif
