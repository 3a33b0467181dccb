#include <limits.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "dates.h"
#include "events.h"
#include "reviews.h"
#include "row.h"
#include "tap.h"

/* Rows as the statements of events.c return them, one row each. A NULL
 * cell is SQL NULL. */
#define EVENT_LIST_COLS 20
#define EVENT_DETAIL_COLS 31
static const char *const event_names[EVENT_DETAIL_COLS] = {
	"id", "organizer_id", "title", "summary", "venue", "address", "city",
	"timezone", "starts_at", "ends_at", "status", "rating_sum",
	"rating_count", "banner_id", "banner_key", "banner_title",
	"thumb_width", "thumb_height", "preview_width", "preview_height",
	"description", "display_name", "refunds_until",
	"offline_payment_days", "offline_instructions", "organizer_disabled",
	"rating_1", "rating_2", "rating_3", "rating_4", "rating_5",
};
static const char *const event_good[EVENT_DETAIL_COLS] = {
	"42", "7", "Late Night Strings", "", "Radialsystem",
	"Holzmarktstraße 33", "Berlin", "Europe/Berlin",
	"2026-12-05 18:30:00", "2026-12-05 20:30:00", "cancelled", "17",
	"4", "5", "0123456789abcdef0123456789abcdef", "The hall", "400", "300",
	"1600", "1200", "First.\n\nSecond.", "Olga Organizer", NULL, "7",
	"IBAN DE00 0000", "0", "0", "0", "1", "1", "2",
};

#define TT_COLS 14
static const char *const tt_names[TT_COLS] = {
	"id", "name", "description", "price_cents", "currency", "quota",
	"sold", "held", "sales_start", "sales_end", "min_per_order",
	"max_per_order", "max_per_account", "sort_order",
};
static const char *const tt_good[TT_COLS] = {
	"9", "Standard", "Unreserved", "2450", "EUR", "300", "120", "5",
	NULL, "2026-12-05 18:30:00", "1", "10", "0", "-2",
};

#define RV_COLS 12
static const char *const rv_names[RV_COLS] = {
	"id", "event_id", "author_id", "rating", "comment", "created_at",
	"updated_at", "display_name", "reply", "replied_at", "reports",
	"hidden",
};
static const char *const rv_good[RV_COLS] = {
	"3", "42", "8", "4", "Lovely.", "2026-12-06 10:00:00", NULL, "Alice",
	"Thank you!", "2026-12-07 09:00:00", "0", "0",
};

/* A one-row result of ncols cells: cells[] with cells[col] = value when
 * col is given (>= 0). */
static struct db_rows
one_row(struct arena *a, const char *const *names, const char *const *cells,
    size_t ncols, int col, const char *value)
{
	struct db_rows r;

	r.nrows = 1;
	r.ncols = ncols;
	r.names = arena_calloc(a, ncols, sizeof(*r.names));
	r.cells = arena_calloc(a, ncols, sizeof(*r.cells));
	for (size_t i = 0; i < ncols; i++) {
		const char *s = (int)i == col ? value : cells[i];

		r.names[i] = names[i];
		r.cells[i] = s ? arena_strdup(a, s) : NULL;
	}
	return r;
}

static int
event_with(struct arena *a, int col, const char *value, int detail)
{
	struct db_rows r = one_row(a, event_names, event_good,
	    detail ? EVENT_DETAIL_COLS : EVENT_LIST_COLS, col, value);
	struct event ev;

	return events_parse_event(&r, 0, detail, &ev);
}

static int
tt_with(struct arena *a, int col, const char *value)
{
	struct db_rows r = one_row(a, tt_names, tt_good, TT_COLS, col, value);
	struct ticket_type t;

	return events_parse_ticket_type(&r, 0, &t);
}

static int
rv_with(struct arena *a, int col, const char *value)
{
	struct db_rows r = one_row(a, rv_names, rv_good, RV_COLS, col, value);
	struct review rv;

	return reviews_parse(&r, 0, &rv);
}

