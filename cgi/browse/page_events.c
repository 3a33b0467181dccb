#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "program.h"
#include "browse.h"
#include "buf.h"
#include "dates.h"
#include "events.h"
#include "http_url.h"
#include "page_cache.h"
#include "tmpl.h"
#include "utf8.h"
#include "util.h"
#include "view_event.h"

#define PER_PAGE 20
#define MAX_PAGE 500
#define MAX_QUERY_CHARS 100
#define MAX_QUERY_WORDS 8
#define MAX_CITY_BYTES 100
/* InnoDB FULLTEXT ignores words shorter than innodb_ft_min_token_size. */
#define MIN_WORD_CHARS 3

struct events_query {
	const char *q;       /* as typed, for the form */
	const char *match;   /* FULLTEXT boolean form, NULL if no search */
	const char *city;
	const char *from;
	const char *to;
	int page;
	int q_too_short;     /* words given, none long enough to search */
};

static int
is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80;
}

/*
 * Turns what a person typed into a FULLTEXT boolean query that requires
 * every word as a prefix ("jazz berl" → "+jazz* +berl*"). Only letters and
 * digits pass, so the person's text can never carry boolean operators.
 * Returns NULL when no word is long enough.
 */
static const char *
search_match(struct arena *a, const char *q)
{
	struct buf b;
	const char *p = q, *result;
	int words = 0;

	buf_init(&b);
	while (*p != '\0' && words < MAX_QUERY_WORDS) {
		const char *start;
		char *word;

		while (*p != '\0' && !is_word_byte((unsigned char)*p))
			p++;
		start = p;
		while (*p != '\0' && is_word_byte((unsigned char)*p))
			p++;
		if (p == start)
			break;
		word = arena_strndup(a, start, (size_t)(p - start));
		if (utf8_chars(word) < MIN_WORD_CHARS)
			continue;
		buf_printf(&b, "%s+%s*", words ? " " : "", word);
		words++;
	}
	result = words ? arena_strdup(a, b.data) : NULL;
	buf_free(&b);
	return result;
}

static const char *
nonempty(const char *s)
{
	return (s != NULL && *s != '\0') ? s : NULL;
}

/* Reads and checks the filters. Returns 0 or 400 with r->error_detail. */
static int
parse_query(struct request *r, struct events_query *eq,
    struct event_filter *f)
{
	time_t now = time(NULL), day;

	memset(eq, 0, sizeof(*eq));
	memset(f, 0, sizeof(*f));
	eq->q = nonempty(request_query(r, "q"));
	eq->city = nonempty(request_query(r, "city"));
	eq->from = nonempty(request_query(r, "from"));
	eq->to = nonempty(request_query(r, "to"));

	if (eq->q != NULL && utf8_chars(eq->q) > MAX_QUERY_CHARS) {
		r->error_detail = "The search text is too long (at most 100 "
		    "characters).";
		return 400;
	}
	if (eq->city != NULL && strlen(eq->city) > MAX_CITY_BYTES) {
		r->error_detail = "The city name is too long.";
		return 400;
	}
	if ((eq->page = request_page_number(r, MAX_PAGE)) < 0)
		return 400;

	/* Without dates: what has not ended yet. */
	f->starts_from = now - 14 * 86400;
	f->ends_from = now;
	f->starts_before = (time_t)253402214400LL;  /* 9999-12-31 */
	if (eq->from != NULL) {
		if (dates_parse_day(eq->from, &day) != 0) {
			r->error_detail = "The \"from\" date must be a real date "
			    "written YYYY-MM-DD.";
			return 400;
		}
		f->starts_from = day;
		f->ends_from = day;
	}
	if (eq->to != NULL) {
		if (dates_parse_day(eq->to, &day) != 0) {
			r->error_detail = "The \"to\" date must be a real date "
			    "written YYYY-MM-DD.";
			return 400;
		}
		f->starts_before = day + 86400;  /* the whole "to" day */
		if (eq->from != NULL && f->starts_before <= f->starts_from) {
			r->error_detail = "The \"to\" date is before the "
			    "\"from\" date.";
			return 400;
		}
	}
	if (eq->q != NULL) {
		eq->match = search_match(r->arena, eq->q);
		eq->q_too_short = eq->match == NULL;
	}
	f->match = eq->match;
	f->city = eq->city;
	f->limit = PER_PAGE + 1;  /* one more tells whether a next page exists */
	f->offset = (eq->page - 1) * PER_PAGE;
	return 0;
}

