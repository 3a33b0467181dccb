#include <string.h>
#include <time.h>

#include "admin_pages.h"
#include "bar_chart.h"
#include "checkin.h"
#include "dates.h"
#include "events.h"
#include "money.h"
#include "program.h"
#include "sales.h"
#include "tmpl.h"
#include "view_event.h"

/*
 * An event's statistics for its organizer (/admin/events/{id}/stats):
 * per ticket type the seats sold, held and offered and the money its
 * paid orders brought, per currency; the tickets paid per day in the
 * event's own time zone, as a bar chart drawn on the server and as a
 * table with the same numbers (the chart is a picture; the table is
 * what screen readers and text browsers read); and how many of the
 * tickets sold have been checked in.
 */

#define DAY_SECONDS 86400

/* A day number (days since 1970-01-01) as text in format. */
static const char *
day_text(struct arena *a, long long day, const char *fmt)
{
	time_t t = (time_t)(day * DAY_SECONDS);
	struct tm tm;

	gmtime_r(&t, &tm);
	return dates_format(a, &tm, fmt);
}

/* The money of the n revenue rows of type tt (all types when tt is 0),
 * one text per currency, in currency order. */
static struct tmpl_value *
money_list(struct arena *a, const struct sales_revenue *rev, size_t n,
    long long tt)
{
	struct tmpl_value *list = tv_list(a);
	const char *done[64];
	size_t ndone = 0;

	/* Sum by currency; the rows come by type, then currency. */
	for (size_t i = 0; i < n; i++) {
		long long sum = 0;
		int seen = 0;

		if (tt != 0 && rev[i].ticket_type_id != tt)
			continue;
		for (size_t k = 0; k < ndone; k++)
			seen |= strcmp(done[k], rev[i].currency) == 0;
		if (seen || ndone == sizeof(done) / sizeof(done[0]))
			continue;
		done[ndone++] = rev[i].currency;
		for (size_t j = i; j < n; j++)
			if ((tt == 0 || rev[j].ticket_type_id == tt) &&
			    strcmp(rev[j].currency, rev[i].currency) == 0)
				sum += rev[j].amount;
		tv_push(a, list, tv_string(a, money_format(a, sum,
		    rev[i].currency, 0)));
	}
	return list;
}

/* The table of ticket types, with a totals row. */
static void
set_types(struct arena *a, struct tmpl_value *ctx,
    const struct ticket_type *types, size_t n,
    const struct sales_revenue *rev, size_t nrev)
{
	struct tmpl_value *list = tv_list(a), *total = tv_object(a), *revenue;
	long long sold = 0, held = 0, quota = 0;

	for (size_t i = 0; i < n; i++) {
		struct tmpl_value *v = tv_object(a), *revenue;

		tv_set_str(a, v, "name", types[i].name);
		tv_set_str(a, v, "price", view_price(a, types[i].price,
		    types[i].currency));
		tv_set_int(a, v, "sold", types[i].sold);
		tv_set_int(a, v, "held", types[i].held);
		tv_set_int(a, v, "quota", types[i].quota);
		tv_set_int(a, v, "left", events_seats_left(&types[i]));
		revenue = money_list(a, rev, nrev, types[i].id);
		if (tv_len(revenue) == 0)
			tv_push(a, revenue, tv_string(a, money_format(a, 0,
			    types[i].currency, 0)));
		tv_set(a, v, "revenue", revenue);
		tv_push(a, list, v);
		sold += types[i].sold;
		held += types[i].held;
		quota += types[i].quota;
	}
	tv_set_int(a, total, "sold", sold);
	tv_set_int(a, total, "held", held);
	tv_set_int(a, total, "quota", quota);
	revenue = money_list(a, rev, nrev, 0);
	if (tv_len(revenue) == 0 && n > 0)
		tv_push(a, revenue, tv_string(a, money_format(a, 0,
		    types[0].currency, 0)));
	tv_set(a, total, "revenue", revenue);
	tv_set(a, ctx, "types", list);
	tv_set(a, ctx, "total", total);
	tv_set_bool(a, ctx, "has_types", n > 0);
}

/* The days with sales as a table, and as a chart of every day from the
 * first to the last (the latest BAR_CHART_MAX_BARS of them at most). */
