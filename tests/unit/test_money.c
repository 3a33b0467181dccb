/*
 * Unit tests for money.c: every currency of the table, grouping, zero as
 * "Free" only when asked, refunds with the minus sign, the largest amounts
 * (999,999,999,999.99 and LLONG_MIN/LLONG_MAX, exactly), unknown and
 * malformed currency codes, and the decimals the form module reads.
 */
#include <limits.h>
#include <string.h>

#include "arena.h"
#include "money.h"
#include "tap.h"

static struct arena arena;
#define A (&arena)

#define NB MONEY_NBSP
#define MINUS MONEY_MINUS

static void
fmt(long long minor, const char *currency, unsigned flags, const char *want)
{
	is_str(money_format(A, minor, currency, flags), want, "%lld %s: %s",
	    minor, currency ? currency : "(null)", want);
}

static void
test_currencies(void)
{
	fmt(1250, "EUR", 0, "€12.50");
	fmt(123400, "USD", 0, "$1,234.00");
	fmt(99, "GBP", 0, "£0.99");
	fmt(1200, "JPY", 0, "¥1,200");
	fmt(1250, "CHF", 0, "12.50" NB "CHF");
	fmt(1250, "SEK", 0, "12.50" NB "SEK");
	fmt(1250, "NOK", 0, "12.50" NB "NOK");
	fmt(1250, "DKK", 0, "12.50" NB "DKK");
	fmt(1250, "PLN", 0, "12.50" NB "zł");
	fmt(1250, "CZK", 0, "12.50" NB "Kč");
	fmt(5, "EUR", 0, "€0.05");
	fmt(10, "EUR", 0, "€0.10");
	fmt(100, "EUR", 0, "€1.00");
	fmt(7, "JPY", 0, "¥7");
}

static void
test_grouping(void)
{
	fmt(99999, "EUR", 0, "€999.99");
	fmt(100000, "EUR", 0, "€1,000.00");
	fmt(1000000, "EUR", 0, "€10,000.00");
	fmt(100000000, "EUR", 0, "€1,000,000.00");
	fmt(999, "JPY", 0, "¥999");
	fmt(1000, "JPY", 0, "¥1,000");
	fmt(123456789, "JPY", 0, "¥123,456,789");
	fmt(99999999999999LL, "EUR", 0, "€999,999,999,999.99");
	fmt(99999999999999LL, "CHF", 0, "999,999,999,999.99" NB "CHF");
	fmt(99999999999999LL, "JPY", 0, "¥99,999,999,999,999");
	fmt(LLONG_MAX, "USD", 0, "$92,233,720,368,547,758.07");
	fmt(LLONG_MIN, "USD", 0, MINUS "$92,233,720,368,547,758.08");
	fmt(LLONG_MAX, "JPY", 0, "¥9,223,372,036,854,775,807");
}

static void
test_zero_and_negative(void)
{
	fmt(0, "EUR", 0, "€0.00");
	fmt(0, "EUR", MONEY_ZERO_FREE, "Free");
	fmt(0, "JPY", MONEY_ZERO_FREE, "Free");
	fmt(0, "XYZ", MONEY_ZERO_FREE, "Free");
	fmt(0, "JPY", 0, "¥0");
	fmt(1, "EUR", MONEY_ZERO_FREE, "€0.01");
	fmt(-500, "EUR", 0, MINUS "€5.00");
	fmt(-500, "EUR", MONEY_ZERO_FREE, MINUS "€5.00");
	fmt(-1, "GBP", 0, MINUS "£0.01");
	fmt(-1250, "CHF", 0, MINUS "12.50" NB "CHF");
	fmt(-1200, "JPY", 0, MINUS "¥1,200");
	fmt(-123456, "XYZ", 0, MINUS "XYZ" NB "1,234.56");
	is_str(MONEY_MINUS, "\u2212", "the minus sign is U+2212");
	is_str(MONEY_NBSP, "\u00a0", "the space is U+00A0");
}

static void
test_unknown(void)
{
	fmt(1234, "XYZ", 0, "XYZ" NB "12.34");
	fmt(123456, "AUD", 0, "AUD" NB "1,234.56");
	/* Not codes: shown as the generic sign, never copied. */
	fmt(1234, "eur", 0, "¤" NB "12.34");
	fmt(1234, "EURO", 0, "¤" NB "12.34");
	fmt(1234, "EU", 0, "¤" NB "12.34");
	fmt(1234, "", 0, "¤" NB "12.34");
	fmt(1234, "<b>", 0, "¤" NB "12.34");
	fmt(1234, "E\xc3\x89U", 0, "¤" NB "12.34");
	fmt(1234, NULL, 0, "¤" NB "12.34");
}

static void
test_decimals(void)
{
	static const char *const two[] = { "EUR", "USD", "GBP", "CHF", "SEK",
		"NOK", "DKK", "PLN", "CZK" };

	for (size_t i = 0; i < sizeof(two) / sizeof(two[0]); i++) {
		is_int(money_decimals(two[i]), 2, "%s has 2 decimals", two[i]);
		ok(money_known(two[i]), "%s is known", two[i]);
	}
	is_int(money_decimals("JPY"), 0, "JPY has none");
	ok(money_known("JPY"), "JPY is known");
	is_int(money_decimals("XYZ"), 2, "an unknown code: 2");
	is_int(money_decimals(NULL), 2, "NULL: 2");
	ok(!money_known("XYZ") && !money_known("eur") && !money_known("") &&
	    !money_known(NULL) && !money_known("EURO"),
	    "unknown and malformed codes are not known");
}

static void
test_codes(void)
{
	int distinct = 1;

	for (size_t i = 0; i < MONEY_NCODES; i++) {
		ok(money_known(money_codes[i]), "the listed %s is known",
		    money_codes[i]);
		for (size_t j = 0; j < i; j++)
			distinct &= strcmp(money_codes[i], money_codes[j]) != 0;
	}
	ok(distinct, "each code is listed once");
	is_str(money_codes[0], "EUR", "EUR is listed first");
}

int
main(void)
{
	arena_init(&arena, 0);
	test_currencies();
	test_grouping();
	test_zero_and_negative();
	test_unknown();
	test_decimals();
	test_codes();
	arena_free(&arena);
	return done_testing();
}
