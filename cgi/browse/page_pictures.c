#include <stdlib.h>
#include <string.h>

#include "program.h"
#include "browse.h"
#include "form.h"
#include "http_url.h"
#include "pictures.h"
#include "picture_purchases.h"
#include "session.h"
#include "tmpl.h"
#include "util.h"
#include "view_picture.h"

/*
 * The gallery, /pictures: recent or popular this week (?sort=popular),
 * one event's (?event=ID) or one author's (?author=ID), in pages; and a
 * picture's own page, /pictures/{id}. Only pictures that are ready and
 * whose author is not disabled are shown (pictures.h).
 */

#define PER_PAGE 24
#define MAX_PAGE 200

static const char *const sort_names[] = { "recent", "popular" };

struct gallery_query {
	enum picture_list which;
	long long filter;
	const char *sort, *event, *author;   /* as given, for the links */
	int page;
};

/* A positive id from the query, or 0 when absent; -1 when malformed. */
static long long
query_id(const char *s)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return 0;
	if (strlen(s) > 18 || *s < '1' || *s > '9')
		return -1;
	v = strtoll(s, &end, 10);
	return *end == '\0' ? v : -1;
}

/* Reads the query. Returns 0, or 400 with r->error_detail. */
static int
parse_gallery(struct request *r, struct gallery_query *q)
{
	long long event, author;
	int sort;

	memset(q, 0, sizeof(*q));
	q->sort = request_query(r, "sort");
	q->event = request_query(r, "event");
	q->author = request_query(r, "author");
	sort = q->sort != NULL ? form_choice(sort_names, ARRAY_LEN(sort_names),
	    q->sort) : 0;
	event = query_id(q->event);
	author = query_id(q->author);
	if (sort < 0 || event < 0 || author < 0 || (event && author)) {
		r->error_detail = "This gallery link is not one we make: sort "
		    "is recent or popular, and event or author a number (not "
		    "both).";
		return 400;
	}
	if ((q->page = request_page_number(r, MAX_PAGE)) < 0)
		return 400;
	q->which = event ? PICTURES_BY_EVENT : author ? PICTURES_BY_OWNER :
	    sort == 1 ? PICTURES_POPULAR : PICTURES_RECENT;
	q->filter = event ? event : author;
	if (sort == 0)
		q->sort = NULL;
	return 0;
}

static const char *
gallery_url(struct arena *a, const struct gallery_query *q, int page)
{
	static const char *const names[] = { "sort", "event", "author" };
	const char *const values[] = { q->sort, q->event, q->author };

	return url_with_query(a, "/pictures", names, values, ARRAY_LEN(names),
	    page);
}

/* GET /pictures */
int
page_pictures(struct request *r)
{
	struct arena *a = r->arena;
	struct gallery_query q;
	struct picture *list;
	struct tmpl_value *ctx, *items;
	const char *heading = "Pictures";
	size_t n;
	int rc;

	if ((rc = parse_gallery(r, &q)) != 0)
		return rc;
	if ((rc = pictures_list(r->db, a, q.which, q.filter, PER_PAGE + 1,
	    (q.page - 1) * PER_PAGE, &list, &n)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	items = tv_list(a);
	for (size_t i = 0; i < n && i < PER_PAGE; i++)
		tv_push(a, items, view_picture(a, &list[i]));
	if (q.which == PICTURES_POPULAR)
		heading = "Popular pictures this week";
	else if (q.which == PICTURES_BY_EVENT)
		heading = n > 0 ? arena_printf(a, "Pictures of %s",
		    list[0].event_title) : "Pictures of this event";
	else if (q.which == PICTURES_BY_OWNER)
		heading = n > 0 ? arena_printf(a, "Pictures by %s",
		    list[0].owner_name[0] ? list[0].owner_name :
		    "Deleted user") : "Pictures by this author";
	ctx = page_context(r, heading);
	tv_set_str(a, ctx, "heading", heading);
	tv_set(a, ctx, "pictures", items);
	tv_set_bool(a, ctx, "no_results", n == 0);
	tv_set_bool(a, ctx, "tab_recent", q.which == PICTURES_RECENT);
	tv_set_bool(a, ctx, "tab_popular", q.which == PICTURES_POPULAR);
	tv_set_bool(a, ctx, "filtered", q.which != PICTURES_RECENT);
	tv_set_int(a, ctx, "page", q.page);
	if (q.page > 1)
		tv_set_str(a, ctx, "prev_url", gallery_url(a, &q, q.page - 1));
	if (n > PER_PAGE && q.page < MAX_PAGE)
		tv_set_str(a, ctx, "next_url", gallery_url(a, &q, q.page + 1));
	tv_set_bool(a, ctx, "has_pages", q.page > 1 || n > PER_PAGE);
	tv_set_bool(a, ctx, "nav_pictures", 1);
	r->resp.cache = CACHE_PUBLIC;
	return page_render(r, "pictures", ctx);
}

/* GET /pictures/{id} */
int
page_picture(struct request *r)
{
	struct arena *a = r->arena;
	struct picture p;
	struct tmpl_value *ctx;
	int rc, liked = 0, own = 0, bought = 0;

	rc = pictures_get(r->db, a, strtoll(request_path_param(r, "id"), NULL,
	    10), &p);
	if (rc == 1)
		return 404;
	if (rc == 0 && r->session != NULL)
		rc = (liked = pictures_liked(r->db, a, p.id,
		    r->session->user_id)) < 0 ? -1 : 0;
	/* A priced original: its owner and its buyers download it, the
	 * others may buy it. */
	if (rc == 0 && r->session != NULL && p.price > 0) {
		own = p.owner_id == r->session->user_id;
		if (!own)
			rc = (bought = picture_purchases_has(r->db, a, DB_READ,
			    p.id, r->session->user_id)) < 0 ? -1 : 0;
	}
	if (rc != 0)
		return rc == ROW_BAD ? 500 : 503;
	ctx = page_context(r, p.title);
	tv_set(a, ctx, "picture", view_picture(a, &p));
	tv_set_bool(a, ctx, "liked", liked);
	tv_set_bool(a, ctx, "may_download", p.price == 0 || own || bought);
	tv_set_bool(a, ctx, "bought", bought);
	tv_set_bool(a, ctx, "may_buy", p.price > 0 && !own && !bought);
	tv_set_str(a, ctx, "buy_action", arena_printf(a, "/pictures/%lld/buy",
	    p.id));
	tv_set_str(a, ctx, "like_action", arena_printf(a, "/pictures/%lld/like",
	    p.id));
	tv_set_str(a, ctx, "report_action", arena_printf(a,
	    "/pictures/%lld/report", p.id));
	tv_set_bool(a, ctx, "reported", request_query(r, "reported") != NULL);
	tv_set_bool(a, ctx, "nav_pictures", 1);
	r->resp.cache = CACHE_PUBLIC;
	return page_render(r, "picture", ctx);
}
