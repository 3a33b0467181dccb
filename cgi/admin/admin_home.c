#include <string.h>

#include "admin_pages.h"
#include "program.h"
#include "dates.h"
#include "events.h"
#include "form.h"
#include "order_view.h"
#include "orders.h"
#include "session.h"
#include "tmpl.h"
#include "util.h"
#include "view_event.h"

#define AWAITING_MAX 100

/* ?done= flags that lead back here: an event deleted. */
static const char *const done_keys[] = { "deleted" };

/* The orders of the organizer's events waiting for them: offline
 * payments to record, refunds to pay back. */
static struct tmpl_value *
awaiting_orders(struct arena *a, const struct order_summary *o, size_t n)
{
	struct tmpl_value *list = tv_list(a);

	for (size_t i = 0; i < n; i++) {
		struct tmpl_value *v = tv_object(a);

		tv_set_str(a, v, "code", o[i].order.code);
		tv_set_str(a, v, "event", o[i].event_title);
		tv_set_str(a, v, "buyer", o[i].order.buyer_name);
		tv_set_str(a, v, "total", view_price(a, o[i].order.total,
		    o[i].order.currency));
		tv_set_str(a, v, "status", order_view_status(o[i].order.status));
		if (o[i].order.status == ORDER_PENDING_PAYMENT &&
		    o[i].order.has_hold_expires_at) {
			tv_set_str(a, v, "due", dates_local(a,
			    o[i].order.hold_expires_at, o[i].event_timezone,
			    "%a %-d %b, %H:%M %Z"));
			tv_set_str(a, v, "due_iso", dates_iso(a,
			    o[i].order.hold_expires_at));
		}
		tv_push(a, list, v);
	}
	return list;
}

/* GET /admin — an organizer's events with seats sold, their times in the
 * event's own zone, each leading to its edit page, with a button to copy
 * it and the way to a new one; the orders waiting for them; for site
 * admins, the way to accounts, the audit log and the status page too. */
int
admin_home(struct request *r)
{
	struct arena *a = r->arena;
	struct organizer_event *events;
	struct order_summary *awaiting;
	struct tmpl_value *ctx;
	size_t n, nawaiting;
	int rc;

	if ((rc = events_of_organizer(r->db, a, r->session->user_id, &events,
	    &n)) != 0 || (rc = orders_awaiting(r->db, a, r->session->user_id,
	    AWAITING_MAX, &awaiting, &nawaiting)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	ctx = page_context(r, "Admin");
	tv_set(a, ctx, "events", view_organizer_events(a, events, n));
	tv_set_bool(a, ctx, "has_events", n > 0);
	tv_set(a, ctx, "awaiting", awaiting_orders(a, awaiting, nawaiting));
	tv_set_bool(a, ctx, "has_awaiting", nawaiting > 0);
	tv_set_bool(a, ctx, "site_admin", role_includes(r->session->role, ROLE_ADMIN));
	if (form_choice(done_keys, ARRAY_LEN(done_keys),
	    request_query(r, "done")) == 0)
		tv_set_str(a, ctx, "done", "The draft is deleted.");
	return page_render(r, "admin_home", ctx);
}
