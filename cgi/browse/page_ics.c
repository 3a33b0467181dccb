#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "program.h"
#include "browse.h"
#include "dates.h"
#include "events.h"
#include "ics.h"

/* The domain part of UIDs: the configured site's host, so the UID of an
 * event stays the same however the file was fetched. */
static const char *
uid_domain(struct request *r)
{
	const char *url = request_site_url(r), *p = strstr(url, "://");

	return p ? p + 3 : url;
}

/* GET /events/{id}.ics — the event as an RFC 5545 calendar entry. */
int
page_event_ics(struct request *r)
{
	struct arena *a = r->arena;
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);
	struct event ev;
	struct buf *out = r->resp.body;
	time_t end;
	const char *location;
	int rc;

	if ((rc = events_get(r->db, a, id, &ev)) == 1 ||
	    (rc == 0 && !events_is_public(&ev)))
		return 404;
	if (rc != 0)
		return rc == ROW_BAD ? 500 : 503;
	end = ev.ends_at > ev.starts_at ? ev.ends_at : ev.starts_at + 3600;
	location = arena_printf(a, "%s, %s%s%s", ev.venue, ev.address,
	    *ev.address ? ", " : "", ev.city);

	buf_reset(out);
	ics_line(out, "BEGIN", "VCALENDAR");
	ics_line(out, "VERSION", "2.0");
	ics_line(out, "PRODID", "-//Tessera//Tessera events//EN");
	ics_line(out, "CALSCALE", "GREGORIAN");
	ics_line(out, "METHOD", "PUBLISH");
	ics_line(out, "BEGIN", "VEVENT");
	ics_line(out, "UID", arena_printf(a, "event-%lld@%s", id,
	    uid_domain(r)));
	ics_line(out, "DTSTAMP", dates_ics(a, time(NULL)));
	ics_line(out, "DTSTART", dates_ics(a, ev.starts_at));
	ics_line(out, "DTEND", dates_ics(a, end));
	ics_text(out, "SUMMARY", ev.title);
	ics_text(out, "DESCRIPTION", ev.description);
	ics_text(out, "LOCATION", location);
	ics_line(out, "URL", arena_printf(a, "%s/events/%lld", request_site_url(r),
	    id));
	ics_line(out, "STATUS", ev.status == EVENT_CANCELLED ? "CANCELLED" :
	    "CONFIRMED");
	ics_line(out, "END", "VEVENT");
	ics_line(out, "END", "VCALENDAR");

	r->resp.content_type = "text/calendar; charset=utf-8";
	response_header(&r->resp, "Content-Disposition", arena_printf(a,
	    "attachment; filename=\"event-%lld.ics\"", id));
	r->resp.cache = CACHE_PUBLIC;
	return 0;
}
