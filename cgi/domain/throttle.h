/*
 * Sign-in throttling, per account and per client address, in the
 * login_throttle table. After THROTTLE_ACCOUNT_FAILURES failed sign-ins
 * for one address within THROTTLE_WINDOW_SECONDS, that account is locked
 * for THROTTLE_LOCK_SECONDS; each further failure doubles the lock, up to
 * THROTTLE_LOCK_MAX_SECONDS. A client address gets the same treatment
 * after THROTTLE_IP_FAILURES (higher, for offices behind one address).
 *
 * A lock always ends by itself, and a successful sign-in (or a password
 * reset) clears the account's row, so nobody can lock another person out
 * for good: at worst they delay a sign-in by the capped lock, and a
 * mailed reset link gets the owner in at once. The account's row is keyed
 * by the address typed, whether or not an account has it, so the lock
 * tells nothing about which addresses are registered.
 */
#ifndef TESSERA_THROTTLE_H
#define TESSERA_THROTTLE_H

struct arena;
struct db;

#define THROTTLE_ACCOUNT_FAILURES 5
#define THROTTLE_IP_FAILURES 30
#define THROTTLE_WINDOW_SECONDS 3600
#define THROTTLE_LOCK_SECONDS 60
#define THROTTLE_LOCK_MAX_SECONDS 900

/*
 * Whether a sign-in for email (normalised) from ip may be tried now.
 * Returns 0 when it may, 1 when the account or the address is locked
 * (*retry_after: seconds until the later lock ends, at least 1), or -1
 * when the database cannot answer.
 */
int throttle_check(struct db *db, struct arena *a, const char *email,
    const char *ip, long *retry_after);

/* Counts a failed sign-in against both email and ip, locking either once
 * it is over its limit. Returns 0 or -1. */
int throttle_failed(struct db *db, const char *email, const char *ip);

/* Forgets the failures of email's account after a successful sign-in or
 * a password reset. The address's count is left to expire, so one good
 * password does not reopen an address that tried many accounts. Returns
 * 0 or -1. */
int throttle_clear(struct db *db, const char *email);

#endif
