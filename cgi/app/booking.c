#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "program.h"
#include "app_pages.h"
#include "csrf.h"
#include "events.h"
#include "form.h"
#include "orders.h"
#include "row.h"
#include "session.h"
#include "tmpl.h"
#include "util.h"
#include "view_event.h"

/*
 * Booking: the event page's form (a GET, so the public page stays
 * cacheable and needs no token) brings the chosen quantities here; this
 * page shows them with their prices and a button that places the hold
 * (POST, with the token), which leads to the checkout.
 *
 * The quantities are rows tt[I][id], tt[I][qty] (form.h's rows).
 */

enum { ITEM_ID, ITEM_QTY, ITEM__MAX };

static const struct form_field item_fields[ITEM__MAX] = {
	[ITEM_ID] = { .name = "id", .kind = FORM_INT, .flags = FORM_REQUIRED,
	    .label = "Ticket type", .min = 1, .max = LLONG_MAX / 2 },
	[ITEM_QTY] = { .name = "qty", .kind = FORM_INT, .label = "Quantity",
	    .min = 0, .max = 100 },
};

static const struct form item_form = { "tt", item_fields, ITEM__MAX, NULL };

enum { BOOK_ITEMS, BOOK__MAX };

static const struct form_field book_fields[BOOK__MAX] = {
	[BOOK_ITEMS] = { .name = "tt", .kind = FORM_ROWS, .label = "Ticket type",
	    .rows = &item_form, .max_rows = ORDERS_MAX_TYPES },
};

static const struct form book_form = { "book", book_fields, BOOK__MAX, NULL };

/* What the booking pages show: the event, and each chosen ticket type. */
struct choice {
	struct event ev;
	struct ticket_type *types;
	size_t ntypes;
	struct booking_item items[ORDERS_MAX_TYPES];
	const struct ticket_type *chosen[ORDERS_MAX_TYPES];
	size_t nitems;
	const char *problem;
};

/*
 * Reads into c the quantities params choose of the types in c->types.
 * Returns 0; 400 with c->problem for a form that is malformed or chooses
 * nothing.
 */
static int
read_quantities(struct request *r, const struct params *params,
    struct choice *c)
{
	struct form_result res;

	if (form_check(r->arena, &book_form, params, NULL, &res) != 0) {
		c->problem = "The ticket choice could not be read. Go back to "
		    "the event and choose again.";
		return 400;
	}
	const struct form_value *rows = &res.field[BOOK_ITEMS];

	for (size_t i = 0; i < rows->nrows; i++) {
		const struct form_result *row = &rows->rows[i];
		long long tt = row->field[ITEM_ID].num;
		long long qty = row->field[ITEM_QTY].text ?
		    row->field[ITEM_QTY].num : 0;
		const struct ticket_type *t = NULL;

		for (size_t k = 0; k < c->ntypes; k++)
			if (c->types[k].id == tt)
				t = &c->types[k];
		for (size_t k = 0; k < c->nitems; k++)
			if (c->items[k].ticket_type_id == tt)
				t = NULL;
		if (t == NULL) {
			c->problem = "The ticket choice names a ticket type this "
			    "event does not have.";
			return 400;
		}
		if (qty == 0)
			continue;
		c->items[c->nitems].ticket_type_id = tt;
		c->items[c->nitems].quantity = qty;
		c->chosen[c->nitems++] = t;
	}
	if (c->nitems == 0) {
		c->problem = "Choose how many tickets you want first.";
		return 400;
	}
	return 0;
}

/*
 * Reads event id and the quantities params choose into c. Returns 0;
 * 404 for an event that is not shown; 400 as read_quantities; 503 or 500.
 */
static int
read_choice(struct request *r, const struct params *params, struct choice *c)
{
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = events_get_with_types(r->db, r->arena, id, &c->ev, &c->types,
	    &c->ntypes)) == 1)
		return 404;
	if (rc != 0)
		return rc == ROW_BAD ? 500 : 503;
	return read_quantities(r, params, c);
}

