/*
 * Unit tests for the organizer's forms (admin_event_form.c,
 * admin_type_form.c): an event's times read in its own zone, the checks
 * across fields (the end after the start, refunds until the end at the
 * latest, instructions with days to pay offline), a new event's start in
 * the future, the status only on the edit form, filling the edit form
 * back from an event; a ticket type's price in the decimals of its
 * currency (none for JPY), its limits and sale window, and the price as
 * the form shows it again.
 */
#include <string.h>

#include "admin_event_form.h"
#include "admin_type_form.h"
#include "arena.h"
#include "dates.h"
#include "events.h"
#include "form.h"
#include "http_params.h"
#include "tap.h"

static struct arena arena;
#define A (&arena)

#define EVENT_BASE "title=T&venue=V&city=C&timezone=Europe%2FLisbon&" \
	"starts_at=2031-06-10T20%3A00&ends_at=2031-06-10T23%3A00"
#define TYPE_BASE "name=N&price=12.5&currency=EUR&quota=5&" \
	"min_per_order=1&max_per_order=4&max_per_account=0"

static struct params
params_of(const char *body)
{
	struct params p;

	if (params_parse(A, body, strlen(body), &params_default_limits,
	    &p) != PARAMS_OK)
		memset(&p, 0, sizeof(p));
	return p;
}

static int
check_event(const struct form *f, const char *body, struct form_result *res)
{
	struct params p = params_of(body);

	return form_check(A, f, &p, NULL, res);
}

static time_t
utc(const char *db)
{
	time_t t = 0;

	dates_parse_db(db, &t);
	return t;
}

static void
test_event_read(void)
{
	struct form_result res;
	struct event ev;

	is_int(check_event(&event_form_new, EVENT_BASE, &res), 0,
	    "the least a new event needs passes");
	memset(&ev, 0, sizeof(ev));
	event_form_read(&res, &ev);
	ok(ev.starts_at == utc("2031-06-10 19:00:00") &&
	    ev.ends_at == utc("2031-06-10 22:00:00"),
	    "times are read in the event's zone (Lisbon, UTC+1 in June)");
	is_str(ev.timezone, "Europe/Lisbon", "the zone");
	ok(!ev.has_refunds_until && ev.offline_payment_days == 0 &&
	    strcmp(ev.summary, "") == 0 && strcmp(ev.offline_instructions,
	    "") == 0, "what was left empty is empty or absent");
	is_int(ev.status, EVENT_DRAFT, "a new event is a draft");
	is_int(check_event(&event_form_new, EVENT_BASE "&status=published",
	    &res), 0, "a status sent to the new form is not read");
	event_form_read(&res, &ev);
	is_int(ev.status, EVENT_DRAFT, "so it stays a draft");
	is_int(check_event(&event_form_edit, EVENT_BASE, &res), 1,
	    "the edit form needs the status");
	is_int(check_event(&event_form_edit, EVENT_BASE "&status=published",
	    &res), 0, "and takes draft or published");
	event_form_read(&res, &ev);
	is_int(ev.status, EVENT_PUBLISHED, "published");
	is_int(check_event(&event_form_edit, EVENT_BASE "&status=cancelled",
	    &res), 1, "but not cancelled");
	is_int(check_event(&event_form_new, EVENT_BASE "&refunds_until="
	    "2031-06-01T12%3A00&offline_payment_days=5&offline_instructions="
	    "%20IBAN%0D%0Aref%20", &res), 0, "the refund and offline settings");
	event_form_read(&res, &ev);
	ok(ev.has_refunds_until && ev.refunds_until == utc(
	    "2031-06-01 11:00:00"), "refunds until, in the event's zone");
	is_int(ev.offline_payment_days, 5, "days to pay offline");
	is_str(ev.offline_instructions, "IBAN\nref",
	    "instructions trimmed, with LF line breaks");
}

