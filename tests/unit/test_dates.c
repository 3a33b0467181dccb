#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dates.h"
#include "tap.h"

/* The UTC text of wall time s in tz, or "gap", with " (twice)" when the
 * clocks show it twice. */
static const char *
utc_of(struct arena *a, const char *s, const char *tz)
{
	struct tm wall;
	time_t t;
	int rc;

	if (dates_parse_local(s, &wall) != 0)
		return "unparsed";
	if ((rc = dates_from_local(&wall, tz, &t)) < 0)
		return "gap";
	return arena_printf(a, "%s%s", dates_db(a, t), rc ? " (twice)" : "");
}

static void
test_local(void)
{
	struct arena a;
	struct tm tm;

	arena_init(&a, 0);
	ok(dates_parse_local("2026-03-29T19:30", &tm) == 0 &&
	    tm.tm_year == 126 && tm.tm_mon == 2 && tm.tm_mday == 29 &&
	    tm.tm_hour == 19 && tm.tm_min == 30 && tm.tm_sec == 0,
	    "a datetime-local value parses into its fields");
	ok(dates_parse_local("2026-03-29T19:30:15", &tm) == 0 &&
	    tm.tm_sec == 15, "with seconds");
	ok(dates_parse_local("2026-03-29 19:30", &tm) == 0,
	    "with a space for the T");
	ok(dates_parse_local("2024-02-29T00:00", &tm) == 0, "a leap day");
	ok(dates_parse_local("2026-02-29T00:00", &tm) != 0, "no leap day");
	ok(dates_parse_local("2026-04-31T10:00", &tm) != 0, "April 31");
	ok(dates_parse_local("2026-03-29T24:00", &tm) != 0, "hour 24");
	ok(dates_parse_local("2026-03-29T23:60", &tm) != 0, "minute 60");
	ok(dates_parse_local("2026-03-29T23:59:60", &tm) != 0,
	    "a leap second (a form has no use for it)");
	ok(dates_parse_local("2026-03-29T9:30", &tm) != 0, "unpadded hour");
	ok(dates_parse_local("2026-03-29T19:30Z", &tm) != 0, "a zone suffix");
	ok(dates_parse_local("2026-03-29T19:30:00.5", &tm) != 0,
	    "fractions of a second");
	ok(dates_parse_local("2026-03-29", &tm) != 0, "a date alone");
	ok(dates_parse_local("", &tm) != 0, "empty");

	/* Europe/Berlin: the clocks go from 02:00 to 03:00 on the last Sunday
	 * of March, and from 03:00 back to 02:00 on the last of October. */
	is_str(utc_of(&a, "2026-03-29T01:59", "Europe/Berlin"),
	    "2026-03-29 00:59:00", "the last minute of winter time");
	is_str(utc_of(&a, "2026-03-29T02:00", "Europe/Berlin"), "gap",
	    "02:00 never shows on 29 March");
	is_str(utc_of(&a, "2026-03-29T02:30", "Europe/Berlin"), "gap",
	    "nor 02:30");
	is_str(utc_of(&a, "2026-03-29T02:59:59", "Europe/Berlin"), "gap",
	    "nor 02:59:59");
	is_str(utc_of(&a, "2026-03-29T03:00", "Europe/Berlin"),
	    "2026-03-29 01:00:00", "03:00 is the first minute of summer time");
	is_str(utc_of(&a, "2026-10-25T01:59", "Europe/Berlin"),
	    "2026-10-24 23:59:00", "before the hour that repeats");
	is_str(utc_of(&a, "2026-10-25T02:00", "Europe/Berlin"),
	    "2026-10-25 00:00:00 (twice)", "02:00 shows twice on 25 October");
	is_str(utc_of(&a, "2026-10-25T02:30", "Europe/Berlin"),
	    "2026-10-25 00:30:00 (twice)", "02:30 too: the first is taken");
	is_str(utc_of(&a, "2026-10-25T02:59", "Europe/Berlin"),
	    "2026-10-25 00:59:00 (twice)", "up to 02:59");
	is_str(utc_of(&a, "2026-10-25T03:00", "Europe/Berlin"),
	    "2026-10-25 02:00:00", "03:00 shows once, in winter time");
	is_str(utc_of(&a, "2026-07-01T12:00", "Europe/Berlin"),
	    "2026-07-01 10:00:00", "summer");
	is_str(utc_of(&a, "2026-12-31T23:30", "Europe/Berlin"),
	    "2026-12-31 22:30:00", "winter, across the new year in UTC");
	is_str(utc_of(&a, "2026-03-08T02:30", "America/New_York"), "gap",
	    "New York skips 02:30 on 8 March");
	is_str(utc_of(&a, "2026-11-01T01:30", "America/New_York"),
	    "2026-11-01 05:30:00 (twice)", "and repeats 01:30 on 1 November");
	is_str(utc_of(&a, "2026-03-29T02:30", "UTC"),
	    "2026-03-29 02:30:00", "UTC has no gaps");
	is_str(utc_of(&a, "2026-03-29T02:30", "Asia/Kolkata"),
	    "2026-03-28 21:00:00", "a half-hour offset");
	arena_free(&a);
}

