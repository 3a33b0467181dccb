#include "admin_type_form.h"

#include <string.h>

#include "arena.h"
#include "dates.h"
#include "http_params.h"
#include "money.h"
#include "util.h"

#define NAME_MAX_CHARS 100          /* ticket_types.name */
#define DESCRIPTION_MAX_CHARS 300   /* ticket_types.description */
#define PRICE_MAX 99999999          /* minor units: 999,999.99 */
#define QUOTA_MAX 1000000
#define PER_ORDER_MAX 100           /* what the booking form reads */
#define PER_ACCOUNT_MAX 1000
#define SORT_ORDER_MAX 1000

#define TIME_EARLIEST "2000-01-01T00:00"
#define TIME_LATEST "2100-12-31T23:59"

#define NUMBER(fname, flabel, fmin, fmax) \
	.name = (fname), .kind = FORM_INT, .flags = FORM_REQUIRED, \
	.label = (flabel), .min = (fmin), .max = (fmax)

static const struct form_field type_fields[TTF__MAX] = {
	[TTF_NAME] = { .name = "name", .kind = FORM_TEXT,
	    .flags = FORM_REQUIRED | FORM_TRIM, .label = "Name",
	    .charset = FORM_LINE, .max_chars = NAME_MAX_CHARS,
	    .missing = "Name the ticket type: Standard, Reduced, Balcony..." },
	[TTF_DESCRIPTION] = { .name = "description", .kind = FORM_TEXT,
	    .flags = FORM_TRIM, .label = "Description", .charset = FORM_LINE,
	    .max_chars = DESCRIPTION_MAX_CHARS,
	    .hint = "One line: what it includes, who it is for." },
	[TTF_PRICE] = { .name = "price", .kind = FORM_MONEY,
	    .flags = FORM_REQUIRED, .label = "Price", .min = 0,
	    .max = PRICE_MAX, .decimals = 2,
	    .hint = "0 for a free ticket." },
	[TTF_CURRENCY] = { .name = "currency", .kind = FORM_CHOICE,
	    .flags = FORM_REQUIRED, .label = "Currency",
	    .choices = money_codes, .nchoices = MONEY_NCODES,
	    .hint = "All ticket types of an event are in one currency." },
	[TTF_QUOTA] = { NUMBER("quota", "Seats", 0, QUOTA_MAX),
	    .hint = "How many of this type are for sale; never fewer than "
	    "are sold and held." },
	[TTF_MIN_PER_ORDER] = { NUMBER("min_per_order", "At least, per order",
	    1, PER_ORDER_MAX) },
	[TTF_MAX_PER_ORDER] = { NUMBER("max_per_order", "At most, per order",
	    1, PER_ORDER_MAX) },
	[TTF_MAX_PER_ACCOUNT] = { NUMBER("max_per_account",
	    "At most, per account", 0, PER_ACCOUNT_MAX),
	    .hint = "0 for no limit." },
	[TTF_SALES_START] = { .name = "sales_start", .kind = FORM_DATETIME,
	    .label = "On sale from", .earliest = TIME_EARLIEST,
	    .latest = TIME_LATEST,
	    .hint = "Leave it empty to sell as soon as the event is "
	    "published." },
	[TTF_SALES_END] = { .name = "sales_end", .kind = FORM_DATETIME,
	    .label = "On sale until", .earliest = TIME_EARLIEST,
	    .latest = TIME_LATEST,
	    .hint = "Leave it empty to sell until the event ends." },
	[TTF_SORT_ORDER] = { .name = "sort_order", .kind = FORM_INT,
	    .label = "Display order", .min = 0, .max = SORT_ORDER_MAX,
	    .hint = "Types are listed by this number, lowest first." },
};

static void
type_cross(struct arena *a, struct form_result *res)
{
	const struct form_value *lo = &res->field[TTF_MIN_PER_ORDER];
	const struct form_value *hi = &res->field[TTF_MAX_PER_ORDER];
	const struct form_value *from = &res->field[TTF_SALES_START];
	const struct form_value *until = &res->field[TTF_SALES_END];

	int fewer = lo->text != NULL && hi->text != NULL && hi->num < lo->num;
	int ends_first = from->text != NULL && until->text != NULL &&
	    until->time <= from->time;

	(void)a;
	if (fewer)
		form_set_error(res, TTF_MAX_PER_ORDER, "The most per order "
		    "cannot be less than the least.");
	if (ends_first)
		form_set_error(res, TTF_SALES_END, "The sale must end after it "
		    "starts.");
}