static void
test_event_checks(void)
{
	struct form_result res;

	is_int(check_event(&event_form_new, "title=T&venue=V&city=C&timezone="
	    "Europe%2FLisbon&starts_at=2031-06-10T20%3A00&ends_at="
	    "2031-06-10T20%3A00", &res), 1, "an end at the start is refused");
	ok(res.field[EVF_ENDS].error != NULL, "on the end");
	is_int(check_event(&event_form_new, EVENT_BASE "&refunds_until="
	    "2031-06-10T23%3A01", &res), 1, "refunds after the end are refused");
	ok(res.field[EVF_REFUNDS_UNTIL].error != NULL, "on the refunds");
	is_int(check_event(&event_form_new, EVENT_BASE "&refunds_until="
	    "2031-06-10T23%3A00", &res), 0, "refunds until the end pass");
	is_int(check_event(&event_form_new, "title=T&venue=V&city=C&timezone="
	    "Europe%2FLisbon&starts_at=2031-06-10T20%3A00&ends_at="
	    "2031-06-10T19%3A00&refunds_until=2031-06-11T00%3A00", &res), 2,
	    "an end before the start and refunds after the end: both said");
	is_int(check_event(&event_form_new, EVENT_BASE
	    "&offline_payment_days=3&offline_instructions=%20%0A", &res), 1,
	    "days to pay offline without instructions are refused");
	ok(res.field[EVF_OFFLINE_INSTRUCTIONS].error != NULL, "on them");
	is_int(check_event(&event_form_new, EVENT_BASE
	    "&offline_payment_days=0", &res), 1, "0 days are refused");
	is_int(check_event(&event_form_new, EVENT_BASE
	    "&offline_payment_days=366", &res), 1, "so are 366");
	is_int(check_event(&event_form_new, "title=T&venue=V&city=C&timezone="
	    "Mars%2FOlympus&starts_at=2031-06-10T20%3A00&ends_at="
	    "2031-06-10T23%3A00", &res), 1, "an unknown zone is refused");
	ok(res.field[EVF_TIMEZONE].error != NULL &&
	    res.field[EVF_STARTS].error == NULL,
	    "once, at the zone, not at every time");
	is_int(check_event(&event_form_new, "title=%20&venue=&city=&timezone="
	    "&starts_at=&ends_at=", &res), 6, "an empty form: six messages");
	is_int(check_event(&event_form_new, EVENT_BASE, &res), 0, "a start");
	is_int(event_form_check_new(&res, utc("2031-06-10 19:00:00")), 0,
	    "at now is not past");
	is_int(event_form_check_new(&res, utc("2031-06-10 19:00:01")), 1,
	    "a second later it is");
	ok(res.field[EVF_STARTS].error != NULL && res.nerrors == 1,
	    "said at the start");
}

static void
test_event_fill(void)
{
	struct form_result res;
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.title = "T <b>";
	ev.summary = "";
	ev.description = "D";
	ev.venue = "V";
	ev.address = "";
	ev.city = "C";
	ev.timezone = "Asia/Tokyo";
	ev.starts_at = utc("2031-03-04 22:30:00");
	ev.ends_at = utc("2031-03-05 00:30:00");
	ev.offline_instructions = "";
	ev.status = EVENT_PUBLISHED;
	event_form_fill(A, &ev, &res);
	is_str(res.field[EVF_STARTS].text, "2031-03-05T07:30",
	    "the edit form shows the start in the event's zone");
	is_str(res.field[EVF_ENDS].text, "2031-03-05T09:30", "and the end");
	ok(res.field[EVF_REFUNDS_UNTIL].text == NULL &&
	    res.field[EVF_OFFLINE_DAYS].text == NULL,
	    "no refunds and no offline days: empty");
	is_str(res.field[EVF_STATUS].text, "published", "the status");
	is_str(res.field[EVF_TITLE].text, "T <b>", "the title as saved");
}

static int
check_type(const char *body, struct form_result *res)
{
	struct params p = params_of(body);

	return type_form_check(A, &p, "Europe/Berlin", res);
}