/* The list URL with the same filters and another page number. */
static const char *
page_url(struct arena *a, const struct events_query *eq, int page)
{
	static const char *const names[] = { "q", "city", "from", "to" };
	const char *const values[] = { eq->q, eq->city, eq->from, eq->to };

	return url_with_query(a, "/events", names, values, ARRAY_LEN(names), page);
}

/*
 * The cities of the filter change only when an event is added or ends, so
 * each worker keeps the list for a while instead of asking on every page.
 */
#define CITIES_KEEP_SECONDS 30

struct city_cache {
	time_t fetched;
	char **names;         /* heap, owned by the cache */
	size_t count;
};

static struct city_cache cities;

/* Refreshes the cache when it is older than CITIES_KEEP_SECONDS. Returns
 * 0, or what events_cities() returned when there is no list yet. */
static int
cities_refresh(struct request *r)
{
	const char **names;
	size_t n;
	time_t now = time(NULL);
	int rc;

	if (cities.names != NULL && now - cities.fetched < CITIES_KEEP_SECONDS)
		return 0;
	if ((rc = events_cities(r->db, r->arena, &names, &n)) != 0)
		return cities.names != NULL ? 0 : rc;
	for (size_t i = 0; i < cities.count; i++)
		free(cities.names[i]);
	free(cities.names);
	cities.names = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		cities.names[i] = xstrdup(names[i]);
	cities.count = n;
	cities.fetched = now;
	return 0;
}

static struct tmpl_value *
city_options(struct arena *a, const char *chosen)
{
	struct tmpl_value *list = tv_list(a);

	for (size_t i = 0; i < cities.count; i++) {
		struct tmpl_value *v = tv_object(a);

		tv_set_str(a, v, "name", cities.names[i]);
		tv_set_bool(a, v, "selected", chosen &&
		    strcmp(cities.names[i], chosen) == 0);
		tv_push(a, list, v);
	}
	return list;
}

/* GET /events — search, filters, pages. The list is the same for
 * everyone: kept a moment per worker (page_cache.h). */
int
page_events(struct request *r)
{
	struct arena *a = r->arena;
	struct page_cache_page p = {
		.key = arena_printf(a, "%s?%s", r->path, r->query),
		.nav = "nav_events",
		.content = "events",
	};
	struct events_query eq;
	struct event_filter f;
	struct event *events = NULL;
	size_t n = 0;
	struct tmpl_value *ctx;
	int status, rc = 0;

	r->resp.cache = CACHE_PUBLIC;
	if (page_cache_serve(r, p.key) == 0)
		return 0;
	if ((status = parse_query(r, &eq, &f)) != 0)
		return status;
	if (!eq.q_too_short)
		rc = events_list(r->db, a, &f, &events, &n);
	if (rc == 0)
		rc = cities_refresh(r);
	if (rc != 0)
		return rc == ROW_BAD ? 500 : 503;

	p.title = eq.q ? arena_printf(a, "Events matching “%s”", eq.q) :
	    "Events";
	ctx = tv_object(a);
	tv_set(a, ctx, "events", view_event_cards(a, events, n, PER_PAGE));
	tv_set_bool(a, ctx, "no_results", n == 0);
	tv_set_bool(a, ctx, "q_too_short", eq.q_too_short);
	tv_set(a, ctx, "cities", city_options(a, eq.city));
	if (eq.q)
		tv_set_str(a, ctx, "q", eq.q);
	if (eq.city)
		tv_set_str(a, ctx, "city", eq.city);
	if (eq.from)
		tv_set_str(a, ctx, "from", eq.from);
	if (eq.to)
		tv_set_str(a, ctx, "to", eq.to);
	tv_set_int(a, ctx, "page", eq.page);
	if (eq.page > 1)
		tv_set_str(a, ctx, "prev_url", page_url(a, &eq, eq.page - 1));
	if (n > PER_PAGE && eq.page < MAX_PAGE)
		tv_set_str(a, ctx, "next_url", page_url(a, &eq, eq.page + 1));
	tv_set_bool(a, ctx, "has_pages", eq.page > 1 || n > PER_PAGE);
	tv_set_bool(a, ctx, "filtered", eq.q || eq.city || eq.from || eq.to);
	return page_cache_render(r, &p, ctx);
}
