#include <json-c/json.h>
#include <stdlib.h>
#include <time.h>

#include "program.h"
#include "app_pages.h"
#include "db_accounts.h"
#include "events.h"
#include "form.h"
#include "notify.h"
#include "reviews.h"
#include "session.h"
#include "tmpl.h"
#include "util.h"
#include "view_event.h"

/*
 * Reviews (reviews.h): the event page links here. /events/{id}/reviews is
 * the signed-in person's own review of the event, to write, edit or
 * delete, for buyers of a paid order once the event has started; a second
 * review edits the first. /reviews/{id}/reply is the organizer's one reply
 * to a review of their event (for anyone else the review is not there:
 * 404), /reviews/{id}/report anyone's report of a shown review.
 */

static const char *const rating_choices[] = { "1", "2", "3", "4", "5" };
static const char *const rating_labels[] = {
	"1 star: poor", "2 stars: fair", "3 stars: good", "4 stars: very good",
	"5 stars: excellent",
};

enum { RV_RATING, RV_COMMENT, RV__MAX };

static const struct form_field review_fields[RV__MAX] = {
	[RV_RATING] = { .name = "rating", .kind = FORM_CHOICE,
	    .flags = FORM_REQUIRED, .label = "Your rating",
	    .choices = rating_choices, .choice_labels = rating_labels,
	    .nchoices = ARRAY_LEN(rating_choices),
	    .missing = "Choose how many stars you give it." },
	[RV_COMMENT] = { .name = "comment", .kind = FORM_TEXT,
	    .flags = FORM_REQUIRED | FORM_TRIM, .label = "Your review",
	    .hint = "Plain text: blank lines start a new paragraph.",
	    .charset = FORM_MULTILINE, .max_chars = REVIEW_TEXT_MAX_CHARS,
	    .max_bytes = 4 * REVIEW_TEXT_MAX_CHARS,
	    .missing = "Say a few words about the event." },
};

static const struct form review_form = { "review", review_fields, RV__MAX,
	NULL };

enum { REPLY_TEXT, REPLY__MAX };

static const struct form_field reply_fields[REPLY__MAX] = {
	[REPLY_TEXT] = { .name = "text", .kind = FORM_TEXT,
	    .flags = FORM_REQUIRED | FORM_TRIM, .label = "Your reply",
	    .hint = "Shown under the review, once: it cannot be changed.",
	    .charset = FORM_MULTILINE, .max_chars = REVIEW_REPLY_MAX_CHARS,
	    .max_bytes = 4 * REVIEW_REPLY_MAX_CHARS },
};

static const struct form reply_form = { "reply", reply_fields, REPLY__MAX,
	NULL };

enum { REPORT_REASON, REPORT__MAX };

static const struct form_field report_fields[REPORT__MAX] = {
	[REPORT_REASON] = { .name = "reason", .kind = FORM_TEXT,
	    .flags = FORM_TRIM, .label = "What is wrong with it (optional)",
	    .charset = FORM_MULTILINE, .max_chars = REVIEW_REASON_MAX_CHARS,
	    .max_bytes = 4 * REVIEW_REASON_MAX_CHARS },
};

static const struct form report_form = { "report", report_fields,
	REPORT__MAX, NULL };

/* The public event of the path's {id}, with whether the signed-in person
 * may review it now: 0, 404, 403 (r->error_detail says why), 503, 500. */
static int
reviewable_event(struct request *r, struct event *ev)
{
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);
	int rc;

	if ((rc = events_get(r->db, r->arena, id, ev)) == 1 ||
	    (rc == 0 && (!events_is_public(ev) ||
	    ev->status != EVENT_PUBLISHED)))
		return 404;
	if (rc != 0)
		return rc == ROW_BAD ? 500 : 503;
	rc = reviews_rule(r->db, r->arena, ev->id, ev->starts_at,
	    r->session->user_id, time(NULL));
	if (rc < 0)
		return 503;
	if (rc != REVIEW_ALLOWED) {
		r->error_detail = reviews_rule_text(rc);
		return 403;
	}
	return 0;
}

/* The page of one's own review of ev: res NULL shows it filled in with
 * mine (has_mine: there is one), else shown again with its messages. */
static int
review_page(struct request *r, const struct event *ev,
    const struct review *mine, const struct form_result *res)
{
	struct arena *a = r->arena;
	struct tmpl_value *ctx = page_context(r, arena_printf(a,
	    "Your review of %s", ev->title));
	struct form_result blank;

	tv_set(a, ctx, "event", view_event_card(a, ev));
	tv_set_str(a, ctx, "action", arena_printf(a, "/events/%lld/reviews",
	    ev->id));
	if (mine != NULL) {
		tv_set_bool(a, ctx, "has_mine", 1);
		tv_set_bool(a, ctx, "hidden", mine->hidden);
	}
	if (res != NULL)
		return form_rerender(r, "review_form", ctx, "form", res);
	form_blank(a, &review_form, &blank);
	if (mine != NULL) {
		form_set(&blank, RV_RATING, rating_choices[mine->rating - 1]);
		form_set(&blank, RV_COMMENT, mine->comment);
	}
	tv_set(a, ctx, "form", form_view(a, &review_form, &blank));
	return page_render(r, "review_form", ctx);
}

