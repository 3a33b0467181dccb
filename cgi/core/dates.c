#include "dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Reads exactly n ASCII digits. */
static int
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int
parse_ymd(const char *s, struct tm *tm)
{
	int y, m, d;

	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) ||
	    s[7] != '-' || digits(s + 8, 2, &d))
		return -1;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	return 0;
}

int
dates_parse_day(const char *s, time_t *out)
{
	struct tm tm;

	if (strlen(s) != 10 || parse_ymd(s, &tm) != 0)
		return -1;
	*out = timegm(&tm);
	return 0;
}

int
dates_parse_local(const char *s, struct tm *out)
{
	struct tm tm;
	size_t len = strlen(s);
	int h, mi, se = 0;

	if ((len != 16 && len != 19) || parse_ymd(s, &tm) != 0 ||
	    (s[10] != 'T' && s[10] != ' ') || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &mi) || h > 23 || mi > 59)
		return -1;
	if (len == 19 && (s[16] != ':' || digits(s + 17, 2, &se) || se > 59))
		return -1;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*out = tm;
	return 0;
}

int
dates_parse_db(const char *s, time_t *out)
{
	struct tm tm;
	int h, mi, se;

	if (s == NULL || strlen(s) < 19 || parse_ymd(s, &tm) != 0 ||
	    s[10] != ' ' || digits(s + 11, 2, &h) || s[13] != ':' ||
	    digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &se) ||
	    h > 23 || mi > 59 || se > 60)
		return -1;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*out = timegm(&tm);
	return 0;
}

static char *
format_utc(struct arena *a, time_t t, const char *fmt)
{
	char out[64];
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, sizeof(out), fmt, &tm);
	return arena_strdup(a, out);
}

char *
dates_db(struct arena *a, time_t t)
{
	return format_utc(a, t, "%Y-%m-%d %H:%M:%S");
}

char *
dates_ics(struct arena *a, time_t t)
{
	return format_utc(a, t, "%Y%m%dT%H%M%SZ");
}

char *
dates_iso(struct arena *a, time_t t)
{
	return format_utc(a, t, "%Y-%m-%dT%H:%M:%SZ");
}

/*
 * The C library converts to a named zone only through TZ, and re-reads the
 * zone's file whenever TZ changes, which a page listing events in several
 * zones would do for every row. So each worker remembers the offset and
 * abbreviation of (zone, quarter hour): zone offsets only ever change at
 * instants that are whole quarter hours in UTC, so one answer holds for
 * the whole quarter. Workers are single-threaded processes, which makes
 * the TZ switching and the cache safe.
 */
#define ZONE_SLOTS 1024
#define ZONE_BUCKET_SECONDS 900

struct zone_slot {
	char tz[64];
	time_t bucket;
	long gmtoff;
	char abbr[16];
};

static struct zone_slot zone_cache[ZONE_SLOTS];

static size_t
zone_hash(const char *tz, time_t bucket)
{
	size_t h = (size_t)bucket * 2654435761u;

	for (; *tz != '\0'; tz++)
		h = h * 31 + (unsigned char)*tz;
	return h % ZONE_SLOTS;
}

/* Fills slot for tz at t by asking the C library, switching TZ. */
static void
zone_lookup(struct zone_slot *slot, const char *tz, time_t t, time_t bucket)
{
	const char *current = getenv("TZ");
	struct tm tm;

	if (current == NULL || strcmp(current, tz) != 0) {
		setenv("TZ", tz, 1);
		tzset();
	}
	localtime_r(&t, &tm);
	snprintf(slot->tz, sizeof(slot->tz), "%s", tz);
	slot->bucket = bucket;
	slot->gmtoff = tm.tm_gmtoff;
	snprintf(slot->abbr, sizeof(slot->abbr), "%s",
	    tm.tm_zone ? tm.tm_zone : "");
}

/* The cache's answer for tz at t; a name it cannot use is UTC. */
static const struct zone_slot *
zone_at(const char *tz, time_t t)
{
	time_t bucket = t / ZONE_BUCKET_SECONDS;
	struct zone_slot *slot;

	if (tz == NULL || *tz == '\0' || strlen(tz) >= sizeof(slot->tz) ||
	    strstr(tz, "..") != NULL || tz[0] == '/')
		tz = "UTC";
	slot = &zone_cache[zone_hash(tz, bucket)];
	if (slot->bucket != bucket || strcmp(slot->tz, tz) != 0)
		zone_lookup(slot, tz, t, bucket);
	return slot;
}

void
dates_local_tm(struct arena *a, time_t t, const char *tz, struct tm *out)
{
	const struct zone_slot *slot = zone_at(tz, t);
	time_t local;

	local = t + slot->gmtoff;
	gmtime_r(&local, out);
	out->tm_gmtoff = slot->gmtoff;
	out->tm_zone = arena_strdup(a, slot->abbr);
}

/*
 * Read as UTC, the wall time is the instant plus the zone's offset, and
 * every offset lies within a day of it. A zone changes its offset at most
 * once within two days, so the offsets a day before and a day after are
 * the only candidates: each that gives back itself at the instant it
 * names is an answer.
 */
int
dates_from_local(const struct tm *wall, const char *tz, time_t *out)
{
	struct tm tm = *wall;
	time_t as_utc, found[2];
	long offsets[3];
	int n = 0;

	tm.tm_isdst = 0;
	as_utc = timegm(&tm);
	offsets[0] = zone_at(tz, as_utc - 86400)->gmtoff;
	offsets[1] = zone_at(tz, as_utc)->gmtoff;
	offsets[2] = zone_at(tz, as_utc + 86400)->gmtoff;
	for (int i = 0; i < 3; i++) {
		time_t t = as_utc - offsets[i];
		int seen = 0;

		if (zone_at(tz, t)->gmtoff != offsets[i])
			continue;
		for (int j = 0; j < n; j++)
			seen |= found[j] == t;
		if (!seen && n < 2)
			found[n++] = t;
	}
	if (n == 0)
		return -1;
	if (n == 2 && found[1] < found[0])
		found[0] = found[1];
	*out = found[0];
	return n == 1 ? 0 : 1;
}

int
dates_zone_valid(const char *tz)
{
	const char *dir = getenv("TZDIR");
	char path[512], magic[4];
	size_t len;
	FILE *f;
	int ok;

	if (tz == NULL || (len = strlen(tz)) == 0 ||
	    len >= sizeof(zone_cache[0].tz) ||
	    strspn(tz, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789/_+-") != len || tz[0] == '/' || tz[0] == '-' ||
	    tz[len - 1] == '/' || strstr(tz, "//") != NULL ||
	    strstr(tz, "/-") != NULL || strncmp(tz, "right/", 6) == 0)
		return 0;
	/* Only a compiled zone file counts: the directory also holds tables
	 * (zone.tab, tzdata.zi) that are no zones. */
	snprintf(path, sizeof(path), "%s/%s",
	    dir != NULL && *dir == '/' ? dir : "/usr/share/zoneinfo", tz);
	if ((f = fopen(path, "rb")) == NULL)
		return 0;
	ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	return ok;
}

char *
dates_format(struct arena *a, const struct tm *tm, const char *fmt)
{
	char out[128];

	if (strftime(out, sizeof(out), fmt, tm) == 0)
		out[0] = '\0';
	return arena_strdup(a, out);
}

char *
dates_local(struct arena *a, time_t t, const char *tz, const char *fmt)
{
	struct tm tm;

	dates_local_tm(a, t, tz, &tm);
	return dates_format(a, &tm, fmt);
}
