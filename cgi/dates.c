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
 * The C library converts to a named zone only through TZ, so the worker
 * switches TZ when the zone differs from the last one used. Workers are
 * single-threaded processes, which makes this safe.
 */
char *
dates_local(struct arena *a, time_t t, const char *tz, const char *fmt)
{
	static char current[64];
	char out[128];
	struct tm tm;

	if (tz == NULL || *tz == '\0' || strlen(tz) >= sizeof(current) ||
	    strstr(tz, "..") != NULL || tz[0] == '/')
		tz = "UTC";
	if (strcmp(current, tz) != 0) {
		setenv("TZ", tz, 1);
		tzset();
		snprintf(current, sizeof(current), "%s", tz);
	}
	localtime_r(&t, &tm);
	if (strftime(out, sizeof(out), fmt, &tm) == 0)
		out[0] = '\0';
	return arena_strdup(a, out);
}
