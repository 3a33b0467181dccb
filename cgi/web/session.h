/*
 * Server-side sessions. The cookie holds a random token; the database
 * holds only its SHA-256, the account, a per-session CSRF secret and the
 * expiry. A session ends after SESSION_IDLE_SECONDS without a request or
 * SESSION_MAX_SECONDS after sign-in, whichever is first; a site admin's
 * after SESSION_ADMIN_IDLE_SECONDS without a request (its powers reach
 * every account). The cookie is
 * HttpOnly and SameSite=Lax, with Secure and the __Host- prefix over HTTPS.
 *
 * After a write, the program sets a short-lived "sync" cookie with the
 * primary's GTID, so the same browser's next reads on a replica wait for
 * that write first (read-your-writes; see DESIGN.md).
 */
#ifndef TESSERA_SESSION_H
#define TESSERA_SESSION_H

#include "crypto.h"
#include "db.h"
#include "roles.h"

struct request;

#define SESSION_IDLE_SECONDS (7 * 86400)
#define SESSION_MAX_SECONDS (30 * 86400)
#define SESSION_ADMIN_IDLE_SECONDS (30 * 60)
#define SESSION_COOKIE "tessera_session"
#define SESSION_COOKIE_SECURE "__Host-tessera_session"
#define SYNC_COOKIE "tessera_sync"

/* The signed-in person, as every handler sees it. Arena-owned. */
struct session {
	long long id;
	long long user_id;
	unsigned char csrf_secret[CRYPTO_HASH_BYTES];
	const char *email;
	const char *display_name;
	enum role role;
	int verified;            /* email verified */
	long long unread;        /* users.unread_notifications */
};

/*
 * Reads the session cookie and, when it names a live session, sets
 * r->session (else leaves it NULL and, for a dead session, deletes the
 * cookie). Also applies the sync cookie to the database handle. target is
 * where to look: DB_PRIMARY, so that a session ended or an account
 * disabled on the primary counts at once everywhere. Returns 0, or -1 when
 * the database cannot answer (r->session stays NULL).
 */
int session_load(struct request *r, enum db_target target);

/*
 * Signs the browser in as user_id: ends its current session if it has
 * one (a fresh token at every sign-in, so a token planted before it is
 * worthless), creates a new one and sets the cookie. Its statements run
 * in the caller's transaction when one is open (page_change). Returns 0
 * or -1.
 */
int session_start(struct request *r, long long user_id);

/* Ends the browser's session, if any, and deletes the cookie. */
int session_end(struct request *r);

/* Ends every session of user_id but keep_id (0: all of them). Runs in the
 * caller's transaction if one is open. Returns 0 or -1. */
int session_end_all(struct db *db, long long user_id, long long keep_id);

/* After a committed write: remembers the primary's GTID in the sync
 * cookie. Failure only costs read-your-writes, so it is not reported.
 * Inside a transaction it does nothing: the commit is yet to come. */
void session_sync_after_write(struct request *r);

/* Sets a cookie with the site's attributes (HttpOnly, SameSite=Lax, Path=/,
 * Secure over HTTPS); max_age -1 for a browser-session cookie, 0 to delete.
 * Returns 0, or -1 for a name or value a cookie cannot carry. */
int session_set_cookie(struct request *r, const char *name,
    const char *value, long long max_age);

#endif
