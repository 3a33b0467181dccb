#include <time.h>

#include "admin_pages.h"
#include "program.h"
#include "dates.h"
#include "db_admin.h"
#include "tmpl.h"

#define AUDIT_ROWS 200

/* GET /admin/audit — the latest entries of the audit log. */
int
admin_audit(struct request *r)
{
	struct arena *a = r->arena;
	struct tmpl_value *ctx, *list;
	struct db_rows rows;

	if (db_admin_audit(r->db, a, AUDIT_ROWS, &rows) != 0)
		return 503;
	list = tv_list(a);
	for (size_t i = 0; i < rows.nrows; i++) {
		struct tmpl_value *v = tv_object(a);
		time_t at = 0;

		dates_parse_db(db_cell(&rows, i, AA_AT), &at);
		tv_set_str(a, v, "at", dates_local(a, at, "UTC",
		    "%Y-%m-%d %H:%M:%S UTC"));
		tv_set_str(a, v, "action", db_cell(&rows, i, AA_ACTION));
		tv_set_str(a, v, "target", db_cell(&rows, i, AA_TARGET));
		tv_set_str(a, v, "ip", db_cell(&rows, i, AA_IP));
		tv_set_str(a, v, "detail", db_cell(&rows, i, AA_DETAIL));
		tv_set_str(a, v, "account", db_cell(&rows, i, AA_EMAIL));
		tv_push(a, list, v);
	}
	ctx = page_context(r, "Audit log");
	tv_set(a, ctx, "entries", list);
	tv_set_bool(a, ctx, "has_entries", rows.nrows > 0);
	return page_render(r, "admin_audit", ctx);
}
