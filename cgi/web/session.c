#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "http_cookie.h"
#include "log.h"
#include "request.h"
#include "util.h"

/* A session's last_seen_at is written at most this often (a site
 * admin's every minute), so browsing does not turn every page view into
 * a write. */
#define TOUCH_EVERY_SECONDS 600
/* How long a read-your-writes cookie lasts: far longer than replication
 * takes. */
#define SYNC_SECONDS 60

enum session_stmt {
	SESS_GET,
	SESS_TOUCH,
	SESS_INSERT,
	SESS_DELETE,
	SESS_DELETE_OTHERS,
	SESS__MAX
};

static const char *const session_stmts[SESS__MAX] = {
	/* SESS_GET: a live session of an account that may sign in. A site
	 * admin's ends after SESSION_ADMIN_IDLE_SECONDS without a request,
	 * so it is kept alive every minute rather than every ten. */
	"SELECT s.id, s.user_id, HEX(s.csrf_secret), "
	"s.last_seen_at < UTC_TIMESTAMP() - "
	"INTERVAL IF(u.role = 'admin', 60, 600) SECOND, "
	"u.email, u.display_name, u.role, u.email_verified_at IS NOT NULL, "
	"u.unread_notifications "
	"FROM sessions s JOIN users u ON u.id = s.user_id "
	"WHERE s.token_hash = ? AND s.expires_at > UTC_TIMESTAMP() "
	"AND s.last_seen_at > UTC_TIMESTAMP() - "
	"INTERVAL IF(u.role = 'admin', 1800, 604800) SECOND "
	"AND u.disabled_at IS NULL AND u.deleted_at IS NULL",
	/* SESS_TOUCH */
	"UPDATE sessions SET last_seen_at = UTC_TIMESTAMP() WHERE id = ?",
	/* SESS_INSERT: expires SESSION_MAX_SECONDS after sign-in */
	"INSERT INTO sessions (token_hash, user_id, csrf_secret, expires_at, ip, "
	"user_agent) VALUES (?, ?, ?, UTC_TIMESTAMP() + INTERVAL 2592000 SECOND, "
	"LEFT(?, 45), LEFT(?, 255))",
	/* SESS_DELETE */
	"DELETE FROM sessions WHERE id = ?",
	/* SESS_DELETE_OTHERS */
	"DELETE FROM sessions WHERE user_id = ? AND id <> ?",
};

static const char *
cookie_name(const struct request *r)
{
	return r->https ? SESSION_COOKIE_SECURE : SESSION_COOKIE;
}

int
session_set_cookie(struct request *r, const char *name, const char *value,
    long long max_age)
{
	struct cookie_attrs c = {
		.name = name,
		.value = value,
		.max_age = max_age,
		.path = "/",
		.http_only = 1,
		.secure = r->https,
		.same_site = "Lax",
	};
	char *header = cookie_format(r->arena, &c);

	if (header == NULL) {
		log_err("%s: cannot set cookie %s", __func__, name);
		return -1;
	}
	response_header(&r->resp, "Set-Cookie", header);
	return 0;
}

