/*
 * Cross-site request forgery protection. Every form carries a token
 * (field "csrf") that only this site can compute: an HMAC, under the
 * site's secret key, of the session's CSRF secret, or for a visitor not
 * signed in, of a random value in the visitor's own "tessera_csrf" cookie.
 * A POST without the right token, or whose Origin is another site, is
 * refused with 403 before its handler runs.
 */
#ifndef TESSERA_CSRF_H
#define TESSERA_CSRF_H

struct request;

#define CSRF_FIELD "csrf"
#define CSRF_COOKIE "tessera_csrf"

/* The token for forms on this page; for a visitor without a session it
 * sets the CSRF cookie when there is none yet. Arena-owned. */
const char *csrf_token(struct request *r);
/* 0 when the POST may proceed; -1 (with r->error_detail set) when it must
 * be refused with 403. */
int csrf_check(struct request *r);

#endif