static void
set_days(struct arena *a, struct tmpl_value *ctx, const struct sales_day *d,
    size_t n)
{
	struct tmpl_value *list = tv_list(a);
	struct bar_chart_bar *bars;
	struct bar_chart chart;
	long long first, last, total = 0, best = 0;
	size_t nbars, best_i = 0;
	char *svg;

	tv_set_bool(a, ctx, "has_days", n > 0);
	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct tmpl_value *v = tv_object(a);

		tv_set_str(a, v, "date", day_text(a, d[i].day, "%a %-d %b %Y"));
		tv_set_str(a, v, "date_iso", day_text(a, d[i].day, "%Y-%m-%d"));
		tv_set_int(a, v, "tickets", d[i].tickets);
		tv_push(a, list, v);
		total += d[i].tickets;
		if (d[i].tickets > best) {
			best = d[i].tickets;
			best_i = i;
		}
	}
	tv_set(a, ctx, "days", list);
	tv_set_int(a, ctx, "days_total", total);

	last = d[n - 1].day;
	first = d[0].day;
	if (last - first + 1 > BAR_CHART_MAX_BARS)
		first = last - BAR_CHART_MAX_BARS + 1;
	nbars = (size_t)(last - first + 1);
	bars = arena_calloc(a, nbars, sizeof(*bars));
	for (size_t i = 0; i < nbars; i++)
		bars[i].label = day_text(a, first + (long long)i, "%-d %b");
	for (size_t i = 0; i < n; i++)
		if (d[i].day >= first)
			bars[d[i].day - first].value = d[i].tickets;
	chart.id = "sales-chart";
	chart.title = "Tickets paid per day";
	chart.desc = arena_printf(a, "From %s to %s: %lld ticket%s paid on "
	    "%zu day%s%s; the most, %lld, on %s.",
	    day_text(a, first, "%-d %b %Y"), day_text(a, last, "%-d %b %Y"),
	    total, total == 1 ? "" : "s", n, n == 1 ? "" : "s",
	    first > d[0].day ? " (the chart shows the latest days only)" : "",
	    best, day_text(a, d[best_i].day, "%a %-d %b %Y"));
	chart.unit = "tickets";
	chart.unit_one = "ticket";
	chart.bars = bars;
	chart.nbars = nbars;
	if ((svg = bar_chart_svg(a, &chart)) != NULL)
		tv_set_str(a, ctx, "chart", svg);
	tv_set_str(a, ctx, "chart_summary", chart.desc);
}

/* GET /admin/events/{id}/stats */
int
admin_stats(struct request *r)
{
	struct arena *a = r->arena;
	struct ticket_type *types;
	struct sales_revenue *rev;
	struct sales_slot *slots;
	struct sales_day *days;
	struct tmpl_value *ctx;
	struct event ev;
	size_t ntypes, nrev, nslots, ndays;
	long long sold, in;
	int rc;

	if ((rc = admin_managed_event(r, &ev)) != 0)
		return rc;
	if ((rc = events_ticket_types(r->db, a, ev.id, &types, &ntypes)) != 0 ||
	    (rc = sales_revenue(r->db, a, ev.id, &rev, &nrev)) != 0 ||
	    (rc = sales_slots(r->db, a, ev.id, &slots, &nslots)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	if (checkin_counts(r->db, a, ev.id, &sold, &in) != 0)
		return 503;
	sales_days(a, slots, nslots, ev.timezone, &days, &ndays);

	ctx = page_context(r, arena_printf(a, "Statistics: %s", ev.title));
	tv_set_int(a, ctx, "event_id", ev.id);
	tv_set_str(a, ctx, "event_title", ev.title);
	tv_set_str(a, ctx, "timezone", ev.timezone);
	set_types(a, ctx, types, ntypes, rev, nrev);
	set_days(a, ctx, days, ndays);
	tv_set_int(a, ctx, "checked_in", in);
	tv_set_int(a, ctx, "checkin_of", sold);
	tv_set_int(a, ctx, "checkin_percent", sold > 0 ? in * 100 / sold : 0);
	tv_set_bool(a, ctx, "has_sold", sold > 0);
	tv_set_bool(a, ctx, "on_stats", 1);
	return page_render(r, "admin_stats", ctx);
}
