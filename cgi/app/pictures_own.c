#include <stdlib.h>
#include <string.h>

#include "program.h"
#include "app_pages.h"
#include "csrf.h"
#include "form.h"
#include "media_store.h"
#include "money.h"
#include "picture_files.h"
#include "picture_form.h"
#include "pictures.h"
#include "session.h"
#include "tmpl.h"
#include "view_picture.h"

/*
 * One of a person's own pictures: /me/pictures/{id} shows it whatever its
 * state (processing until the worker made its sizes), with the form that
 * edits its title, description, price and licence, and the button that
 * deletes it. Everything is read with the signed-in person's id: another
 * person's picture is no picture (404).
 */

static const char *const done_keys[] = { "uploaded", "saved" };
static const char *const done_texts[] = {
	"Uploaded. Its sizes are being made: this page shows it once they "
	"are ready.",
	"Saved.",
};

static long long
picture_id(const struct request *r)
{
	return strtoll(request_path_param(r, "id"), NULL, 10);
}

/* The page of picture p with the edit form (res: as sent, or NULL for
 * its values), answered with status. */
static int
own_picture_page(struct request *r, const struct picture *p,
    const struct form_result *res, int status)
{
	struct arena *a = r->arena;
	struct form_result blank;
	struct tmpl_value *ctx;
	struct picture_event *events;
	size_t nev;
	int done, rc;

	ctx = page_context(r, p->title);
	tv_set(a, ctx, "picture", view_picture(a, p));
	tv_set_str(a, ctx, "action", arena_printf(a, "/me/pictures/%lld", p->id));
	tv_set_str(a, ctx, "delete_action", arena_printf(a,
	    "/me/pictures/%lld/delete", p->id));
	tv_set_str(a, ctx, "csrf", csrf_token(r));
	done = form_choice(done_keys, sizeof(done_keys) / sizeof(*done_keys),
	    request_query(r, "done"));
	if (done >= 0 && res == NULL)
		tv_set_str(a, ctx, "done", done_texts[done]);
	if (res == NULL) {
		form_blank(a, &picture_edit_form, &blank);
		form_set(&blank, PF_TITLE, p->title);
		form_set(&blank, PF_DESCRIPTION, p->description);
		form_set(&blank, PF_PRICE, money_input_text(a, p->price, p->currency));
		form_set(&blank, PF_LICENCE, picture_licence_names[p->licence]);
		res = &blank;
	}
	tv_set(a, ctx, "f", form_view(a, &picture_edit_form, res));
	if ((rc = pictures_event_choices(r->db, a, r->session->user_id,
	    PICTURE_EVENT_CHOICES_MAX, &events, &nev)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	tv_set(a, ctx, "events", picture_event_options(a, events, nev,
	    p->event_id));
	tv_set_bool(a, ctx, "has_events", nev > 0);
	tv_set_bool(a, ctx, "no_event", p->event_id == 0);
	tv_set_str(a, ctx, "event_action", arena_printf(a,
	    "/me/pictures/%lld/event", p->id));
	if ((rc = page_render(r, "me_picture", ctx)) != 0)
		return rc;
	r->resp.status = status;
	return 0;
}

/* The signed-in person's picture of the path into *p: 0, or the status. */
static int
read_own(struct request *r, struct picture *p)
{
	int rc = pictures_get_own(r->db, r->arena, picture_id(r),
	    r->session->user_id, p);

	if (rc == 1)
		return 404;
	return rc == 0 ? 0 : rc == ROW_BAD ? 500 : 503;
}

/* GET /me/pictures/{id} */
int
me_picture(struct request *r)
{
	struct picture p;
	int rc;

	if ((rc = read_own(r, &p)) != 0)
		return rc;
	return own_picture_page(r, &p, NULL, 200);
}

static int
edit_change(struct request *r, void *arg)
{
	const struct form_result *res = arg;
	int rc = pictures_update(r->db, r->arena, picture_id(r),
	    r->session->user_id, res->field[PF_TITLE].text,
	    res->field[PF_DESCRIPTION].text ? res->field[PF_DESCRIPTION].text :
	    "", res->field[PF_PRICE].num,
	    (enum picture_licence)res->field[PF_LICENCE].num);

	return rc == 1 ? 404 : rc;
}

/* POST /me/pictures/{id}: title, description, price, licence. */
int
me_picture_edit(struct request *r)
{
	struct form_result res;
	struct picture p;
	int rc;

	if (form_check(r->arena, &picture_edit_form, &r->form, NULL,
	    &res) != 0) {
		if ((rc = read_own(r, &p)) != 0)
			return rc;
		return own_picture_page(r, &p, &res, 400);
	}
	return page_change(r, edit_change, &res, arena_printf(r->arena,
	    "/me/pictures/%lld?done=saved", picture_id(r)));
}

static int
delete_change(struct request *r, void *arg)
{
	const char **key = arg;
	int rc = pictures_delete(r->db, r->arena, picture_id(r),
	    r->session->user_id, key);

	return rc == 1 ? 404 : rc;
}

/* POST /me/pictures/{id}/delete: the row, then its files. */
int
me_picture_delete(struct request *r)
{
	struct media_store ms;
	const char *key = NULL;
	int rc;

	rc = page_change(r, delete_change, &key, "/me/pictures?done=deleted");
	if (r->resp.status == 303 && key != NULL &&
	    media_store_local(&ms, r->cfg->media_dir) == 0)
		picture_files_remove(r->arena, &ms, key, 1);
	return rc;
}
