/*
 * libFuzzer target for params_parse(): the input is a query string or form
 * body. Besides the sanitizers' checks, it asserts what handlers rely on:
 * limits hold, every string is clean UTF-8, nothing half-parsed escapes a
 * refusal, and a parsed list re-encoded with url_encode parses the same.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "http_params.h"
#include "http_url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small limits, so short inputs reach every refusal. */
static const struct params_limits tight = {
	.max_bytes = 256,
	.max_fields = 8,
	.max_name_len = 8,
	.max_value_len = 32,
};

static void
fuzz_check(struct arena *a, const struct params *p,
    const struct params_limits *lim)
{
	const struct param *it;
	struct params again;
	char *q = arena_strdup(a, "");
	size_t i;

	if (p->count > lim->max_fields || (p->count == 0) != (p->items == NULL))
		abort();
	for (i = 0; i < p->count; i++) {
		it = &p->items[i];
		if (it->name[0] == '\0' ||
		    strlen(it->name) > lim->max_name_len ||
		    !url_utf8_valid(it->name, strlen(it->name)) ||
		    strlen(it->value) != it->value_len ||
		    it->value_len > lim->max_value_len ||
		    !url_utf8_valid(it->value, it->value_len) ||
		    params_get(p, it->name) == NULL ||
		    params_count_name(p, it->name) == 0)
			abort();
		q = arena_printf(a, "%s%s%s=%s", q, i ? "&" : "",
		    url_encode(a, it->name, strlen(it->name)),
		    url_encode(a, it->value, it->value_len));
	}
	if (params_parse(a, q, strlen(q), NULL, &again) != PARAMS_OK ||
	    again.count != p->count)
		abort();
	for (i = 0; i < p->count; i++)
		if (strcmp(again.items[i].name, p->items[i].name) != 0 ||
		    strcmp(again.items[i].value, p->items[i].value) != 0)
			abort();
}

static void
fuzz_one(struct arena *a, const uint8_t *data, size_t size,
    const struct params_limits *lim)
{
	struct params p;

	if (params_parse(a, (const char *)data, size, lim, &p) == PARAMS_OK)
		fuzz_check(a, &p, lim);
	else if (p.count != 0 || p.items != NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;

	arena_init(&a, 1024);
	fuzz_one(&a, data, size, &params_default_limits);
	fuzz_one(&a, data, size, &tight);
	arena_free(&a);
	return 0;
}
