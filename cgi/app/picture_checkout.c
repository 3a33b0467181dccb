#include <json-c/json.h>
#include <string.h>

#include "program.h"
#include "app_pages.h"
#include "notify.h"
#include "order_view.h"
#include "orders.h"
#include "payments.h"
#include "picture_purchases.h"
#include "view_event.h"

/*
 * The payment of an order of pictures (picture_buy.c makes them),
 * confirmed by the same providers as tickets: the move to paid, the
 * buyer's pictures (picture_purchases) and their sales counted, the
 * buyer's confirmation and each seller's notice, all in the caller's
 * transaction, so they happen once, with the move. A picture hidden or
 * deleted since the buy is not sold: the payment is refused (410, and a
 * provider's payment is refunded).
 */

/* Tells the owner of each picture of paid order v of its sale, with
 * the mail they chose (picture_sold), through the outbox. 0 or -1. */
static int
tell_sellers(struct request *r, const struct order_view *v)
{
	struct picture_sale *sold;
	size_t n;

	if (picture_purchases_sold(r->db, r->arena, v->o.id, &sold, &n) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct picture_sale *s = &sold[i];
		int mail = strchr(s->owner_email, '@') != NULL;
		const char *price = view_price(r->arena, s->price,
		    v->o.currency);
		struct json_object *vars = json_object_new_object();
		int rc;

		json_object_object_add(vars, "name",
		    json_object_new_string(s->owner_name));
		json_object_object_add(vars, "title",
		    json_object_new_string(s->title));
		json_object_object_add(vars, "price",
		    json_object_new_string(price));
		json_object_object_add(vars, "pictures_url",
		    json_object_new_string(arena_printf(r->arena,
		    "%s/me/pictures", request_site_url(r))));
		rc = notify_queue(r->db, s->owner_id, NOTIFY_PICTURE_SOLD,
		    s->picture_id, arena_printf(r->arena, "/me/pictures/%lld",
		    s->picture_id), arena_printf(r->arena,
		    "Someone bought “%s” for %s", s->title, price),
		    mail ? s->owner_email : NULL, mail ? "picture_sold" : NULL,
		    vars);
		json_object_put(vars);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* See payments_confirm_paid (payments.h), for an order of pictures. */
static int
picture_checkout_paid(struct request *r, struct order_view *v,
    const char *provider, const char *note)
{
	int rc;

	/* Hidden or deleted since the buy: nothing to sell, the money back. */
	if ((rc = picture_purchases_unavailable(r->db, v->o.id)) != 0) {
		if (rc < 0)
			return -1;
		r->error_detail = "This picture is no longer on sale: this "
		    "order is not taken.";
		return 410;
	}
	if ((rc = orders_transition(r->db, &v->o, ORDER_PAID, provider,
	    note)) != 0)
		return rc < 0 ? -1 : 409;
	if ((rc = picture_purchases_give(r->db, v->o.id)) != 0) {
		if (rc < 0)
			return -1;
		r->error_detail = "You have bought this picture already: this "
		    "order is not taken.";
		return 410;
	}
	if (order_view_mail(r, v, "picture_bought") != 0 ||
	    tell_sellers(r, v) != 0)
		return -1;
	return 0;
}

int
payments_confirm_paid(struct request *r, struct order_view *v,
    const char *provider, const char *note)
{
	if (!v->has_event)
		return picture_checkout_paid(r, v, provider, note);
	return order_view_confirm_paid(r, v, provider, note);
}
