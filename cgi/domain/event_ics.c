#include "event_ics.h"

#include <string.h>

#include "arena.h"
#include "buf.h"
#include "dates.h"
#include "ics.h"

/* The domain part of UIDs: the configured site's host, so the UID of an
 * event stays the same however the file was fetched. */
static const char *
uid_domain(const char *url)
{
	const char *p = strstr(url, "://");

	return p ? p + 3 : url;
}

void
event_ics_write(struct buf *out, struct arena *a, const struct event *ev,
    const char *site_url, time_t now)
{
	time_t end = ev->ends_at > ev->starts_at ? ev->ends_at :
	    ev->starts_at + 3600;
	const char *location = arena_printf(a, "%s, %s%s%s", ev->venue,
	    ev->address, *ev->address ? ", " : "", ev->city);

	ics_line(out, "BEGIN", "VCALENDAR");
	ics_line(out, "VERSION", "2.0");
	ics_line(out, "PRODID", "-//Tessera//Tessera events//EN");
	ics_line(out, "CALSCALE", "GREGORIAN");
	ics_line(out, "METHOD", "PUBLISH");
	ics_line(out, "BEGIN", "VEVENT");
	ics_line(out, "UID", arena_printf(a, "event-%lld@%s", ev->id,
	    uid_domain(site_url)));
	ics_line(out, "DTSTAMP", dates_ics(a, now));
	ics_line(out, "DTSTART", dates_ics(a, ev->starts_at));
	ics_line(out, "DTEND", dates_ics(a, end));
	ics_text(out, "SUMMARY", ev->title);
	ics_text(out, "DESCRIPTION", ev->description);
	ics_text(out, "LOCATION", location);
	ics_line(out, "URL", arena_printf(a, "%s/events/%lld", site_url,
	    ev->id));
	ics_line(out, "STATUS", ev->status == EVENT_CANCELLED ? "CANCELLED" :
	    "CONFIRMED");
	ics_line(out, "END", "VEVENT");
	ics_line(out, "END", "VCALENDAR");
}
