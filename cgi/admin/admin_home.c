#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_pages.h"
#include "program.h"
#include "dates.h"
#include "db_admin.h"
#include "session.h"
#include "tmpl.h"

/* GET /admin — an organizer's events with seats sold; for site admins,
 * the way to accounts and the audit log too. */
int
admin_home(struct request *r)
{
	struct arena *a = r->arena;
	struct tmpl_value *ctx, *list;
	struct db_rows rows;

	if (db_admin_events_of(r->db, a, r->session->user_id, &rows) != 0)
		return 503;
	list = tv_list(a);
	for (size_t i = 0; i < rows.nrows; i++) {
		struct tmpl_value *v = tv_object(a);
		time_t start = 0;

		dates_parse_db(db_cell(&rows, i, AE_STARTS_AT), &start);
		tv_set_str(a, v, "id", db_cell(&rows, i, AE_ID));
		tv_set_str(a, v, "title", db_cell(&rows, i, AE_TITLE));
		tv_set_str(a, v, "city", db_cell(&rows, i, AE_CITY));
		tv_set_str(a, v, "status", db_cell(&rows, i, AE_STATUS));
		tv_set_bool(a, v, "public",
		    strcmp(db_cell(&rows, i, AE_STATUS), "draft") != 0);
		tv_set_str(a, v, "when", dates_local(a, start, "UTC",
		    "%-d %b %Y"));
		tv_set_str(a, v, "sold", db_cell(&rows, i, AE_SOLD));
		tv_set_str(a, v, "quota", db_cell(&rows, i, AE_QUOTA));
		tv_push(a, list, v);
	}
	ctx = page_context(r, "Admin");
	tv_set(a, ctx, "events", list);
	tv_set_bool(a, ctx, "has_events", rows.nrows > 0);
	tv_set_bool(a, ctx, "site_admin", role_includes(r->session->role, ROLE_ADMIN));
	return page_render(r, "admin_home", ctx);
}
