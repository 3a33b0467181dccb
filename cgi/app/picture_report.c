#include <stdlib.h>

#include "program.h"
#include "app_pages.h"
#include "form.h"
#include "picture_reports.h"
#include "session.h"

/*
 * POST /pictures/{id}/report: the picture page's form, a reason of up to
 * PICTURE_REPORT_REASON_MAX characters. A person reports a picture once;
 * a second report of the same one changes nothing. Back to the picture,
 * which says it was reported.
 */

enum { REPORT_REASON, REPORT__MAX };

static const struct form_field report_fields[REPORT__MAX] = {
	[REPORT_REASON] = { .name = "reason", .kind = FORM_TEXT,
	    .flags = FORM_REQUIRED | FORM_TRIM, .label = "What is wrong with it",
	    .charset = FORM_MULTILINE, .min_chars = 1,
	    .max_chars = PICTURE_REPORT_REASON_MAX,
	    .max_bytes = PICTURE_REPORT_REASON_MAX * 4 },
};

static const struct form report_form = { "report", report_fields,
	REPORT__MAX, NULL };

struct report {
	long long id;
	const char *reason;
};

static int
report_change(struct request *r, void *arg)
{
	const struct report *rep = arg;

	switch (picture_report_add(r->db, rep->id, r->session->user_id,
	    rep->reason)) {
	case REPORT_ADDED:
	case REPORT_AGAIN:
		return 0;
	case REPORT_NO_PICTURE:
		return 404;
	default:
		return -1;
	}
}

int
picture_report(struct request *r)
{
	struct form_result res;
	struct report rep;

	rep.id = strtoll(request_path_param(r, "id"), NULL, 10);
	if (form_check(r->arena, &report_form, &r->form, NULL, &res) != 0) {
		r->error_detail = "Say in a few words what is wrong with the "
		    "picture (up to 500 characters), then send the report again.";
		return 400;
	}
	rep.reason = res.field[REPORT_REASON].text;
	return page_change(r, report_change, &rep, arena_printf(r->arena,
	    "/pictures/%lld?reported=1", rep.id));
}
