#include "payments.h"

#include <string.h>
#include <time.h>

#include "app_pages.h"
#include "order_view.h"
#include "program.h"

/* Free tickets: confirmed at once. */
static int
free_offered(const struct request *r, const struct order_view *v)
{
	(void)r;
	return v->o.total == 0;
}

static int
free_start(struct request *r, struct order_view *v)
{
	int status;

	if ((status = payments_confirm_paid(r, v, "free",
	    "free tickets, confirmed at once")) != 0)
		return status;
	page_change_location(r, arena_printf(r->arena, "/me/orders/%s?done=paid",
	    v->o.code));
	return 0;
}

/* Paying offline (a bank transfer, cash at the door), where the event
 * allows it: the order waits for the organizer to record the payment,
 * keeping its seats until its deadline, the event's days to pay from now
 * but never after the event ends. The buyer gets the instructions by
 * mail and on the order page. */
static int
offline_offered(const struct request *r, const struct order_view *v)
{
	(void)r;
	return v->ev.offline_payment_days > 0 && v->o.total > 0;
}

static int
offline_start(struct request *r, struct order_view *v)
{
	time_t deadline = time(NULL) + v->ev.offline_payment_days * 86400;

	if (deadline > v->ev.ends_at)
		deadline = v->ev.ends_at;
	v->o.has_hold_expires_at = 1;
	v->o.hold_expires_at = deadline;
	switch (orders_transition(r->db, &v->o, ORDER_PENDING_PAYMENT,
	    "offline", "to be paid offline")) {
	case 0:
		break;
	case 1:
		return 409;
	default:
		return -1;
	}
	if (order_view_mail(r, v, "order_pending") != 0)
		return -1;
	page_change_location(r, arena_printf(r->arena,
	    "/me/orders/%s?done=pending", v->o.code));
	return 0;
}

/* The pretend provider of the local stack (checkout.c has its page). */
static int
sandbox_offered(const struct request *r, const struct order_view *v)
{
	return r->cfg->payment_sandbox && v->o.total > 0;
}

static int
sandbox_start(struct request *r, struct order_view *v)
{
	page_change_location(r, arena_printf(r->arena, "/orders/%s/sandbox",
	    v->o.code));
	return 0;
}

static int
stripe_offered(const struct request *r, const struct order_view *v)
{
	return stripe_enabled(r) && v->o.total > 0;
}

static const struct payment_provider providers[] = {
	{ "free", "Free tickets", free_offered, free_start },
	{ "sandbox", "Sandbox (no money moves)", sandbox_offered, sandbox_start },
	{ "stripe", "Card (Stripe)", stripe_offered, stripe_checkout_start },
	{ "offline", "Bank transfer or at the door: pay later, by the deadline",
	    offline_offered, offline_start },
};

size_t
payments_offered(const struct request *r, const struct order_view *v,
    const struct payment_provider **out)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(providers) / sizeof(providers[0]) &&
	    n < PAYMENTS_MAX; i++)
		if (providers[i].offered(r, v))
			out[n++] = &providers[i];
	return n;
}

const struct payment_provider *
payments_find(const struct request *r, const struct order_view *v,
    const char *name)
{
	const struct payment_provider *offered[PAYMENTS_MAX];
	size_t n = payments_offered(r, v, offered);

	/* Only one way to pay: a form without a choice means it. */
	if (name == NULL || *name == '\0')
		return n == 1 ? offered[0] : NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(offered[i]->name, name) == 0)
			return offered[i];
	return NULL;
}