static void
test_parse_event(struct arena *a)
{
	struct db_rows r;
	struct event ev;
	time_t t;

	r = one_row(a, event_names, event_good, EVENT_DETAIL_COLS, -1, NULL);
	is_int(events_parse_event(&r, 0, 1, &ev), 0, "a detail row parses");
	is_int(ev.id, 42, "id");
	is_int(ev.organizer_id, 7, "organizer id");
	is_str(ev.title, "Late Night Strings", "title");
	is_str(ev.summary, "", "an empty summary stays empty");
	is_str(ev.address, "Holzmarktstraße 33", "address");
	is_str(ev.timezone, "Europe/Berlin", "time zone");
	dates_parse_db("2026-12-05 18:30:00", &t);
	ok(ev.starts_at == t, "starts_at as time_t");
	ok(ev.ends_at == t + 7200, "ends_at as time_t");
	is_int(ev.status, EVENT_CANCELLED, "status as the enum");
	is_int(ev.rating_sum, 17, "rating sum");
	is_int(ev.rating_count, 4, "rating count");
	is_int(ev.rating_stars[4], 2, "reviews of five stars");
	is_int(ev.rating_stars[0], 0, "reviews of one star");
	is_str(ev.organizer_name, "Olga Organizer", "organizer name");
	is_str(ev.description, "First.\n\nSecond.", "description");
	is_int(ev.offline_payment_days, 7, "days to pay offline");
	is_str(ev.offline_instructions, "IBAN DE00 0000", "how to pay offline");
	ok(!ev.organizer_disabled && events_is_public(&ev),
	    "an organizer in good standing: public");
	is_int(ev.banner.id, 5, "banner: its picture");
	is_str(ev.banner.key, "0123456789abcdef0123456789abcdef",
	    "banner: its storage key");
	is_str(ev.banner.title, "The hall", "banner: its alt text");
	ok(ev.banner.thumb_width == 400 && ev.banner.thumb_height == 300 &&
	    ev.banner.preview_width == 1600 && ev.banner.preview_height == 1200,
	    "banner: the sizes of its derived files");
	r = one_row(a, event_names, event_good, EVENT_DETAIL_COLS, 25, "1");
	is_int(events_parse_event(&r, 0, 1, &ev), 0, "a disabled organizer's event");
	ok(ev.organizer_disabled && !events_is_public(&ev),
	    "is not public");
	r = one_row(a, event_names, event_good, EVENT_DETAIL_COLS, -1, NULL);
	events_parse_event(&r, 0, 1, &ev);

	r = one_row(a, event_names, event_good, EVENT_LIST_COLS, -1, NULL);
	is_int(events_parse_event(&r, 0, 0, &ev), 0, "a list row parses");
	ok(ev.description == NULL && ev.organizer_name == NULL,
	    "a list row has no description or organizer name");
	is_int(event_with(a, -1, NULL, 1), 0, "sanity: the good row");

	is_int(event_with(a, 0, "abc", 0), ROW_BAD, "id not a number");
	is_int(event_with(a, 0, "", 0), ROW_BAD, "empty id");
	is_int(event_with(a, 0, "12x", 0), ROW_BAD, "trailing text after id");
	is_int(event_with(a, 0, " 12", 0), ROW_BAD, "leading space in id");
	is_int(event_with(a, 0, "+12", 0), ROW_BAD, "plus sign in id");
	is_int(event_with(a, 0, "0", 0), ROW_BAD, "id 0");
	is_int(event_with(a, 0, "-3", 0), ROW_BAD, "negative id");
	is_int(event_with(a, 0, "99999999999999999999", 0), ROW_BAD,
	    "id beyond long long");
	is_int(event_with(a, 0, NULL, 0), ROW_BAD, "NULL id");
	is_int(event_with(a, 2, NULL, 0), ROW_BAD, "NULL title");
	is_int(event_with(a, 3, NULL, 0), ROW_BAD, "NULL summary");
	is_int(event_with(a, 8, "2026-13-05 18:30:00", 0), ROW_BAD,
	    "month 13 in starts_at");
	is_int(event_with(a, 8, "tomorrow", 0), ROW_BAD, "starts_at not a date");
	is_int(event_with(a, 9, "", 0), ROW_BAD, "empty ends_at");
	is_int(event_with(a, 9, NULL, 0), ROW_BAD, "NULL ends_at");
	is_int(event_with(a, 10, "archived", 0), ROW_BAD, "unknown status");
	is_int(event_with(a, 10, "Published", 0), ROW_BAD,
	    "status in the wrong case");
	is_int(event_with(a, 11, "-1", 0), ROW_BAD, "negative rating sum");
	is_int(event_with(a, 12, "4.5", 0), ROW_BAD, "fractional rating count");
	is_int(event_with(a, 12, "4294967296", 0), ROW_BAD,
	    "rating count beyond INT UNSIGNED");
	is_int(event_with(a, 13, "0", 0), 0, "banner 0: no banner");
	is_int(event_with(a, 13, "-1", 0), ROW_BAD, "a negative banner id");
	is_int(event_with(a, 14, NULL, 0), ROW_BAD, "a NULL banner key");
	is_int(event_with(a, 16, "x", 0), ROW_BAD, "a banner width not a number");
	is_int(event_with(a, 21, NULL, 1), ROW_BAD, "NULL organizer name");
	is_int(event_with(a, 23, NULL, 1), 0, "NULL days to pay: not offered");
	is_int(event_with(a, 23, "0", 1), ROW_BAD, "0 days to pay");
	is_int(event_with(a, 23, "366", 1), ROW_BAD, "over a year to pay");
	is_int(event_with(a, 24, NULL, 1), ROW_BAD, "NULL instructions");
	is_int(event_with(a, 25, "yes", 1), ROW_BAD, "a disabled flag not 0 or 1");

	r = one_row(a, event_names, event_good, EVENT_LIST_COLS, -1, NULL);
	is_int(events_parse_event(&r, 0, 1, &ev), ROW_BAD,
	    "a list row read as a detail row: missing columns");
	r = one_row(a, event_names, event_good, 5, -1, NULL);
	is_int(events_parse_event(&r, 0, 0, &ev), ROW_BAD, "a row cut short");
	r = one_row(a, event_names, event_good, EVENT_LIST_COLS, -1, NULL);
	is_int(events_parse_event(&r, 1, 0, &ev), ROW_BAD, "a row past the end");
	r = one_row(a, event_names, event_good, EVENT_LIST_COLS, 0, "x");
	events_parse_event(&r, 0, 0, &ev);
	ok(ev.id == 0, "a bad cell is not half-read");
}

