/*
 * Unit tests for the parts of attendees.c and sales.c that need no
 * database: a search becomes a LIKE pattern that matches its text only
 * (the wildcards and the escape character escaped) and a code as codes
 * are stored; paid tickets per quarter hour add up to the right days of
 * the event's calendar, in a zone ahead of UTC, one half an hour off it,
 * and across a change of the clocks.
 */
#include <string.h>
#include <time.h>

#include "arena.h"
#include "attendees.h"
#include "dates.h"
#include "sales.h"
#include "tap.h"

static struct arena arena;
#define A (&arena)

static void
test_search(void)
{
	is_str(attendees_like_pattern(A, "Alice"), "%Alice%", "a name is found anywhere");
	is_str(attendees_like_pattern(A, "100%"), "%100!%%", "%% is a percent sign");
	is_str(attendees_like_pattern(A, "a_b"), "%a!_b%", "_ is an underscore");
	is_str(attendees_like_pattern(A, "hey!"), "%hey!!%", "the escape character itself");
	is_str(attendees_like_pattern(A, "\\%'\""), "%\\!%'\"%",
	    "a backslash and quotes are plain characters");
	is_str(attendees_like_pattern(A, ""), "%%", "nothing: everything");
	is_str(attendees_code_form(A, "k7q2 m4xw-3hb5"), "K7Q2M4XW3HB5",
	    "a code is upper case, without spaces and dashes");
	is_str(attendees_code_form(A, "Zoë"), "ZOë", "other bytes are kept");
}

/* UTC time of "YYYY-MM-DD HH:MM:SS". */
static time_t
at(const char *s)
{
	time_t t = 0;

	dates_parse_db(s, &t);
	return t;
}

static long long
day_of(const char *ymd)
{
	time_t t = 0;

	dates_parse_day(ymd, &t);
	return (long long)(t / 86400);
}

static void
test_days(void)
{
	struct sales_slot slots[] = {
		{ at("2026-12-04 10:00:00"), 2 },
		{ at("2026-12-04 22:45:00"), 1 },   /* 23:45 in Berlin */
		{ at("2026-12-04 23:00:00"), 3 },   /* 00:00 on the 5th */
		{ at("2026-12-07 08:15:00"), 4 },
	};
	struct sales_day *d;
	size_t n;

	sales_days(A, slots, 4, "Europe/Berlin", &d, &n);
	is_int(n, 3, "Berlin: three days with sales");
	ok(n == 3 && d[0].day == day_of("2026-12-04") && d[0].tickets == 3 &&
	    d[1].day == day_of("2026-12-05") && d[1].tickets == 3 &&
	    d[2].day == day_of("2026-12-07") && d[2].tickets == 4,
	    "midnight is Berlin's: 23:00 UTC is the next day there");
	sales_days(A, slots, 4, "UTC", &d, &n);
	ok(n == 2 && d[0].tickets == 6 && d[1].tickets == 4,
	    "in UTC the same sales fall on two days");
	sales_days(A, slots, 4, "Asia/Kolkata", &d, &n);
	ok(n == 3 && d[0].day == day_of("2026-12-04") && d[0].tickets == 2 &&
	    d[1].day == day_of("2026-12-05") && d[1].tickets == 4,
	    "half an hour off UTC: 22:45 UTC is 04:15 the next day in Kolkata");

	struct sales_slot dst[] = {
		{ at("2026-03-28 22:45:00"), 1 },   /* 23:45 CET, the 28th */
		{ at("2026-03-29 21:45:00"), 1 },   /* 23:45 CEST, the 29th */
		{ at("2026-03-29 22:00:00"), 1 },   /* 00:00 CEST, the 30th */
	};
	sales_days(A, dst, 3, "Europe/Berlin", &d, &n);
	ok(n == 3 && d[1].day == day_of("2026-03-29") && d[1].tickets == 1 &&
	    d[2].day == day_of("2026-03-30"), "the clocks going forward move "
	    "midnight by an hour");
	sales_days(A, slots, 0, "Europe/Berlin", &d, &n);
	is_int(n, 0, "no sales: no days");
}

int
main(void)
{
	arena_init(A, 0);
	test_search();
	test_days();
	arena_free(A);
	return done_testing();
}
