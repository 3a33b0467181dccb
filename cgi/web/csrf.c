#include "csrf.h"

#include <string.h>

#include "crypto.h"
#include "log.h"
#include "request.h"
#include "session.h"

#define ANON_BYTES 32

/* HMAC(site key, kind || binding), as base64url. kind keeps a session's
 * token and an anonymous visitor's from ever being interchangeable. */
static char *
token_for(struct request *r, char kind, const void *binding, size_t len)
{
	const char *key = r->cfg->secret_key;
	unsigned char msg[1 + 64], mac[CRYPTO_HASH_BYTES];

	if (key == NULL || len > sizeof(msg) - 1)
		return NULL;
	msg[0] = (unsigned char)kind;
	memcpy(msg + 1, binding, len);
	crypto_hmac_sha256(key, strlen(key), msg, 1 + len, mac);
	return crypto_b64url(r->arena, mac, sizeof(mac));
}

/* The visitor's anonymous binding: the cookie's value, if well formed. */
static const char *
anon_binding(struct request *r)
{
	unsigned char raw[ANON_BYTES];
	const char *v;

	if (r->csrf_anon != NULL)
		return r->csrf_anon;
	v = params_get(&r->cookies, CSRF_COOKIE);
	if (v != NULL && crypto_b64url_decode(v, raw, sizeof(raw)) == 0)
		r->csrf_anon = v;
	return r->csrf_anon;
}

const char *
csrf_token(struct request *r)
{
	const char *anon;
	char *t;

	if (r->session != NULL)
		t = token_for(r, 's', r->session->csrf_secret,
		    sizeof(r->session->csrf_secret));
	else {
		if ((anon = anon_binding(r)) == NULL) {
			unsigned char raw[ANON_BYTES];

			crypto_random(raw, sizeof(raw));
			anon = crypto_b64url(r->arena, raw, sizeof(raw));
			session_set_cookie(r, CSRF_COOKIE, anon, -1);
			r->csrf_anon = anon;
		}
		t = token_for(r, 'a', anon, strlen(anon));
	}
	return t ? t : "";
}

/* Whether the request says it comes from another site. Browsers send
 * Origin on every POST and Sec-Fetch-Site on most; either is enough. */
static int
from_elsewhere(struct request *r)
{
	const char *origin = request_param(r, "HTTP_ORIGIN");
	const char *site = request_param(r, "HTTP_SEC_FETCH_SITE");

	if (site != NULL && strcmp(site, "same-origin") != 0 &&
	    strcmp(site, "none") != 0)
		return 1;
	return origin != NULL && strcmp(origin, request_site_url(r)) != 0;
}

int
csrf_check(struct request *r)
{
	const char *sent = params_get(&r->form, CSRF_FIELD), *want, *anon;

	r->error_detail = "This form has expired or did not come from this "
	    "site. Go back, reload the page and try again.";
	if (r->cfg->secret_key == NULL) {
		log_err("%s: TESSERA_SECRET_KEY is not set", __func__);
		return -1;
	}
	if (from_elsewhere(r) || sent == NULL)
		return -1;
	if (r->session != NULL)
		want = token_for(r, 's', r->session->csrf_secret,
		    sizeof(r->session->csrf_secret));
	else if ((anon = anon_binding(r)) != NULL)
		want = token_for(r, 'a', anon, strlen(anon));
	else
		return -1;
	if (want == NULL || strlen(sent) != strlen(want) ||
	    !crypto_equal(sent, want, strlen(want)))
		return -1;
	r->error_detail = NULL;
	return 0;
}