/* The booking page for c, with status and, if set, c->problem. */
static int
book_page(struct request *r, const struct choice *c, int status)
{
	struct arena *a = r->arena;
	struct tmpl_value *ctx = page_context(r, "Your tickets");
	struct tmpl_value *lines = tv_list(a);
	long long total = 0;
	const char *currency = "EUR";
	int rc;

	for (size_t i = 0; i < c->nitems; i++) {
		const struct ticket_type *t = c->chosen[i];
		struct tmpl_value *v = tv_object(a);

		tv_set_int(a, v, "index", (long long)i);
		tv_set_int(a, v, "id", t->id);
		tv_set_str(a, v, "name", t->name);
		tv_set_int(a, v, "quantity", c->items[i].quantity);
		tv_set_str(a, v, "price", view_price(a, t->price, t->currency));
		tv_set_str(a, v, "subtotal", view_price(a,
		    t->price * c->items[i].quantity, t->currency));
		tv_push(a, lines, v);
		total += t->price * c->items[i].quantity;
		currency = t->currency;
	}
	if (c->ev.id != 0)
		tv_set(a, ctx, "event", view_event_detail(a, &c->ev));
	tv_set(a, ctx, "lines", lines);
	tv_set_bool(a, ctx, "has_lines", c->nitems > 0);
	tv_set_str(a, ctx, "total", view_price(a, total, currency));
	tv_set_int(a, ctx, "hold_minutes", r->cfg->hold_minutes);
	if (c->problem != NULL)
		tv_set_str(a, ctx, "problem", c->problem);
	tv_set_str(a, ctx, "csrf", csrf_token(r));
	if ((rc = page_render(r, "book", ctx)) != 0)
		return rc;
	r->resp.status = status;
	return 0;
}

/* GET /events/{id}/book?tt[0][id]=..&tt[0][qty]=.. */
int
booking_form(struct request *r)
{
	struct choice c;
	int status = read_choice(r, &r->query_params, &c);

	if (status == 0 || status == 400)
		return book_page(r, &c, status == 0 ? 200 : 400);
	return status;
}

/* The message and status of a refused booking. */
static int
refusal_text(struct request *r, const struct choice *c,
    const struct booking_outcome *out, const char **text)
{
	const char *name = "these tickets";

	for (size_t i = 0; i < c->nitems; i++)
		if (c->chosen[i]->id == out->ticket_type_id)
			name = c->chosen[i]->name;
	switch (out->refusal) {
	case BOOKING_SOLD_OUT:
		*text = out->limit == 0 ?
		    arena_printf(r->arena, "%s is sold out.", name) :
		    arena_printf(r->arena, "Only %lld %s left: choose fewer.",
		    out->limit, name);
		return 409;
	case BOOKING_EVENT_CLOSED:
		*text = "This event is not on sale: it is over or cancelled.";
		return 409;
	case BOOKING_NOT_ON_SALE:
		*text = arena_printf(r->arena, "%s is not on sale at the moment.",
		    name);
		return 409;
	case BOOKING_BELOW_MIN:
		*text = arena_printf(r->arena, "%s: at least %lld in one order.",
		    name, out->limit);
		return 400;
	case BOOKING_ABOVE_MAX:
		*text = arena_printf(r->arena, "%s: at most %lld in one order.",
		    name, out->limit);
		return 400;
	case BOOKING_ACCOUNT_CAP:
		*text = out->limit == 0 ?
		    arena_printf(r->arena, "You have as many %s as one person "
		    "may have.", name) :
		    arena_printf(r->arena, "You may book %lld more %s at most.",
		    out->limit, name);
		return 409;
	case BOOKING_MIXED_CURRENCY:
		*text = "These tickets are priced in different currencies: book "
		    "them in separate orders.";
		return 400;
	case BOOKING_UNKNOWN_TYPE:
	case BOOKING_OK:
		break;
	}
	*text = "This event does not have that ticket type.";
	return 404;
}

/* Places the hold, in page_change's transaction: the event and its types
 * as the primary has them now (orders_hold_start), the form read against
 * them, then the seats. A refusal shows the booking page again, with
 * what was chosen and why not. */
static int
hold_change(struct request *r, void *arg)
{
	struct choice *c = arg;
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);
	struct booking_outcome out;
	struct booking b;
	const char *text;
	int status;

	memset(c, 0, sizeof(*c));
	switch (orders_hold_start(r->db, r->arena, id, r->session->user_id,
	    &c->ev, &c->types, &c->ntypes)) {
	case 0:
		break;
	case 1:
		return 404;
	default:
		return -1;
	}
	if (read_quantities(r, &r->form, c) != 0)
		return book_page(r, c, 400) == 0 ? PAGE_SHOWN : 500;
	b = (struct booking){
		.event_id = c->ev.id,
		.buyer_id = r->session->user_id,
		.items = c->items,
		.nitems = c->nitems,
		.hold_minutes = r->cfg->hold_minutes,
	};
	switch (orders_place_hold(r->db, r->arena, &b, &c->ev, c->types,
	    c->ntypes, &out)) {
	case 0:
		page_change_location(r, arena_printf(r->arena,
		    "/orders/%s/checkout", out.code));
		return 0;
	case 1:
		status = refusal_text(r, c, &out, &text);
		c->problem = text;
		return book_page(r, c, status) == 0 ? PAGE_SHOWN : 500;
	default:
		return -1;
	}
}

/* POST /events/{id}/book: places the hold and goes to the checkout. */
int
booking_hold(struct request *r)
{
	struct choice c;

	return page_change(r, hold_change, &c, "/me");
}
