#include <time.h>

#include "admin_pages.h"
#include "program.h"
#include "dates.h"
#include "db_admin.h"
#include "row.h"
#include "tmpl.h"

#define AUDIT_ROWS 200

/* GET /admin/audit — the latest entries of the audit log. */
int
admin_audit(struct request *r)
{
	struct arena *a = r->arena;
	struct tmpl_value *ctx, *list;
	struct audit_entry *entries;
	size_t n;
	int rc;

	if ((rc = db_admin_audit(r->db, a, AUDIT_ROWS, &entries, &n)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	list = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		const struct audit_entry *e = &entries[i];
		struct tmpl_value *v = tv_object(a);

		tv_set_str(a, v, "at", dates_local(a, e->at, "UTC",
		    "%Y-%m-%d %H:%M:%S UTC"));
		tv_set_str(a, v, "action", e->action);
		tv_set_str(a, v, "target", e->target);
		tv_set_str(a, v, "ip", e->ip);
		tv_set_str(a, v, "detail", e->detail);
		tv_set_str(a, v, "account", e->email);
		tv_push(a, list, v);
	}
	ctx = page_context(r, "Audit log");
	tv_set(a, ctx, "entries", list);
	tv_set_bool(a, ctx, "has_entries", n > 0);
	return page_render(r, "admin_audit", ctx);
}
