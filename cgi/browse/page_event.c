#include <stdlib.h>
#include <time.h>

#include "program.h"
#include "browse.h"
#include "events.h"
#include "tmpl.h"
#include "view_event.h"

#define LATEST_REVIEWS 10

/* GET /events/{id} — one event with its tickets and latest reviews. */
int
page_event(struct request *r)
{
	struct arena *a = r->arena;
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);
	struct event ev;
	struct ticket_type *types;
	struct review *reviews;
	size_t ntypes, nreviews;
	struct tmpl_value *ctx;
	int rc;

	if ((rc = events_get(r->db, a, id, &ev)) == 1 ||
	    (rc == 0 && !events_is_public(&ev)))
		return 404;
	if (rc == 0)
		rc = events_ticket_types(r->db, a, id, &types, &ntypes);
	if (rc == 0)
		rc = events_reviews_latest(r->db, a, id, LATEST_REVIEWS, &reviews,
		    &nreviews);
	if (rc != 0)
		return rc == ROW_BAD ? 500 : 503;

	ctx = page_context(r, ev.title);
	tv_set(a, ctx, "event", view_event_detail(a, &ev));
	tv_set(a, ctx, "ticket_types", view_ticket_types(a, types, ntypes, &ev,
	    time(NULL)));
	tv_set_bool(a, ctx, "has_ticket_types", ntypes > 0);
	for (size_t i = 0; i < ntypes; i++)
		if (ev.status == EVENT_PUBLISHED && events_ticket_sale(&types[i],
		    ev.ends_at, time(NULL)) == TICKET_ON_SALE)
			tv_set_bool(a, ctx, "bookable", 1);
	tv_set_str(a, ctx, "book_url", arena_printf(a, "/events/%lld/book", id));
	tv_set(a, ctx, "reviews", view_reviews(a, reviews, nreviews));
	tv_set_bool(a, ctx, "has_reviews", nreviews > 0);
	tv_set_str(a, ctx, "ics_url", arena_printf(a, "/events/%lld.ics", id));
	tv_set_bool(a, ctx, "nav_events", 1);
	r->resp.cache = CACHE_PUBLIC;
	return page_render(r, "event", ctx);
}
