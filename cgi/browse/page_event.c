#include <stdlib.h>
#include <time.h>

#include "program.h"
#include "browse.h"
#include "dates.h"
#include "db_events.h"
#include "tmpl.h"
#include "view_event.h"

#define LATEST_REVIEWS 10

static int
event_over(const struct db_rows *event)
{
	time_t end;

	return dates_parse_db(db_cell(event, 0, EV_ENDS_AT), &end) == 0 &&
	    end < time(NULL);
}

/* GET /events/{id} — one event with its tickets and latest reviews. */
int
page_event(struct request *r)
{
	struct arena *a = r->arena;
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);
	struct db_rows event, types, reviews;
	struct tmpl_value *ctx, *ev;

	if (db_event_get(r->db, a, id, &event) != 0)
		return 503;
	if (event.nrows == 0)
		return 404;
	if (db_ticket_types(r->db, a, id, &types) != 0 ||
	    db_reviews_latest(r->db, a, id, LATEST_REVIEWS, &reviews) != 0)
		return 503;

	ev = view_event_detail(a, &event);
	ctx = page_context(r, db_cell(&event, 0, EV_TITLE));
	tv_set(a, ctx, "event", ev);
	tv_set(a, ctx, "ticket_types", view_ticket_types(a, &types,
	    event_over(&event)));
	tv_set_bool(a, ctx, "has_ticket_types", types.nrows > 0);
	tv_set(a, ctx, "reviews", view_reviews(a, &reviews));
	tv_set_bool(a, ctx, "has_reviews", reviews.nrows > 0);
	tv_set_str(a, ctx, "ics_url", arena_printf(a, "/events/%lld.ics", id));
	tv_set_bool(a, ctx, "nav_events", 1);
	r->resp.cache = CACHE_PUBLIC;
	return page_render(r, "event", ctx);
}
