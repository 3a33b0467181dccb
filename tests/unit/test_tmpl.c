/*
 * Unit tests of the template engine beyond the mustache spec: escaping,
 * number formatting, the value API, compile errors, loading a directory,
 * page layouts by inheritance and the nesting and work limits.
 */
#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "arena.h"
#include "buf.h"
#include "tap.h"
#include "tmpl.h"

static struct arena arena;

/* Compiles src as template "t" of a new set and renders it with ctx.
 * Returns the arena-owned output, or a marker saying what failed. */
static const char *
render(const char *src, const struct tmpl_value *ctx)
{
	struct tmpl_set *set = tmpl_set_new();
	struct tmpl_error err;
	struct buf out;
	const char *res;

	buf_init(&out);
	if (tmpl_set_add(set, "t", src, strlen(src), &err) == -1)
		res = arena_printf(
		    &arena, "<compile error %d: %s>", err.line, err.reason);
	else if (tmpl_render(set, "t", ctx, &out) == -1)
		res = "<render error>";
	else
		res = arena_strdup(&arena, out.data);
	buf_free(&out);
	tmpl_set_free(set);
	return res;
}

/* Compiles src, which must fail; returns the error line, reason in err. */
static int
compile_error(const char *src, struct tmpl_error *err)
{
	struct tmpl_set *set = tmpl_set_new();
	int rc;

	rc = tmpl_set_add(set, "bad", src, strlen(src), err);
	tmpl_set_free(set);
	return rc == -1 ? err->line : -1;
}

static void
test_escaping(void)
{
	struct tmpl_value *ctx = tv_object(&arena);
	struct buf b;

	tv_set_str(&arena, ctx, "x", "a & b < c > d \" e ' f");
	is_str(render("{{x}}", ctx), "a &amp; b &lt; c &gt; d &quot; e &#39; f",
	    "{{x}} escapes");
	is_str(
	    render("{{{x}}}", ctx), "a & b < c > d \" e ' f", "{{{x}}} is raw");
	is_str(
	    render("{{&x}}", ctx), "a & b < c > d \" e ' f", "{{&x}} is raw");
	is_str(render("<p title=\"{{x}}\">", ctx),
	    "<p title=\"a &amp; b &lt; c &gt; d &quot; e &#39; f\">",
	    "escaped value is safe in an attribute");
	is_str(render("<b>&amp;</b>", NULL), "<b>&amp;</b>",
	    "template text is not escaped");

	buf_init(&b);
	tmpl_escape(&b, "a\0<'", 4);
	ok(b.len == 11 && memcmp(b.data, "a\0&lt;&#39;", 11) == 0,
	    "tmpl_escape keeps NUL bytes and counts by length");
	buf_reset(&b);
	tmpl_escape(&b, "plain text", 10);
	is_str(b.data, "plain text", "tmpl_escape leaves plain text alone");
	buf_free(&b);
}

static void
test_numbers(void)
{
	struct {
		struct tmpl_value *v;
		const char *want;
	} cases[] = {
	    {tv_int(&arena, 42), "42"},
	    {tv_int(&arena, -7), "-7"},
	    {tv_int(&arena, LLONG_MAX), "9223372036854775807"},
	    {tv_number(&arena, 1.21), "1.21"},
	    {tv_number(&arena, 3.0), "3"},
	    {tv_number(&arena, -0.0), "0"},
	    {tv_number(&arena, 0.1), "0.1"},
	    {tv_number(&arena, -2.5), "-2.5"},
	    {tv_number(&arena, 0.1 + 0.2), "0.30000000000000004"},
	    {tv_number(&arena, 1e20), "1e+20"},
	    {tv_number(&arena, 123456789012.0), "123456789012"},
	    {tv_number(&arena, 12.5), "12.5"},
	    {tv_number(&arena, -0.000001), "-0.000001"},
	    {tv_number(&arena, 999999999.999999), "999999999.999999"},
	    {tv_number(&arena, 1234567890.5), "1234567890.5"},
	    {tv_number(&arena, 1.0 / 3), "0.3333333333333333"},
	    {tv_number(&arena, 1e-7), "1e-07"},
	    {tv_int(&arena, LLONG_MIN), "-9223372036854775808"},
	    {tv_bool(&arena, 1), "true"},
	    {tv_bool(&arena, 0), "false"},
	    {tv_null(&arena), ""},
	    {tv_list(&arena), ""},
	    {tv_object(&arena), ""},
	};
	struct tmpl_value *ctx;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ctx = tv_object(&arena);
		tv_set(&arena, ctx, "n", cases[i].v);
		is_str(render("{{n}}", ctx), cases[i].want,
		    "number and scalar formatting, case %zu", i);
	}
}

