#include <stdlib.h>
#include <time.h>

#include "program.h"
#include "browse.h"
#include "events.h"
#include "http_url.h"
#include "page_cache.h"
#include "pictures.h"
#include "reviews.h"
#include "session.h"
#include "tmpl.h"
#include "view_event.h"
#include "view_picture.h"

/* Pictures of its gallery an event's page shows; the rest are a link. */
#define EVENT_GALLERY_SIZE 6

/* Pages of reviews one can go through: 1,000 reviews and more. */
#define MAX_REVIEW_PAGE 1000

/* The event page at another page of its reviews. */
static const char *
reviews_page_url(struct arena *a, long long id, int page)
{
	return arena_printf(a, "%s#reviews", url_with_query(a,
	    arena_printf(a, "/events/%lld", id), NULL, NULL, 0, page));
}

/* GET /events/{id} — one event with its tickets, the latest pictures of
 * its gallery and a page of its reviews (?page=N), newest first, with the
 * rating's breakdown from the event row. The same for everyone but its
 * organizer (who may reply to reviews): kept a moment per worker
 * (page_cache.h). */
int
page_event(struct request *r)
{
	struct arena *a = r->arena;
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);
	struct page_cache_page p = {
		.key = arena_printf(a, "%s?%s", r->path, r->query),
		.nav = "nav_events",
		.content = "event",
	};
	struct event ev;
	struct ticket_type *types;
	struct review *reviews;
	struct picture *pics;
	size_t ntypes, nreviews, npics = 0;
	struct tmpl_value *ctx, *rating, *gallery;
	int rc, page, organizer;

	r->resp.cache = CACHE_PUBLIC;
	if (page_cache_serve(r, p.key) == 0)
		return 0;
	if ((page = request_page_number(r, MAX_REVIEW_PAGE)) < 0)
		return 400;
	if ((rc = events_get_with_types(r->db, a, id, &ev, &types,
	    &ntypes)) == 1 || (rc == 0 && !events_is_public(&ev)))
		return 404;
	/* One more than a page tells whether there is a next one. */
	if (rc == 0)
		rc = reviews_list(r->db, a, id, REVIEWS_PAGE_SIZE + 1,
		    (page - 1) * REVIEWS_PAGE_SIZE, &reviews, &nreviews);
	/* The gallery's latest, one more to tell there are others. */
	if (rc == 0)
		rc = pictures_list(r->db, a, PICTURES_BY_EVENT, id,
		    EVENT_GALLERY_SIZE + 1, 0, &pics, &npics);
	if (rc != 0)
		return rc == ROW_BAD ? 500 : 503;

	p.title = ev.title;
	p.owner = ev.organizer_id;
	ctx = tv_object(a);
	tv_set(a, ctx, "event", view_event_detail(a, &ev));
	tv_set(a, ctx, "ticket_types", view_ticket_types(a, types, ntypes, &ev,
	    time(NULL)));
	tv_set_bool(a, ctx, "has_ticket_types", ntypes > 0);
	for (size_t i = 0; i < ntypes; i++)
		if (ev.status == EVENT_PUBLISHED && events_ticket_sale(&types[i],
		    ev.ends_at, time(NULL)) == TICKET_ON_SALE)
			tv_set_bool(a, ctx, "bookable", 1);
	tv_set_str(a, ctx, "book_url", arena_printf(a, "/events/%lld/book", id));
	organizer = r->session != NULL && r->session->user_id == ev.organizer_id;
	tv_set(a, ctx, "reviews", view_reviews(a, reviews,
	    nreviews > REVIEWS_PAGE_SIZE ? REVIEWS_PAGE_SIZE : nreviews,
	    organizer));
	tv_set_bool(a, ctx, "has_reviews", nreviews > 0);
	if ((rating = view_rating_breakdown(a, &ev)) != NULL)
		tv_set(a, ctx, "rating", rating);
	/* Anyone may follow it: the form says who may write. */
	if (time(NULL) >= ev.starts_at && ev.status == EVENT_PUBLISHED)
		tv_set_str(a, ctx, "review_url", arena_printf(a,
		    "/events/%lld/reviews", id));
	tv_set_int(a, ctx, "page", page);
	if (page > 1)
		tv_set_str(a, ctx, "prev_url", reviews_page_url(a, id, page - 1));
	if (nreviews > REVIEWS_PAGE_SIZE && page < MAX_REVIEW_PAGE)
		tv_set_str(a, ctx, "next_url", reviews_page_url(a, id, page + 1));
	tv_set_bool(a, ctx, "has_pages", page > 1 ||
	    nreviews > REVIEWS_PAGE_SIZE);
	gallery = tv_list(a);
	for (size_t i = 0; i < npics && i < EVENT_GALLERY_SIZE; i++)
		tv_push(a, gallery, view_picture(a, &pics[i]));
	tv_set(a, ctx, "gallery", gallery);
	tv_set_bool(a, ctx, "has_gallery", npics > 0);
	tv_set_bool(a, ctx, "more_gallery", npics > EVENT_GALLERY_SIZE);
	tv_set_str(a, ctx, "gallery_url", arena_printf(a, "/pictures?event=%lld",
	    id));
	tv_set_str(a, ctx, "ics_url", arena_printf(a, "/events/%lld.ics", id));
	return page_cache_render(r, &p, ctx);
}
