#include <json-c/json.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "program.h"
#include "app_pages.h"
#include "audit.h"
#include "csrf.h"
#include "dates.h"
#include "events.h"
#include "form.h"
#include "order_view.h"
#include "orders.h"
#include "payments.h"
#include "row.h"
#include "session.h"
#include "tmpl.h"
#include "util.h"
#include "view_event.h"

/*
 * The checkout of a held order (/orders/{code}/checkout): its lines and
 * total, when the hold ends, a name for every ticket, and the way to pay.
 * A free order is confirmed at once; a paid one goes to its provider
 * (the sandbox of the local stack here). The order page
 * (/me/orders/{code}) shows an order in any state, with its history.
 *
 * Every order is read with the signed-in person's id: another person's
 * order is no order (404), like a code that does not exist.
 */

#define ATTENDEE_MAX_CHARS 100   /* tickets.attendee_name */

enum { NAME_ID, NAME_TEXT, NAME__MAX };

static const struct form_field name_fields[NAME__MAX] = {
	[NAME_ID] = { .name = "id", .kind = FORM_INT, .flags = FORM_REQUIRED,
	    .label = "Ticket", .min = 1, .max = LLONG_MAX / 2 },
	[NAME_TEXT] = { .name = "name", .kind = FORM_TEXT,
	    .flags = FORM_REQUIRED | FORM_TRIM, .label = "Name on the ticket",
	    .charset = FORM_LINE, .max_chars = ATTENDEE_MAX_CHARS,
	    .autocomplete = "name",
	    .missing = "Enter the name of the person this ticket is for." },
};

static const struct form name_form = { "t", name_fields, NAME__MAX, NULL };

enum { CO_TICKETS, CO__MAX };

static const struct form_field checkout_fields[CO__MAX] = {
	[CO_TICKETS] = { .name = "t", .kind = FORM_ROWS, .flags = FORM_REQUIRED,
	    .label = "Ticket", .rows = &name_form, .max_rows = FORM_MAX_ROWS },
};

static const struct form checkout_form = { "checkout", checkout_fields,
	CO__MAX, NULL };

/* The checkout form of v, as checked in res (NULL: names as stored). */
static int
checkout_page(struct request *r, const struct order_view *v,
    const struct form_result *res, int status)
{
	struct arena *a = r->arena;
	struct tmpl_value *ctx = order_view_context(r, v, "Checkout");
	struct tmpl_value *tickets = tv_list(a);
	int rc;

	for (size_t i = 0; i < v->ntickets; i++) {
		const struct order_ticket *t = &v->tickets[i];
		struct tmpl_value *tv = tv_object(a);
		const char *name = t->attendee_name;
		const char *error = NULL;

		if (res != NULL && i < res->field[CO_TICKETS].nrows) {
			const struct form_result *row =
			    &res->field[CO_TICKETS].rows[i];

			name = row->field[NAME_TEXT].raw ?
			    row->field[NAME_TEXT].raw : "";
			error = row->field[NAME_TEXT].error;
		}
		if (*name == '\0' && i == 0 && res == NULL)
			name = r->session->display_name;
		tv_set_int(a, tv, "index", (long long)i);
		tv_set_int(a, tv, "number", (long long)i + 1);
		tv_set_int(a, tv, "id", t->id);
		tv_set_str(a, tv, "type", t->type_name);
		tv_set_str(a, tv, "name", name);
		if (error != NULL)
			tv_set_str(a, tv, "error", error);
		tv_push(a, tickets, tv);
	}
	tv_set(a, ctx, "tickets", tickets);
	const struct payment_provider *offered[PAYMENTS_MAX];
	struct tmpl_value *providers = tv_list(a);
	size_t np = payments_offered(r, v, offered);

	for (size_t i = 0; i < np; i++) {
		struct tmpl_value *pv = tv_object(a);

		tv_set_str(a, pv, "name", offered[i]->name);
		tv_set_str(a, pv, "label", offered[i]->label);
		tv_set_bool(a, pv, "first", i == 0);
		tv_push(a, providers, pv);
	}
	tv_set(a, ctx, "providers", providers);
	tv_set_bool(a, ctx, "choose_provider", np > 1);
	tv_set_bool(a, ctx, "can_pay", np > 0);
	if (res != NULL && res->nerrors > 0)
		tv_set_str(a, ctx, "problem", "Give every ticket a name.");
	if ((rc = page_render(r, "checkout", ctx)) != 0)
		return rc;
	r->resp.status = status;
	return 0;
}

/* The order page's address. */
static const char *
order_url(struct request *r, const char *code)
{
	return arena_printf(r->arena, "/me/orders/%s", code);
}

