#include "view_event.h"

#include <stdio.h>
#include <string.h>

#include "dates.h"
#include "events.h"
#include "linkify.h"
#include "money.h"
#include "tmpl.h"
#include "util.h"
#include "view_picture.h"

#define DATE_FORMAT "%a %-d %b %Y, %H:%M %Z"
#define TIME_FORMAT "%H:%M %Z"

char *
view_price(struct arena *a, long long cents, const char *currency)
{
	return money_format(a, cents, currency, MONEY_ZERO_FREE);
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
set_times(struct arena *a, struct tmpl_value *v, const struct event *ev)
{
	struct tm s, e;

	dates_local_tm(a, ev->starts_at, ev->timezone, &s);
	tv_set_str(a, v, "when", dates_format(a, &s, DATE_FORMAT));
	tv_set_str(a, v, "when_iso", dates_iso(a, ev->starts_at));
	if (ev->ends_at > ev->starts_at) {
		/* Same local day: only the end time; else the full date. */
		int same_day;

		dates_local_tm(a, ev->ends_at, ev->timezone, &e);
		same_day = s.tm_year == e.tm_year && s.tm_yday == e.tm_yday;
		tv_set_str(a, v, "until", dates_format(a, &e,
		    same_day ? TIME_FORMAT : DATE_FORMAT));
		tv_set_str(a, v, "until_iso", dates_iso(a, ev->ends_at));
	}
	tv_set_bool(a, v, "past", events_is_over(ev, time(NULL)));
}

/* The banner's images at size, with its title as their alt. */
static struct tmpl_value *
banner_view(struct arena *a, const struct event_banner *b,
    enum picture_size size)
{
	struct tmpl_value *v = view_picture_sources(a, b->key, size,
	    b->thumb_width, b->preview_width, size == PICTURE_THUMB ?
	    b->thumb_width : b->preview_width, size == PICTURE_THUMB ?
	    b->thumb_height : b->preview_height);

	tv_set_str(a, v, "alt", b->title);
	return v;
}

struct tmpl_value *
view_event_card(struct arena *a, const struct event *ev)
{
	struct tmpl_value *v = tv_object(a), *rating;

	tv_set_int(a, v, "id", ev->id);
	tv_set_str(a, v, "url", arena_printf(a, "/events/%lld", ev->id));
	tv_set_str(a, v, "title", ev->title);
	tv_set_str(a, v, "summary", ev->summary);
	tv_set_str(a, v, "venue", ev->venue);
	tv_set_str(a, v, "city", ev->city);
	tv_set_str(a, v, "timezone", ev->timezone);
	set_times(a, v, ev);
	tv_set_bool(a, v, "cancelled", ev->status == EVENT_CANCELLED);
	rating = rating_value(a, ev->rating_sum, ev->rating_count);
	if (rating != NULL)
		tv_set(a, v, "rating", rating);
	if (ev->banner.id != 0)
		tv_set(a, v, "banner", banner_view(a, &ev->banner, PICTURE_THUMB));
	return v;
}

struct tmpl_value *
view_event_cards(struct arena *a, const struct event *evs, size_t n,
    size_t limit)
{
	struct tmpl_value *list = tv_list(a);

	for (size_t i = 0; i < n && i < limit; i++)
		tv_push(a, list, view_event_card(a, &evs[i]));
	return list;
}

/*
 * The next paragraph of text at *p, blank lines apart: sets *start and
 * *len to it without the line breaks and spaces that end it, and moves *p
 * past it and the blank lines after it. Returns 0 at the end of text.
 */
static int
next_paragraph(const char **p, const char **start, size_t *len)
{
	while (**p != '\0') {
		const char *s = *p, *end = strstr(s, "\n\n");
		size_t n = end != NULL ? (size_t)(end - s) : strlen(s);

		*p = end != NULL ? end + 2 : s + n;
		while (**p == '\n' || **p == '\r')
			(*p)++;
		while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == '\n' ||
		    s[n - 1] == ' '))
			n--;
		if (n > 0) {
			*start = s;
			*len = n;
			return 1;
		}
	}
	return 0;
}

