/*
 * libFuzzer target for form_check() and form_view(): the input is a form
 * body checked against a form with a field of every kind and rows of
 * them. Besides the sanitizers' checks, it asserts what handlers rely on:
 * a field has a value or a message, never both; values keep to their
 * kind; the counts add up; rows are in order and within max_rows.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "form.h"
#include "http_params.h"
#include "http_url.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const choices[] = { "a", "bb", "Europe/Berlin" };

static const struct form_field row_fields[] = {
	{ .name = "n", .kind = FORM_TEXT, .flags = FORM_REQUIRED | FORM_TRIM,
	    .max_chars = 8 },
	{ .name = "p", .kind = FORM_MONEY, .decimals = 2, .max = 10000 },
	{ .name = "q", .kind = FORM_INT, .min = -5, .max = 5 },
	{ .name = "s", .kind = FORM_TEXT, .flags = FORM_SECRET,
	    .charset = FORM_ANY },
};
static const struct form row_form = { "r", row_fields,
	ARRAY_LEN(row_fields), NULL };

static const struct form_field fields[] = {
	{ .name = "t", .kind = FORM_TEXT, .flags = FORM_TRIM, .min_chars = 2,
	    .max_chars = 6 },
	{ .name = "m", .kind = FORM_TEXT, .charset = FORM_MULTILINE,
	    .max_bytes = 12 },
	{ .name = "k", .kind = FORM_TEXT, .charset = FORM_TOKEN,
	    .flags = FORM_QUIET },
	{ .name = "i", .kind = FORM_INT },
	{ .name = "y", .kind = FORM_MONEY },
	{ .name = "c", .kind = FORM_CHOICE, .choices = choices,
	    .nchoices = 3 },
	{ .name = "d", .kind = FORM_DATE, .earliest = "2000-01-01" },
	{ .name = "z", .kind = FORM_DATETIME, .zone_field = "c" },
	{ .name = "w", .kind = FORM_DATETIME },
	{ .name = "b", .kind = FORM_CHECKBOX, .flags = FORM_REQUIRED },
	{ .name = "e", .kind = FORM_EMAIL },
	{ .name = "r", .kind = FORM_ROWS, .rows = &row_form, .max_rows = 4 },
};
static const struct form form = { "f", fields, ARRAY_LEN(fields), NULL };

/* Checks res against its form; returns the messages counted. */
static int
fuzz_result(const struct form_result *res)
{
	const struct form *f = res->form;
	int n = (int)res->nform_errors;

	for (size_t i = 0; i < f->nfields; i++) {
		const struct form_field *fld = &f->fields[i];
		const struct form_value *v = &res->field[i];
		const char *t = v->text;

		if (v->error != NULL && t != NULL)
			abort();
		n += v->error != NULL;
		if (fld->kind == FORM_ROWS) {
			if (v->nrows > fld->max_rows)
				abort();
			for (size_t j = 0; j < v->nrows; j++) {
				if ((j > 0 && v->rows[j].index <=
				    v->rows[j - 1].index) ||
				    v->rows[j].index >= (int)fld->max_rows ||
				    v->rows[j].parent != res)
					abort();
				n += fuzz_result(&v->rows[j]);
			}
			continue;
		}
		if (t == NULL)
			continue;
		if (!url_utf8_valid(t, strlen(t)))
			abort();
		switch (fld->kind) {
		case FORM_TEXT:
			if (fld->charset == FORM_TOKEN && strspn(t,
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789-_") != strlen(t))
				abort();
			if (fld->charset == FORM_LINE && strpbrk(t,
			    "\t\r\n\x7f") != NULL)
				abort();
			if (fld->charset == FORM_MULTILINE && strchr(t, '\r'))
				abort();
			break;
		case FORM_INT:
			if ((fld->min != 0 || fld->max != 0) &&
			    (v->num < fld->min || v->num > fld->max))
				abort();
			break;
		case FORM_MONEY:
			if (v->num < 0 || v->num > (fld->max ? fld->max :
			    FORM_MONEY_MAX) || strspn(t, "0123456789.") !=
			    strlen(t))
				abort();
			break;
		case FORM_CHOICE:
			if (v->num < 0 || (size_t)v->num >= fld->nchoices ||
			    t != fld->choices[v->num])
				abort();
			break;
		case FORM_DATE:
			if (strlen(t) != 10 || strcmp(t, "2000-01-01") < 0)
				abort();
			break;
		case FORM_CHECKBOX:
			if (!v->on)
				abort();
			break;
		case FORM_EMAIL:
			if (strchr(t, '@') == NULL || strpbrk(t, " <>\"") ||
			    strlen(t) > FORM_EMAIL_MAX_BYTES)
				abort();
			break;
		default:
			break;
		}
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form_result res;
	struct params p;
	struct arena a;

	arena_init(&a, 1024);
	if (params_parse(&a, (const char *)data, size, NULL, &p) ==
	    PARAMS_OK) {
		form_check(&a, &form, &p, "Europe/Berlin", &res);
		if (fuzz_result(&res) != res.nerrors)
			abort();
		(void)form_view(&a, &form, &res);
		form_wipe(&form, &p);
	}
	arena_free(&a);
	return 0;
}
