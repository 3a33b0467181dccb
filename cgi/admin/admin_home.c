#include <string.h>

#include "admin_pages.h"
#include "program.h"
#include "events.h"
#include "session.h"
#include "tmpl.h"
#include "view_event.h"

/* GET /admin — an organizer's events with seats sold, their times in the
 * event's own zone; for site admins, the way to accounts, the audit log
 * and the status page too. */
int
admin_home(struct request *r)
{
	struct arena *a = r->arena;
	struct organizer_event *events;
	struct tmpl_value *ctx;
	size_t n;
	int rc;

	if ((rc = events_of_organizer(r->db, a, r->session->user_id, &events,
	    &n)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	ctx = page_context(r, "Admin");
	tv_set(a, ctx, "events", view_organizer_events(a, events, n));
	tv_set_bool(a, ctx, "has_events", n > 0);
	tv_set_bool(a, ctx, "site_admin", role_includes(r->session->role, ROLE_ADMIN));
	return page_render(r, "admin_home", ctx);
}