static void
test_names(void)
{
	struct tmpl_value *ctx = tv_object(&arena);
	struct tmpl_value *event = tv_object(&arena);
	struct tmpl_value *venue = tv_object(&arena);

	tv_set_str(&arena, venue, "city", "Lyon");
	tv_set(&arena, event, "venue", venue);
	tv_set_str(&arena, event, "title", "Jazz");
	tv_set(&arena, ctx, "event", event);
	tv_set_str(&arena, ctx, "title", "Site");
	tv_set_str(&arena, ctx, "city", "Paris");

	is_str(render("{{event.venue.city}}", ctx), "Lyon", "dotted name");
	is_str(render("[{{event.nope.city}}]", ctx), "[]", "broken chain");
	is_str(render("{{#event}}{{title}} in {{city}}{{/event}}", ctx),
	    "Jazz in Paris", "names fall back along the context stack");
	is_str(render("{{#event}}[{{venue.title}}]{{/event}}", ctx), "[]",
	    "later parts resolve only against the earlier value");
	is_str(render("{{ event.title }}", ctx), "Jazz", "padding in tags");

	tv_set_str(&arena, ctx, "title", "Home");
	is_str(render("{{title}}", ctx), "Home", "tv_set replaces a value");
	is_int(tv_len(ctx), 3, "replacing keeps the key count");
	tv_set(&arena, ctx, "gone", NULL);
	is_str(render("[{{gone}}]{{^gone}}none{{/gone}}", ctx), "[]none",
	    "a NULL value is null");
	tv_set(&arena, ctx, "s", tv_string(&arena, NULL));
	is_str(
	    render("{{^s}}no s{{/s}}", ctx), "no s", "tv_string(NULL) is null");
	tv_set(&arena, ctx, "c", tv_string_copy(&arena, "copied"));
	tv_set(&arena, ctx, "n", tv_stringn(&arena, "abcdef", 3));
	is_str(render("{{c}} {{n}}", ctx), "copied abc",
	    "copied and counted strings");
}