static void
test_zones(void)
{
	ok(dates_zone_valid("Europe/Berlin"), "Europe/Berlin is a zone");
	ok(dates_zone_valid("UTC"), "so is UTC");
	ok(dates_zone_valid("America/Argentina/Buenos_Aires"),
	    "three-part names");
	ok(dates_zone_valid("Etc/GMT+5"), "a name with a sign");
	ok(!dates_zone_valid("Europe/Atlantis"), "a made-up city is none");
	ok(!dates_zone_valid("Europe"), "nor a folder of zones");
	ok(!dates_zone_valid("zone.tab"), "nor a table of the database");
	ok(!dates_zone_valid("../../etc/passwd"), "nor a path out");
	ok(!dates_zone_valid("/etc/localtime"), "nor an absolute path");
	ok(!dates_zone_valid("Europe//Berlin"), "nor an empty part");
	ok(!dates_zone_valid("right/Europe/Berlin"),
	    "nor a zone counting leap seconds");
	ok(!dates_zone_valid("CET-1CEST,M3.5.0,M10.5.0/3"),
	    "nor a POSIX rule");
	ok(!dates_zone_valid(""), "nor empty");
	ok(!dates_zone_valid(NULL), "nor NULL");
}

int
main(void)
{
	struct arena a;
	time_t t;

	arena_init(&a, 0);
	ok(dates_parse_day("2026-12-05", &t) == 0, "a real day parses");
	is_str(dates_db(&a, t), "2026-12-05 00:00:00", "as midnight UTC");
	ok(dates_parse_day("2024-02-29", &t) == 0, "leap day in a leap year");
	ok(dates_parse_day("2026-02-29", &t) != 0, "no leap day otherwise");
	ok(dates_parse_day("1900-02-29", &t) != 0, "1900 is not a leap year");
	ok(dates_parse_day("2026-13-01", &t) != 0, "month 13 refused");
	ok(dates_parse_day("2026-04-31", &t) != 0, "April 31 refused");
	ok(dates_parse_day("2026-4-1", &t) != 0, "unpadded refused");
	ok(dates_parse_day("2026-04-01x", &t) != 0, "trailing text refused");
	ok(dates_parse_day("", &t) != 0, "empty refused");
	ok(dates_parse_day("20260401", &t) != 0, "compact form refused");
	ok(dates_parse_day("1969-12-31", &t) != 0, "before 1970 refused");
	ok(dates_parse_day("２０２６-01-01", &t) != 0, "non-ASCII digits refused");

	ok(dates_parse_db("2026-12-05 18:30:00", &t) == 0, "database time parses");
	is_str(dates_ics(&a, t), "20261205T183000Z", "iCalendar UTC form");
	is_str(dates_iso(&a, t), "2026-12-05T18:30:00Z", "ISO 8601 form");
	is_str(dates_local(&a, t, "Europe/Berlin", "%H:%M %Z"), "19:30 CET",
	    "shown in the event's zone");
	is_str(dates_local(&a, t, "America/New_York", "%H:%M %Z"), "13:30 EST",
	    "another zone");
	ok(dates_parse_db("2026-07-01 12:00:00", &t) == 0, "summer time parses");
	is_str(dates_local(&a, t, "Europe/Lisbon", "%H:%M %Z"), "13:00 WEST",
	    "daylight saving time applied");
	is_str(dates_local(&a, t, "../etc/passwd", "%H:%M"), "12:00",
	    "a bad zone name falls back to UTC");
	/* Europe/Berlin springs forward at 01:00 UTC on 29 March 2026. */
	ok(dates_parse_db("2026-03-29 00:59:59", &t) == 0, "just before DST");
	is_str(dates_local(&a, t, "Europe/Berlin", "%H:%M:%S %Z"),
	    "01:59:59 CET", "the last second of winter time");
	is_str(dates_local(&a, t + 1, "Europe/Berlin", "%H:%M:%S %Z"),
	    "03:00:00 CEST", "the first second of summer time");
	is_str(dates_local(&a, t, "Europe/Lisbon", "%H:%M %Z"), "00:59 WET",
	    "zones alternate without mixing up their offsets");
	is_str(dates_local(&a, t, "Europe/Berlin", "%H:%M %Z"), "01:59 CET",
	    "and the first zone is answered again from the cache");
	{
		/* Against the C library itself, over most of a year of
		 * quarter-odd offsets and two DST changes in St. John's. */
		int same = 1;

		for (int i = 0; i < 3000 && same; i++) {
			const char *z = i % 2 ? "Asia/Kolkata" : "America/St_Johns";
			time_t when = t + (time_t)i * 7919;
			char want[32];
			struct tm tm;

			setenv("TZ", z, 1);
			tzset();
			localtime_r(&when, &tm);
			strftime(want, sizeof(want), "%z %Z %H:%M", &tm);
			if (strcmp(dates_local(&a, when, z, "%z %Z %H:%M"),
			    want) != 0) {
				same = 0;
				printf("# %s at %lld: want %s\n", z,
				    (long long)when, want);
			}
		}
		ok(same, "cached offsets agree with the C library");
	}
	test_local();
	test_zones();
	ok(dates_parse_db("2026-12-05", &t) != 0, "date alone is not a time");
	ok(dates_parse_db(NULL, &t) != 0, "NULL is not a time");
	arena_free(&a);
	return done_testing();
}
