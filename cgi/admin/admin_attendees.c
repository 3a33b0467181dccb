#include <stdlib.h>
#include <string.h>

#include "admin_pages.h"
#include "attendees.h"
#include "buf.h"
#include "csv.h"
#include "dates.h"
#include "events.h"
#include "http_url.h"
#include "order_view.h"
#include "program.h"
#include "tmpl.h"
#include "utf8.h"
#include "util.h"

/*
 * An event's attendees for its organizer: every ticket with its
 * attendee, type, buyer, order and check-in, one page at a time
 * (/admin/events/{id}/attendees) or all of them as a CSV file for a
 * spreadsheet (attendees.csv), with the same search and filters. The
 * file is streamed: one batch of tickets is read, written and sent
 * before the next is read, so an event of any size costs one batch of
 * memory.
 */

#define PER_PAGE 50
/* Past this, the CSV file is the way to see them all. */
#define MAX_PAGE 1000
/* Tickets the export reads at once. */
#define CSV_BATCH 500

/* The search and filters of both URLs, as given (for the form and the
 * links) and as the domain takes them. */
struct attendees_query {
	const char *q;
	const char *type;
	const char *state;
	int page;
	struct attendee_filter f;
};

static const char *
nonempty(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/* s without spaces at either end, arena-owned; NULL when nothing is left. */
static const char *
trimmed(struct arena *a, const char *s)
{
	size_t n;

	if (s == NULL)
		return NULL;
	s += strspn(s, " \t");
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n > 0 ? arena_strndup(a, s, n) : NULL;
}

/* Reads and checks ?q=, ?type= (one of the event's n types), ?state=
 * and ?page=. Returns 0 or 400 with r->error_detail. */
static int
parse_query(struct request *r, const struct event *ev,
    const struct ticket_type *types, size_t n, struct attendees_query *aq)
{
	memset(aq, 0, sizeof(*aq));
	aq->q = trimmed(r->arena, request_query(r, "q"));
	aq->type = nonempty(request_query(r, "type"));
	aq->state = nonempty(request_query(r, "state"));
	aq->f.event_id = ev->id;
	if (aq->q != NULL && utf8_chars(aq->q) > ATTENDEES_SEARCH_MAX) {
		r->error_detail = "The search text is too long (at most 100 "
		    "characters).";
		return 400;
	}
	aq->f.search = aq->q;
	if (aq->type != NULL) {
		for (size_t i = 0; i < n && aq->f.ticket_type_id == 0; i++)
			if (strcmp(aq->type, arena_printf(r->arena, "%lld",
			    types[i].id)) == 0)
				aq->f.ticket_type_id = types[i].id;
		if (aq->f.ticket_type_id == 0) {
			r->error_detail = "This event has no such ticket type.";
			return 400;
		}
	}
	if (aq->state != NULL) {
		for (int s = 0; s < ORDER__STATUS_MAX && !aq->f.has_status; s++)
			if (strcmp(aq->state, order_status_names[s]) == 0) {
				aq->f.has_status = 1;
				aq->f.status = (enum order_status)s;
			}
		if (!aq->f.has_status) {
			r->error_detail = "There is no such order state.";
			return 400;
		}
	}
	if ((aq->page = request_page_number(r, MAX_PAGE)) < 0)
		return 400;
	return 0;
}

/* path with the query's search and filters and, past the first, page. */
static const char *
query_url(struct arena *a, const char *path, const struct attendees_query *aq,
    int page)
{
	static const char *const names[] = { "q", "type", "state" };
	const char *const values[] = { aq->q, aq->type, aq->state };

	return url_with_query(a, path, names, values, ARRAY_LEN(names), page);
}

/* The event's ticket types for the filter, with the chosen one marked. */
static struct tmpl_value *
type_options(struct arena *a, const struct ticket_type *types, size_t n,
    long long chosen)
{
	struct tmpl_value *list = tv_list(a);

	for (size_t i = 0; i < n; i++) {
		struct tmpl_value *v = tv_object(a);

		tv_set_int(a, v, "id", types[i].id);
		tv_set_str(a, v, "name", types[i].name);
		tv_set_bool(a, v, "selected", types[i].id == chosen);
		tv_push(a, list, v);
	}
	return list;
}

static struct tmpl_value *
state_options(struct arena *a, const struct attendee_filter *f)
{
	struct tmpl_value *list = tv_list(a);

	for (int s = 0; s < ORDER__STATUS_MAX; s++) {
		struct tmpl_value *v = tv_object(a);

		tv_set_str(a, v, "value", order_status_names[s]);
		tv_set_str(a, v, "name", order_view_status((enum order_status)s));
		tv_set_bool(a, v, "selected", f->has_status && f->status ==
		    (enum order_status)s);
		tv_push(a, list, v);
	}
	return list;
}

/* The first n of the page's tickets as table rows. */
static struct tmpl_value *
attendee_rows(struct arena *a, const struct event *ev,
    const struct attendee *t, size_t n)
{
	struct tmpl_value *list = tv_list(a);

	for (size_t i = 0; i < n; i++) {
		struct tmpl_value *v = tv_object(a);

		tv_set_str(a, v, "name", t[i].attendee_name);
		tv_set_str(a, v, "type", t[i].type_name);
		tv_set_str(a, v, "code", t[i].ticket_code);
		tv_set_str(a, v, "buyer", t[i].buyer_name);
		tv_set_str(a, v, "email", t[i].buyer_email);
		tv_set_str(a, v, "order", t[i].order_code);
		tv_set_str(a, v, "state", order_view_status(t[i].order_status));
		if (t[i].has_checked_in_at) {
			tv_set_str(a, v, "checked_in", dates_local(a,
			    t[i].checked_in_at, ev->timezone,
			    "%H:%M, %a %-d %b %Y"));
			tv_set_str(a, v, "checked_in_iso", dates_iso(a,
			    t[i].checked_in_at));
		}
		tv_push(a, list, v);
	}
	return list;
}

/* GET /admin/events/{id}/attendees[?q=&type=&state=&page=] */
int
admin_attendees(struct request *r)
{
	struct arena *a = r->arena;
	struct attendees_query aq;
	struct ticket_type *types;
	struct attendee *rows;
	struct tmpl_value *ctx;
	struct event ev;
	const char *path;
	size_t ntypes, n;
	int rc;

	if ((rc = admin_managed_event(r, &ev)) != 0)
		return rc;
	if ((rc = events_ticket_types(r->db, a, ev.id, &types, &ntypes)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	if ((rc = parse_query(r, &ev, types, ntypes, &aq)) != 0)
		return rc;
	/* One more than a page tells whether a next page exists. */
	if ((rc = attendees_page(r->db, a, &aq.f, PER_PAGE + 1,
	    (aq.page - 1) * PER_PAGE, &rows, &n)) != 0)
		return rc == ROW_BAD ? 500 : 503;

	path = arena_printf(a, "/admin/events/%lld/attendees", ev.id);
	ctx = page_context(r, arena_printf(a, "Attendees: %s", ev.title));
	tv_set_int(a, ctx, "event_id", ev.id);
	tv_set_str(a, ctx, "event_title", ev.title);
	tv_set_bool(a, ctx, "event_cancelled", ev.status == EVENT_CANCELLED);
	tv_set_bool(a, ctx, "on_attendees", 1);
	tv_set(a, ctx, "types", type_options(a, types, ntypes,
	    aq.f.ticket_type_id));
	tv_set(a, ctx, "states", state_options(a, &aq.f));
	if (aq.q != NULL)
		tv_set_str(a, ctx, "q", aq.q);
	tv_set_bool(a, ctx, "filtered", aq.q || aq.type || aq.state);
	tv_set_str(a, ctx, "clear_url", path);
	tv_set_str(a, ctx, "csv_url", query_url(a, arena_printf(a,
	    "/admin/events/%lld/attendees.csv", ev.id), &aq, 1));
	tv_set(a, ctx, "rows", attendee_rows(a, &ev, rows,
	    n > PER_PAGE ? PER_PAGE : n));
	tv_set_bool(a, ctx, "has_rows", n > 0);
	tv_set_bool(a, ctx, "past_end", n == 0 && aq.page > 1);
	tv_set_int(a, ctx, "page", aq.page);
	if (aq.page > 1)
		tv_set_str(a, ctx, "prev_url", query_url(a, path, &aq,
		    aq.page - 1));
	if (n > PER_PAGE && aq.page < MAX_PAGE)
		tv_set_str(a, ctx, "next_url", query_url(a, path, &aq,
		    aq.page + 1));
	tv_set_bool(a, ctx, "has_pages", aq.page > 1 || n > PER_PAGE);
	return page_render(r, "admin_attendees", ctx);
}

/* ------------------------------------------------------------ CSV */

static const char *const csv_header[] = {
	"Ticket code", "Attendee", "Ticket type", "Buyer", "Buyer email",
	"Order", "Order state", NULL,   /* the check-in column names the zone */
};

/* Appends one ticket as a CSV row; its check-in time in the event's
 * zone, written as spreadsheets read dates. */
static void
csv_attendee(struct buf *out, struct arena *a, const struct event *ev,
    const struct attendee *t)
{
	const char *cells[] = {
		t->ticket_code, t->attendee_name, t->type_name, t->buyer_name,
		t->buyer_email, t->order_code, order_view_status(t->order_status),
		t->has_checked_in_at ? dates_local(a, t->checked_in_at,
		    ev->timezone, "%Y-%m-%d %H:%M") : "",
	};

	csv_row(out, cells, ARRAY_LEN(cells));
}

/* Streams the filter's tickets of type tt, a batch at a time, each batch
 * read into a scratch arena that is emptied before the next. Returns 0,
 * or 500 or 503 (the download is then cut off). */
static int
csv_type(struct request *r, const struct event *ev,
    const struct attendee_filter *f, long long tt, struct arena *scratch)
{
	long long after = 0;

	for (;;) {
		struct attendee *batch;
		size_t n;
		int rc;

		arena_reset(scratch);
		if ((rc = attendees_batch(r->db, scratch, f, tt, after,
		    CSV_BATCH, &batch, &n)) != 0)
			return rc == ROW_BAD ? 500 : 503;
		for (size_t i = 0; i < n; i++)
			csv_attendee(r->resp.body, scratch, ev, &batch[i]);
		/* A client that went away needs no more. */
		if (response_stream_flush(&r->resp) != 0 || n < CSV_BATCH)
			return 0;
		after = batch[n - 1].ticket_id;
	}
}

/* GET /admin/events/{id}/attendees.csv[?q=&type=&state=] */
int
admin_attendees_csv(struct request *r)
{
	struct arena *a = r->arena;
	struct attendees_query aq;
	struct ticket_type *types;
	struct arena scratch;
	const char *header[ARRAY_LEN(csv_header)];
	struct event ev;
	size_t ntypes;
	int rc = 0;

	if ((rc = admin_managed_event(r, &ev)) != 0)
		return rc;
	if ((rc = events_ticket_types(r->db, a, ev.id, &types, &ntypes)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	if ((rc = parse_query(r, &ev, types, ntypes, &aq)) != 0)
		return rc;

	r->resp.content_type = "text/csv; charset=utf-8";
	/* Digits only: nothing of the event's title reaches the header. */
	response_header(&r->resp, "Content-Disposition", arena_printf(a,
	    "attachment; filename=\"attendees-event-%lld.csv\"", ev.id));
	memcpy(header, csv_header, sizeof(header));
	header[ARRAY_LEN(header) - 1] = arena_printf(a, "Checked in (%s)",
	    ev.timezone);
	buf_reset(r->resp.body);
	buf_puts(r->resp.body, CSV_BOM);
	csv_row(r->resp.body, header, ARRAY_LEN(header));
	page_stream_begin(r);
	if (r->head)
		return 0;

	arena_init(&scratch, 64 * 1024);
	for (size_t i = 0; i < ntypes && rc == 0; i++)
		if (aq.f.ticket_type_id == 0 || aq.f.ticket_type_id == types[i].id)
			rc = csv_type(r, &ev, &aq.f, types[i].id, &scratch);
	arena_free(&scratch);
	return rc;
}
