#include "http_params.h"

#include <string.h>

#include "arena.h"
#include "http_url.h"

const struct params_limits params_default_limits = {
	.max_bytes = 64 * 1024,
	.max_fields = 200,
	.max_name_len = 64,
	.max_value_len = 16 * 1024,
};

/*
 * Parses s[0..len), a query string or form body, into out. Pairs are
 * separated by '&'; empty pairs ("a=1&&b=2", a leading or trailing '&')
 * and pairs with an empty name ("=x") are skipped, as browsers never send
 * them; a pair without '=' has an empty value. s may be NULL if len is 0.
 * limits NULL means params_default_limits.
 *
 * Returns PARAMS_OK with out filled (items arena-owned, NULL when count is
 * 0), or another status with out empty: nothing half-parsed reaches a
 * handler. Input size is checked first, then the field count, then each
 * pair, so a huge body is refused before any decoding work.
 */
enum params_status
params_parse(struct arena *a, const char *s, size_t len,
    const struct params_limits *limits, struct params *out)
{
	const struct params_limits *lim;
	const char *p, *end, *amp, *eq;
	struct param *items;
	size_t n, nlen;
	char *name, *value;

	lim = limits != NULL ? limits : &params_default_limits;
	out->items = NULL;
	out->count = 0;
	if (len > lim->max_bytes)
		return PARAMS_TOO_LARGE;
	if (len == 0)
		return PARAMS_OK;

	/* Count the pairs that will be kept, to size the array once. */
	n = 0;
	for (p = s, end = s + len; p < end; p = amp + 1) {
		if ((amp = memchr(p, '&', end - p)) == NULL)
			amp = end;
		if (amp > p && *p != '=')
			n++;
	}
	if (n > lim->max_fields)
		return PARAMS_TOO_MANY;
	if (n == 0)
		return PARAMS_OK;

	items = arena_calloc(a, n, sizeof(*items));
	n = 0;
	for (p = s; p < end; p = amp + 1) {
		if ((amp = memchr(p, '&', end - p)) == NULL)
			amp = end;
		if (amp == p || *p == '=')
			continue;
		if ((eq = memchr(p, '=', amp - p)) == NULL)
			eq = amp;
		if (url_decode(a, p, eq - p, 1, &name, &nlen) == -1 ||
		    nlen > lim->max_name_len)
			return PARAMS_MALFORMED;
		if (eq == amp) {
			items[n].value = "";
			items[n].value_len = 0;
		} else {
			if (url_decode(a, eq + 1, amp - eq - 1, 1, &value,
			    &items[n].value_len) == -1 ||
			    items[n].value_len > lim->max_value_len)
				return PARAMS_MALFORMED;
			items[n].value = value;
		}
		items[n++].name = name;
	}
	out->items = items;
	out->count = n;
	return PARAMS_OK;
}

/*
 * Returns the value of the index'th (from 0) field called name, or NULL if
 * there are not that many. The pointer is owned by the params' arena.
 */
const char *
params_get_n(const struct params *p, const char *name, size_t index)
{
	for (size_t i = 0; i < p->count; i++)
		if (strcmp(p->items[i].name, name) == 0 && index-- == 0)
			return p->items[i].value;
	return NULL;
}

/* Returns the first value of name, or NULL if it is absent. */
const char *
params_get(const struct params *p, const char *name)
{
	return params_get_n(p, name, 0);
}

/* Returns how many fields are called name (repeated checkboxes, selects). */
size_t
params_count_name(const struct params *p, const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < p->count; i++)
		if (strcmp(p->items[i].name, name) == 0)
			n++;
	return n;
}