static void
test_parse_ticket_type(struct arena *a)
{
	struct db_rows r;
	struct ticket_type t;
	time_t end;

	r = one_row(a, tt_names, tt_good, TT_COLS, -1, NULL);
	is_int(events_parse_ticket_type(&r, 0, &t), 0, "a ticket type parses");
	is_int(t.id, 9, "id");
	is_str(t.name, "Standard", "name");
	is_int(t.price, 2450, "price in minor units");
	is_str(t.currency, "EUR", "currency");
	is_int(t.quota, 300, "quota");
	is_int(t.sold, 120, "sold");
	is_int(t.held, 5, "held");
	ok(!t.has_sales_start, "a NULL sales start is no start");
	dates_parse_db("2026-12-05 18:30:00", &end);
	ok(t.has_sales_end && t.sales_end == end, "the sales end as time_t");
	is_int(t.sort_order, -2, "sort order");

	is_int(tt_with(a, 3, "12.50"), ROW_BAD, "a price with a point");
	is_int(tt_with(a, 3, "-100"), ROW_BAD, "a negative price");
	is_int(tt_with(a, 3, NULL), ROW_BAD, "a NULL price");
	is_int(tt_with(a, 4, "eur"), ROW_BAD, "a lower-case currency");
	is_int(tt_with(a, 4, "EURO"), ROW_BAD, "a four-letter currency");
	is_int(tt_with(a, 4, "E1R"), ROW_BAD, "a digit in the currency");
	is_int(tt_with(a, 5, "1e3"), ROW_BAD, "a quota in exponent form");
	is_int(tt_with(a, 6, ""), ROW_BAD, "an empty sold count");
	is_int(tt_with(a, 7, "0x10"), ROW_BAD, "a hexadecimal held count");
	is_int(tt_with(a, 8, "soon"), ROW_BAD, "a sales start that is no date");
	is_int(tt_with(a, 9, "2026-02-30 10:00:00"), ROW_BAD,
	    "a sales end on 30 February");
	is_int(tt_with(a, 1, NULL), ROW_BAD, "a NULL name");
	is_int(tt_with(a, 13, NULL), ROW_BAD, "a NULL sort order");
}