static const struct form type_form = { "ticket-type", type_fields, TTF__MAX,
	type_cross };

/* Decimals of a price in currency, as its field reads them. */
static int
decimals_of(const char *currency)
{
	return money_known(currency) ? money_decimals(currency) : 2;
}

const struct form *
type_form_for(struct arena *a, const char *currency)
{
	struct form_field *fields;
	struct form *f;
	int d = decimals_of(currency);

	if (d == type_fields[TTF_PRICE].decimals)
		return &type_form;
	fields = arena_alloc(a, sizeof(type_fields));
	memcpy(fields, type_fields, sizeof(type_fields));
	fields[TTF_PRICE].decimals = d;
	f = arena_alloc(a, sizeof(*f));
	*f = type_form;
	f->fields = fields;
	return f;
}

int
type_form_check(struct arena *a, const struct params *in, const char *zone,
    struct form_result *out)
{
	return form_check(a, type_form_for(a, params_get(in, "currency")), in,
	    zone, out);
}

void
type_form_read(const struct form_result *res, struct ticket_type *t)
{
	const struct form_value *v = res->field;

	t->name = v[TTF_NAME].text;
	t->description = v[TTF_DESCRIPTION].text ? v[TTF_DESCRIPTION].text : "";
	t->price = v[TTF_PRICE].num;
	t->currency = v[TTF_CURRENCY].text;
	t->quota = v[TTF_QUOTA].num;
	t->min_per_order = v[TTF_MIN_PER_ORDER].num;
	t->max_per_order = v[TTF_MAX_PER_ORDER].num;
	t->max_per_account = v[TTF_MAX_PER_ACCOUNT].num;
	t->has_sales_start = v[TTF_SALES_START].text != NULL;
	t->sales_start = v[TTF_SALES_START].time;
	t->has_sales_end = v[TTF_SALES_END].text != NULL;
	t->sales_end = v[TTF_SALES_END].time;
	t->sort_order = v[TTF_SORT_ORDER].text ? v[TTF_SORT_ORDER].num : 0;
}

const char *
type_form_price_text(struct arena *a, long long minor, const char *currency)
{
	return money_input_text(a, minor, currency);
}

static const char *
number(struct arena *a, long long n)
{
	return arena_printf(a, "%lld", n);
}

void
type_form_fill(struct arena *a, const struct ticket_type *t,
    const char *currency, const char *zone, struct form_result *res)
{
	const char *fmt = "%Y-%m-%dT%H:%M";

	if (t != NULL)
		currency = t->currency;
	form_blank(a, type_form_for(a, currency), res);
	form_set(res, TTF_CURRENCY, currency);
	if (t == NULL) {
		form_set(res, TTF_MIN_PER_ORDER, "1");
		form_set(res, TTF_MAX_PER_ORDER, "10");
		form_set(res, TTF_MAX_PER_ACCOUNT, "0");
		form_set(res, TTF_SORT_ORDER, "0");
		return;
	}
	form_set(res, TTF_NAME, t->name);
	form_set(res, TTF_DESCRIPTION, t->description);
	form_set(res, TTF_PRICE, type_form_price_text(a, t->price, currency));
	form_set(res, TTF_QUOTA, number(a, t->quota));
	form_set(res, TTF_MIN_PER_ORDER, number(a, t->min_per_order));
	form_set(res, TTF_MAX_PER_ORDER, number(a, t->max_per_order));
	form_set(res, TTF_MAX_PER_ACCOUNT, number(a, t->max_per_account));
	if (t->has_sales_start)
		form_set(res, TTF_SALES_START, dates_local(a, t->sales_start,
		    zone, fmt));
	if (t->has_sales_end)
		form_set(res, TTF_SALES_END, dates_local(a, t->sales_end, zone,
		    fmt));
	form_set(res, TTF_SORT_ORDER, number(a, t->sort_order));
}
