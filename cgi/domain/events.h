/*
 * Events and their ticket types: the statements that read
 * them, and the rules about them (which events are public, when a ticket
 * type is on sale, how many seats are left). Rows are parsed here once
 * into structs; a row that does not parse is reported and fails the read.
 * Public reads go to a replica (DB_READ) and read a handful of rows
 * through an index: the counts come from columns kept by their writers.
 *
 * Who changes the counters that pages show:
 * - ticket_types.sold and ticket_types.held: only orders.c (booking,
 *   payment, expiry of holds), in the transaction that changes the order.
 *   This module reads them; events_admin.c, the organizer's changes,
 *   writes quota and everything else of events and ticket types.
 * - events.rating_sum, rating_count and rating_1 .. rating_5: only
 *   reviews.c, in the transaction that changes a review.
 *
 * Every function that reads returns 0, -1 when no server could answer
 * (503), or ROW_BAD (row.h) when a row did not parse (500); events_get
 * and events_get_any also 1 when there is no such event, and
 * events_ticket_type_get when there is no such ticket type. Strings in
 * the structs and the arrays returned are arena-owned.
 */
#ifndef TESSERA_EVENTS_H
#define TESSERA_EVENTS_H

#include <stddef.h>
#include <time.h>

#include "db.h"
#include "row.h"

/* As the events.status ENUM. */
enum event_status { EVENT_DRAFT, EVENT_PUBLISHED, EVENT_CANCELLED };

/* An event's banner: one of its organizer's pictures, shown (0: none). */
struct event_banner {
	long long id;
	const char *key;           /* its storage key: its derived files */
	const char *title;         /* its alt text */
	long long thumb_width, thumb_height;
	long long preview_width, preview_height;
};

struct event {
	long long id;
	long long organizer_id;
	const char *title;
	const char *summary;       /* may be "" */
	const char *venue;
	const char *address;       /* may be "" */
	const char *city;
	const char *timezone;      /* IANA name, how to show the times */
	time_t starts_at;
	time_t ends_at;
	enum event_status status;
	long long rating_sum;
	long long rating_count;
	struct event_banner banner;
	/* Read by events_get() only; NULL from the lists. */
	const char *description;
	const char *organizer_name;
	int has_refunds_until;     /* a buyer may cancel a paid order until */
	time_t refunds_until;
	/* Days a buyer has to pay offline (0: not offered), and how. */
	long long offline_payment_days;
	const char *offline_instructions;   /* may be "" */
	int organizer_disabled;    /* its organizer's account is disabled */
	long long rating_stars[5]; /* shown reviews of 1 .. 5 stars */
};

/* What an organizer's own list shows of an event: seats sold and offered
 * over all its ticket types. */
struct organizer_event {
	struct event event;
	long long sold;
	long long quota;
};

struct ticket_type {
	long long id;
	const char *name;
	const char *description;   /* may be "" */
	long long price;           /* in minor units of currency; 0 is free */
	const char *currency;      /* ISO 4217 code, e.g. "EUR" */
	long long quota;
	long long sold;            /* seats of paid orders */
	long long held;            /* seats of orders waiting for payment */
	int has_sales_start;       /* else on sale from the start */
	time_t sales_start;
	int has_sales_end;         /* else on sale until the event is over */
	time_t sales_end;
	long long min_per_order;   /* tickets of this type in one order */
	long long max_per_order;
	long long max_per_account; /* held or bought by one account; 0: any */
	long long sort_order;      /* listed by it, lowest first, then id */
};

/* Whether a ticket type can be bought now, first match wins: no seats
 * left, sales over (the window closed, or the event is over), the window
 * not open yet, else on sale. */
enum ticket_sale {
	TICKET_SOLD_OUT,
	TICKET_SALES_ENDED,
	TICKET_NOT_YET_ON_SALE,
	TICKET_ON_SALE,
};

struct event_filter {
	const char *match;    /* FULLTEXT boolean query, or NULL */
	const char *city;     /* exact city, or NULL */
	time_t starts_from;   /* events starting at or after */
	time_t ends_from;     /* and ending at or after */
	time_t starts_before; /* and starting before */
	int limit;
	int offset;
};

/* ------------------------------------------------------------ reads */

/* Published events that have not ended and started at most 14 days ago,
 * soonest first, at most limit. */
int events_upcoming(struct db *db, struct arena *a, int limit,
    struct event **out, size_t *n);
/* Published events matching the filter, soonest first. */
int events_list(struct db *db, struct arena *a, const struct event_filter *f,
    struct event **out, size_t *n);
/* A published or cancelled event by id, with its description and
 * organizer; drafts are not found (1). */
int events_get(struct db *db, struct arena *a, long long id,
    struct event *out);
/* An event by id whatever its status, drafts too, with its description
 * and organizer: for the organizer's own pages, which check who may see
 * it. */
int events_get_any(struct db *db, struct arena *a, long long id,
    struct event *out);
/* events_get and events_ticket_types in one statement: the event into
 * ev and its types into *types (arena-owned, *ntypes of them). */
int events_get_with_types(struct db *db, struct arena *a, long long id,
    struct event *ev, struct ticket_type **types, size_t *ntypes);
/* Ticket type id of event event_id; 1 when the event has no such type. */
int events_ticket_type_get(struct db *db, struct arena *a, long long event_id,
    long long id, struct ticket_type *out);
/* An event's ticket types in their sort order. */
int events_ticket_types(struct db *db, struct arena *a, long long event_id,
    struct ticket_type **out, size_t *n);
/* Cities with published events that have not ended, for the filter. */
int events_cities(struct db *db, struct arena *a, const char ***names,
    size_t *n);
/* Every event of the organizer (drafts too), latest start first, at most
 * 200, with seats sold and offered. */
int events_of_organizer(struct db *db, struct arena *a, long long organizer_id,
    struct organizer_event **out, size_t *n);

/* ------------------------------------------------------------ rules */

/* "draft", "published", "cancelled". */
const char *events_status_name(enum event_status status);
/* Whether the public pages show the event: published or cancelled, by an
 * organizer whose account is not disabled. */
int events_is_public(const struct event *ev);
/* Whether the event has ended by now. */
int events_is_over(const struct event *ev, time_t now);
/* quota - sold - held, never below 0. */
long long events_seats_left(const struct ticket_type *t);
/* Where the sale of t stands at now, for an event ending at ends_at. */
enum ticket_sale events_ticket_sale(const struct ticket_type *t,
    time_t event_ends_at, time_t now);

/* ------------------------------------------------------------ parsing */

/*
 * Row i of rows, in the column order of this module's statements, into
 * *out; public for the unit tests. Each returns 0, or ROW_BAD (logged).
 * events_parse_event reads the list columns and, with detail, the two
 * columns events_get adds.
 */
int events_parse_event(const struct db_rows *rows, size_t i, int detail,
    struct event *out);
int events_parse_ticket_type(const struct db_rows *rows, size_t i,
    struct ticket_type *out);
#endif
