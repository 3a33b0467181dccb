#include "picture_form.h"

#include <limits.h>

#include "pictures.h"
#include "util.h"

/* At most 10,000.00 for one picture. */
#define PICTURE_PRICE_MAX 1000000

static const struct form_field fields[PF__MAX] = {
	[PF_TITLE] = { .name = "title", .kind = FORM_TEXT,
	    .flags = FORM_REQUIRED | FORM_TRIM, .label = "Title",
	    .hint = "Also read out to people who cannot see the picture.",
	    .charset = FORM_LINE, .min_chars = 1,
	    .max_chars = PICTURE_TITLE_MAX, .max_bytes = PICTURE_TITLE_MAX * 4,
	    .missing = "Give the picture a title." },
	[PF_DESCRIPTION] = { .name = "description", .kind = FORM_TEXT,
	    .flags = FORM_TRIM, .label = "Description",
	    .charset = FORM_MULTILINE, .max_chars = PICTURE_DESCRIPTION_MAX,
	    .max_bytes = PICTURE_DESCRIPTION_MAX * 4 },
	[PF_PRICE] = { .name = "price", .kind = FORM_MONEY,
	    .flags = FORM_REQUIRED, .label = "Price of the original (EUR)",
	    .hint = "0 to let anyone signed in download it for free.",
	    .min = 0, .max = PICTURE_PRICE_MAX, .decimals = 2,
	    .range = "The price is between 0 and 10000.00." },
	[PF_LICENCE] = { .name = "licence", .kind = FORM_CHOICE,
	    .flags = FORM_REQUIRED, .label = "Licence",
	    .choices = picture_licence_names,
	    .choice_labels = picture_licence_labels, .nchoices = LICENCE__MAX,
	    .missing = "Choose a licence." },
	[PF_EVENT] = { .name = "event", .kind = FORM_INT, .label = "Event",
	    .hint = "An event you went to or organize, if it was taken there.",
	    .min = 1, .max = LLONG_MAX / 2 },
	[PF_FILE] = { .name = "picture", .kind = FORM_TEXT, .type = "file",
	    .label = "Picture file",
	    .hint = "JPEG, PNG, WebP or HEIF/AVIF, up to 16 MB and 40 "
	    "megapixels." },
};

const struct form picture_upload_form = { "upload", fields, PF__MAX, NULL };
const struct form picture_edit_form = { "edit", fields, PF_EDIT__MAX, NULL };
