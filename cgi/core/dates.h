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
/* tm with strftime format fmt. */
char *dates_format(struct arena *a, const struct tm *tm, const char *fmt);
/* dates_format(dates_local_tm(t, tz), fmt). */
char *dates_local(struct arena *a, time_t t, const char *tz, const char *fmt);

#endif
