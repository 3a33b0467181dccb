#include "bar_chart.h"

#include <limits.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "tmpl.h"

/* The plot inside the viewBox; the margins hold the axes' numbers. */
#define PLOT_LEFT 48
#define PLOT_RIGHT (BAR_CHART_WIDTH - 12)
#define PLOT_TOP BAR_CHART_PLOT_TOP
#define PLOT_BOTTOM BAR_CHART_PLOT_BOTTOM
/* Labels under the axis: more would run into each other. */
#define MAX_X_LABELS 8
/* The widest bar, in tenths: a chart of one or two days is not a block. */
#define MAX_BAR_WIDTH 400
#define FONT_SIZE 13

#define INK "#1d1d1f"
#define GRID "#d8d4cc"
#define BAR "#8a3b12"

/* Coordinates are counted in tenths of a unit, so that hundreds of
 * slots still land where they belong, and written as "12.5". */
static void
put_tenths(struct buf *out, long long t)
{
	buf_printf(out, "%lld.%lld", t / 10, t % 10);
}

static void
put_text(struct buf *out, const char *s)
{
	tmpl_escape(out, s, strlen(s));
}

/* The top of the y axis: the smallest of 1, 2, 3, 4, 5, 6 or 8 times a
 * power of ten at or above max, so that the numbers on the axis are
 * round and the tallest bar fills at least three quarters of it. */
static long long
axis_top(long long max)
{
	static const int steps[] = { 1, 2, 3, 4, 5, 6, 8 };

	for (long long p = 1; p <= LLONG_MAX / 10; p *= 10)
		for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
			if (max <= steps[i] * p)
				return steps[i] * p;
	return max;
}

/* The height in tenths of value on an axis up to top. */
static long long
bar_height(long long value, long long top)
{
	long long plot = (PLOT_BOTTOM - PLOT_TOP) * 10;
	long long h = (long long)((double)value * (double)plot / (double)top +
	    0.5);

	/* A slot with any value shows a bar, however small beside the rest. */
	return h < 10 ? 10 : h > plot ? plot : h;
}

/* A grid line at value v, with its number beside the axis. */
static void
grid_line(struct buf *out, long long v, long long top)
{
	long long y = PLOT_BOTTOM * 10 - (v == 0 ? 0 : bar_height(v, top));

	buf_printf(out, "<line x1=\"%d\" x2=\"%d\" y1=\"", PLOT_LEFT,
	    PLOT_RIGHT);
	put_tenths(out, y);
	buf_puts(out, "\" y2=\"");
	put_tenths(out, y);
	buf_printf(out, "\" stroke=\"%s\"/><text x=\"%d\" y=\"", v == 0 ? INK :
	    GRID, PLOT_LEFT - 6);
	put_tenths(out, y + 40);
	buf_printf(out, "\" text-anchor=\"end\">%lld</text>", v);
}

char *
bar_chart_svg(struct arena *a, const struct bar_chart *c)
{
	long long max = 0, top, slot10, step;
	struct buf out;
	char *svg;

	if (c->nbars == 0 || c->nbars > BAR_CHART_MAX_BARS)
		return NULL;
	for (size_t i = 0; i < c->nbars; i++) {
		if (c->bars[i].value < 0)
			return NULL;
		if (c->bars[i].value > max)
			max = c->bars[i].value;
	}
	top = axis_top(max);
	slot10 = (PLOT_RIGHT - PLOT_LEFT) * 10;
	step = ((long long)c->nbars + MAX_X_LABELS - 1) / MAX_X_LABELS;

	/* From here to the end: fixed strings, numbers and escaped text
	 * only. This is what lets templates insert it unescaped. */
	buf_init(&out);
	buf_printf(&out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"bar-chart\" viewBox=\"0 0 %d %d\" width=\"%d\" "
	    "height=\"%d\" role=\"img\" aria-labelledby=\"", BAR_CHART_WIDTH,
	    BAR_CHART_HEIGHT, BAR_CHART_WIDTH, BAR_CHART_HEIGHT);
	put_text(&out, c->id);
	buf_puts(&out, "-title ");
	put_text(&out, c->id);
	buf_puts(&out, "-desc\"><title id=\"");
	put_text(&out, c->id);
	buf_puts(&out, "-title\">");
	put_text(&out, c->title);
	buf_puts(&out, "</title><desc id=\"");
	put_text(&out, c->id);
	buf_puts(&out, "-desc\">");
	put_text(&out, c->desc);
	buf_puts(&out, "</desc>");

	/* The y axis: 0, the middle when it is a whole number, the top. */
	buf_printf(&out, "<g font-size=\"%d\" fill=\"%s\">", FONT_SIZE, INK);
	if (top % 2 == 0)
		grid_line(&out, top / 2, top);
	grid_line(&out, top, top);
	grid_line(&out, 0, top);
	/* The x axis: every step-th slot's label, under its middle. */
	for (size_t i = 0; i < c->nbars; i += (size_t)step) {
		long long mid = PLOT_LEFT * 10 + (slot10 * (long long)i +
		    slot10 / 2) / (long long)c->nbars;

		buf_puts(&out, "<text x=\"");
		put_tenths(&out, mid);
		buf_printf(&out, "\" y=\"%d\" text-anchor=\"middle\">",
		    PLOT_BOTTOM + 18);
		put_text(&out, c->bars[i].label);
		buf_puts(&out, "</text>");
	}
	buf_puts(&out, "</g>");

	/* One rect per slot with a value, 70% of the slot wide at most. */
	buf_printf(&out, "<g fill=\"%s\">", BAR);
	for (size_t i = 0; i < c->nbars; i++) {
		long long x0 = slot10 * (long long)i / (long long)c->nbars;
		long long x1 = slot10 * (long long)(i + 1) / (long long)c->nbars;
		long long h, w = (x1 - x0) * 7 / 10;

		if (w > MAX_BAR_WIDTH)
			w = MAX_BAR_WIDTH;
		if (c->bars[i].value == 0)
			continue;
		h = bar_height(c->bars[i].value, top);
		buf_puts(&out, "<rect x=\"");
		put_tenths(&out, PLOT_LEFT * 10 + x0 + (x1 - x0 - w) / 2);
		buf_puts(&out, "\" y=\"");
		put_tenths(&out, PLOT_BOTTOM * 10 - h);
		buf_puts(&out, "\" width=\"");
		put_tenths(&out, w > 0 ? w : 1);
		buf_puts(&out, "\" height=\"");
		put_tenths(&out, h);
		buf_puts(&out, "\"><title>");
		put_text(&out, c->bars[i].label);
		buf_printf(&out, ": %lld ", c->bars[i].value);
		put_text(&out, c->bars[i].value == 1 ? c->unit_one : c->unit);
		buf_puts(&out, "</title></rect>");
	}
	buf_puts(&out, "</g></svg>");

	svg = arena_strndup(a, out.data, out.len);
	buf_free(&out);
	return svg;
}