/* GET /orders/{code}/checkout */
int
checkout(struct request *r)
{
	struct order_view v;
	int status;

	if ((status = order_view_read_checkout(r,
	    request_path_param(r, "code"), 0, &v)) != 0)
		return status;
	if (v.o.status != ORDER_HELD)
		return page_redirect(r, 303, order_url(r, v.o.code));
	return checkout_page(r, &v, NULL, 200);
}

struct checkout_change {
	const struct form_result *names;
	const char *provider;   /* "stripe" or "sandbox" */
};

/* Names the tickets and, for a free order, confirms it: in
 * page_change's transaction, on the order locked. */
static int
checkout_apply(struct request *r, void *arg)
{
	const struct checkout_change *c = arg;
	const struct form_value *rows = c->names != NULL ?
	    &c->names->field[CO_TICKETS] : NULL;
	const struct payment_provider *p;
	struct order_view v;
	int status;

	if ((status = order_view_read_checkout(r,
	    request_path_param(r, "code"), 1, &v)) != 0)
		return status == 503 ? -1 : status;
	if (v.o.status != ORDER_HELD) {
		/* The hold ran out meanwhile, or it was paid in another tab. */
		page_change_location(r, order_url(r, v.o.code));
		return 0;
	}
	/* The names just given are what the mails show; the ones that
	 * changed are written in one statement. */
	char *renamed = arena_calloc(r->arena, v.ntickets + 1, 1);
	struct order_ticket *named;
	size_t nnamed = 0;

	for (size_t i = 0; rows != NULL && i < rows->nrows; i++) {
		const struct form_result *row = &rows->rows[i];
		long long id = row->field[NAME_ID].num;
		const char *name = row->field[NAME_TEXT].text;
		size_t k;

		for (k = 0; k < v.ntickets && v.tickets[k].id != id; k++)
			;
		if (k == v.ntickets)
			return 400;
		if (strcmp(v.tickets[k].attendee_name, name) == 0)
			continue;
		v.tickets[k].attendee_name = name;
		renamed[k] = 1;
	}
	named = arena_calloc(r->arena, v.ntickets + 1, sizeof(*named));
	for (size_t k = 0; k < v.ntickets; k++)
		if (renamed[k])
			named[nnamed++] = v.tickets[k];
	if (orders_name_tickets(r->db, v.o.id, named, nnamed) != 0)
		return -1;
	if ((p = payments_find(r, &v, c->provider)) == NULL) {
		r->error_detail = "Choose how to pay.";
		return 400;
	}
	return p->start(r, &v);
}

/* POST /orders/{code}/checkout */
int
checkout_post(struct request *r)
{
	struct checkout_change c;
	struct form_result res;
	struct order_view v;
	int status;

	c.names = &res;
	if (form_check(r->arena, &checkout_form, &r->form, NULL, &res) != 0 ||
	    res.field[CO_TICKETS].nrows == 0) {
		if ((status = order_view_read_checkout(r,
		    request_path_param(r, "code"), 0, &v)) != 0)
			return status;
		/* Pictures have no names to give. */
		if (v.ntickets > 0)
			return checkout_page(r, &v, &res, 400);
		c.names = NULL;
	}
	c.provider = params_get(&r->form, "provider");
	return page_change(r, checkout_apply, &c, "/me");
}

/* GET /orders/{code}/sandbox: the pretend provider's page. */
int
checkout_sandbox(struct request *r)
{
	struct order_view v;
	int status, rc;

	if (!r->cfg->payment_sandbox)
		return 404;
	if ((status = order_view_read_checkout(r,
	    request_path_param(r, "code"), 0, &v)) != 0)
		return status;
	if (v.o.status != ORDER_HELD)
		return page_redirect(r, 303, order_url(r, v.o.code));
	if ((rc = page_render(r, "sandbox", order_view_context(r, &v,
	    "Sandbox payment"))) != 0)
		return rc;
	return 0;
}

static int
sandbox_apply(struct request *r, void *arg)
{
	int pay = *(int *)arg;
	struct order_view v;
	int status;

	if ((status = order_view_read_checkout(r,
	    request_path_param(r, "code"), 1, &v)) != 0)
		return status == 503 ? -1 : status;
	page_change_location(r, order_url(r, v.o.code));
	if (v.o.status != ORDER_HELD)
		return 0;
	if (!pay) {
		page_change_location(r, arena_printf(r->arena,
		    "/orders/%s/checkout?declined=1", v.o.code));
		return 0;
	}
	if ((status = payments_confirm_paid(r, &v, "sandbox", "paid in the sandbox")) != 0)
		return status;
	page_change_location(r, arena_printf(r->arena, "%s?done=paid",
	    order_url(r, v.o.code)));
	return 0;
}