static void
test_sections(void)
{
	struct tmpl_value *ctx = tv_object(&arena);
	struct tmpl_value *list = tv_list(&arena), *item;
	struct tmpl_value *tags = tv_list(&arena);
	int i;

	for (i = 1; i <= 3; i++) {
		item = tv_object(&arena);
		tv_set_int(&arena, item, "n", i);
		tv_push(&arena, list, item);
	}
	tv_push(&arena, tags, tv_string(&arena, "<a>"));
	tv_push(&arena, tags, tv_string(&arena, "b"));
	tv_set(&arena, ctx, "list", list);
	tv_set(&arena, ctx, "tags", tags);
	tv_set(&arena, ctx, "empty", tv_list(&arena));
	tv_set_bool(&arena, ctx, "yes", 1);
	tv_set_bool(&arena, ctx, "no", 0);
	tv_set_str(&arena, ctx, "blank", "");
	tv_set_int(&arena, ctx, "zero", 0);
	tv_set_str(&arena, ctx, "label", "L");
	tv_set(&arena, ctx, "obj", tv_object(&arena));
	is_int(tv_len(list), 3, "tv_len of a list");
	is_int(tv_len(tv_int(&arena, 3)), 0, "tv_len of a scalar");

	is_str(render("{{#list}}<{{n}}{{label}}>{{/list}}", ctx),
	    "<1L><2L><3L>", "section over a list of objects");
	is_str(render("{{#tags}}[{{.}}]{{/tags}}", ctx), "[&lt;a&gt;][b]",
	    "implicit iterator over strings, escaped");
	is_str(render("{{#empty}}x{{/empty}}{{^empty}}none{{/empty}}", ctx),
	    "none", "empty list is falsey");
	is_str(render("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}!N{{/no}}", ctx),
	    "Y!N", "booleans");
	is_str(render("{{#blank}}x{{/blank}}{{^blank}}blank{{/blank}}", ctx),
	    "blank", "empty string is falsey");
	is_str(render("{{#zero}}{{.}} is truthy{{/zero}}", ctx), "0 is truthy",
	    "zero is truthy");
	is_str(render("{{#obj}}obj{{/obj}}", ctx), "obj",
	    "empty object is truthy");
	is_str(
	    render("{{#missing}}x{{/missing}}{{^missing}}m{{/missing}}", ctx),
	    "m", "missing is falsey");
	is_str(render("{{#label}}{{.}}{{label}}{{/label}}", ctx), "LL",
	    "a string section pushes the string");
	is_str(render("<ul>\n{{#list}}\n  <li>{{n}}</li>\n{{/list}}\n</ul>\n",
		   ctx),
	    "<ul>\n  <li>1</li>\n  <li>2</li>\n  <li>3</li>\n</ul>\n",
	    "standalone section lines disappear");
	is_str(render("{{=<% %>=}}<%#yes%>[<%label%>]<%/yes%>{{label}}", ctx),
	    "[L]{{label}}", "set delimiters");
}

static void
test_compile_errors(void)
{
	struct tmpl_error err;
	struct tmpl_set *set;
	struct buf out;

	is_int(compile_error("a\nb\n{{#items}}\nx\n", &err), 3,
	    "unclosed section: line of its open tag");
	ok(strstr(err.reason, "unclosed section \"items\"") != NULL,
	    "unclosed section: reason (%s)", err.reason);
	is_str(err.file, "bad", "error names the template");

	is_int(compile_error("{{#a}}\n{{#b}}\n{{/a}}\n", &err), 3,
	    "mismatched close: line of the close tag");
	ok(strstr(err.reason, "\"a\" does not match section \"b\"") != NULL,
	    "mismatched close: reason (%s)", err.reason);

	is_int(
	    compile_error("x\n\n{{/a}}", &err), 3, "close without open: line");
	ok(strstr(err.reason, "without an open section") != NULL,
	    "close without open: reason (%s)", err.reason);

	is_int(compile_error("ok\n{{! a\ncomment }}\nhello {{name\n", &err), 4,
	    "unclosed tag: line, after a multi-line comment");
	ok(strstr(err.reason, "unclosed tag") != NULL,
	    "unclosed tag: reason (%s)", err.reason);
	is_int(compile_error("{{{name}}", &err), 1, "unclosed triple mustache");

	is_int(compile_error("\n{{=<% %> x=}}", &err), 2,
	    "bad delimiter (three parts): line");
	is_str(
	    err.reason, "invalid set-delimiter tag", "bad delimiter: reason");
	is_int(compile_error("{{= =}}", &err), 1, "bad delimiter (empty)");
	is_int(compile_error("{{=a=b c=}}", &err), 1,
	    "bad delimiter (contains =)");
	is_int(
	    compile_error("{{=<%%>=}}", &err), 1, "bad delimiter (one part)");

	is_int(compile_error("a\n{{}}", &err), 2, "empty name: line");
	is_str(err.reason, "empty tag name", "empty name: reason");
	is_int(compile_error("{{# }}{{/ }}", &err), 1, "empty section name");
	is_int(compile_error("{{>}}", &err), 1, "empty partial name");
	is_int(compile_error("{{a b}}", &err), 1, "name with a space");
	ok(strstr(err.reason, "invalid tag name \"a b\"") != NULL,
	    "invalid name: reason (%s)", err.reason);
	is_int(compile_error("{{a..b}}", &err), 1, "name with empty part");
	is_int(compile_error("{{.a}}", &err), 1, "name starting with a dot");

	is_int(compile_error("{{<page}}\n{{title}}\n{{/page}}", &err), 2,
	    "variable directly inside a parent call");
	ok(strstr(err.reason, "only blocks") != NULL,
	    "tag in parent call: reason (%s)", err.reason);

	set = tmpl_set_new();
	buf_init(&out);
	ok(tmpl_set_add(set, "p", "good", 4, &err) == 0, "good template");
	ok(tmpl_set_add(set, "p", "{{#x}}", 6, &err) == -1,
	    "bad replacement refused");
	ok(tmpl_render(set, "p", NULL, &out) == 0 &&
		strcmp(out.data, "good") == 0,
	    "a failed add leaves the old template in place");
	buf_reset(&out);
	ok(tmpl_set_add(set, "p", "better", 6, &err) == 0 &&
		tmpl_render(set, "p", NULL, &out) == 0 &&
		strcmp(out.data, "better") == 0,
	    "a good add replaces it");
	buf_reset(&out);
	ok(tmpl_render(set, "nope", NULL, &out) == -1,
	    "rendering an unknown template fails");
	ok(tmpl_set_add(set, "empty", "", 0, &err) == 0 &&
		tmpl_render(set, "empty", NULL, &out) == 0 && out.len == 0 &&
		out.data != NULL && out.data[0] == '\0',
	    "empty template renders an empty string");
	buf_free(&out);
	tmpl_set_free(set);
}

