#include <stdlib.h>

#include "admin_pages.h"
#include "program.h"
#include "csrf.h"
#include "dates.h"
#include "form.h"
#include "media_store.h"
#include "picture_files.h"
#include "picture_reports.h"
#include "session.h"
#include "tmpl.h"

/*
 * Site admins' moderation of pictures: /admin/moderation/pictures lists
 * the open reports, each with buttons that hide or delete its picture
 * (picture_reports.h: audited, and the owner is told by the worker).
 */

#define REPORTS_MAX 200

static const char *const done_keys[] = { "hidden", "deleted" };
static const char *const done_texts[] = {
	"The picture is hidden: it is gone from the galleries and cannot be "
	"downloaded; its owner is told.",
	"The picture and its files are deleted; its owner is told.",
};

/* GET /admin/moderation/pictures */
int
admin_picture_reports(struct request *r)
{
	struct arena *a = r->arena;
	struct picture_report *list;
	struct tmpl_value *ctx, *items;
	size_t n;
	int rc, done;

	if ((rc = picture_reports_open(r->db, a, REPORTS_MAX, &list, &n)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	items = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tmpl_value *v = tv_object(a);

		tv_set_int(a, v, "picture_id", list[i].picture_id);
		tv_set_str(a, v, "title", list[i].title);
		tv_set_str(a, v, "owner", list[i].owner_name[0] ?
		    list[i].owner_name : "Deleted user");
		tv_set_bool(a, v, "hidden", list[i].hidden);
		tv_set_str(a, v, "reason", list[i].reason);
		tv_set_str(a, v, "when", dates_local(a, list[i].created_at, "UTC",
		    "%-d %b %Y, %H:%M UTC"));
		tv_set_str(a, v, "when_iso", dates_iso(a, list[i].created_at));
		tv_set_str(a, v, "hide_action", arena_printf(a,
		    "/admin/moderation/pictures/%lld/hide", list[i].picture_id));
		tv_set_str(a, v, "delete_action", arena_printf(a,
		    "/admin/moderation/pictures/%lld/delete", list[i].picture_id));
		tv_push(a, items, v);
	}
	ctx = page_context(r, "Reported pictures");
	tv_set(a, ctx, "reports", items);
	tv_set_bool(a, ctx, "has_reports", n > 0);
	tv_set_str(a, ctx, "csrf", csrf_token(r));
	done = form_choice(done_keys, 2, request_query(r, "done"));
	if (done >= 0)
		tv_set_str(a, ctx, "done", done_texts[done]);
	return page_render(r, "admin_picture_reports", ctx);
}

struct moderation {
	enum picture_moderation what;
	const char *key;
};

static int
moderate_change(struct request *r, void *arg)
{
	struct moderation *m = arg;
	int rc = picture_moderate(r->db, r->arena,
	    strtoll(request_path_param(r, "id"), NULL, 10), m->what,
	    r->session->user_id, r->remote_addr, &m->key);

	return rc == 1 ? 404 : rc;
}

/* POST /admin/moderation/pictures/{id}/hide and .../delete */
static int
moderate(struct request *r, enum picture_moderation what)
{
	struct moderation m = { what, NULL };
	struct media_store ms;
	int rc;

	rc = page_change(r, moderate_change, &m, what == MODERATE_HIDE ?
	    "/admin/moderation/pictures?done=hidden" :
	    "/admin/moderation/pictures?done=deleted");
	if (what == MODERATE_DELETE && r->resp.status == 303 && m.key != NULL &&
	    media_store_local(&ms, r->cfg->media_dir) == 0)
		picture_files_remove(r->arena, &ms, m.key, 1);
	return rc;
}

int
admin_picture_hide(struct request *r)
{
	return moderate(r, MODERATE_HIDE);
}

int
admin_picture_delete(struct request *r)
{
	return moderate(r, MODERATE_DELETE);
}