/* The person's review of ev into *mine: 0 with *has set, or a status. */
static int
read_mine(struct request *r, const struct event *ev, struct review *mine,
    int *has)
{
	int rc = reviews_of_author(r->db, r->arena, ev->id,
	    r->session->user_id, mine);

	*has = rc == 0;
	return rc < 0 ? (rc == ROW_BAD ? 500 : 503) : 0;
}

/* GET /events/{id}/reviews */
int
review_form_page(struct request *r)
{
	struct event ev;
	struct review mine;
	int rc, has;

	if ((rc = reviewable_event(r, &ev)) != 0 ||
	    (rc = read_mine(r, &ev, &mine, &has)) != 0)
		return rc;
	return review_page(r, &ev, has ? &mine : NULL, NULL);
}

struct review_change {
	int rating;
	const char *comment;
};

static int
save_apply(struct request *r, void *arg)
{
	struct review_change *c = arg;
	struct event ev;
	int rc;

	if ((rc = reviewable_event(r, &ev)) != 0)
		return rc == 503 ? -1 : rc;
	if ((rc = reviews_save(r->db, ev.id, r->session->user_id, c->rating,
	    c->comment)) < 0)
		return -1;
	if (rc == REVIEW_CREATED && notify_queue(r->db, ev.organizer_id,
	    NOTIFY_REVIEW_NEW, ev.id, arena_printf(r->arena,
	    "/events/%lld#reviews", ev.id), arena_printf(r->arena,
	    "%s reviewed “%s”: %d out of 5.", r->session->display_name,
	    ev.title, c->rating), NULL, NULL, NULL) != 0)
		return -1;
	page_change_location(r, arena_printf(r->arena,
	    "/events/%lld#reviews", ev.id));
	return 0;
}

/* POST /events/{id}/reviews: rating, comment. */
int
review_save(struct request *r)
{
	struct form_result res;
	struct review_change c;
	struct event ev;
	struct review mine;
	int rc, has;

	if (form_check(r->arena, &review_form, &r->form, NULL, &res) != 0) {
		if ((rc = reviewable_event(r, &ev)) != 0 ||
		    (rc = read_mine(r, &ev, &mine, &has)) != 0)
			return rc;
		return review_page(r, &ev, has ? &mine : NULL, &res);
	}
	c.rating = (int)res.field[RV_RATING].num + 1;
	c.comment = res.field[RV_COMMENT].text;
	return page_change(r, save_apply, &c, "/");
}

static int
delete_apply(struct request *r, void *arg)
{
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);
	int rc;

	(void)arg;
	if ((rc = reviews_delete(r->db, id, r->session->user_id)) != 0)
		return rc < 0 ? -1 : 404;
	page_change_location(r, arena_printf(r->arena, "/events/%lld#reviews",
	    id));
	return 0;
}

/* POST /events/{id}/reviews/delete: one's own review goes, whatever
 * became of one's tickets since. */
int
review_delete(struct request *r)
{
	return page_change(r, delete_apply, NULL, "/");
}

/* ------------------------------------------------- replies and reports */

/* What the reply and report pages share: the review of the path's {id}
 * as shown, and its event. */
struct respond {
	struct review rv;
	struct event ev;
	const struct form *form;
	const char *title;
	const char *intro;
	const char *button;
	const char *suffix;         /* "reply", "report" */
	const char *text;           /* what was sent: the reply, the reason */
};

/* Reads the review of the path's {id} and its event into s: 0, 404 for a
 * hidden or missing one (or, organizer_only, a review of another
 * organizer's event), 503, 500. */
static int
respond_read(struct request *r, struct respond *s, int organizer_only)
{
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);
	int rc;

	if ((rc = reviews_get(r->db, r->arena, id, &s->rv)) == 0 && s->rv.hidden)
		rc = 1;
	if (rc == 0 && (rc = events_get(r->db, r->arena, s->rv.event_id,
	    &s->ev)) == 0 && (!events_is_public(&s->ev) || (organizer_only &&
	    s->ev.organizer_id != r->session->user_id)))
		rc = 1;
	if (rc != 0)
		return rc == 1 ? 404 : rc == ROW_BAD ? 500 : 503;
	return 0;
}