static int
write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	rc = fputs(text, f) == EOF ? -1 : 0;
	if (fclose(f) == EOF)
		rc = -1;
	return rc;
}

static void
remove_file(const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

static const char layout_src[] = "<!doctype html>\n"
				 "<title>{{$title}}Tessera{{/title}}</title>\n"
				 "<main>\n"
				 "  {{$body}}\n"
				 "  <p>Nothing here.</p>\n"
				 "  {{/body}}\n"
				 "</main>\n"
				 "{{>footer}}\n";

static const char page_src[] = "{{<layout}}\n"
			       "{{! The event page. }}\n"
			       "{{$title}}{{event.title}} | Tessera{{/title}}\n"
			       "{{$body}}\n"
			       "<h1>{{event.title}}</h1>\n"
			       "{{#event.tickets}}\n"
			       "{{>ticket}}\n"
			       "{{/event.tickets}}\n"
			       "{{/body}}\n"
			       "{{/layout}}\n";

static const char page_want[] = "<!doctype html>\n"
				"<title>Rock &amp; Roll | Tessera</title>\n"
				"<main>\n"
				"  <h1>Rock &amp; Roll</h1>\n"
				"  <p>\n"
				"    Early: 10\n"
				"  </p>\n"
				"  <p>\n"
				"    Late: 12.5\n"
				"  </p>\n"
				"</main>\n"
				"<footer>Tessera</footer>\n";

static struct tmpl_value *
event_ctx(void)
{
	struct tmpl_value *ctx = tv_object(&arena);
	struct tmpl_value *event = tv_object(&arena);
	struct tmpl_value *tickets = tv_list(&arena), *t;

	tv_set_str(&arena, event, "title", "Rock & Roll");
	t = tv_object(&arena);
	tv_set_str(&arena, t, "name", "Early");
	tv_set_int(&arena, t, "price", 10);
	tv_push(&arena, tickets, t);
	t = tv_object(&arena);
	tv_set_str(&arena, t, "name", "Late");
	tv_set(&arena, t, "price", tv_number(&arena, 12.5));
	tv_push(&arena, tickets, t);
	tv_set(&arena, event, "tickets", tickets);
	tv_set(&arena, ctx, "event", event);
	return ctx;
}

static void
test_load_dir_and_layout(void)
{
	char dir[] = "/tmp/test_tmpl.XXXXXX";
	struct tmpl_set *set;
	struct tmpl_error err;
	struct buf out;
	size_t n;
	int rc;

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	ok(write_file(dir, "layout.mustache", layout_src) == 0 &&
		write_file(dir, "page.mustache", page_src) == 0 &&
		write_file(dir, "ticket.mustache",
		    "<p>\n  {{name}}: {{price}}\n</p>\n") == 0 &&
		write_file(dir, "footer.mustache",
		    "<footer>Tessera</footer>\n") == 0 &&
		write_file(dir, "empty.mustache", "{{<layout}}{{/layout}}\n") ==
		    0 &&
		write_file(dir, "notes.txt", "{{#not a template") == 0 &&
		write_file(dir, ".hidden.mustache", "{{#broken") == 0,
	    "template directory written");

	set = tmpl_set_new();
	buf_init(&out);
	rc = tmpl_set_load_dir(set, dir, &err);
	ok(rc == 0, "directory loads, other files ignored");
	if (rc == -1)
		printf("#   %s:%d: %s\n", err.file, err.line, err.reason);
	ok(tmpl_render(set, "page", event_ctx(), &out) == 0, "page renders");
	is_str(out.data, page_want,
	    "page fills the layout's blocks, indented like the layout");
	buf_reset(&out);
	ok(tmpl_render(set, "empty", event_ctx(), &out) == 0 &&
		strstr(out.data, "<title>Tessera</title>") != NULL &&
		strstr(out.data, "\n  <p>Nothing here.</p>\n") != NULL,
	    "blocks not overridden keep their defaults");
	buf_reset(&out);
	ok(tmpl_render(set, "ticket", NULL, &out) == 0 &&
		strcmp(out.data, "<p>\n  : \n</p>\n") == 0,
	    "partials are templates of their own");
	tmpl_set_free(set);

	ok(write_file(dir, "broken.mustache",
	       "<ul>\n{{#events}}\n<li>{{title}}</li>\n{{/event}}\n</ul>\n") ==
		0,
	    "broken template written");
	set = tmpl_set_new();
	ok(tmpl_set_load_dir(set, dir, &err) == -1, "broken template fails");
	n = strlen(err.file);
	ok(n > 16 && strcmp(err.file + n - 16, "/broken.mustache") == 0,
	    "error names the file (%s)", err.file);
	is_int(err.line, 4, "error line");
	ok(strstr(err.reason,
	       "does not match section \"events\" opened on "
	       "line 2") != NULL,
	    "error reason (%s)", err.reason);
	tmpl_set_free(set);

	set = tmpl_set_new();
	ok(tmpl_set_load_dir(set, "/nonexistent/templates", &err) == -1 &&
		err.line == 0 &&
		strcmp(err.file, "/nonexistent/templates") == 0,
	    "missing directory fails (%s)", err.reason);
	tmpl_set_free(set);
	buf_free(&out);

	remove_file(dir, "layout.mustache");
	remove_file(dir, "page.mustache");
	remove_file(dir, "ticket.mustache");
	remove_file(dir, "footer.mustache");
	remove_file(dir, "empty.mustache");
	remove_file(dir, "notes.txt");
	remove_file(dir, ".hidden.mustache");
	remove_file(dir, "broken.mustache");
	rmdir(dir);
}

/* Adds src as template name; the tests below know their sources compile. */
static void
add(struct tmpl_set *set, const char *name, const char *src)
{
	struct tmpl_error err;

	if (tmpl_set_add(set, name, src, strlen(src), &err) == -1)
		printf("# %s:%d: %s\n", err.file, err.line, err.reason);
}

static void
test_partials(void)
{
	struct tmpl_set *set = tmpl_set_new();
	struct tmpl_value *ctx = tv_object(&arena);
	struct buf out;
	const char *item = "<li>{{name}}</li>";

	buf_init(&out);
	tv_set_str(&arena, ctx, "kind", "item");
	tv_set_str(&arena, ctx, "name", "x");
	add(set, "item", item);
	add(set, "t", "a{{>nope}}b{{<gone}}{{$x}}y{{/x}}{{/gone}}c");
	ok(tmpl_render(set, "t", ctx, &out) == 0, "missing partial: ok");
	is_str(out.data, "abc", "missing partial and parent render empty");
	buf_reset(&out);
	add(set, "d", "{{>*kind}}|{{>*name}}|{{>*none}}");
	ok(tmpl_render(set, "d", ctx, &out) == 0 &&
		strcmp(out.data, "<li>x</li>||") == 0,
	    "dynamic partial names (%s)", out.data);
	buf_free(&out);
	tmpl_set_free(set);
}

/* "{{#a}}" n times, then "x", then "{{/a}}" n times. */
static char *
nested(int n)
{
	struct buf b;
	int i;

	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_puts(&b, "{{#a}}");
	buf_puts(&b, "x");
	for (i = 0; i < n; i++)
		buf_puts(&b, "{{/a}}");
	return b.data;
}

static void
test_limits(void)
{
	struct tmpl_set *set = tmpl_set_new();
	struct tmpl_value *ctx = tv_object(&arena), *node, *kids;
	struct tmpl_error err;
	struct buf out;
	char *src;
	int i;

	buf_init(&out);
	tv_set_bool(&arena, ctx, "a", 1);

	src = nested(TMPL_MAX_DEPTH);
	is_str(
	    render(src, ctx), "x", "%d nested sections render", TMPL_MAX_DEPTH);
	free(src);
	src = nested(TMPL_MAX_DEPTH + 1);
	is_int(compile_error(src, &err), 1, "%d nested sections refused",
	    TMPL_MAX_DEPTH + 1);
	ok(strstr(err.reason, "nested more than 64 deep") != NULL,
	    "nesting reason (%s)", err.reason);
	free(src);

	add(set, "self", "x{{>self}}");
	ok(tmpl_render(set, "self", ctx, &out) == -1,
	    "self-including partial is cut and reported");
	is_int(out.len, TMPL_MAX_DEPTH + 1, "it stops after %d levels",
	    TMPL_MAX_DEPTH);
	buf_reset(&out);

	add(set, "mutual", "{{<self}}{{/self}}");
	ok(tmpl_render(set, "mutual", ctx, &out) == -1,
	    "recursion through a parent is cut");
	buf_reset(&out);

	add(set, "twice", "{{>twice}}{{>twice}}");
	tmpl_set_max_steps(set, 100000);
	ok(tmpl_render(set, "twice", ctx, &out) == -1,
	    "exponential recursion stops at the step cap");
	buf_reset(&out);
	tmpl_set_max_steps(set, TMPL_MAX_STEPS);

	/* A tree 30 levels deep renders through a recursive partial (each
	 * level is a section and a partial, two levels of nesting). */
	node = NULL;
	for (i = 30; i > 0; i--) {
		struct tmpl_value *n = tv_object(&arena);

		kids = tv_list(&arena);
		if (node != NULL)
			tv_push(&arena, kids, node);
		tv_set_int(&arena, n, "id", i);
		tv_set(&arena, n, "kids", kids);
		node = n;
	}
	add(set, "node", "{{id}}({{#kids}}{{>node}}{{/kids}})");
	ok(tmpl_render(set, "node", node, &out) == 0, "recursive data renders");
	ok(strncmp(out.data, "1(2(3(", 6) == 0 && out.data[out.len - 1] == ')',
	    "recursive output");
	buf_free(&out);
	tmpl_set_free(set);
}

static void
test_json(void)
{
	struct json_object *obj = json_tokener_parse(
	    "{\"a\": [1, 2.5, \"<x>\", true, null, {\"k\": \"v\"}],"
	    " \"s\": \"caf\\u00e9\"}");
	struct tmpl_value *v = tmpl_json_to_value(&arena, obj);

	json_object_put(obj);
	is_str(render("{{#a}}[{{.}}{{k}}]{{/a}} {{s}}", v),
	    "[1][2.5][&lt;x&gt;][true][][v] caf\xc3\xa9",
	    "JSON values convert, strings copied");
	ok(tmpl_json_to_value(&arena, NULL) != NULL, "JSON null converts");
}

int
main(void)
{
	arena_init(&arena, 0);
	test_escaping();
	test_numbers();
	test_names();
	test_sections();
	test_compile_errors();
	test_load_dir_and_layout();
	test_partials();
	test_limits();
	test_json();
	arena_free(&arena);
	return done_testing();
}
