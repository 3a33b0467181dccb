#include <stdlib.h>
#include <string.h>

#include "admin_pages.h"
#include "audit.h"
#include "dates.h"
#include "event_cancel.h"
#include "events.h"
#include "form.h"
#include "orders.h"
#include "program.h"
#include "session.h"
#include "tmpl.h"

/*
 * Calling off an event (/admin/events/{id}/cancel): a page that says
 * what will happen to its orders and asks for a word to the ticket
 * holders, then one POST that marks it cancelled and leaves the undoing
 * of its orders (refunds, mails) to the worker (event_cancel.h). After
 * that the page shows how far the undoing has come.
 */

enum { CANCEL_REASON, CANCEL__MAX };

static const struct form_field cancel_fields[CANCEL__MAX] = {
	[CANCEL_REASON] = { .name = "reason", .kind = FORM_TEXT,
	    .flags = FORM_REQUIRED | FORM_TRIM, .label = "Message to ticket holders",
	    .hint = "Sent to every buyer with the news and what happens to "
	    "their money.", .charset = FORM_MULTILINE,
	    .max_chars = EVENT_CANCEL_REASON_MAX,
	    .missing = "Tell the ticket holders why the event is cancelled." },
};

static const struct form cancel_form = { "cancel", cancel_fields, CANCEL__MAX,
	NULL };

/* The page, with the form as checked in res (NULL: blank). */
static int
cancel_page(struct request *r, const struct event *ev,
    const struct form_result *res)
{
	struct arena *a = r->arena;
	struct tmpl_value *ctx = page_context(r, arena_printf(a, "Cancel %s",
	    ev->title));
	long long n[ORDER__STATUS_MAX];
	int rc;

	if ((rc = orders_count_of_event(r->db, a, ev->id, n)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	tv_set_int(a, ctx, "event_id", ev->id);
	tv_set_bool(a, ctx, "on_cancel", 1);
	tv_set_str(a, ctx, "event_title", ev->title);
	tv_set_str(a, ctx, "when", dates_local(a, ev->starts_at, ev->timezone,
	    "%a %-d %b %Y, %H:%M %Z"));
	tv_set_str(a, ctx, "when_iso", dates_iso(a, ev->starts_at));
	tv_set_bool(a, ctx, "cancellable", ev->status == EVENT_PUBLISHED);
	tv_set_bool(a, ctx, "cancelled", ev->status == EVENT_CANCELLED);
	tv_set_int(a, ctx, "paid", n[ORDER_PAID]);
	tv_set_int(a, ctx, "waiting", n[ORDER_HELD] + n[ORDER_PENDING_PAYMENT]);
	tv_set_int(a, ctx, "refunded", n[ORDER_REFUNDED]);
	tv_set_int(a, ctx, "refund_due", n[ORDER_REFUND_DUE]);
	tv_set_bool(a, ctx, "undoing", ev->status == EVENT_CANCELLED &&
	    n[ORDER_PAID] + n[ORDER_HELD] + n[ORDER_PENDING_PAYMENT] > 0);
	if (res != NULL)
		return form_rerender(r, "admin_event_cancel", ctx, "form", res);
	tv_set(a, ctx, "form", form_view(a, &cancel_form, NULL));
	return page_render(r, "admin_event_cancel", ctx);
}

/* GET /admin/events/{id}/cancel */
int
admin_event_cancel_form(struct request *r)
{
	struct event ev;
	int rc;

	if ((rc = admin_managed_event(r, &ev)) != 0)
		return rc;
	return cancel_page(r, &ev, NULL);
}

static int
cancel_apply(struct request *r, void *arg)
{
	const char *reason = arg;
	struct event ev;
	int rc;

	if ((rc = admin_managed_event(r, &ev)) != 0)
		return rc == 503 ? -1 : rc;
	switch (event_cancel(r->db, ev.id, reason)) {
	case 0:
		break;
	case 1:
		r->error_detail = "Only a published event can be cancelled.";
		return 409;
	default:
		return -1;
	}
	page_change_location(r, arena_printf(r->arena,
	    "/admin/events/%lld/cancel?done=1", ev.id));
	return audit_log(r->db, r->session->user_id, "event.cancel",
	    arena_printf(r->arena, "event %lld", ev.id), r->remote_addr,
	    ev.title);
}

/* POST /admin/events/{id}/cancel: reason. */
int
admin_event_cancel(struct request *r)
{
	struct form_result res;
	struct event ev;
	int rc;

	if (form_check(r->arena, &cancel_form, &r->form, NULL, &res) != 0) {
		if ((rc = admin_managed_event(r, &ev)) != 0)
			return rc;
		return cancel_page(r, &ev, &res);
	}
	return page_change(r, cancel_apply,
	    (void *)res.field[CANCEL_REASON].text, "/admin");
}
