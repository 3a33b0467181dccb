#include <time.h>

#include "admin_pages.h"
#include "program.h"
#include "dates.h"
#include "db_admin.h"
#include "form.h"
#include "http_url.h"
#include "row.h"
#include "tmpl.h"

#define AUDIT_PER_PAGE 100
#define AUDIT_MAX_PAGE 1000

/*
 * GET /admin/audit — the audit log, newest first, filtered by account
 * (its address), action (a prefix such as "order." or "account.") and
 * days (UTC), a page at a time.
 */

enum { AF_ACCOUNT, AF_ACTION, AF_FROM, AF_TO, AF__MAX };

static const struct form_field audit_fields[AF__MAX] = {
	[AF_ACCOUNT] = { .name = "account", .kind = FORM_EMAIL,
	    .label = "Account (email address)", .autocomplete = "off" },
	[AF_ACTION] = { .name = "action", .kind = FORM_TEXT, .flags = FORM_TRIM,
	    .label = "Action begins with", .charset = FORM_LINE,
	    .max_chars = 64, .hint = "For example order. or account.disable" },
	[AF_FROM] = { .name = "from", .kind = FORM_DATE, .label = "From (UTC)" },
	[AF_TO] = { .name = "to", .kind = FORM_DATE, .label = "To (UTC)" },
};

/* The filters as they may be typed: a period that ends before it starts
 * is a mistake worth saying. */
static void
audit_cross(struct arena *a, struct form_result *res)
{
	(void)a;
	if (res->field[AF_FROM].text != NULL && res->field[AF_TO].text != NULL &&
	    res->field[AF_TO].time < res->field[AF_FROM].time)
		form_set_error(res, AF_TO, "The period ends before it starts.");
}

static const struct form audit_form = { "audit", audit_fields, AF__MAX,
	audit_cross };

/* The audit page with the filters of res, at page. */
static const char *
page_url(struct arena *a, const struct form_result *res, int page)
{
	static const char *const names[AF__MAX] = { "account", "action",
		"from", "to" };
	const char *values[AF__MAX];

	for (int i = 0; i < AF__MAX; i++)
		values[i] = res->field[i].text;
	return url_with_query(a, "/admin/audit", names, values, AF__MAX, page);
}

int
admin_audit(struct request *r)
{
	struct arena *a = r->arena;
	struct tmpl_value *ctx, *list;
	struct audit_entry *entries;
	struct form_result res;
	struct audit_filter f = { 0 };
	size_t n;
	int page, rc, bad;

	if ((page = request_page_number(r, AUDIT_MAX_PAGE)) < 0)
		return 400;
	bad = form_check(a, &audit_form, &r->query_params, "UTC", &res) != 0;
	ctx = page_context(r, "Audit log");
	tv_set(a, ctx, "filters", form_view(a, &audit_form, &res));
	if (bad) {
		if ((rc = page_render(r, "admin_audit", ctx)) != 0)
			return rc;
		r->resp.status = 400;
		return 0;
	}
	f.email = res.field[AF_ACCOUNT].text;
	f.action = res.field[AF_ACTION].text;
	if (res.field[AF_FROM].text != NULL)
		f.from = dates_db(a, res.field[AF_FROM].time);
	if (res.field[AF_TO].text != NULL)
		f.before = dates_db(a, res.field[AF_TO].time + 86400);
	f.limit = AUDIT_PER_PAGE + 1;
	f.offset = (page - 1) * AUDIT_PER_PAGE;
	if ((rc = db_admin_audit(r->db, a, &f, &entries, &n)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	list = tv_list(a);
	for (size_t i = 0; i < n && i < AUDIT_PER_PAGE; i++) {
		const struct audit_entry *e = &entries[i];
		struct tmpl_value *v = tv_object(a);

		tv_set_str(a, v, "at", dates_local(a, e->at, "UTC",
		    "%Y-%m-%d %H:%M:%S UTC"));
		tv_set_str(a, v, "at_iso", dates_iso(a, e->at));
		tv_set_str(a, v, "action", e->action);
		tv_set_str(a, v, "target", e->target);
		tv_set_str(a, v, "ip", e->ip);
		tv_set_str(a, v, "detail", e->detail);
		tv_set_str(a, v, "account", e->email);
		tv_push(a, list, v);
	}
	tv_set(a, ctx, "entries", list);
	tv_set_bool(a, ctx, "has_entries", n > 0);
	if (page > 1)
		tv_set_str(a, ctx, "prev_url", page_url(a, &res, page - 1));
	if (n > AUDIT_PER_PAGE && page < AUDIT_MAX_PAGE)
		tv_set_str(a, ctx, "next_url", page_url(a, &res, page + 1));
	return page_render(r, "admin_audit", ctx);
}
