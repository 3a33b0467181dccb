#include "router.h"

#include <string.h>

#include "arena.h"
#include "http_url.h"
#include "log.h"

/* A path parameter found while trying one route. */
struct router_capture {
	const char *name;	/* points into the pattern */
	size_t name_len;
	char *value;		/* decoded, arena-owned */
	size_t value_len;
};

/* Literal pattern text: RFC 3986 pchar without '%', '{' and '}'. */
static int
router_literal_char(unsigned char c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("-._~!$&'()*+,;=:@", c) != NULL;
}

static int
router_name_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/*
 * Returns 1 if the raw path segment s[0..len) is a dot segment, "." or
 * "..", written plainly or with '.' as "%2E" or "%2e", which RFC 3986
 * counts as the same thing.
 */
static int
router_dot_segment(const char *s, size_t len)
{
	size_t i = 0, dots = 0;

	while (i < len) {
		if (s[i] == '.')
			i++;
		else if (len - i >= 3 && s[i] == '%' && s[i + 1] == '2' &&
		    (s[i + 2] == 'e' || s[i + 2] == 'E'))
			i += 3;
		else
			return 0;
		dots++;
	}
	return dots == 1 || dots == 2;
}

/*
 * Returns 1 if the raw path path[0..len) is one the router will consider:
 * it starts with '/', has no empty segment except a final one (so no
 * "//"), and no dot segment.
 */
static int
router_path_ok(const char *path, size_t len)
{
	const char *p = path, *end = path + len, *seg;

	if (len == 0 || *path != '/')
		return 0;
	while (p < end) {
		seg = ++p;
		if ((p = memchr(seg, '/', end - seg)) == NULL)
			p = end;
		if (p == seg && p != end)
			return 0;
		if (router_dot_segment(seg, p - seg))
			return 0;
	}
	return 1;
}

