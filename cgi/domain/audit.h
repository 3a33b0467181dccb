/*
 * The audit log: who did what to what, from where, when. Written in the
 * same transaction as the change it records when there is one.
 */
#ifndef TESSERA_AUDIT_H
#define TESSERA_AUDIT_H

struct db;

/* user_id 0 when no account is known (e.g. a failed sign-in for an
 * unknown address). target and detail may be NULL. Returns 0 or -1. */
int audit_log(struct db *db, long long user_id, const char *action,
    const char *target, const char *ip, const char *detail);

#endif
