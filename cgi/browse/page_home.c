#include "program.h"
#include "browse.h"
#include "events.h"
#include "tmpl.h"
#include "view_event.h"

#define HOME_EVENTS 12

/* GET / — the soonest upcoming events. */
int
page_home(struct request *r)
{
	struct event *events;
	struct tmpl_value *ctx;
	size_t n;
	int rc;

	if ((rc = events_upcoming(r->db, r->arena, HOME_EVENTS, &events,
	    &n)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	ctx = page_context(r, "Upcoming events");
	tv_set(r->arena, ctx, "events", view_event_cards(r->arena, events, n,
	    HOME_EVENTS));
	tv_set_bool(r->arena, ctx, "has_events", n > 0);
	tv_set_bool(r->arena, ctx, "nav_home", 1);
	r->resp.cache = CACHE_PUBLIC;
	return page_render(r, "home", ctx);
}
