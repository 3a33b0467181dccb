/*
 * Turning events, ticket types and reviews (events.h, reviews.h) into template
 * values, for every program: the one place that decides how a date, a
 * price, a rating or the seats left are shown. Times are shown in the
 * event's own zone. All values are arena-owned.
 */
#ifndef TESSERA_VIEW_EVENT_H
#define TESSERA_VIEW_EVENT_H

#include <stddef.h>
#include <time.h>

#include "events.h"
#include "reviews.h"

struct arena;
struct tmpl_value;

/* An event as a card: id, url, title, summary, venue, city, timezone,
 * when, when_iso, until, until_iso, past, cancelled, rating. */
struct tmpl_value *view_event_card(struct arena *a, const struct event *ev);
/* A list of cards for the first n events, at most limit of them. */
struct tmpl_value *view_event_cards(struct arena *a, const struct event *evs,
    size_t n, size_t limit);
/* An event read by events_get(): the card plus description paragraphs,
 * address and organizer. */
struct tmpl_value *view_event_detail(struct arena *a, const struct event *ev);
/* The n ticket types of ev with price, seats left and where their sale
 * stands at now; one on sale has "on_sale", its row "index" and the
 * "quantities" the booking form offers. */
struct tmpl_value *view_ticket_types(struct arena *a,
    const struct ticket_type *types, size_t n, const struct event *ev,
    time_t now);
/* Reviews as { id, rating, stars, paragraphs, author, date, date_iso,
 * edited, reply ({ paragraphs, date, date_iso } or absent), report_url,
 * reply_url (when reply_urls and there is no reply yet) }. Their text is
 * plain: paragraphs kept, no links. */
struct tmpl_value *view_reviews(struct arena *a, const struct review *reviews,
    size_t n, int reply_urls);
/* ev's shown reviews by stars: { average, count, plural, stars: [{ stars,
 * count, percent }] from five down to one }, or NULL without reviews. */
struct tmpl_value *view_rating_breakdown(struct arena *a,
    const struct event *ev);
/* An organizer's events: each card plus status, public, sold and quota,
 * and revenue[i] (a text, or NULL for none; revenue may be NULL). */
struct tmpl_value *view_organizer_events(struct arena *a,
    const struct organizer_event *events, size_t n,
    const char *const *revenue);
/* money_format(), with 0 as "Free": "€12.50", "12.50 CHF". */
char *view_price(struct arena *a, long long cents, const char *currency);

#endif