static int
respond_page(struct request *r, struct respond *s,
    const struct form_result *res)
{
	struct arena *a = r->arena;
	struct tmpl_value *ctx = page_context(r, s->title);

	tv_set(a, ctx, "event", view_event_card(a, &s->ev));
	tv_set(a, ctx, "review", view_reviews(a, &s->rv, 1, 0));
	tv_set_str(a, ctx, "heading", s->title);
	tv_set_str(a, ctx, "intro", s->intro);
	tv_set_str(a, ctx, "button", s->button);
	tv_set_str(a, ctx, "action", arena_printf(a, "/reviews/%lld/%s",
	    s->rv.id, s->suffix));
	if (res != NULL)
		return form_rerender(r, "review_respond", ctx, "form", res);
	tv_set(a, ctx, "form", form_view(a, s->form, NULL));
	return page_render(r, "review_respond", ctx);
}

static void
reply_setup(struct respond *s)
{
	s->form = &reply_form;
	s->title = "Reply to a review";
	s->intro = "As the organizer you may answer each review once.";
	s->button = "Publish the reply";
	s->suffix = "reply";
}

static void
report_setup(struct respond *s)
{
	s->form = &report_form;
	s->title = "Report a review";
	s->intro = "Tell the site's moderators about a review that is "
	    "abusive, off-topic or not about this event.";
	s->button = "Report it";
	s->suffix = "report";
}

/* GET /reviews/{id}/reply */
int
review_reply_form(struct request *r)
{
	struct respond s;
	int rc;

	reply_setup(&s);
	if ((rc = respond_read(r, &s, 1)) != 0)
		return rc;
	if (s.rv.reply != NULL) {
		r->error_detail = "You have replied to this review already.";
		return 409;
	}
	return respond_page(r, &s, NULL);
}

/* The reviewer's notification of the reply, and its mail. */
static int
tell_reviewer(struct request *r, const struct respond *s)
{
	struct account author;
	struct json_object *vars;
	int rc;

	if ((rc = db_account_by_id(r->db, r->arena, s->rv.author_id, 0,
	    &author)) != 0)
		return rc < 0 ? -1 : 0;
	vars = json_object_new_object();
	json_object_object_add(vars, "name", json_object_new_string(
	    author.display_name));
	json_object_object_add(vars, "event", json_object_new_string(
	    s->ev.title));
	json_object_object_add(vars, "reply", json_object_new_string(s->text));
	json_object_object_add(vars, "review_url", json_object_new_string(
	    arena_printf(r->arena, "%s%s", request_site_url(r),
	    r->change_location)));
	rc = notify_queue(r->db, s->rv.author_id, NOTIFY_REVIEW_REPLY,
	    s->rv.id, r->change_location, arena_printf(r->arena,
	    "The organizer replied to your review of “%s”.", s->ev.title),
	    author.email, "review_reply", vars);
	json_object_put(vars);
	return rc;
}

static int
reply_apply(struct request *r, void *arg)
{
	struct respond *s = arg;
	switch (reviews_reply(r->db, s->rv.id, r->session->user_id, s->text)) {
	case REVIEW_REPLIED:
		page_change_location(r, arena_printf(r->arena,
		    "/events/%lld#review-%lld", s->ev.id, s->rv.id));
		return tell_reviewer(r, s);
	case REVIEW_NOT_FOUND:
		return 404;
	case REVIEW_ALREADY:
		r->error_detail = "You have replied to this review already.";
		return 409;
	default:
		return -1;
	}
}

/* POST /reviews/{id}/reply: text. */
int
review_reply(struct request *r)
{
	struct form_result res;
	struct respond s;
	int rc;

	reply_setup(&s);
	if ((rc = respond_read(r, &s, 1)) != 0)
		return rc;
	if (form_check(r->arena, &reply_form, &r->form, NULL, &res) != 0)
		return respond_page(r, &s, &res);
	s.text = res.field[REPLY_TEXT].text;
	return page_change(r, reply_apply, &s, "/");
}

/* GET /reviews/{id}/report */
int
review_report_form(struct request *r)
{
	struct respond s;
	int rc;

	report_setup(&s);
	if ((rc = respond_read(r, &s, 0)) != 0)
		return rc;
	return respond_page(r, &s, NULL);
}

static int
report_apply(struct request *r, void *arg)
{
	struct respond *s = arg;

	switch (reviews_report(r->db, s->rv.id, r->session->user_id,
	    s->text)) {
	case REVIEW_REPLIED:
	case REVIEW_ALREADY:   /* once per person: the first one counts */
		page_change_location(r, arena_printf(r->arena,
		    "/events/%lld?reported=1#review-%lld", s->ev.id, s->rv.id));
		return 0;
	case REVIEW_NOT_FOUND:
		return 404;
	default:
		return -1;
	}
}

/* POST /reviews/{id}/report: reason (optional). */
int
review_report(struct request *r)
{
	struct form_result res;
	struct respond s;
	int rc;

	report_setup(&s);
	if ((rc = respond_read(r, &s, 0)) != 0)
		return rc;
	if (form_check(r->arena, &report_form, &r->form, NULL, &res) != 0)
		return respond_page(r, &s, &res);
	s.text = res.field[REPORT_REASON].text ? res.field[REPORT_REASON].text :
	    "";
	return page_change(r, report_apply, &s, "/");
}
