/*
 * Amounts of money as the site shows them. Amounts are integers in the
 * currency's minor unit (cents; yen for JPY), never floating point; one
 * table in money.c says, for each ISO 4217 code the site knows, how many
 * decimals it has and how it is written in English:
 *
 *   EUR €12.50    USD $1,234.00   GBP £0.99     JPY ¥1,200
 *   CHF 12.50 CHF  SEK 12.50 SEK  NOK 12.50 NOK  DKK 12.50 DKK
 *   PLN 12.50 zł   CZK 12.50 Kč
 *
 * Any other code is written "XYZ 12.34" with two decimals. Thousands are
 * grouped with ",", decimals follow ".". Between a number and a code or
 * symbol written apart from it stands a no-break space (U+00A0), so the
 * two never wrap onto different lines; in the examples above it is shown
 * as a space. A negative amount (a refund) starts with a real minus sign,
 * U+2212, before any symbol: "−€5.00", "−12.50 CHF".
 */
#ifndef TESSERA_MONEY_H
#define TESSERA_MONEY_H

struct arena;

/* Flags for money_format. */
#define MONEY_ZERO_FREE 0x1 /* 0 is "Free" */

/* The no-break space and the minus sign money_format writes, in UTF-8. */
#define MONEY_NBSP "\xc2\xa0"
#define MONEY_MINUS "\xe2\x88\x92"

/*
 * minor units of currency (an ISO 4217 code, "EUR") as text, arena-owned;
 * never fails. Any long long is written exactly, LLONG_MIN included. A
 * currency that is not three upper-case letters A-Z is written as "¤"
 * (the generic currency sign) rather than copied into the text.
 */
char *money_format(struct arena *a, long long minor, const char *currency,
    unsigned flags);

/* minor units as a price input shows them, without a currency sign or
 * grouping: "12.50", "0.00", "1200" for JPY. Arena-owned. */
char *money_input_text(struct arena *a, long long minor, const char *currency);

/* Digits after the decimal point in currency: 0 for JPY, 2 for the other
 * known codes and for unknown ones. The form module reads a price input
 * with it. */
int money_decimals(const char *currency);

/* 1 when currency is one of the table's codes, 0 otherwise. */
int money_known(const char *currency);

/* The table's codes, in the order above: what a price may be in. */
#define MONEY_NCODES 10
extern const char *const money_codes[MONEY_NCODES];

#endif
