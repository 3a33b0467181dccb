#include <stdlib.h>
#include <string.h>

#include "program.h"
#include "app_pages.h"
#include "dates.h"
#include "orders.h"
#include "picture_purchases.h"
#include "pictures.h"
#include "session.h"
#include "tmpl.h"
#include "view_event.h"

/*
 * Buying a picture's original: POST /pictures/{id}/buy makes an order of
 * the picture, held as a booking's seats are, and sends the buyer to its
 * checkout, where the providers of tickets take the payment (checkout.c,
 * payments.c). Paid, it is the buyer's (picture_purchases) and listed at
 * /me/purchases with its download (picture_original.c).
 *
 * Refused: a picture that is not public (hidden, processing: 404), one's
 * own and a free one (nothing to buy: 409 with why). A second buy of the
 * same picture finds the first order: its checkout while it is held,
 * its page while it waits for an offline payment, the purchases once
 * paid.
 */

static int
buy_change(struct request *r, void *arg)
{
	long long id = *(const long long *)arg;
	struct picture_hold_outcome out;
	struct picture_hold h;
	struct picture p;
	int rc;

	if ((rc = pictures_get(r->db, r->arena, id, &p)) != 0)
		return rc == 1 ? 404 : -1;
	if (p.owner_id == r->session->user_id) {
		r->error_detail = "This is your own picture: download its "
		    "original from its page.";
		return 409;
	}
	if (p.price == 0) {
		r->error_detail = "This picture is free: download its original "
		    "from its page.";
		return 409;
	}
	h = (struct picture_hold){
		.picture_id = p.id,
		.buyer_id = r->session->user_id,
		.description = arena_printf(r->arena, "Picture “%s”, original",
		    p.title),
		.price = p.price,
		.currency = p.currency,
		.hold_minutes = r->cfg->hold_minutes,
	};
	if ((rc = orders_place_picture_hold(r->db, r->arena, &h, &out)) != 0)
		return rc == ROW_BAD ? 500 : -1;
	if (out.existing && out.status == ORDER_PAID)
		page_change_location(r, "/me/purchases");
	else if (out.existing && out.status != ORDER_HELD)
		page_change_location(r, arena_printf(r->arena, "/me/orders/%s",
		    out.code));
	else
		page_change_location(r, arena_printf(r->arena,
		    "/orders/%s/checkout", out.code));
	return 0;
}

/* POST /pictures/{id}/buy */
int
picture_buy(struct request *r)
{
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);

	return page_change(r, buy_change, &id, "/me/purchases");
}

/* GET /me/purchases: the pictures the person bought, latest first, each
 * with its download while it is shown on the site. */
int
me_purchases(struct request *r)
{
	struct arena *a = r->arena;
	struct picture_purchase *list;
	struct tmpl_value *ctx, *items;
	size_t n;
	int rc;

	if ((rc = picture_purchases_of_buyer(r->db, a, r->session->user_id,
	    PICTURE_PURCHASES_MAX, &list, &n)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	ctx = page_context(r, "Your purchases");
	items = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		const struct picture_purchase *p = &list[i];
		struct tmpl_value *tv = tv_object(a);

		tv_set_str(a, tv, "title", p->title);
		tv_set_str(a, tv, "url", arena_printf(a, "/pictures/%lld",
		    p->picture_id));
		if (p->shown)
			tv_set_str(a, tv, "download", arena_printf(a,
			    "/pictures/%lld/original", p->picture_id));
		tv_set_str(a, tv, "price", view_price(a, p->price, p->currency));
		tv_set_str(a, tv, "bought", dates_local(a, p->bought_at, "UTC",
		    "%-d %b %Y"));
		tv_set_str(a, tv, "bought_iso", dates_iso(a, p->bought_at));
		tv_set_str(a, tv, "order_url", arena_printf(a, "/me/orders/%s",
		    p->order_code));
		tv_set_str(a, tv, "order_code", p->order_code);
		tv_push(a, items, tv);
	}
	tv_set(a, ctx, "purchases", items);
	tv_set_bool(a, ctx, "has_purchases", n > 0);
	return page_render(r, "me_purchases", ctx);
}
