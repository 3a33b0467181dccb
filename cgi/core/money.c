#include "money.h"

#include <string.h>

#include "arena.h"
#include "util.h"

/* Currencies without a row: two decimals (as most of ISO 4217 has). */
#define MONEY_DEFAULT_DECIMALS 2
/* The generic currency sign, for a code that is not a code. */
#define MONEY_GENERIC_SIGN "\xc2\xa4"

/* The codes of every currency the site writes in its own way, in the
 * order of money_currencies[]. */
const char *const money_codes[MONEY_NCODES] = {
	"EUR", "USD", "GBP", "JPY", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK",
};

/*
 * How each of money_codes[] is written. prefix goes before the number,
 * suffix after it; either is "". A symbol written apart from the number
 * has the no-break space in the string itself.
 */
static const struct money_currency {
	int decimals;
	const char *prefix;
	const char *suffix;
} money_currencies[] = {
	/* EUR */ { 2, "€", "" },
	/* USD */ { 2, "$", "" },
	/* GBP */ { 2, "£", "" },
	/* JPY */ { 0, "¥", "" },
	/* CHF */ { 2, "", MONEY_NBSP "CHF" },
	/* SEK */ { 2, "", MONEY_NBSP "SEK" },
	/* NOK */ { 2, "", MONEY_NBSP "NOK" },
	/* DKK */ { 2, "", MONEY_NBSP "DKK" },
	/* PLN */ { 2, "", MONEY_NBSP "zł" },
	/* CZK */ { 2, "", MONEY_NBSP "Kč" },
};

_Static_assert(ARRAY_LEN(money_currencies) == MONEY_NCODES,
    "one way of writing for each code of money_codes");

static const struct money_currency *
money_find(const char *currency)
{
	if (currency == NULL)
		return NULL;
	for (size_t i = 0; i < MONEY_NCODES; i++)
		if (strcmp(money_codes[i], currency) == 0)
			return &money_currencies[i];
	return NULL;
}

/* 1 when s is three letters A-Z: a code that may be shown as it is. */
static int
money_code_ok(const char *s)
{
	if (s == NULL)
		return 0;
	for (int i = 0; i < 3; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return 0;
	return s[3] == '\0';
}

int
money_decimals(const char *currency)
{
	const struct money_currency *c = money_find(currency);

	return c != NULL ? c->decimals : MONEY_DEFAULT_DECIMALS;
}

int
money_known(const char *currency)
{
	return money_find(currency) != NULL;
}

/*
 * Writes the magnitude m with decimals digits after the point and the
 * units grouped in thousands, NUL-terminated, into out (at least 48
 * bytes: 2^64 has 20 digits). Integer arithmetic only.
 */
static void
money_digits(char *out, unsigned long long m, int decimals)
{
	char rev[48];
	size_t n = 0, i;
	int group = 0;

	for (int d = 0; d < decimals; d++) {
		rev[n++] = (char)('0' + m % 10);
		m /= 10;
	}
	if (decimals > 0)
		rev[n++] = '.';
	do {
		if (group == 3) {
			rev[n++] = ',';
			group = 0;
		}
		rev[n++] = (char)('0' + m % 10);
		m /= 10;
		group++;
	} while (m > 0);
	for (i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	out[n] = '\0';
}

char *
money_format(struct arena *a, long long minor, const char *currency,
    unsigned flags)
{
	const struct money_currency *c = money_find(currency);
	/* Negated as unsigned, which LLONG_MIN survives. */
	unsigned long long m = minor < 0 ? 0ULL - (unsigned long long)minor
	    : (unsigned long long)minor;
	const char *sign = minor < 0 ? MONEY_MINUS : "";
	char digits[48];

	if (minor == 0 && (flags & MONEY_ZERO_FREE))
		return arena_strdup(a, "Free");
	money_digits(digits, m,
	    c != NULL ? c->decimals : MONEY_DEFAULT_DECIMALS);
	if (c != NULL)
		return arena_printf(a, "%s%s%s%s", sign, c->prefix, digits,
		    c->suffix);
	return arena_printf(a, "%s%s" MONEY_NBSP "%s", sign,
	    money_code_ok(currency) ? currency : MONEY_GENERIC_SIGN, digits);
}

char *
money_input_text(struct arena *a, long long minor, const char *currency)
{
	int d = money_decimals(currency);
	long long scale = 1;

	for (int i = 0; i < d; i++)
		scale *= 10;
	if (d == 0)
		return arena_printf(a, "%lld", minor);
	return arena_printf(a, "%lld.%0*lld", minor / scale, d, minor % scale);
}
