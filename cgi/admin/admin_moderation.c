#include <stdlib.h>

#include "admin_pages.h"
#include "audit.h"
#include "form.h"
#include "program.h"
#include "reviews.h"
#include "session.h"
#include "tmpl.h"
#include "view_event.h"

/*
 * GET /admin/moderation — reviews people reported, shown ones first and
 * the most reported first, for a site admin to hide (it leaves the
 * event's average and the public pages; its author still sees it) or
 * show again. Both are audited.
 */

#define MODERATION_PER_PAGE 50
#define MODERATION_MAX_PAGE 1000

static const char *const done_keys[] = { "hidden", "shown" };
static const char *const done_texts[] = {
	"The review is hidden: it no longer counts in the event's rating.",
	"The review is shown again and counts in the event's rating.",
};

int
admin_moderation(struct request *r)
{
	struct arena *a = r->arena;
	struct reported_review *rr;
	struct tmpl_value *ctx, *list;
	size_t n;
	int page, rc, done;

	if ((page = request_page_number(r, MODERATION_MAX_PAGE)) < 0)
		return 400;
	if ((rc = reviews_reported(r->db, a, MODERATION_PER_PAGE + 1,
	    (page - 1) * MODERATION_PER_PAGE, &rr, &n)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	ctx = page_context(r, "Moderation");
	list = tv_list(a);
	for (size_t i = 0; i < n && i < MODERATION_PER_PAGE; i++) {
		struct tmpl_value *v = tv_object(a);

		tv_set(a, v, "review", view_reviews(a, &rr[i].review, 1, 0));
		tv_set_int(a, v, "id", rr[i].review.id);
		tv_set_int(a, v, "reports", rr[i].review.reports);
		tv_set_bool(a, v, "hidden", rr[i].review.hidden);
		tv_set_str(a, v, "event_title", rr[i].event_title);
		tv_set_str(a, v, "event_url", arena_printf(a, "/events/%lld",
		    rr[i].review.event_id));
		tv_set_str(a, v, "reason", rr[i].last_reason);
		tv_push(a, list, v);
	}
	tv_set(a, ctx, "reported", list);
	tv_set_bool(a, ctx, "has_reported", n > 0);
	page_pager(r, ctx, "/admin/moderation", page, n > MODERATION_PER_PAGE,
	    MODERATION_MAX_PAGE);
	done = form_choice(done_keys, 2, request_query(r, "done"));
	if (done >= 0)
		tv_set_str(a, ctx, "done", done_texts[done]);
	return page_render(r, "admin_moderation", ctx);
}

static int
hidden_apply(struct request *r, void *arg)
{
	int hide = *(const int *)arg;
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);
	int rc;

	if ((rc = reviews_set_hidden(r->db, id, r->session->user_id, hide)) < 0)
		return -1;
	if (rc == 1)
		return 404;
	page_change_location(r, hide ? "/admin/moderation?done=hidden" :
	    "/admin/moderation?done=shown");
	return audit_log(r->db, r->session->user_id, hide ? "review.hide" :
	    "review.show", arena_printf(r->arena, "review %lld", id),
	    r->remote_addr, NULL);
}

/* POST /admin/moderation/reviews/{id}/hide */
int
admin_review_hide(struct request *r)
{
	static const int hide = 1;

	return page_change(r, hidden_apply, (void *)&hide, "/admin/moderation");
}

/* POST /admin/moderation/reviews/{id}/show */
int
admin_review_show(struct request *r)
{
	static const int hide = 0;

	return page_change(r, hidden_apply, (void *)&hide, "/admin/moderation");
}