/* Splits a text into paragraphs at blank lines, so the template can put
 * each in its own <p> while still escaping every character. */
static struct tmpl_value *
paragraphs(struct arena *a, const char *text)
{
	struct tmpl_value *list = tv_list(a);
	const char *p = text, *start;
	size_t len;

	while (next_paragraph(&p, &start, &len))
		tv_push(a, list, tv_string(a, arena_strndup(a, start, len)));
	return list;
}

/* One paragraph as parts { text, link, href }: plain text, or a web
 * address (linkify.h) to show as a link to itself. Every part has all
 * three keys, so the template never reads a link from around it. */
static struct tmpl_value *
linked_parts(struct arena *a, const char *text)
{
	struct tmpl_value *parts = tv_list(a);
	const char *p = text;

	while (*p != '\0') {
		size_t len, at = linkify_find(p, &len);

		if (at > 0) {
			struct tmpl_value *t = tv_object(a);

			tv_set(a, t, "text", tv_stringn(a, p, at));
			tv_set_bool(a, t, "link", 0);
			tv_set_str(a, t, "href", "");
			tv_push(a, parts, t);
		}
		if (len > 0) {
			struct tmpl_value *l = tv_object(a);
			const char *href = arena_strndup(a, p + at, len);

			tv_set_str(a, l, "text", href);
			tv_set_bool(a, l, "link", 1);
			tv_set_str(a, l, "href", href);
			tv_push(a, parts, l);
		}
		p += at + len;
	}
	return parts;
}

/* The description's paragraphs, each { parts }: the organizer's plain
 * text with its web addresses made links, every character escaped by
 * the template. */
static struct tmpl_value *
description_view(struct arena *a, const char *text)
{
	struct tmpl_value *list = tv_list(a);
	const char *p = text, *start;
	size_t len;

	while (next_paragraph(&p, &start, &len)) {
		struct tmpl_value *para = tv_object(a);

		tv_set(a, para, "parts", linked_parts(a,
		    arena_strndup(a, start, len)));
		tv_push(a, list, para);
	}
	return list;
}

struct tmpl_value *
view_event_detail(struct arena *a, const struct event *ev)
{
	struct tmpl_value *v = view_event_card(a, ev);

	tv_set(a, v, "paragraphs",
	    description_view(a, ev->description ? ev->description : ""));
	tv_set_str(a, v, "address", ev->address);
	tv_set_str(a, v, "organizer", ev->organizer_name);
	if (ev->banner.id != 0)
		tv_set(a, v, "banner_large", banner_view(a, &ev->banner,
		    PICTURE_PREVIEW));
	return v;
}

struct tmpl_value *
view_ticket_types(struct arena *a, const struct ticket_type *types, size_t n,
    const struct event *ev, time_t now)
{
	struct tmpl_value *list = tv_list(a);

	for (size_t i = 0; i < n; i++) {
		const struct ticket_type *t = &types[i];
		struct tmpl_value *v = tv_object(a);
		long long left = events_seats_left(t);
		enum ticket_sale sale = events_ticket_sale(t, ev->ends_at, now);

		tv_set_int(a, v, "id", t->id);
		tv_set_str(a, v, "name", t->name);
		tv_set_str(a, v, "description", t->description);
		tv_set_str(a, v, "price", view_price(a, t->price, t->currency));
		tv_set_int(a, v, "left", left);
		tv_set_bool(a, v, "sold_out", sale == TICKET_SOLD_OUT);
		tv_set_bool(a, v, "few_left", left > 0 && left <= 10);
		if (sale == TICKET_NOT_YET_ON_SALE)
			tv_set_bool(a, v, "not_yet_on_sale", 1);
		if (sale == TICKET_SALES_ENDED)
			tv_set_bool(a, v, "sales_ended", 1);
		if (sale == TICKET_ON_SALE && ev->status == EVENT_PUBLISHED) {
			/* The quantities the booking form offers. */
			struct tmpl_value *options = tv_list(a);
			long long most = t->max_per_order < left ?
			    t->max_per_order : left;

			tv_set_bool(a, v, "on_sale", 1);
			tv_set_int(a, v, "index", (long long)i);
			for (long long q = 0; q <= most; q++) {
				if (q > 0 && q < t->min_per_order)
					continue;
				tv_push(a, options, tv_int(a, q));
			}
			tv_set(a, v, "quantities", options);
		}
		tv_push(a, list, v);
	}
	return list;
}

