/*
 * One order with everything its pages and its mails show (the event,
 * lines, tickets, history), read once; the values its pages show; and
 * confirming its payment, which the checkout (free, sandbox), a
 * provider's webhook (stripe.c) and the organizer recording an offline
 * payment (admin) share.
 */
#ifndef TESSERA_ORDER_VIEW_H
#define TESSERA_ORDER_VIEW_H

#include <stddef.h>

#include "events.h"
#include "orders.h"
#include "request.h"

struct tmpl_value;

struct order_view {
	struct order o;
	int has_event;             /* 0: an order of pictures, ev empty */
	struct event ev;
	struct order_line *lines;
	size_t nlines;
	struct order_ticket *tickets;
	size_t ntickets;
	struct order_change *history;
	size_t nhistory;
};

/*
 * Reads the order with code: the signed-in person's (any 0; another
 * person's is none) or whoever's (any 1, always locked: for a provider's
 * word on it); lock takes it FOR UPDATE in the caller's transaction.
 * Returns 0, 404, 503 or 500.
 */
int order_view_read(struct request *r, const char *code, int any, int lock,
    struct order_view *v);

/* As order_view_read for the signed-in person's order, without its
 * history (v->nhistory 0): for the checkout's pages and changes, which
 * neither show it nor mail it. */
int order_view_read_checkout(struct request *r, const char *code, int lock,
    struct order_view *v);

/* The time zone its times are shown in: its event's, UTC for pictures. */
const char *order_view_zone(const struct order_view *v);

/* What pages call an order's status: "Waiting for payment". */
const char *order_view_status(enum order_status status);

/* The values every page of one order shows, under title: its event,
 * code, status, lines and total, when its hold or payment deadline ends,
 * how to pay offline, its history, and the CSRF token. */
struct tmpl_value *order_view_context(struct request *r,
    const struct order_view *v, const char *title);

/*
 * Marks the locked order of v paid through provider, and queues the mail
 * with its tickets to its buyer, in the caller's transaction: the move
 * happens once (orders_transition is guarded by the status), so the mail
 * goes out once per paid order. Returns 0; 409 when the order is not
 * payable (an order of pictures included: picture_checkout.c confirms
 * those); 410 when it was paid late and its seats are gone, or its event
 * is cancelled (the caller rolls back and refunds); -1.
 */
int order_view_confirm_paid(struct request *r, struct order_view *v,
    const char *provider, const char *note);

/* Queues the mail template_name about the order of v (its event, lines
 * and tickets) to its buyer with its notification (notify_queue: the
 * worker writes it, and mails it as the buyer wants), in the caller's
 * transaction. template_name is one of order_view.c's order mails.
 * 0 or -1. */
int order_view_mail(struct request *r, const struct order_view *v,
    const char *template_name);

#endif
