#include <stdlib.h>
#include <string.h>

#include "program.h"
#include "app_pages.h"
#include "pictures.h"
#include "session.h"
#include "tmpl.h"

/*
 * Event galleries: a picture filed under an event is in its gallery (the
 * event's page, /pictures?event=ID). People file their pictures under an
 * event they held a paid ticket for, or organize
 * (pictures_event_choices): at the upload, or later from the picture's
 * own page (POST /me/pictures/{id}/event). Anyone else is refused, 403
 * with the reason.
 */

const char *const picture_event_refusal = "You can add pictures only to "
    "the gallery of an event you held a paid ticket for, or organize.";

int
picture_event_allowed(struct request *r, long long event_id)
{
	struct picture_event *events;
	size_t n;
	int rc;

	if ((rc = pictures_event_choices(r->db, r->arena, r->session->user_id,
	    PICTURE_EVENT_CHOICES_MAX, &events, &n)) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (events[i].id == event_id)
			return 1;
	return 0;
}

struct tmpl_value *
picture_event_options(struct arena *a, const struct picture_event *ev,
    size_t n, long long chosen)
{
	struct tmpl_value *list = tv_list(a);

	for (size_t i = 0; i < n; i++) {
		struct tmpl_value *v = tv_object(a);

		tv_set_int(a, v, "id", ev[i].id);
		tv_set_str(a, v, "title", ev[i].title);
		tv_set_bool(a, v, "selected", ev[i].id == chosen);
		tv_push(a, list, v);
	}
	return list;
}

static int
event_change(struct request *r, void *arg)
{
	long long event_id = *(const long long *)arg;
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);
	int rc;

	if (event_id != 0 && (rc = picture_event_allowed(r, event_id)) != 1) {
		if (rc < 0)
			return -1;
		r->error_detail = picture_event_refusal;
		return 403;
	}
	rc = pictures_set_event(r->db, r->arena, id, r->session->user_id,
	    event_id);
	return rc == 1 ? 404 : rc;
}

/* POST /me/pictures/{id}/event: event (an id, or empty for none). */
int
me_picture_event(struct request *r)
{
	const char *v = params_get(&r->form, "event");
	long long event_id = 0;
	char *end;

	if (v != NULL && *v != '\0' && (strlen(v) > 19 ||
	    (event_id = strtoll(v, &end, 10)) <= 0 || *end != '\0')) {
		r->error_detail = "Choose one of your events, or none.";
		return 400;
	}
	return page_change(r, event_change, &event_id, arena_printf(r->arena,
	    "/me/pictures/%s?done=saved", request_path_param(r, "id")));
}
