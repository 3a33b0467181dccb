#include "program.h"
#include "browse.h"
#include "db_events.h"
#include "tmpl.h"
#include "view_event.h"

#define HOME_EVENTS 12

/* GET / — the soonest upcoming events. */
int
page_home(struct request *r)
{
	struct db_rows rows;
	struct tmpl_value *ctx;

	if (db_events_upcoming(r->db, r->arena, HOME_EVENTS, &rows) != 0)
		return 503;
	ctx = page_context(r, "Upcoming events");
	tv_set(r->arena, ctx, "events", view_event_cards(r->arena, &rows,
	    HOME_EVENTS));
	tv_set_bool(r->arena, ctx, "has_events", rows.nrows > 0);
	tv_set_bool(r->arena, ctx, "nav_home", 1);
	r->resp.cache = CACHE_PUBLIC;
	return page_render(r, "home", ctx);
}