static void
test_type(void)
{
	struct form_result res;
	struct ticket_type t;

	is_int(check_type(TYPE_BASE, &res), 0, "a ticket type passes");
	memset(&t, 0, sizeof(t));
	type_form_read(&res, &t);
	is_int(t.price, 1250, "12.5 EUR is 1250 cents");
	ok(strcmp(t.currency, "EUR") == 0 && t.quota == 5 &&
	    t.min_per_order == 1 && t.max_per_order == 4 &&
	    t.max_per_account == 0 && t.sort_order == 0 &&
	    !t.has_sales_start && !t.has_sales_end &&
	    strcmp(t.description, "") == 0, "and the rest as sent");
	is_int(check_type("name=N&price=1200&currency=JPY&quota=5&"
	    "min_per_order=1&max_per_order=4&max_per_account=0", &res), 0,
	    "a yen price");
	type_form_read(&res, &t);
	is_int(t.price, 1200, "in whole yen");
	is_int(check_type("name=N&price=1200.50&currency=JPY&quota=5&"
	    "min_per_order=1&max_per_order=4&max_per_account=0", &res), 1,
	    "a yen price with decimals is refused");
	is_int(check_type("name=N&price=12.505&currency=EUR&quota=5&"
	    "min_per_order=1&max_per_order=4&max_per_account=0", &res), 1,
	    "three decimals of euro are refused");
	is_int(check_type("name=N&price=12&currency=XYZ&quota=5&"
	    "min_per_order=1&max_per_order=4&max_per_account=0", &res), 1,
	    "a currency money.h does not know is refused");
	ok(res.field[TTF_CURRENCY].error != NULL, "at the currency");
	is_int(check_type("name=N&price=12&currency=EUR&quota=5&"
	    "min_per_order=3&max_per_order=2&max_per_account=0", &res), 1,
	    "at most fewer than at least is refused");
	ok(res.field[TTF_MAX_PER_ORDER].error != NULL, "at the most");
	is_int(check_type(TYPE_BASE "&sales_start=2031-06-01T10%3A00&"
	    "sales_end=2031-06-01T10%3A00", &res), 1,
	    "a sale that ends as it starts is refused");
	is_int(check_type(TYPE_BASE "&sales_start=2031-06-01T10%3A00&"
	    "sales_end=2031-06-02T10%3A00&sort_order=3", &res), 0,
	    "a sale window");
	type_form_read(&res, &t);
	ok(t.has_sales_start && t.sales_start == utc("2031-06-01 08:00:00"),
	    "read in the zone given (Berlin, UTC+2 in June)");
	is_int(t.sort_order, 3, "the display order");
	is_int(check_type("name=N&price=12&currency=EUR&quota=-1&"
	    "min_per_order=0&max_per_order=101&max_per_account=1001", &res), 4,
	    "seats, the limits and the cap out of range: four messages");
}

static void
test_type_fill(void)
{
	struct form_result res;
	struct ticket_type t;

	is_str(type_form_price_text(A, 1250, "EUR"), "12.50", "1250 cents");
	is_str(type_form_price_text(A, 5, "EUR"), "0.05", "5 cents");
	is_str(type_form_price_text(A, 0, "EUR"), "0.00", "free");
	is_str(type_form_price_text(A, 1200, "JPY"), "1200", "1200 yen");
	memset(&t, 0, sizeof(t));
	t.name = "N";
	t.description = "";
	t.price = 1200;
	t.currency = "JPY";
	t.quota = 7;
	t.min_per_order = 1;
	t.max_per_order = 2;
	t.has_sales_end = 1;
	t.sales_end = utc("2031-06-01 08:00:00");
	type_form_fill(A, &t, NULL, "Europe/Berlin", &res);
	is_str(res.field[TTF_PRICE].text, "1200", "a yen price shown whole");
	is_int(res.form->fields[TTF_PRICE].decimals, 0,
	    "in a form that reads it whole");
	is_str(res.field[TTF_SALES_END].text, "2031-06-01T10:00",
	    "the sale end in the event's zone");
	ok(res.field[TTF_SALES_START].text == NULL, "no sale start: empty");
	type_form_fill(A, NULL, "CHF", "UTC", &res);
	ok(strcmp(res.field[TTF_CURRENCY].text, "CHF") == 0 &&
	    strcmp(res.field[TTF_MAX_PER_ORDER].text, "10") == 0 &&
	    res.field[TTF_NAME].text == NULL,
	    "a new type: the currency given and the defaults");
}

int
main(void)
{
	arena_init(&arena, 0);
	test_event_read();
	test_event_checks();
	test_event_fill();
	test_type();
	test_type_fill();
	arena_free(&arena);
	return done_testing();
}
