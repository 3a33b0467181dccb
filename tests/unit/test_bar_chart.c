/*
 * Unit tests for bar_chart.c. The SVG is read back by a small strict
 * reader of XML (elements nested and closed, attributes quoted, only the
 * five entities tmpl_escape writes): one <rect> per slot with a value,
 * none for the zeros, heights in proportion on an axis up to a round
 * number, the labels as text, role="img" labelled by its own title and
 * desc; no chart without slots or with too many; and every naughty
 * string as title, summary, label and units comes back intact as text,
 * leaving the drawing well-formed.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bar_chart.h"
#include "buf.h"
#include "tap.h"
#include "blns.h"

static struct arena arena;
#define A (&arena)

#define MAX_RECTS BAR_CHART_MAX_BARS

/* What the reader found in one SVG. */
struct svg {
	int well_formed;
	int rects, texts, titles;
	double rect_height[MAX_RECTS];
	double rect_y[MAX_RECTS];
	struct buf title;      /* the text of the first <title>, decoded */
	struct buf desc;
	char root_attrs[512];  /* the <svg> tag's attributes, as written */
};

/* Appends text[0..n) to out with its entities decoded; -1 when it holds
 * an entity tmpl_escape does not write, or a bare < or >. */
static int
decode(struct buf *out, const char *p, size_t n)
{
	static const char *const ents[][2] = {
		{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
		{ "&quot;", "\"" }, { "&#39;", "'" },
	};
	const char *end = p + n;

	while (p < end) {
		size_t i;

		if (*p == '<' || *p == '>')
			return -1;
		if (*p != '&') {
			if (out != NULL)
				buf_putc(out, *p);
			p++;
			continue;
		}
		for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++)
			if ((size_t)(end - p) >= strlen(ents[i][0]) &&
			    strncmp(p, ents[i][0], strlen(ents[i][0])) == 0)
				break;
		if (i == sizeof(ents) / sizeof(ents[0]))
			return -1;
		if (out != NULL)
			buf_puts(out, ents[i][1]);
		p += strlen(ents[i][0]);
	}
	return 0;
}

/* The number in attribute name of a tag's attributes, or -1. */
static double
attr_number(const char *attrs, size_t n, const char *name)
{
	char key[32];
	const char *p;

	snprintf(key, sizeof(key), " %s=\"", name);
	p = strstr(attrs, key);
	if (p == NULL || (size_t)(p - attrs) >= n)
		return -1;
	return strtod(p + strlen(key), NULL);
}

