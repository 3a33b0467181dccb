/*
 * Dates as the site uses them. The database stores UTC DATETIME text
 * ("2026-12-05 18:30:00"); pages show it in the event's own time zone;
 * calendar files use UTC ("20261205T183000Z"). Returned strings are
 * arena-owned.
 */
#ifndef TESSERA_DATES_H
#define TESSERA_DATES_H

#include <time.h>

struct arena;

/* Strict YYYY-MM-DD of a real calendar day between years 1970 and 9999.
 * Returns 0 and fills *out (00:00 UTC that day), or -1. */
int dates_parse_day(const char *s, time_t *out);
/* The value of an HTML datetime-local input, "YYYY-MM-DDTHH:MM" (or
 * "THH:MM:SS"; a space for the T, as people type it where the browser has
 * no date picker), of a real day between years 1970 and 9999: fills the
 * wall-clock fields of *out (year, month, day, hour, minute, second; the
 * rest zero). Returns 0, or -1. It names no instant until a zone is
 * chosen (dates_from_local). */
int dates_parse_local(const char *s, struct tm *out);
/* "YYYY-MM-DD HH:MM:SS" as UTC. Returns 0 or -1. */
int dates_parse_db(const char *s, time_t *out);
/* UTC time t as "YYYY-MM-DD HH:MM:SS", for statement arguments. */
char *dates_db(struct arena *a, time_t t);
/* UTC time t as YYYYMMDDTHHMMSSZ (RFC 5545 DATE-TIME, UTC form). */
char *dates_ics(struct arena *a, time_t t);
/* UTC time t as an ISO 8601 string for <time datetime="...">. */
char *dates_iso(struct arena *a, time_t t);
/* t as broken-down time in zone tz (IANA name); an unknown zone gives UTC.
 * tm_zone (the abbreviation, for %Z) is arena-owned. */
void dates_local_tm(struct arena *a, time_t t, const char *tz,
    struct tm *out);
/*
 * The instant at which the clocks of zone tz (IANA name) show the wall
 * time in wall (tm_year, tm_mon, tm_mday, tm_hour, tm_min, tm_sec; the
 * other fields are ignored). Returns 0 with *out set when they show it
 * once; 1 when they show it twice (the hour repeated when the clocks go
 * back), with *out the first of the two, as RFC 5545 reads such times;
 * -1 when they never show it (the hour skipped when the clocks go
 * forward), leaving *out alone. An unknown zone is UTC, as for
 * dates_local_tm: check names with dates_zone_valid first.
 */
int dates_from_local(const struct tm *wall, const char *tz, time_t *out);
/* 1 when tz names a zone of the system's time zone database (an IANA
 * name such as "Europe/Berlin" or "UTC"), 0 otherwise. */
int dates_zone_valid(const char *tz);
/* tm with strftime format fmt. */
char *dates_format(struct arena *a, const struct tm *tm, const char *fmt);
/* dates_format(dates_local_tm(t, tz), fmt). */
char *dates_local(struct arena *a, time_t t, const char *tz, const char *fmt);

#endif
