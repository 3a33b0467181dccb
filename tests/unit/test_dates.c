#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dates.h"
#include "tap.h"

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
	ok(dates_parse_db("2026-12-05", &t) != 0, "date alone is not a time");
	ok(dates_parse_db(NULL, &t) != 0, "NULL is not a time");
	arena_free(&a);
	return done_testing();
}
