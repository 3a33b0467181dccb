/*
 * The form of a ticket type (/admin/events/{id}/types/...), declared for
 * form.h: name, description, price in the minor units of its currency
 * (one of money.h's), seats, what one order and one account may take,
 * the sale window in the event's zone (form_check's zone) and the order
 * it is listed in. The price reads as many decimals as the currency has,
 * so the form to check a post with depends on the currency posted.
 */
#ifndef TESSERA_ADMIN_TYPE_FORM_H
#define TESSERA_ADMIN_TYPE_FORM_H

#include "events.h"
#include "form.h"

struct arena;
struct params;

enum type_field {
	TTF_NAME,
	TTF_DESCRIPTION,
	TTF_PRICE,
	TTF_CURRENCY,
	TTF_QUOTA,
	TTF_MIN_PER_ORDER,
	TTF_MAX_PER_ORDER,
	TTF_MAX_PER_ACCOUNT,
	TTF_SALES_START,
	TTF_SALES_END,
	TTF_SORT_ORDER,
	TTF__MAX
};

/* The form for prices in currency (NULL or unknown: two decimals).
 * Static, or arena-owned. */
const struct form *type_form_for(struct arena *a, const char *currency);

/* Checks in (a posted form) with the form for the currency it names, the
 * times in zone. Returns form_check's count of messages. */
int type_form_check(struct arena *a, const struct params *in,
    const char *zone, struct form_result *out);

/* The checked fields of res (it passed) into t. Strings stay res's. */
void type_form_read(const struct form_result *res, struct ticket_type *t);

/* A result showing t (NULL: a new type's defaults, priced in currency),
 * its times in zone. */
void type_form_fill(struct arena *a, const struct ticket_type *t,
    const char *currency, const char *zone, struct form_result *res);

/* minor units of currency as the price field shows them: "12.50",
 * "1200" for JPY. Arena-owned. */
const char *type_form_price_text(struct arena *a, long long minor,
    const char *currency);

#endif
