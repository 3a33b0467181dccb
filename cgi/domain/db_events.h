/*
 * The public read model of events: the statements tessera-browse runs and
 * thin functions that run them. Every statement reads a handful of rows
 * through an index; counts come from columns kept by the writers.
 */
#ifndef TESSERA_DB_EVENTS_H
#define TESSERA_DB_EVENTS_H

#include <time.h>

#include "db.h"

enum browse_stmt {
	STMT_EVENTS_UPCOMING,
	STMT_EVENTS_LIST,
	STMT_EVENTS_LIST_CITY,
	STMT_EVENTS_SEARCH,
	STMT_EVENTS_SEARCH_CITY,
	STMT_EVENT_GET,
	STMT_TICKET_TYPES,
	STMT_REVIEWS_LATEST,
	STMT_CITIES,
	STMT__MAX
};

extern const char *const browse_stmts[STMT__MAX];

/* Columns of every event list row, in this order. */
enum event_col {
	EV_ID, EV_TITLE, EV_SUMMARY, EV_VENUE, EV_CITY, EV_TIMEZONE,
	EV_STARTS_AT, EV_ENDS_AT, EV_STATUS, EV_RATING_SUM, EV_RATING_COUNT,
	EV__LIST_COLS,
	/* STMT_EVENT_GET adds: */
	EV_DESCRIPTION = EV__LIST_COLS, EV_ADDRESS, EV_ORGANIZER
};

enum ticket_type_col {
	TT_ID, TT_NAME, TT_DESCRIPTION, TT_PRICE_CENTS, TT_CURRENCY, TT_QUOTA,
	TT_SOLD, TT_HELD, TT_SALES_START, TT_SALES_END
};

enum review_col { RV_RATING, RV_COMMENT, RV_CREATED_AT, RV_AUTHOR };

struct event_filter {
	const char *match;    /* FULLTEXT boolean query, or NULL */
	const char *city;     /* exact city, or NULL */
	time_t starts_from;   /* events starting at or after */
	time_t ends_from;     /* and ending at or after */
	time_t starts_before; /* and starting before */
	int limit;
	int offset;
};

int db_events_upcoming(struct db *db, struct arena *a, int limit,
    struct db_rows *out);
int db_events_list(struct db *db, struct arena *a,
    const struct event_filter *f, struct db_rows *out);
/* Published or cancelled event by id; drafts are not found. */
int db_event_get(struct db *db, struct arena *a, long long id,
    struct db_rows *out);
int db_ticket_types(struct db *db, struct arena *a, long long event_id,
    struct db_rows *out);
int db_reviews_latest(struct db *db, struct arena *a, long long event_id,
    int limit, struct db_rows *out);
/* Cities with upcoming published events, for the filter. */
int db_cities(struct db *db, struct arena *a, struct db_rows *out);

#endif
