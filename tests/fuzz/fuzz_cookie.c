/*
 * libFuzzer target for the cookie code. The input, cut at its first NUL
 * as a CGI environment would, is parsed as a Cookie header; then its first
 * byte picks attributes and the rest, split at the first '=', becomes a
 * name and value for cookie_format(). Whatever cookie_format() accepts
 * must come back unchanged through cookie_parse().
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "http_cookie.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_check_parsed(const struct params *p)
{
	const struct param *it;

	if (p->count > COOKIE_MAX_COUNT ||
	    (p->count == 0) != (p->items == NULL))
		abort();
	for (size_t i = 0; i < p->count; i++) {
		it = &p->items[i];
		if (it->name[0] == '\0' || strlen(it->value) != it->value_len ||
		    strlen(it->name) + it->value_len > COOKIE_MAX_LEN ||
		    strpbrk(it->name, " \t;=,\"\\") != NULL ||
		    strpbrk(it->value, " \t;,\"\\") != NULL)
			abort();
	}
}

static void
fuzz_format(struct arena *a, const char *s)
{
	static const char *const paths[] = { NULL, "/", "/events", "x" };
	static const char *const sites[] = { NULL, "Lax", "Strict", "None" };
	static const long long ages[] = { -1, 0, 3600, -2 };
	struct cookie_attrs c = { .name = NULL };
	struct params p;
	const char *eq;
	unsigned flags;
	char *h;

	if (*s == '\0')
		return;
	flags = (unsigned char)*s++;
	if ((eq = strchr(s, '=')) == NULL)
		return;
	c.name = arena_strndup(a, s, eq - s);
	c.value = eq + 1;
	c.max_age = ages[flags & 3];
	c.path = paths[(flags >> 2) & 3];
	c.same_site = sites[(flags >> 4) & 3];
	c.http_only = (flags >> 6) & 1;
	c.secure = (flags >> 7) & 1;
	if ((h = cookie_format(a, &c)) == NULL)
		return;
	if (strpbrk(h, "\r\n") != NULL)
		abort();
	cookie_parse(a, h, &p);
	if (p.count == 0 || strcmp(p.items[0].name, c.name) != 0 ||
	    strcmp(p.items[0].value, c.value) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct params p;
	char *s;

	arena_init(&a, 1024);
	s = arena_strndup(&a, (const char *)data, size);
	cookie_parse(&a, s, &p);
	fuzz_check_parsed(&p);
	fuzz_format(&a, s);
	arena_free(&a);
	return 0;
}
