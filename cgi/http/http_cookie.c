#include "http_cookie.h"

#include <string.h>
#include <strings.h>

#include "arena.h"

/* RFC 7230 tchar: what a cookie name may contain. */
static int
cookie_tchar(unsigned char c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/*
 * RFC 6265 cookie-octet: printable US-ASCII without space, '"', ',', ';'
 * and '\\'.
 */
static int
cookie_octet(unsigned char c)
{
	return c >= 0x21 && c <= 0x7E &&
	    c != '"' && c != ',' && c != ';' && c != '\\';
}

static int
cookie_name_valid(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!cookie_tchar((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
cookie_value_valid(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!cookie_octet((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
cookie_ws(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Parses a Cookie header ("a=b; c=d") into out, in header order with
 * duplicates kept: browsers send the cookie with the longest path first,
 * so params_get() finds the most specific one. header may be NULL (no
 * Cookie header). Never fails: a pair that is malformed (no '=', a name
 * that is not a token, a value with characters outside cookie-octet after
 * removing one pair of surrounding double quotes) or longer than
 * COOKIE_MAX_LEN is skipped, since it may belong to some other application
 * on the domain, and only the first COOKIE_MAX_COUNT good pairs are kept.
 * Whitespace around names and values is ignored, and ';' need not be
 * followed by a space. Strings are arena-owned.
 */
void
cookie_parse(struct arena *a, const char *header, struct params *out)
{
	const char *p, *semi, *eq, *ns, *ne, *vs, *ve;
	struct param *items = NULL;
	size_t n = 0;

	out->items = NULL;
	out->count = 0;
	if (header == NULL)
		return;
	for (p = header; *p != '\0'; p = semi + (*semi == ';')) {
		if ((semi = strchr(p, ';')) == NULL)
			semi = p + strlen(p);
		if ((eq = memchr(p, '=', semi - p)) == NULL)
			continue;
		for (ns = p; ns < eq && cookie_ws(*ns); ns++)
			continue;
		for (ne = eq; ne > ns && cookie_ws(ne[-1]); ne--)
			continue;
		for (vs = eq + 1; vs < semi && cookie_ws(*vs); vs++)
			continue;
		for (ve = semi; ve > vs && cookie_ws(ve[-1]); ve--)
			continue;
		if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
			vs++;
			ve--;
		}
		if (!cookie_name_valid(ns, ne - ns) ||
		    !cookie_value_valid(vs, ve - vs) ||
		    (size_t)(ne - ns) + (size_t)(ve - vs) > COOKIE_MAX_LEN)
			continue;
		if (items == NULL)
			items = arena_calloc(a, COOKIE_MAX_COUNT,
			    sizeof(*items));
		items[n].name = arena_strndup(a, ns, ne - ns);
		items[n].value = arena_strndup(a, vs, ve - vs);
		items[n].value_len = ve - vs;
		if (++n == COOKIE_MAX_COUNT)
			break;
	}
	out->items = items;
	out->count = n;
}

/*
 * Returns the value of a Set-Cookie header for c (without the
 * "Set-Cookie: " prefix), arena-owned, e.g.
 * "sid=abc; Max-Age=3600; Path=/; HttpOnly; Secure; SameSite=Lax".
 * No Domain attribute is ever written, so cookies stay host-only.
 *
 * Returns NULL, having written nothing, if the result would be a cookie
 * browsers drop or misread: a name that is not a token, a value outside
 * cookie-octet, name and value longer than COOKIE_MAX_LEN, a path that does
 * not start with '/' or holds a control character or ';', max_age below
 * -1, a same_site other than "Lax" or "Strict", or a "__Secure-" or
 * "__Host-" name without the attributes those prefixes demand.
 */
char *
cookie_format(struct arena *a, const struct cookie_attrs *c)
{
	size_t nlen, vlen;
	const char *s, *age = "", *path = "";

	if (c->name == NULL || c->value == NULL)
		return NULL;
	nlen = strlen(c->name);
	vlen = strlen(c->value);
	if (!cookie_name_valid(c->name, nlen) ||
	    !cookie_value_valid(c->value, vlen) ||
	    nlen + vlen > COOKIE_MAX_LEN || c->max_age < -1)
		return NULL;
	if (c->path != NULL) {
		if (c->path[0] != '/')
			return NULL;
		for (s = c->path; *s != '\0'; s++)
			if ((unsigned char)*s < 0x20 || *s == 0x7F || *s == ';')
				return NULL;
	}
	if (c->same_site != NULL && strcmp(c->same_site, "Lax") != 0 &&
	    strcmp(c->same_site, "Strict") != 0)
		return NULL;
	/*
	 * RFC 6265bis cookie prefixes, matched without regard to case as
	 * current browsers do: a browser drops a cookie that breaks them.
	 */
	if (strncasecmp(c->name, "__Secure-", 9) == 0 && !c->secure)
		return NULL;
	if (strncasecmp(c->name, "__Host-", 7) == 0 && (!c->secure ||
	    c->path == NULL || strcmp(c->path, "/") != 0))
		return NULL;

	if (c->max_age >= 0)
		age = arena_printf(a, "; Max-Age=%lld", c->max_age);
	if (c->path != NULL)
		path = arena_printf(a, "; Path=%s", c->path);
	return arena_printf(a, "%s=%s%s%s%s%s%s%s", c->name, c->value, age,
	    path, c->http_only ? "; HttpOnly" : "",
	    c->secure ? "; Secure" : "",
	    c->same_site ? "; SameSite=" : "",
	    c->same_site ? c->same_site : "");
}
