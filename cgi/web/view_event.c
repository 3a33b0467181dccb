#include "view_event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "db_events.h"
#include "tmpl.h"
#include "util.h"

#define DATE_FORMAT "%a %-d %b %Y, %H:%M %Z"
#define TIME_FORMAT "%H:%M %Z"

static const struct {
	const char *code;
	const char *symbol;
} currency_symbols[] = {
	{ "EUR", "€" }, { "USD", "$" }, { "GBP", "£" }, { "CHF", "CHF" },
	{ "CZK", "Kč" },
};

static long long
cell_ll(const struct db_rows *rows, size_t row, size_t col)
{
	const char *s = db_cell(rows, row, col);

	return s ? strtoll(s, NULL, 10) : 0;
}

static const char *
cell_str(const struct db_rows *rows, size_t row, size_t col)
{
	const char *s = db_cell(rows, row, col);

	return s ? s : "";
}

char *
view_price(struct arena *a, long long cents, const char *currency)
{
	const char *symbol = currency;

	if (cents == 0)
		return arena_strdup(a, "Free");
	for (size_t i = 0; i < ARRAY_LEN(currency_symbols); i++)
		if (strcmp(currency_symbols[i].code, currency) == 0)
			symbol = currency_symbols[i].symbol;
	return arena_printf(a, "%lld.%02lld %s", cents / 100, cents % 100,
	    symbol);
}

/* "4.3 out of 5 (12 reviews)", or NULL without reviews. */
static struct tmpl_value *
rating_value(struct arena *a, long long sum, long long count)
{
	struct tmpl_value *v;

	if (count <= 0)
		return NULL;
	v = tv_object(a);
	tv_set_str(a, v, "average", arena_printf(a, "%.1f",
	    (double)sum / (double)count));
	tv_set_int(a, v, "count", count);
	tv_set_bool(a, v, "plural", count != 1);
	return v;
}

/* Sets when, when_iso, until, until_iso and past for an event. */
static void
set_times(struct arena *a, struct tmpl_value *v, const char *starts_at,
    const char *ends_at, const char *tz)
{
	time_t start = 0, end = 0;
	struct tm s, e;

	dates_parse_db(starts_at, &start);
	dates_parse_db(ends_at, &end);
	dates_local_tm(a, start, tz, &s);
	tv_set_str(a, v, "when", dates_format(a, &s, DATE_FORMAT));
	tv_set_str(a, v, "when_iso", dates_iso(a, start));
	if (end > start) {
		/* Same local day: only the end time; else the full date. */
		int same_day;

		dates_local_tm(a, end, tz, &e);
		same_day = s.tm_year == e.tm_year && s.tm_yday == e.tm_yday;
		tv_set_str(a, v, "until", dates_format(a, &e,
		    same_day ? TIME_FORMAT : DATE_FORMAT));
		tv_set_str(a, v, "until_iso", dates_iso(a, end));
	}
	tv_set_bool(a, v, "past", end < time(NULL));
}

struct tmpl_value *
view_event_card(struct arena *a, const struct db_rows *rows, size_t row)
{
	struct tmpl_value *v = tv_object(a), *rating;
	long long id = cell_ll(rows, row, EV_ID);

	tv_set_int(a, v, "id", id);
	tv_set_str(a, v, "url", arena_printf(a, "/events/%lld", id));
	tv_set_str(a, v, "title", cell_str(rows, row, EV_TITLE));
	tv_set_str(a, v, "summary", cell_str(rows, row, EV_SUMMARY));
	tv_set_str(a, v, "venue", cell_str(rows, row, EV_VENUE));
	tv_set_str(a, v, "city", cell_str(rows, row, EV_CITY));
	tv_set_str(a, v, "timezone", cell_str(rows, row, EV_TIMEZONE));
	set_times(a, v, cell_str(rows, row, EV_STARTS_AT),
	    cell_str(rows, row, EV_ENDS_AT), cell_str(rows, row, EV_TIMEZONE));
	tv_set_bool(a, v, "cancelled",
	    strcmp(cell_str(rows, row, EV_STATUS), "cancelled") == 0);
	rating = rating_value(a, cell_ll(rows, row, EV_RATING_SUM),
	    cell_ll(rows, row, EV_RATING_COUNT));
	if (rating != NULL)
		tv_set(a, v, "rating", rating);
	return v;
}