static const char *const star_texts[] = { "☆☆☆☆☆", "★☆☆☆☆", "★★☆☆☆",
    "★★★☆☆", "★★★★☆", "★★★★★" };

/* A day as reviews show it, and its ISO form, into v. */
static void
set_day(struct arena *a, struct tmpl_value *v, time_t t)
{
	tv_set_str(a, v, "date", dates_local(a, t, "UTC", "%-d %b %Y"));
	tv_set_str(a, v, "date_iso", dates_iso(a, t));
}

struct tmpl_value *
view_reviews(struct arena *a, const struct review *reviews, size_t n,
    int reply_urls)
{
	struct tmpl_value *list = tv_list(a);

	for (size_t i = 0; i < n; i++) {
		const struct review *rv = &reviews[i];
		struct tmpl_value *v = tv_object(a);
		int rating = rv->rating >= 0 && rv->rating <= 5 ? rv->rating : 0;

		tv_set_int(a, v, "id", rv->id);
		tv_set_int(a, v, "rating", rating);
		tv_set_str(a, v, "stars", star_texts[rating]);
		tv_set(a, v, "paragraphs", paragraphs(a, rv->comment));
		tv_set_str(a, v, "author", rv->author);
		set_day(a, v, rv->created_at);
		tv_set_bool(a, v, "edited", rv->edited);
		tv_set_bool(a, v, "hidden", rv->hidden);
		if (rv->reply != NULL) {
			struct tmpl_value *reply = tv_object(a);

			tv_set(a, reply, "paragraphs", paragraphs(a, rv->reply));
			set_day(a, reply, rv->replied_at);
			tv_set(a, v, "reply", reply);
		} else if (reply_urls)
			tv_set_str(a, v, "reply_url", arena_printf(a,
			    "/reviews/%lld/reply", rv->id));
		tv_set_str(a, v, "report_url", arena_printf(a,
		    "/reviews/%lld/report", rv->id));
		tv_push(a, list, v);
	}
	return list;
}

struct tmpl_value *
view_rating_breakdown(struct arena *a, const struct event *ev)
{
	struct tmpl_value *v = rating_value(a, ev->rating_sum,
	    ev->rating_count), *bars;

	if (v == NULL)
		return NULL;
	bars = tv_list(a);
	for (int s = 5; s >= 1; s--) {
		struct tmpl_value *bar = tv_object(a);
		long long count = ev->rating_stars[s - 1];

		tv_set_str(a, bar, "stars", star_texts[s]);
		tv_set_int(a, bar, "number", s);
		tv_set_int(a, bar, "count", count);
		tv_set_int(a, bar, "percent", count * 100 / ev->rating_count);
		tv_push(a, bars, bar);
	}
	tv_set(a, v, "breakdown", bars);
	return v;
}

struct tmpl_value *
view_organizer_events(struct arena *a, const struct organizer_event *events,
    size_t n, const char *const *revenue)
{
	struct tmpl_value *list = tv_list(a);

	for (size_t i = 0; i < n; i++) {
		const struct event *ev = &events[i].event;
		struct tmpl_value *v = view_event_card(a, ev);

		tv_set_str(a, v, "status", events_status_name(ev->status));
		tv_set_bool(a, v, "public", events_is_public(ev));
		tv_set_bool(a, v, "published", ev->status == EVENT_PUBLISHED);
		tv_set_int(a, v, "sold", events[i].sold);
		tv_set_int(a, v, "quota", events[i].quota);
		if (revenue != NULL && revenue[i] != NULL)
			tv_set_str(a, v, "revenue", revenue[i]);
		tv_push(a, list, v);
	}
	return list;
}
