/*
 * Bar charts as inline SVG, drawn on the server (the site has no
 * scripts): one bar per value along the x axis, each a <rect> with a
 * <title> saying its label and value; a value of 0 is a slot with no
 * bar. The y axis runs from 0 to a round number at or above the largest
 * value, with grid lines and their numbers as text; some slots get their
 * label under the axis, as many as fit.
 *
 * The SVG has role="img" and is labelled by its own <title> and <desc>,
 * which the caller writes as a summary; a chart is a picture, so the page
 * also gives the same numbers as a table, for screen readers and text
 * browsers.
 *
 * The result is meant to go into a page unescaped ({{{chart}}}), so it
 * is built only from fixed strings, numbers and the caller's texts
 * passed through tmpl_escape(). Keep it that way.
 */
#ifndef TESSERA_BAR_CHART_H
#define TESSERA_BAR_CHART_H

#include <stddef.h>

struct arena;

/* Most slots one chart draws. */
#define BAR_CHART_MAX_BARS 400

/* The drawing's coordinates (its viewBox), for the tests. */
#define BAR_CHART_WIDTH 480
#define BAR_CHART_HEIGHT 240
#define BAR_CHART_PLOT_TOP 16
#define BAR_CHART_PLOT_BOTTOM 204

struct bar_chart_bar {
	const char *label;    /* under the axis and in the bar's title */
	long long value;      /* 0 or more; 0 draws no bar */
};

struct bar_chart {
	const char *id;       /* unique in the page: ids of title and desc */
	const char *title;    /* what the chart shows, e.g. "Tickets sold per day" */
	const char *desc;     /* its summary in words */
	const char *unit;     /* after a bar's value: "tickets" */
	const char *unit_one; /* after a value of 1: "ticket" */
	const struct bar_chart_bar *bars;
	size_t nbars;
};

/*
 * The chart as an arena-owned <svg> element. Returns NULL when it has no
 * slots or more than BAR_CHART_MAX_BARS, or a value below 0.
 */
char *bar_chart_svg(struct arena *a, const struct bar_chart *chart);

#endif