struct tmpl_value *
view_event_cards(struct arena *a, const struct db_rows *rows, size_t limit)
{
	struct tmpl_value *list = tv_list(a);

	for (size_t i = 0; i < rows->nrows && i < limit; i++)
		tv_push(a, list, view_event_card(a, rows, i));
	return list;
}

/* Splits a description into paragraphs at blank lines, so the template
 * can put each in its own <p> while still escaping every character. */
static struct tmpl_value *
paragraphs(struct arena *a, const char *text)
{
	struct tmpl_value *list = tv_list(a);
	const char *p = text;

	while (*p != '\0') {
		const char *end = strstr(p, "\n\n"), *next;
		size_t len;

		if (end == NULL) {
			len = strlen(p);
			next = p + len;
		} else {
			len = (size_t)(end - p);
			next = end + 2;
		}
		while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == '\n' ||
		    p[len - 1] == ' '))
			len--;
		if (len > 0)
			tv_push(a, list, tv_string(a, arena_strndup(a, p, len)));
		p = next;
		while (*p == '\n' || *p == '\r')
			p++;
	}
	return list;
}

struct tmpl_value *
view_event_detail(struct arena *a, const struct db_rows *rows)
{
	struct tmpl_value *v = view_event_card(a, rows, 0);

	tv_set(a, v, "paragraphs",
	    paragraphs(a, cell_str(rows, 0, EV_DESCRIPTION)));
	tv_set_str(a, v, "address", cell_str(rows, 0, EV_ADDRESS));
	tv_set_str(a, v, "organizer", cell_str(rows, 0, EV_ORGANIZER));
	return v;
}

struct tmpl_value *
view_ticket_types(struct arena *a, const struct db_rows *rows,
    int event_over)
{
	struct tmpl_value *list = tv_list(a);
	time_t now = time(NULL);

	for (size_t i = 0; i < rows->nrows; i++) {
		struct tmpl_value *v = tv_object(a);
		long long left = cell_ll(rows, i, TT_QUOTA) -
		    cell_ll(rows, i, TT_SOLD) - cell_ll(rows, i, TT_HELD);
		time_t start = 0, end = 0;
		const char *s;

		if (left < 0)
			left = 0;
		tv_set_int(a, v, "id", cell_ll(rows, i, TT_ID));
		tv_set_str(a, v, "name", cell_str(rows, i, TT_NAME));
		tv_set_str(a, v, "description",
		    cell_str(rows, i, TT_DESCRIPTION));
		tv_set_str(a, v, "price", view_price(a,
		    cell_ll(rows, i, TT_PRICE_CENTS),
		    cell_str(rows, i, TT_CURRENCY)));
		tv_set_int(a, v, "left", left);
		tv_set_bool(a, v, "sold_out", left == 0);
		tv_set_bool(a, v, "few_left", left > 0 && left <= 10);
		if ((s = db_cell(rows, i, TT_SALES_START)) != NULL &&
		    dates_parse_db(s, &start) == 0 && start > now)
			tv_set_bool(a, v, "not_yet_on_sale", 1);
		if (event_over || ((s = db_cell(rows, i, TT_SALES_END)) != NULL &&
		    dates_parse_db(s, &end) == 0 && end < now))
			tv_set_bool(a, v, "sales_ended", 1);
		tv_push(a, list, v);
	}
	return list;
}

struct tmpl_value *
view_reviews(struct arena *a, const struct db_rows *rows)
{
	static const char *const stars[] = { "☆☆☆☆☆", "★☆☆☆☆", "★★☆☆☆",
	    "★★★☆☆", "★★★★☆", "★★★★★" };
	struct tmpl_value *list = tv_list(a);

	for (size_t i = 0; i < rows->nrows; i++) {
		struct tmpl_value *v = tv_object(a);
		long long rating = cell_ll(rows, i, RV_RATING);
		time_t at = 0;

		if (rating < 0 || rating > 5)
			rating = 0;
		dates_parse_db(cell_str(rows, i, RV_CREATED_AT), &at);
		tv_set_int(a, v, "rating", rating);
		tv_set_str(a, v, "stars", stars[rating]);
		tv_set(a, v, "paragraphs",
		    paragraphs(a, cell_str(rows, i, RV_COMMENT)));
		tv_set_str(a, v, "author", cell_str(rows, i, RV_AUTHOR));
		tv_set_str(a, v, "date", dates_local(a, at, "UTC", "%-d %b %Y"));
		tv_set_str(a, v, "date_iso", dates_iso(a, at));
		tv_push(a, list, v);
	}
	return list;
}
