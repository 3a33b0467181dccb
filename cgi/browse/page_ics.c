#include <stdlib.h>
#include <time.h>

#include "program.h"
#include "browse.h"
#include "event_ics.h"
#include "events.h"

/* GET /events/{id}.ics — the event as an RFC 5545 calendar entry. */
int
page_event_ics(struct request *r)
{
	struct arena *a = r->arena;
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);
	struct event ev;
	int rc;

	if ((rc = events_get(r->db, a, id, &ev)) == 1 ||
	    (rc == 0 && !events_is_public(&ev)))
		return 404;
	if (rc != 0)
		return rc == ROW_BAD ? 500 : 503;
	buf_reset(r->resp.body);
	event_ics_write(r->resp.body, a, &ev, request_site_url(r), time(NULL));
	r->resp.content_type = "text/calendar; charset=utf-8";
	response_header(&r->resp, "Content-Disposition", arena_printf(a,
	    "attachment; filename=\"event-%lld.ics\"", id));
	r->resp.cache = CACHE_PUBLIC;
	return 0;
}
