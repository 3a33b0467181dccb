#include <stdlib.h>

#include "program.h"
#include "app_pages.h"
#include "dates.h"
#include "form.h"
#include "notify.h"
#include "session.h"
#include "tmpl.h"
#include "util.h"

/*
 * A person's notifications (notify.h): /me/notifications lists them,
 * latest first, a page at a time, each linking to what it is about, with
 * forms to mark one or all read; /me/notifications/settings says which
 * kinds are also mailed; /unsubscribe is the link every mail that is not
 * essential carries, which works without signing in: its token (an HMAC
 * of the account and the kind) is the proof.
 */

#define NOTIFY_MAX_PAGE 1000

/* GET /me/notifications */
int
me_notifications(struct request *r)
{
	struct arena *a = r->arena;
	struct notification *nt;
	struct tmpl_value *ctx, *list;
	size_t n;
	int page, rc;

	if ((page = request_page_number(r, NOTIFY_MAX_PAGE)) < 0)
		return 400;
	if ((rc = notify_list(r->db, a, r->session->user_id,
	    NOTIFY_PAGE_SIZE + 1, (page - 1) * NOTIFY_PAGE_SIZE, &nt, &n)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	ctx = page_context(r, "Notifications");
	list = tv_list(a);
	for (size_t i = 0; i < n && i < NOTIFY_PAGE_SIZE; i++) {
		struct tmpl_value *v = tv_object(a);

		tv_set_int(a, v, "id", nt[i].id);
		tv_set_str(a, v, "text", nt[i].text);
		tv_set_str(a, v, "link", nt[i].link);
		tv_set_bool(a, v, "unread", !nt[i].read);
		tv_set_str(a, v, "date", dates_local(a, nt[i].updated_at, "UTC",
		    "%-d %b %Y, %H:%M UTC"));
		tv_set_str(a, v, "date_iso", dates_iso(a, nt[i].updated_at));
		tv_push(a, list, v);
	}
	tv_set(a, ctx, "notifications", list);
	tv_set_bool(a, ctx, "has_notifications", n > 0);
	page_pager(r, ctx, "/me/notifications", page, n > NOTIFY_PAGE_SIZE,
	    NOTIFY_MAX_PAGE);
	tv_set_bool(a, ctx, "nav_notifications", 1);
	if (request_query(r, "done") != NULL)
		tv_set_str(a, ctx, "done", "Your mail settings are saved.");
	return page_render(r, "notifications", ctx);
}

static int
read_one_apply(struct request *r, void *arg)
{
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);
	int rc;

	(void)arg;
	if ((rc = notify_mark_read(r->db, r->session->user_id, id)) < 0)
		return -1;
	return rc == 1 ? 404 : 0;
}

/* POST /me/notifications/{id}/read */
int
me_notification_read(struct request *r)
{
	return page_change(r, read_one_apply, NULL, "/me/notifications");
}

static int
read_all_apply(struct request *r, void *arg)
{
	(void)arg;
	return notify_mark_all_read(r->db, r->session->user_id);
}

/* POST /me/notifications/read-all */
int
me_notifications_read_all(struct request *r)
{
	return page_change(r, read_all_apply, NULL, "/me/notifications");
}

/* ------------------------------------------------------------ settings */

/* The kinds a person may switch, and whether each is on now. */
static int
settings_page(struct request *r)
{
	struct arena *a = r->arena;
	struct tmpl_value *ctx = page_context(r, "Mail settings");
	struct tmpl_value *kinds = tv_list(a), *always = tv_list(a);

	for (int k = 0; k < NOTIFY__MAX; k++) {
		struct tmpl_value *v = tv_object(a);
		int on;

		tv_set_str(a, v, "name", notify_kind_name(k));
		tv_set_str(a, v, "label", notify_kind_label(k));
		if (notify_kind_essential(k)) {
			tv_push(a, always, v);
			continue;
		}
		if ((on = notify_wants_mail(r->db, r->session->user_id, k)) < 0)
			return 503;
		tv_set_bool(a, v, "on", on);
		tv_push(a, kinds, v);
	}
	tv_set(a, ctx, "kinds", kinds);
	tv_set(a, ctx, "always", always);
	tv_set_bool(a, ctx, "nav_notifications", 1);
	return page_render(r, "notification_settings", ctx);
}

/* GET /me/notifications/settings */
int
me_notification_settings(struct request *r)
{
	return settings_page(r);
}

static int
settings_apply(struct request *r, void *arg)
{
	(void)arg;
	for (int k = 0; k < NOTIFY__MAX; k++) {
		const char *v;

		if (notify_kind_essential(k))
			continue;
		v = params_get(&r->form, notify_kind_name(k));
		if (notify_set_mail(r->db, r->session->user_id, k,
		    v != NULL) != 0)
			return -1;
	}
	return 0;
}

/* POST /me/notifications/settings: a ticked box (any value) per kind
 * mailed; the kinds not sent are off. */
int
me_notification_settings_post(struct request *r)
{
	return page_change(r, settings_apply, NULL,
	    "/me/notifications?done=settings");
}

/* ------------------------------------------------------------ unsubscribe */

struct unsubscribe {
	long long user_id;
	int kind;
};

/* The account and kind of the link's u, k and t, checked: 0, or 404 for
 * a link that does not hold. */
static int
unsubscribe_read(struct request *r, struct unsubscribe *u)
{
	const char *uid = request_query(r, "u"), *token = request_query(r, "t");
	char *end;

	u->kind = notify_kind_from_name(request_query(r, "k"));
	if (uid == NULL || token == NULL || u->kind < 0 ||
	    notify_kind_essential(u->kind) || r->cfg->secret_key == NULL)
		return 404;
	u->user_id = strtoll(uid, &end, 10);
	if (*end != '\0' || u->user_id <= 0 || !notify_token_ok(r->arena,
	    r->cfg->secret_key, u->user_id, u->kind, token))
		return 404;
	return 0;
}

static int
unsubscribe_page(struct request *r, const struct unsubscribe *u, int done)
{
	struct arena *a = r->arena;
	struct tmpl_value *ctx = page_context(r, "Unsubscribe");

	tv_set_str(a, ctx, "label", notify_kind_label(u->kind));
	tv_set_str(a, ctx, "action", arena_printf(a, "/unsubscribe?%s",
	    request_param(r, "QUERY_STRING")));
	tv_set_bool(a, ctx, "done", done);
	return page_render(r, "unsubscribe", ctx);
}

/* GET /unsubscribe?u=&k=&t= — a person following the link: a button,
 * as a GET must not change anything (mail scanners follow links). */
int
unsubscribe_form(struct request *r)
{
	struct unsubscribe u;
	int rc;

	if ((rc = unsubscribe_read(r, &u)) != 0)
		return rc;
	return unsubscribe_page(r, &u, 0);
}

static enum db_status
unsubscribe_tx(struct db *db, void *arg)
{
	const struct unsubscribe *u = arg;

	if (notify_set_mail(db, u->user_id, u->kind, 0) == 0)
		return DB_OK;
	return db_last_status(db) != DB_OK ? db_last_status(db) : DB_ERROR;
}

/* POST /unsubscribe?u=&k=&t= — the button, or a mail client's one-click
 * POST (RFC 8058: body "List-Unsubscribe=One-Click", no cookie, no CSRF
 * token: the link's token is the proof). Only that kind goes off. The
 * answer is the page itself (200), not a redirect a mail client would
 * not follow. */
int
unsubscribe(struct request *r)
{
	struct unsubscribe u;
	int rc;

	if ((rc = unsubscribe_read(r, &u)) != 0)
		return rc;
	if (db_tx(r->db, unsubscribe_tx, &u) != DB_OK)
		return 503;
	return unsubscribe_page(r, &u, 1);
}