/* Returns 1 if s[0..len) is 1 to 18 digits without a leading zero. */
static int
router_int_ok(const char *s, size_t len)
{
	if (len == 0 || len > 18 || s[0] == '0')
		return 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * Matches one pattern segment ps[0..pe) against one raw path segment
 * ss[0..se), appending any parameter to caps (which holds *ncaps, at most
 * ROUTER_MAX_PARAMS). Returns 1 on a match, 0 otherwise, including for a
 * malformed pattern, which router_check() reports at startup.
 */
static int
router_segment(const char *ps, const char *pe, const char *ss,
    const char *se, struct arena *a, struct router_capture *caps,
    size_t *ncaps)
{
	const char *open, *close, *colon, *suffix, *mid;
	size_t plen = pe - ps, slen = se - ss, pre, suf, mlen;
	struct router_capture *c;
	int is_int = 0;

	if ((open = memchr(ps, '{', plen)) == NULL)
		return plen == slen && memcmp(ps, ss, slen) == 0;
	if ((close = memchr(open, '}', pe - open)) == NULL ||
	    *ncaps == ROUTER_MAX_PARAMS)
		return 0;
	if ((colon = memchr(open, ':', close - open)) != NULL) {
		if (close - colon != 4 || memcmp(colon, ":int", 4) != 0)
			return 0;
		is_int = 1;
	} else
		colon = close;
	suffix = close + 1;
	pre = open - ps;
	suf = pe - suffix;
	if (slen <= pre + suf || memcmp(ss, ps, pre) != 0 ||
	    memcmp(se - suf, suffix, suf) != 0)
		return 0;
	mid = ss + pre;
	mlen = slen - pre - suf;
	if (is_int && !router_int_ok(mid, mlen))
		return 0;

	c = &caps[*ncaps];
	if (url_decode(a, mid, mlen, 0, &c->value, &c->value_len) == -1 ||
	    memchr(c->value, '/', c->value_len) != NULL ||
	    strcmp(c->value, ".") == 0 || strcmp(c->value, "..") == 0)
		return 0;
	c->name = open + 1;
	c->name_len = colon - open - 1;
	(*ncaps)++;
	return 1;
}

/*
 * Matches pattern against the raw path path[0..len), already checked by
 * router_path_ok(). Returns 1 and fills caps and *ncaps on a match, else 0.
 */
static int
router_try(const char *pattern, const char *path, size_t len,
    struct arena *a, struct router_capture *caps, size_t *ncaps)
{
	const char *p = pattern, *s = path, *end = path + len, *pe, *se;

	*ncaps = 0;
	if (p == NULL || *p != '/')
		return 0;
	for (;;) {
		p++;
		s++;
		pe = p + strcspn(p, "/");
		if ((se = memchr(s, '/', end - s)) == NULL)
			se = end;
		if (!router_segment(p, pe, s, se, a, caps, ncaps))
			return 0;
		if (*pe == '\0' || se == end)
			break;
		p = pe;
		s = se;
	}
	return *pe == '\0' && se == end;
}

static int
router_method_ok(const char *route_method, const char *method)
{
	return strcmp(route_method, method) == 0 ||
	    (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

/*
 * Returns the Allow header value for a path that some route matched with
 * another method: the distinct methods of every matching route in table
 * order, HEAD following GET. Arena-owned.
 */
static const char *
router_allow(const struct route *routes, size_t nroutes, const char *path,
    size_t len, struct arena *a)
{
	struct router_capture caps[ROUTER_MAX_PARAMS];
	const char **seen, *allow = NULL;
	size_t i, j, k, n = 0, ncaps;
	const char *add[2];

	seen = arena_calloc(a, nroutes + 1, sizeof(*seen));
	for (i = 0; i < nroutes; i++) {
		if (routes[i].method == NULL ||
		    !router_try(routes[i].pattern, path, len, a, caps, &ncaps))
			continue;
		add[0] = routes[i].method;
		add[1] = strcmp(add[0], "GET") == 0 ? "HEAD" : NULL;
		for (k = 0; k < 2 && add[k] != NULL; k++) {
			for (j = 0; j < n; j++)
				if (strcmp(seen[j], add[k]) == 0)
					break;
			if (j < n)
				continue;
			seen[n++] = add[k];
			allow = allow == NULL ? add[k] :
			    arena_printf(a, "%s, %s", allow, add[k]);
		}
	}
	return allow;
}

/*
 * Finds the route for method and path. path is the request target as sent
 * (REQUEST_URI), still percent-encoded; matching stops at a '?', so the
 * query string may be left on. Paths that do not start with '/' or that
 * hold "//" or a dot segment ("/./", "/../", also as "%2E") match nothing,
 * and "/events/" does not match "/events": the program may redirect.
 *
 * Returns ROUTE_FOUND with m->route and m->params (arena-owned, decoded)
 * set; ROUTE_METHOD_NOT_ALLOWED with m->allow set when routes match the
 * path only for other methods; else ROUTE_NOT_FOUND. Fields not named for
 * the returned status are zero or NULL.
 */
enum route_status
router_match(const struct route *routes, size_t nroutes, const char *method,
    const char *path, struct arena *a, struct route_match *m)
{
	struct router_capture caps[ROUTER_MAX_PARAMS];
	size_t i, j, len, ncaps;
	int path_found = 0;
	struct param *items;

	memset(m, 0, sizeof(*m));
	if (path == NULL || method == NULL)
		return ROUTE_NOT_FOUND;
	len = strcspn(path, "?");
	if (!router_path_ok(path, len))
		return ROUTE_NOT_FOUND;

	for (i = 0; i < nroutes; i++) {
		if (routes[i].method == NULL ||
		    !router_try(routes[i].pattern, path, len, a, caps, &ncaps))
			continue;
		if (!router_method_ok(routes[i].method, method)) {
			path_found = 1;
			continue;
		}
		m->route = i;
		if (ncaps > 0) {
			items = arena_calloc(a, ncaps, sizeof(*items));
			for (j = 0; j < ncaps; j++) {
				items[j].name = arena_strndup(a, caps[j].name,
				    caps[j].name_len);
				items[j].value = caps[j].value;
				items[j].value_len = caps[j].value_len;
			}
			m->params.items = items;
			m->params.count = ncaps;
		}
		return ROUTE_FOUND;
	}
	if (!path_found)
		return ROUTE_NOT_FOUND;
	m->allow = router_allow(routes, nroutes, path, len, a);
	return ROUTE_METHOD_NOT_ALLOWED;
}

/*
 * Checks one pattern against the syntax in router.h. Returns NULL if it is
 * good, else what is wrong with it.
 */
static const char *
router_check_pattern(const char *pattern)
{
	const char *p, *q, *seg, *end, *open, *close, *colon;
	const char *names[ROUTER_MAX_PARAMS];
	size_t nlen[ROUTER_MAX_PARAMS], nparams = 0, i;

	if (pattern == NULL || pattern[0] != '/')
		return "pattern must start with '/'";
	for (p = pattern; *p != '\0'; p = end) {
		seg = p + 1;
		end = seg + strcspn(seg, "/");
		if (end == seg && *end != '\0')
			return "empty segment";
		if (router_dot_segment(seg, end - seg))
			return "dot segment";
		open = memchr(seg, '{', end - seg);
		close = memchr(seg, '}', end - seg);
		if (open == NULL && close == NULL) {
			for (q = seg; q < end; q++)
				if (!router_literal_char((unsigned char)*q))
					return "bad character in literal";
			continue;
		}
		if (open == NULL || close == NULL || close < open ||
		    memchr(open + 1, '{', end - open - 1) != NULL ||
		    memchr(close + 1, '}', end - close - 1) != NULL)
			return "unbalanced braces or two parameters";
		for (q = seg; q < end; q++)
			if ((q < open || q > close) &&
			    !router_literal_char((unsigned char)*q))
				return "bad character in literal";
		if ((colon = memchr(open, ':', close - open)) != NULL) {
			if (close - colon != 4 || memcmp(colon, ":int", 4) != 0)
				return "unknown parameter kind";
		} else
			colon = close;
		if (colon == open + 1)
			return "empty parameter name";
		for (q = open + 1; q < colon; q++)
			if (!router_name_char((unsigned char)*q))
				return "bad character in parameter name";
		if (nparams == ROUTER_MAX_PARAMS)
			return "too many parameters";
		for (i = 0; i < nparams; i++)
			if (nlen[i] == (size_t)(colon - open - 1) &&
			    memcmp(names[i], open + 1, nlen[i]) == 0)
				return "repeated parameter name";
		names[nparams] = open + 1;
		nlen[nparams++] = colon - open - 1;
	}
	return NULL;
}

/*
 * Validates a route table, logging each bad entry. Programs call it once
 * at startup so a typo in a pattern stops the program instead of quietly
 * never matching. Returns 0 if every route is good, else -1.
 */
int
router_check(const struct route *routes, size_t nroutes)
{
	const char *why;
	int rc = 0;

	for (size_t i = 0; i < nroutes; i++) {
		why = NULL;
		if (routes[i].method == NULL || routes[i].method[0] == '\0' ||
		    strspn(routes[i].method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") !=
		    strlen(routes[i].method))
			why = "method must be upper-case letters";
		else
			why = router_check_pattern(routes[i].pattern);
		if (why != NULL) {
			log_err("%s: route %zu (%s %s): %s", __func__, i,
			    routes[i].method ? routes[i].method : "(null)",
			    routes[i].pattern ? routes[i].pattern : "(null)",
			    why);
			rc = -1;
		}
	}
	return rc;
}

const char *
router_body_name(enum route_body body)
{
	switch (body) {
	case BODY_FORM:
		return "form";
	case BODY_MULTIPART:
		return "multipart";
	case BODY_RAW:
		return "raw";
	}
	return "?";
}