/* Reads s into *v; v->well_formed says whether it was. */
static void
read_svg(const char *s, struct svg *v)
{
	const char *stack[32], *p = s;
	size_t stack_len[32];
	int depth = 0, in_title = 0, in_desc = 0, seen_title = 0;

	memset(v, 0, sizeof(*v));
	buf_init(&v->title);
	buf_init(&v->desc);
	buf_puts(&v->title, "");
	buf_puts(&v->desc, "");
	if (strncmp(s, "<svg ", 5) != 0)
		return;
	while (*p != '\0') {
		const char *lt = strchr(p, '<'), *gt, *name, *q;
		size_t nlen;
		int closing, empty;

		if (lt == NULL)
			return;  /* text after the root */
		if (decode(in_title ? &v->title : in_desc ? &v->desc : NULL, p,
		    (size_t)(lt - p)) != 0)
			return;
		if (lt > p && depth == 0)
			return;
		closing = lt[1] == '/';
		name = lt + 1 + closing;
		nlen = strspn(name, "abcdefghijklmnopqrstuvwxyz");
		if (nlen == 0)
			return;
		/* Attributes: name="value" pairs, values without < or ". */
		for (q = name + nlen;;) {
			if (*q == ' ') {
				q++;
				q += strspn(q, "abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
				if (q[0] != '=' || q[1] != '"')
					return;
				gt = strchr(q + 2, '"');
				if (gt == NULL || decode(NULL, q + 2,
				    (size_t)(gt - q - 2)) != 0)
					return;
				q = gt + 1;
				continue;
			}
			break;
		}
		empty = q[0] == '/' && q[1] == '>';
		if (!(empty || q[0] == '>') || (closing && (empty ||
		    q != name + nlen)))
			return;
		gt = q + (empty ? 1 : 0);
		if (closing) {
			if (depth == 0 || stack_len[depth - 1] != nlen ||
			    strncmp(stack[depth - 1], name, nlen) != 0)
				return;
			depth--;
			if (nlen == 5 && strncmp(name, "title", 5) == 0)
				in_title = 0;
			if (nlen == 4 && strncmp(name, "desc", 4) == 0)
				in_desc = 0;
			p = gt + 1;
			if (depth == 0)
				break;
			continue;
		}
		if (depth == 0 && p != s)
			return;  /* a second root */
		if (depth == 0)
			snprintf(v->root_attrs, sizeof(v->root_attrs), "%.*s",
			    (int)(q - name - nlen), name + nlen);
		if (nlen == 4 && strncmp(name, "rect", 4) == 0) {
			if (v->rects == MAX_RECTS)
				return;
			v->rect_height[v->rects] = attr_number(name + nlen,
			    (size_t)(q - name - nlen), "height");
			v->rect_y[v->rects] = attr_number(name + nlen,
			    (size_t)(q - name - nlen), "y");
			v->rects++;
		}
		if (nlen == 4 && strncmp(name, "text", 4) == 0)
			v->texts++;
		if (nlen == 5 && strncmp(name, "title", 5) == 0) {
			v->titles++;
			in_title = !seen_title;
			seen_title = 1;
		}
		if (nlen == 4 && strncmp(name, "desc", 4) == 0)
			in_desc = 1;
		if (!empty) {
			if (depth == 32)
				return;
			stack[depth] = name;
			stack_len[depth++] = nlen;
		}
		p = gt + 1;
	}
	v->well_formed = depth == 0 && *p == '\0';
}

static void
svg_free(struct svg *v)
{
	buf_free(&v->title);
	buf_free(&v->desc);
}

static char *
draw(const struct bar_chart_bar *bars, size_t n)
{
	struct bar_chart c = { "sales", "Tickets sold per day",
	    "5 days with sales", "tickets", "ticket", bars, n };

	return bar_chart_svg(A, &c);
}

static void
test_shape(void)
{
	static const struct bar_chart_bar bars[] = {
		{ "1 Dec", 3 }, { "2 Dec", 0 }, { "3 Dec", 1 }, { "4 Dec", 0 },
		{ "5 Dec", 7 },
	};
	double plot = BAR_CHART_PLOT_BOTTOM - BAR_CHART_PLOT_TOP;
	const char *svg = draw(bars, 5);
	struct svg v;

	read_svg(svg ? svg : "", &v);
	ok(v.well_formed, "the chart is well-formed XML");
	is_int(v.rects, 3, "one rect per slot with a value, none for zeros");
	/* An axis up to 8 for a largest value of 7. */
	ok(v.rect_height[0] > plot * 0.374 && v.rect_height[0] < plot * 0.376 &&
	    v.rect_height[2] > plot * 0.874 && v.rect_height[2] < plot * 0.876,
	    "heights in proportion, on an axis up to a round number (%.1f, "
	    "%.1f of %.1f)", v.rect_height[0], v.rect_height[2], plot);
	ok(v.rect_y[0] + v.rect_height[0] > BAR_CHART_PLOT_BOTTOM - 0.01 &&
	    v.rect_y[0] + v.rect_height[0] < BAR_CHART_PLOT_BOTTOM + 0.01,
	    "bars stand on the axis");
	is_int(v.titles, 4, "a title for the chart and one per bar");
	ok(strstr(svg, "<title>5 Dec: 7 tickets</title>") != NULL &&
	    strstr(svg, "<title>3 Dec: 1 ticket</title>") != NULL,
	    "each bar's title says its label and value");
	ok(strstr(svg, ">1 Dec</text>") && strstr(svg, ">5 Dec</text>") &&
	    strstr(svg, ">0</text>") && strstr(svg, ">8</text>") &&
	    strstr(svg, ">4</text>"), "axis labels are text: days and counts");
	ok(strstr(v.root_attrs, " role=\"img\"") != NULL,
	    "the chart is an image to assistive technology");
	ok(strstr(v.root_attrs, " aria-labelledby=\"sales-title sales-desc\"") &&
	    strstr(svg, "<title id=\"sales-title\">Tickets sold per day</title>") &&
	    strstr(svg, "<desc id=\"sales-desc\">5 days with sales</desc>"),
	    "labelled by its own title and desc");
	svg_free(&v);

	static const struct bar_chart_bar one[] = { { "today", 5 } };
	svg = draw(one, 1);
	read_svg(svg ? svg : "", &v);
	ok(v.well_formed && v.rects == 1 && v.rect_height[0] > plot - 0.01,
	    "a largest value on a round number fills the plot");
	svg_free(&v);

	static const struct bar_chart_bar tiny[] = { { "a", 1000 }, { "b", 1 } };
	svg = draw(tiny, 2);
	read_svg(svg ? svg : "", &v);
	ok(v.rects == 2 && v.rect_height[1] >= 1, "a value far below the "
	    "others still shows a bar (%.1f)", v.rect_height[1]);
	svg_free(&v);
}

static void
test_limits(void)
{
	static struct bar_chart_bar many[BAR_CHART_MAX_BARS + 1];
	static const struct bar_chart_bar neg[] = { { "x", -1 } };
	struct svg v;
	const char *svg;

	ok(draw(many, 0) == NULL, "no slots: no chart");
	for (size_t i = 0; i < BAR_CHART_MAX_BARS + 1; i++) {
		many[i].label = "d";
		many[i].value = (long long)(i % 3);
	}
	ok(draw(many, BAR_CHART_MAX_BARS + 1) == NULL, "too many: no chart");
	ok(draw(neg, 1) == NULL, "a value below zero: no chart");
	svg = draw(many, BAR_CHART_MAX_BARS);
	read_svg(svg ? svg : "", &v);
	ok(v.well_formed, "the most slots make a well-formed chart");
	is_int(v.rects, BAR_CHART_MAX_BARS * 2 / 3, "with a rect per slot with "
	    "a value");
	ok(v.texts <= 8 + 3, "and at most 8 labels under the axis (%d texts)",
	    v.texts);
	svg_free(&v);
}

static void
test_naughty(void)
{
	struct json_object *list = blns_load();
	size_t n, good = 0, shown = 0;

	if (list == NULL)
		return;
	n = json_object_array_length(list);
	for (size_t i = 0; i < n; i++) {
		const char *s = json_object_get_string(
		    json_object_array_get_idx(list, i));
		struct bar_chart_bar bars[2] = { { s, 2 }, { s, 1 } };
		struct bar_chart c = { "chart", s, s, s, s, bars, 2 };
		const char *svg = bar_chart_svg(A, &c);
		struct svg v;

		read_svg(svg ? svg : "", &v);
		if (v.well_formed && v.rects == 2 && strcmp(v.title.data, s) == 0 &&
		    strcmp(v.desc.data, s) == 0)
			good++;
		else if (shown++ < 5)
			printf("# not intact: \"%s\"\n", s);
		svg_free(&v);
		arena_reset(A);
	}
	is_int(good, n, "every naughty string as title, summary, label and "
	    "units leaves the chart well-formed and reads back as it was");
	json_object_put(list);
}

int
main(void)
{
	arena_init(A, 0);
	test_shape();
	test_limits();
	test_naughty();
	arena_free(A);
	return done_testing();
}
