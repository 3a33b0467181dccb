/*
 * Cross-site request forgery protection. Every form carries a token
 * (field "csrf") that only this site can compute: an HMAC, under the
 * site's secret key, of the session's CSRF secret, or for a visitor not
 * signed in, of a random value in the visitor's own "tessera_csrf" cookie
 * ("__Host-tessera_csrf" over HTTPS). A POST without the right token, or
 * whose Origin is another site, is refused with 403 before its handler
 * runs.
 *
 * The token is masked afresh each time a page carries it (BREACH): what a
 * form holds is a random mask and the token XORed with it, so no two
 * responses repeat the secret's bytes for a compression oracle to find.
 */
#ifndef TESSERA_CSRF_H
#define TESSERA_CSRF_H

struct arena;
struct request;

#define CSRF_FIELD "csrf"
#define CSRF_COOKIE "tessera_csrf"
#define CSRF_COOKIE_SECURE "__Host-tessera_csrf"
#define CSRF_TOKEN_BYTES 32

/* The token under a fresh random mask, as base64url (arena-owned). */
char *csrf_mask(struct arena *a, const unsigned char token[CSRF_TOKEN_BYTES]);
/* The token inside a masked one. Returns 0, or -1 when sent is not one. */
int csrf_unmask(const char *sent, unsigned char token[CSRF_TOKEN_BYTES]);

/* The token for forms on this page, masked afresh at each call; for a
 * visitor without a session it sets the CSRF cookie when there is none
 * yet. Arena-owned. */
const char *csrf_token(struct request *r);
/* 0 when the POST may proceed; -1 (with r->error_detail set) when it must
 * be refused with 403. */
int csrf_check(struct request *r);

#endif
