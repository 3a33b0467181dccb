/*
 * Turning event rows into template values: the one place that decides how
 * a date, a price, a rating or the seats left are shown. All values are
 * arena-owned.
 */
#ifndef TESSERA_VIEW_EVENT_H
#define TESSERA_VIEW_EVENT_H

#include "db.h"

struct tmpl_value;

/* A list row (enum event_col) as a card: id, url, title, summary, venue,
 * city, when, when_iso, cancelled, rating. */
struct tmpl_value *view_event_card(struct arena *a, const struct db_rows *rows,
    size_t row);
/* A list of cards for every row, at most limit of them. */
struct tmpl_value *view_event_cards(struct arena *a,
    const struct db_rows *rows, size_t limit);
/* A STMT_EVENT_GET row: the card plus description paragraphs, address,
 * organizer, start and end. */
struct tmpl_value *view_event_detail(struct arena *a,
    const struct db_rows *rows);
/* Ticket types with price, seats left and availability; sales of an
 * event that is over have ended, whatever their sales window said. */
struct tmpl_value *view_ticket_types(struct arena *a,
    const struct db_rows *rows, int event_over);
struct tmpl_value *view_reviews(struct arena *a, const struct db_rows *rows);
/* "12.50 €", "Free". */
char *view_price(struct arena *a, long long cents, const char *currency);

#endif
