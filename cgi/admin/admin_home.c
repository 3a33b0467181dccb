#include <string.h>

#include "admin_pages.h"
#include "program.h"
#include "dashboard.h"
#include "dates.h"
#include "events.h"
#include "money.h"
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

/* Each event's paid revenue as one text ("€120.00 · US$15.00"), by the
 * events' order; NULL where it sold nothing. */
static const char **
revenue_texts(struct arena *a, const struct organizer_event *events,
    size_t n, const struct dashboard_revenue *rev, size_t nrev)
{
	const char **out = arena_calloc(a, n + 1, sizeof(*out));

	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < nrev; k++) {
			const char *m;

			if (rev[k].event_id != events[i].event.id)
				continue;
			m = money_format(a, rev[k].amount, rev[k].currency, 0);
			out[i] = out[i] ? arena_printf(a, "%s · %s", out[i], m) : m;
		}
	return out;
}

/* Events needing the organizer, as { id, title, count } for the page. */
static struct tmpl_value *
event_list(struct arena *a, const struct dashboard_event *e, size_t n)
{
	struct tmpl_value *list = tv_list(a);

	for (size_t i = 0; i < n; i++) {
		struct tmpl_value *v = tv_object(a);

		tv_set_int(a, v, "id", e[i].id);
		tv_set_str(a, v, "title", e[i].title);
		tv_set_int(a, v, "count", e[i].count);
		tv_push(a, list, v);
	}
	return list;
}

/* GET /admin — an organizer's events with seats sold and revenue, their
 * times in the event's own zone, each leading to its edit page, with a
 * button to copy it and the way to a new one; what needs them (orders
 * waiting, events on sale with nothing to sell, holds about to end); for
 * site admins, the way to accounts, the audit log and the status page. */
int
admin_home(struct request *r)
{
	struct arena *a = r->arena;
	struct organizer_event *events;
	struct order_summary *awaiting;
	struct dashboard_revenue *rev;
	struct dashboard_event *no_types, *ending;
	struct tmpl_value *ctx;
	size_t n, nawaiting, nrev, nno_types, nending;
	long long me = r->session->user_id;
	int rc;

	if ((rc = events_of_organizer(r->db, a, me, &events, &n)) != 0 ||
	    (rc = orders_awaiting(r->db, a, me, AWAITING_MAX, &awaiting,
	    &nawaiting)) != 0 ||
	    (rc = dashboard_revenue(r->db, a, me, &rev, &nrev)) != 0 ||
	    (rc = dashboard_without_types(r->db, a, me, &no_types,
	    &nno_types)) != 0 ||
	    (rc = dashboard_holds_ending(r->db, a, me, &ending, &nending)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	ctx = page_context(r, "Admin");
	tv_set(a, ctx, "events", view_organizer_events(a, events, n,
	    revenue_texts(a, events, n, rev, nrev)));
	tv_set(a, ctx, "no_types", event_list(a, no_types, nno_types));
	tv_set(a, ctx, "holds_ending", event_list(a, ending, nending));
	tv_set_bool(a, ctx, "attention", nno_types > 0 || nending > 0);
	tv_set_int(a, ctx, "holds_minutes", DASHBOARD_HOLDS_SOON_MINUTES);
	tv_set_bool(a, ctx, "has_events", n > 0);
	tv_set(a, ctx, "awaiting", awaiting_orders(a, awaiting, nawaiting));
	tv_set_bool(a, ctx, "has_awaiting", nawaiting > 0);
	tv_set_bool(a, ctx, "site_admin", role_includes(r->session->role, ROLE_ADMIN));
	if (form_choice(done_keys, ARRAY_LEN(done_keys),
	    request_query(r, "done")) == 0)
		tv_set_str(a, ctx, "done", "The draft is deleted.");
	return page_render(r, "admin_home", ctx);
}