static void
test_parse_review(struct arena *a)
{
	struct db_rows r;
	struct review rv;

	r = one_row(a, rv_names, rv_good, RV_COLS, -1, NULL);
	is_int(reviews_parse(&r, 0, &rv), 0, "a review parses");
	is_int(rv.rating, 4, "rating");
	is_str(rv.comment, "Lovely.", "comment");
	is_str(rv.author, "Alice", "author");
	is_int(rv.edited, 0, "never edited");
	is_str(rv.reply, "Thank you!", "the organizer's reply");
	is_int(rv.hidden, 0, "shown");
	is_int(rv_with(a, 3, "0"), ROW_BAD, "rating 0");
	is_int(rv_with(a, 3, "6"), ROW_BAD, "rating 6");
	is_int(rv_with(a, 3, "five"), ROW_BAD, "rating in words");
	is_int(rv_with(a, 5, NULL), ROW_BAD, "no date");
	is_int(rv_with(a, 8, NULL), 0, "no reply");
}

/* A ticket type of quota 10 with sold and held, sold between start and
 * end (0: no bound). */
static struct ticket_type
tt(long long sold, long long held, time_t start, time_t end)
{
	struct ticket_type t;

	memset(&t, 0, sizeof(t));
	t.quota = 10;
	t.sold = sold;
	t.held = held;
	t.has_sales_start = start != 0;
	t.sales_start = start;
	t.has_sales_end = end != 0;
	t.sales_end = end;
	return t;
}

static void
test_rules(void)
{
	time_t now = 2000000000, later = now + 3600, earlier = now - 3600;
	struct ticket_type t;
	struct event ev;

	t = tt(3, 2, 0, 0);
	is_int(events_seats_left(&t), 5, "seats left: quota - sold - held");
	t = tt(8, 2, 0, 0);
	is_int(events_seats_left(&t), 0, "none left when sold + held = quota");
	t = tt(9, 4, 0, 0);
	is_int(events_seats_left(&t), 0, "never below 0");

	t = tt(0, 0, 0, 0);
	is_int(events_ticket_sale(&t, later, now), TICKET_ON_SALE,
	    "no window, seats left, event ahead: on sale");
	t = tt(0, 0, earlier, later);
	is_int(events_ticket_sale(&t, later, now), TICKET_ON_SALE,
	    "inside the window: on sale");
	t = tt(0, 0, now, now);
	is_int(events_ticket_sale(&t, later, now), TICKET_ON_SALE,
	    "the window's first and last second are on sale");
	t = tt(0, 0, later, 0);
	is_int(events_ticket_sale(&t, later + 60, now), TICKET_NOT_YET_ON_SALE,
	    "before the window: not yet on sale");
	t = tt(0, 0, 0, earlier);
	is_int(events_ticket_sale(&t, later, now), TICKET_SALES_ENDED,
	    "after the window: sales ended");
	t = tt(0, 0, 0, later);
	is_int(events_ticket_sale(&t, earlier, now), TICKET_SALES_ENDED,
	    "the event is over: sales ended, whatever the window says");
	t = tt(0, 0, later, 0);
	is_int(events_ticket_sale(&t, earlier, now), TICKET_SALES_ENDED,
	    "over beats not yet");
	t = tt(6, 4, 0, earlier);
	is_int(events_ticket_sale(&t, earlier, now), TICKET_SOLD_OUT,
	    "sold out beats sales ended");
	t = tt(6, 4, later, 0);
	is_int(events_ticket_sale(&t, later + 60, now), TICKET_SOLD_OUT,
	    "held seats count: sold out before the sale opens");

	memset(&ev, 0, sizeof(ev));
	ev.status = EVENT_DRAFT;
	ok(!events_is_public(&ev), "a draft is not public");
	ev.status = EVENT_CANCELLED;
	ok(events_is_public(&ev), "a cancelled event is");
	is_str(events_status_name(EVENT_PUBLISHED), "published",
	    "status names as the ENUM");
	ev.ends_at = now;
	ok(!events_is_over(&ev, now) && events_is_over(&ev, now + 1),
	    "an event is over after its last second");
}

int
main(void)
{
	struct arena a;

	arena_init(&a, 0);
	test_parse_event(&a);
	test_parse_ticket_type(&a);
	test_parse_review(&a);
	test_rules();
	arena_free(&a);
	return done_testing();
}
