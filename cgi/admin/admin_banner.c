#include <stdlib.h>
#include <string.h>

#include "admin_pages.h"
#include "audit.h"
#include "event_banner.h"
#include "events.h"
#include "pictures.h"
#include "program.h"
#include "session.h"
#include "tmpl.h"
#include "view_picture.h"

/*
 * An event's banner (/admin/events/{id}/banner): its organizer picks one
 * of their own uploads that is shown on the site, or none. The event's
 * page and its cards show it (events.c reads it with the event). Only
 * the event's organizer (or a site admin) sees this page; for others it
 * is a 404.
 */

/* Most of the organizer's pictures offered. */
#define BANNER_CHOICES 60

static int
banner_page(struct request *r, const struct event *ev, const char *problem,
    int status)
{
	struct arena *a = r->arena;
	struct tmpl_value *ctx = page_context(r, arena_printf(a, "Banner: %s",
	    ev->title));
	struct tmpl_value *list = tv_list(a);
	struct picture *pics;
	size_t n, shown = 0;
	int rc;

	if ((rc = pictures_of_owner(r->db, a, ev->organizer_id, BANNER_CHOICES,
	    &pics, &n)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	for (size_t i = 0; i < n; i++) {
		struct tmpl_value *v;

		if (pics[i].status != PICTURE_READY)
			continue;
		v = view_picture(a, &pics[i]);
		tv_set_bool(a, v, "chosen", pics[i].id == ev->banner.id);
		tv_push(a, list, v);
		shown++;
	}
	tv_set_int(a, ctx, "event_id", ev->id);
	tv_set_bool(a, ctx, "on_banner", 1);
	tv_set_str(a, ctx, "event_title", ev->title);
	tv_set(a, ctx, "pictures", list);
	tv_set_bool(a, ctx, "has_pictures", shown > 0);
	tv_set_bool(a, ctx, "no_banner", ev->banner.id == 0);
	if (problem != NULL)
		tv_set_str(a, ctx, "problem", problem);
	if (request_query(r, "done") != NULL && problem == NULL)
		tv_set_bool(a, ctx, "done", 1);
	if ((rc = page_render(r, "admin_banner", ctx)) != 0)
		return rc;
	r->resp.status = status;
	return 0;
}

/* GET /admin/events/{id}/banner */
int
admin_banner(struct request *r)
{
	struct event ev;
	int rc;

	if ((rc = admin_managed_event(r, &ev)) != 0)
		return rc;
	return banner_page(r, &ev, NULL, 200);
}

static int
banner_apply(struct request *r, void *arg)
{
	long long picture_id = *(const long long *)arg;
	struct event ev;
	int rc;

	if ((rc = admin_managed_event(r, &ev)) != 0)
		return rc == 503 ? -1 : rc;
	switch (event_banner_set(r->db, ev.id, ev.organizer_id, picture_id)) {
	case 0:
		break;
	case 1:
		return banner_page(r, &ev, "Choose one of the organizer's "
		    "pictures shown on the site.", 400) == 0 ? PAGE_SHOWN : 500;
	default:
		return -1;
	}
	page_change_location(r, arena_printf(r->arena,
	    "/admin/events/%lld/banner?done=1", ev.id));
	return audit_log(r->db, r->session->user_id, "event.banner",
	    arena_printf(r->arena, "event %lld", ev.id), r->remote_addr,
	    picture_id ? arena_printf(r->arena, "picture %lld", picture_id) :
	    "none");
}

/* POST /admin/events/{id}/banner: picture (an id, or 0 for none). */
int
admin_banner_set(struct request *r)
{
	const char *v = params_get(&r->form, "picture");
	long long picture_id;
	char *end;

	if (v == NULL || *v == '\0' || strlen(v) > 19 ||
	    (picture_id = strtoll(v, &end, 10)) < 0 || *end != '\0') {
		r->error_detail = "Choose a picture, or no banner.";
		return 400;
	}
	return page_change(r, banner_apply, &picture_id, "/admin");
}
