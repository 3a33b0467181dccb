/*
 * Throttling of what costs a password hash or a mail, in the
 * login_throttle table, per account and per client network (an IPv4
 * address, or the /64 of an IPv6 one: throttle_network).
 *
 * Sign-ins: after THROTTLE_ACCOUNT_FAILURES attempts for one address
 * within THROTTLE_WINDOW_SECONDS, that account is locked for
 * THROTTLE_LOCK_SECONDS; each further one doubles the lock, up to
 * THROTTLE_LOCK_MAX_SECONDS. A client network gets the same treatment
 * after THROTTLE_IP_FAILURES (higher, for offices behind one address).
 * Every attempt is counted before its hash, in one statement, so N
 * guesses sent at once get at most the limit's worth of hashes; one that
 * turns out right is given back to its network.
 *
 * Sign-ups, reset requests and new passwords (each a hash or a mail) are
 * counted per client network in a scope of their own, a limit within the
 * window (TESSERA_SIGNUPS_PER_NETWORK), before any of that work is done.
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

/* The client network that addr (a REMOTE_ADDR) is counted under: an IPv4
 * address as such (an IPv4-mapped IPv6 one too), an IPv6 one as its /64
 * ("2001:db8:1:2::/64"), anything else as given. Arena-owned. */
const char *throttle_network(struct arena *a, const char *addr);

/*
 * Counts a sign-in attempt for email (normalised) from ip, before its
 * password is checked. Returns 0 when the check may go on, 1 when the
 * network or the account is locked (*retry_after: seconds until the lock
 * ends, at least 1; the attempt is not counted), or -1 when the database
 * cannot answer.
 */
int throttle_attempt(struct db *db, struct arena *a, const char *email,
    const char *ip, long *retry_after);

/* After an attempt whose password was right: gives ip's network its
 * attempt back and clears the account (throttle_clear). Returns 0 or -1. */
int throttle_succeeded(struct db *db, struct arena *a, const char *email,
    const char *ip);

/* Counts a sign-up, reset request or new password from ip's network,
 * before its hash or mail. Returns 0, 1 when the network had its limit
 * within the window (*retry_after set), or -1. */
int throttle_costly(struct db *db, struct arena *a, const char *ip,
    long limit, long *retry_after);

/* Forgets the attempts of email's account after a successful sign-in or
 * a password reset. The network's count is left to expire, so one good
 * password does not reopen a network that tried many accounts. Returns
 * 0 or -1. */
int throttle_clear(struct db *db, const char *email);

#endif