static int
unhex(const char *s, unsigned char *out, size_t n)
{
	if (s == NULL || strlen(s) != n * 2)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int hi = hex_digit((unsigned char)s[2 * i]);
		int lo = hex_digit((unsigned char)s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/* A GTID list as MariaDB writes it: "0-1-42" or "0-1-42,1-2-7". */
static int
is_gtid(const char *s)
{
	size_t len = s ? strlen(s) : 0;

	return len > 0 && len < 150 && strspn(s, "0123456789-,") == len;
}

/* The read-your-writes cookie: "GTID.EXPIRES.MAC", the MAC an HMAC with
 * the site key of the GTID and its expiry, so only a GTID this site wrote
 * makes a page wait for a replica, and only for a minute. */
static const char *
sync_mac(struct request *r, const char *gtid, long long expires)
{
	const char *key = r->cfg->secret_key;
	unsigned char mac[CRYPTO_HASH_BYTES];
	const char *msg;

	if (key == NULL)
		return NULL;
	msg = arena_printf(r->arena, "sync|%s|%lld", gtid, expires);
	crypto_hmac_sha256(key, strlen(key), msg, strlen(msg), mac);
	return crypto_b64url(r->arena, mac, sizeof(mac));
}

/* The GTID of a sync cookie, if it is one this site signed and it has
 * not expired; else NULL. */
static const char *
sync_gtid(struct request *r, const char *cookie)
{
	const char *dot1, *dot2, *mac;
	char *end, *gtid;
	long long expires;
	time_t now = time(NULL);

	if (cookie == NULL || (dot1 = strchr(cookie, '.')) == NULL ||
	    (dot2 = strchr(dot1 + 1, '.')) == NULL)
		return NULL;
	gtid = arena_strndup(r->arena, cookie, (size_t)(dot1 - cookie));
	expires = strtoll(dot1 + 1, &end, 10);
	if (end != dot2 || !is_gtid(gtid) || expires < now ||
	    expires > now + 2 * SYNC_SECONDS)
		return NULL;
	if ((mac = sync_mac(r, gtid, expires)) == NULL ||
	    strlen(mac) != strlen(dot2 + 1) ||
	    !crypto_equal(mac, dot2 + 1, strlen(mac)))
		return NULL;
	return gtid;
}

int
session_load(struct request *r, enum db_target target)
{
	const char *token = params_get(&r->cookies, cookie_name(r));
	const char *sync = sync_gtid(r, params_get(&r->cookies, SYNC_COOKIE));
	unsigned char hash[CRYPTO_HASH_BYTES];
	struct db_rows rows;
	struct session *s;

	r->session = NULL;
	db_request_start(r->db);
	if (sync != NULL)
		db_wait_for_gtid(r->db, sync);
	if (token == NULL)
		return 0;
	if (crypto_token_hash(token, hash) != 0) {
		session_set_cookie(r, cookie_name(r), "", 0);
		return 0;
	}
	struct db_arg args[] = { DB_BLOB(hash, sizeof(hash)) };

	if (db_query(r->db, r->arena, target, session_stmts[SESS_GET], args,
	    ARRAY_LEN(args), &rows) != 0)
		return -1;
	if (rows.nrows != 1) {
		session_set_cookie(r, cookie_name(r), "", 0);
		return 0;
	}
	s = arena_calloc(r->arena, 1, sizeof(*s));
	s->id = strtoll(db_cell(&rows, 0, 0), NULL, 10);
	s->user_id = strtoll(db_cell(&rows, 0, 1), NULL, 10);
	if (unhex(db_cell(&rows, 0, 2), s->csrf_secret,
	    sizeof(s->csrf_secret)) != 0) {
		log_err("%s: session %lld has a malformed CSRF secret", __func__,
		    s->id);
		return 0;
	}
	s->email = db_cell(&rows, 0, 4);
	s->display_name = db_cell(&rows, 0, 5);
	s->role = role_from_name(db_cell(&rows, 0, 6));
	s->verified = strcmp(db_cell(&rows, 0, 7), "1") == 0;
	s->unread = strtoll(db_cell(&rows, 0, 8), NULL, 10);
	r->session = s;
	if (r->writes && strcmp(db_cell(&rows, 0, 3), "1") == 0) {
		struct db_arg id[] = { DB_INT(s->id) };

		db_exec(r->db, session_stmts[SESS_TOUCH], id, 1, NULL, NULL);
	}
	return 0;
}

int
session_start(struct request *r, long long user_id)
{
	unsigned char hash[CRYPTO_HASH_BYTES], csrf[CRYPTO_HASH_BYTES];
	const char *ua = request_param(r, "HTTP_USER_AGENT");
	unsigned long long id;
	struct session *s;
	char *token;

	if (r->session != NULL) {
		struct db_arg old[] = { DB_INT(r->session->id) };

		if (db_exec(r->db, session_stmts[SESS_DELETE], old, 1, NULL,
		    NULL) != 0)
			return -1;
		r->session = NULL;
	}
	token = crypto_new_token(r->arena, hash);
	crypto_random(csrf, sizeof(csrf));
	struct db_arg args[] = {
		DB_BLOB(hash, sizeof(hash)),
		DB_INT(user_id),
		DB_BLOB(csrf, sizeof(csrf)),
		DB_STR(r->remote_addr),
		DB_STR(ua ? ua : ""),
	};

	if (db_exec(r->db, session_stmts[SESS_INSERT], args, ARRAY_LEN(args),
	    NULL, &id) != 0)
		return -1;
	if (session_set_cookie(r, cookie_name(r), token,
	    SESSION_MAX_SECONDS) != 0)
		return -1;
	s = arena_calloc(r->arena, 1, sizeof(*s));
	s->id = (long long)id;
	s->user_id = user_id;
	/* Not read back: callers redirect after signing in, and the next
	 * request loads the whole session. */
	s->email = s->display_name = "";
	s->role = ROLE_ATTENDEE;
	memcpy(s->csrf_secret, csrf, sizeof(csrf));
	r->session = s;
	session_sync_after_write(r);
	return 0;
}

int
session_end(struct request *r)
{
	if (r->session != NULL) {
		struct db_arg id[] = { DB_INT(r->session->id) };

		if (db_exec(r->db, session_stmts[SESS_DELETE], id, 1, NULL,
		    NULL) != 0)
			return -1;
		r->session = NULL;
		session_sync_after_write(r);
	}
	session_set_cookie(r, cookie_name(r), "", 0);
	return 0;
}

int
session_end_all(struct db *db, long long user_id, long long keep_id)
{
	struct db_arg args[] = { DB_INT(user_id), DB_INT(keep_id) };

	return db_exec(db, session_stmts[SESS_DELETE_OTHERS], args,
	    ARRAY_LEN(args), NULL, NULL);
}

void
session_sync_after_write(struct request *r)
{
	char gtid[160];

	/* Inside a transaction nothing is committed yet: whoever commits it
	 * (page_change) remembers the write. */
	if (db_in_transaction(r->db))
		return;
	if (db_last_gtid(r->db, gtid, sizeof(gtid)) == 0 && is_gtid(gtid)) {
		long long expires = (long long)time(NULL) + SYNC_SECONDS;
		const char *mac = sync_mac(r, gtid, expires);

		if (mac != NULL)
			session_set_cookie(r, SYNC_COOKIE, arena_printf(r->arena,
			    "%s.%lld.%s", gtid, expires, mac), SYNC_SECONDS);
	}
}
