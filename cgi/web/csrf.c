#include "csrf.h"

#include <string.h>

#include "crypto.h"
#include "log.h"
#include "request.h"
#include "session.h"

#define ANON_BYTES 32

/* HMAC(site key, kind || binding) into mac: the token before masking.
 * kind keeps a session's token and an anonymous visitor's from ever being
 * interchangeable. Returns 0, or -1 without a key. */
static int
token_for(struct request *r, char kind, const void *binding, size_t len,
    unsigned char mac[CSRF_TOKEN_BYTES])
{
	const char *key = r->cfg->secret_key;
	unsigned char msg[1 + 64];

	if (key == NULL || len > sizeof(msg) - 1)
		return -1;
	msg[0] = (unsigned char)kind;
	memcpy(msg + 1, binding, len);
	crypto_hmac_sha256(key, strlen(key), msg, 1 + len, mac);
	return 0;
}

char *
csrf_mask(struct arena *a, const unsigned char token[CSRF_TOKEN_BYTES])
{
	unsigned char out[2 * CSRF_TOKEN_BYTES];

	crypto_random(out, CSRF_TOKEN_BYTES);
	for (size_t i = 0; i < CSRF_TOKEN_BYTES; i++)
		out[CSRF_TOKEN_BYTES + i] = out[i] ^ token[i];
	return crypto_b64url(a, out, sizeof(out));
}

int
csrf_unmask(const char *sent, unsigned char token[CSRF_TOKEN_BYTES])
{
	unsigned char in[2 * CSRF_TOKEN_BYTES];

	if (sent == NULL || crypto_b64url_decode(sent, in, sizeof(in)) != 0)
		return -1;
	for (size_t i = 0; i < CSRF_TOKEN_BYTES; i++)
		token[i] = in[i] ^ in[CSRF_TOKEN_BYTES + i];
	return 0;
}

/* The CSRF cookie's name: over HTTPS with the __Host- prefix, which a
 * browser accepts only from this host, Secure, for Path=/ and without a
 * Domain, so no sibling or plain-HTTP page can plant a value of its own. */
static const char *
cookie_name(const struct request *r)
{
	return r->https ? CSRF_COOKIE_SECURE : CSRF_COOKIE;
}

/* The visitor's anonymous binding: the cookie's value, if well formed. */
static const char *
anon_binding(struct request *r)
{
	unsigned char raw[ANON_BYTES];
	const char *v;

	if (r->csrf_anon != NULL)
		return r->csrf_anon;
	v = params_get(&r->cookies, cookie_name(r));
	if (v != NULL && crypto_b64url_decode(v, raw, sizeof(raw)) == 0)
		r->csrf_anon = v;
	return r->csrf_anon;
}

/* The unmasked token this request's forms must carry, into mac; a
 * visitor's first page also sets the anonymous cookie when make is 1.
 * Returns 0, or -1 when there is none to compare with. */
static int
expected_token(struct request *r, int make, unsigned char mac[CSRF_TOKEN_BYTES])
{
	const char *anon;

	if (r->session != NULL)
		return token_for(r, 's', r->session->csrf_secret,
		    sizeof(r->session->csrf_secret), mac);
	if ((anon = anon_binding(r)) == NULL) {
		unsigned char raw[ANON_BYTES];

		if (!make)
			return -1;
		crypto_random(raw, sizeof(raw));
		anon = crypto_b64url(r->arena, raw, sizeof(raw));
		session_set_cookie(r, cookie_name(r), anon, -1);
		r->csrf_anon = anon;
	}
	return token_for(r, 'a', anon, strlen(anon), mac);
}

const char *
csrf_token(struct request *r)
{
	unsigned char mac[CSRF_TOKEN_BYTES];

	if (expected_token(r, 1, mac) != 0)
		return "";
	return csrf_mask(r->arena, mac);
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
	const char *sent = params_get(&r->form, CSRF_FIELD);
	unsigned char want[CSRF_TOKEN_BYTES], got[CSRF_TOKEN_BYTES];

	r->error_detail = "This form has expired or did not come from this "
	    "site. Go back, reload the page and try again.";
	if (r->cfg->secret_key == NULL) {
		log_err("%s: TESSERA_SECRET_KEY is not set", __func__);
		return -1;
	}
	if (from_elsewhere(r) || csrf_unmask(sent, got) != 0 ||
	    expected_token(r, 0, want) != 0 ||
	    !crypto_equal(got, want, sizeof(want)))
		return -1;
	r->error_detail = NULL;
	return 0;
}
