/*
 * libFuzzer target for the template engine: compiles the input as template
 * "self" and, when it compiles, renders it against a small fixed context,
 * directly and as a block argument, with partials and parents that include
 * "self" again. Self-inclusion is what the depth and step limits are for;
 * the step cap is lowered so runaway inputs stay cheap.
 *
 * Renders that hit a limit log one line each; run with -close_fd_mask=2
 * to keep them off the terminal (sanitizer reports still show).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	const char *name;
	const char *src;
} partials[] = {
    {"p", "<{{x}}|{{>self}}>\n"},
    {"indented", "a\n  {{>self}}\nb\n"},
    {"layout", "[{{$a}}A{{/a}}\n  {{$b}}\n    B\n  {{/b}}\n{{>self}}]\n"},
    {"child", "{{<layout}}\n{{$a}}\n  {{>self}}\n{{/a}}\n{{/layout}}\n"},
    {"heir", "{{<self}}{{$a}}x{{/a}}{{$b}}\n  y\n{{/b}}{{/self}}"},
};

static struct arena arena;
static struct tmpl_value *ctx;

static struct tmpl_value *
item(const char *x, long long n)
{
	struct tmpl_value *v = tv_object(&arena);

	tv_set_str(&arena, v, "x", x);
	tv_set_int(&arena, v, "n", n);
	return v;
}

static void
init(void)
{
	struct tmpl_value *list, *inner;

	arena_init(&arena, 0);
	ctx = tv_object(&arena);
	tv_set_str(&arena, ctx, "x", "<&\"'>");
	tv_set_int(&arena, ctx, "n", 42);
	tv_set(&arena, ctx, "f", tv_number(&arena, 1.5));
	tv_set_bool(&arena, ctx, "t", 1);
	tv_set_bool(&arena, ctx, "no", 0);
	tv_set(&arena, ctx, "nil", tv_null(&arena));
	tv_set(&arena, ctx, "e", tv_list(&arena));
	tv_set_str(&arena, ctx, "s", "");
	tv_set_str(&arena, ctx, "name", "self");
	tv_set_str(&arena, ctx, "pname", "p");
	list = tv_list(&arena);
	tv_push(&arena, list, item("a\nb", 1));
	tv_push(&arena, list, item("c", 2));
	tv_push(&arena, list, tv_string(&arena, "str"));
	tv_set(&arena, ctx, "list", list);
	inner = item("inner", 3);
	tv_set(&arena, inner, "o", item("deep", 4));
	tv_set(&arena, ctx, "o", inner);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tmpl_set *set;
	struct tmpl_error err;
	struct buf out;
	size_t i;

	if (ctx == NULL)
		init();
	set = tmpl_set_new();
	tmpl_set_max_steps(set, 5000);
	for (i = 0; i < sizeof(partials) / sizeof(partials[0]); i++)
		if (tmpl_set_add(set, partials[i].name, partials[i].src,
			strlen(partials[i].src), &err) == -1)
			abort();
	if (tmpl_set_add(set, "self", (const char *)data, size, &err) == 0) {
		buf_init(&out);
		tmpl_render(set, "self", ctx, &out);
		tmpl_render(set, "child", ctx, &out);
		tmpl_render(set, "heir", ctx, &out);
		buf_free(&out);
	} else if (err.line < 1 || err.reason[0] == '\0' ||
	    memchr(err.reason, '\0', sizeof(err.reason)) == NULL)
		abort();
	tmpl_set_free(set);
	return 0;
}