/* POST /orders/{code}/sandbox: action=pay or action=decline. */
int
checkout_sandbox_post(struct request *r)
{
	const char *action = params_get(&r->form, "action");
	int pay;

	if (!r->cfg->payment_sandbox)
		return 404;
	if (action == NULL || (strcmp(action, "pay") != 0 &&
	    strcmp(action, "decline") != 0)) {
		r->error_detail = "Choose to pay or to decline.";
		return 400;
	}
	pay = strcmp(action, "pay") == 0;
	return page_change(r, sandbox_apply, &pay, "/me");
}

/* Whether the buyer may still cancel paid order v for a refund. */
static int
refundable(const struct order_view *v)
{
	return v->o.status == ORDER_PAID && v->ev.has_refunds_until &&
	    time(NULL) < v->ev.refunds_until;
}

static int
cancel_apply(struct request *r, void *arg)
{
	struct order_view v;
	int status;

	(void)arg;
	if ((status = order_view_read(r, request_path_param(r, "code"), 0, 1,
	    &v)) != 0)
		return status == 503 ? -1 : status;
	page_change_location(r, arena_printf(r->arena, "%s?done=cancelled",
	    order_url(r, v.o.code)));
	if (v.o.status == ORDER_HELD || v.o.status == ORDER_PENDING_PAYMENT)
		return orders_transition(r->db, &v.o, ORDER_CANCELLED, NULL,
		    "cancelled by the buyer") == 0 ? 0 : -1;
	if (!refundable(&v)) {
		r->error_detail = v.o.status == ORDER_PAID ?
		    "This order can no longer be cancelled: the organizer "
		    "takes refunds only until the time shown on the order." :
		    "This order cannot be cancelled.";
		return 409;
	}
	/* Paid offline: the organizer pays it back and records that. */
	if (v.o.provider != NULL && strcmp(v.o.provider, "offline") == 0) {
		if (orders_transition(r->db, &v.o, ORDER_REFUND_DUE, NULL,
		    "cancelled by the buyer; the organizer owes the refund") != 0)
			return -1;
		return order_view_mail(r, &v, "order_refund_due");
	}
	/* The money goes back first: a refund that fails changes nothing. */
	if (v.o.provider != NULL && strcmp(v.o.provider, "stripe") == 0) {
		if (v.o.provider_payment == NULL)
			return 409;
		if ((status = stripe_refund(r, v.o.code,
		    v.o.provider_payment)) != 0)
			return status;
	}
	if (orders_transition(r->db, &v.o, ORDER_REFUNDED, NULL,
	    "cancelled by the buyer, refunded") != 0)
		return -1;
	return order_view_mail(r, &v, "order_refunded");
}

/* POST /orders/{code}/cancel: gives up a hold; its seats go back on sale
 * at once. */
int
checkout_cancel(struct request *r)
{
	return page_change(r, cancel_apply, NULL, "/me/orders");
}

/* GET /me/orders/{code}: an order, its tickets and its history. */
int
order_page(struct request *r)
{
	struct arena *a = r->arena;
	struct order_view v;
	struct tmpl_value *ctx, *tickets;
	int status;

	if ((status = order_view_read(r, request_path_param(r, "code"), 0, 0, &v)) != 0)
		return status;
	ctx = order_view_context(r, &v, arena_printf(a, "Order %s", v.o.code));
	tickets = tv_list(a);
	for (size_t i = 0; i < v.ntickets; i++) {
		struct tmpl_value *tv = tv_object(a);

		tv_set_str(a, tv, "type", v.tickets[i].type_name);
		tv_set_str(a, tv, "name", v.tickets[i].attendee_name);
		if (v.o.status == ORDER_PAID)
			tv_set_str(a, tv, "code", v.tickets[i].code);
		tv_push(a, tickets, tv);
	}
	tv_set(a, ctx, "tickets", tickets);
	tv_set_bool(a, ctx, "just_paid", v.o.status == ORDER_PAID &&
	    request_query(r, "done") != NULL);
	tv_set_bool(a, ctx, "just_reserved", v.o.status ==
	    ORDER_PENDING_PAYMENT && request_query(r, "done") != NULL);
	tv_set_bool(a, ctx, "cancellable", v.o.status == ORDER_HELD ||
	    v.o.status == ORDER_PENDING_PAYMENT || refundable(&v));
	tv_set_bool(a, ctx, "refundable", refundable(&v));
	if (v.o.has_paid_at) {
		tv_set_str(a, ctx, "paid_on", dates_local(a, v.o.paid_at,
		    order_view_zone(&v), "%-d %b %Y, %H:%M %Z"));
		tv_set_str(a, ctx, "paid_on_iso", dates_iso(a, v.o.paid_at));
		tv_set_str(a, ctx, "provider", v.o.provider);
	}
	if (v.ev.has_refunds_until && v.o.status == ORDER_PAID)
		tv_set_str(a, ctx, "refunds_until", dates_local(a,
		    v.ev.refunds_until, v.ev.timezone, "%a %-d %b %Y, %H:%M %Z"));
	return page_render(r, "order", ctx);
}
