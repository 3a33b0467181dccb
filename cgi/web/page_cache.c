#include "page_cache.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "program.h"
#include "request.h"
#include "session.h"
#include "tmpl.h"
#include "util.h"

/* Slots per worker, and the most one entry keeps: a page's content is
 * 5-40 KB, so a worker holds at most about 2 MB here. */
#define PAGE_CACHE_SLOTS 64
#define PAGE_CACHE_MAX_BYTES (64 * 1024)
#define PAGE_CACHE_MAX_KEY 512

struct page_cache_entry {
	char *key;              /* heap; NULL: empty slot */
	char *title;            /* heap */
	const char *nav;        /* a literal of the handler */
	struct buf html;
	long long owner;
	long long made_ms;      /* CLOCK_MONOTONIC */
};

static struct page_cache_entry slots[PAGE_CACHE_SLOTS];

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* FNV-1a: the slot of a key; a collision only replaces an entry. */
static struct page_cache_entry *
slot_of(const char *key)
{
	unsigned long h = 2166136261UL;

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 16777619UL;
	return &slots[h % PAGE_CACHE_SLOTS];
}

/* 1 when r may read and fill the cache: it is on, and r is not waiting
 * to see a write of its own. */
static int
may_share(struct request *r)
{
	return r->cfg->page_cache_ms > 0 && !db_waits_for_gtid(r->db);
}

static long long
viewer(const struct request *r)
{
	return r->session != NULL ? r->session->user_id : 0;
}

/* The page around content html for r: the layout with r's person. */
static int
render_page(struct request *r, const char *title, const char *nav,
    const char *html, size_t len)
{
	struct tmpl_value *ctx = page_context(r, title);

	tv_set_bool(r->arena, ctx, nav, 1);
	tv_set(r->arena, ctx, "content_html", tv_stringn(r->arena, html, len));
	return page_render(r, "page_cached", ctx);
}

int
page_cache_serve(struct request *r, const char *key)
{
	struct page_cache_entry *e = slot_of(key);

	/* Nobody signed in: nginx's micro-cache keeps this answer for its
	 * second, and a kept one under it would make that two. */
	if (r->session == NULL || !may_share(r) || e->key == NULL ||
	    strcmp(e->key, key) != 0 ||
	    now_ms() - e->made_ms >= r->cfg->page_cache_ms ||
	    (e->owner != 0 && e->owner == viewer(r)))
		return 1;
	return render_page(r, e->title, e->nav, e->html.data, e->html.len);
}

static void
keep(const struct page_cache_page *p, const struct buf *html)
{
	struct page_cache_entry *e = slot_of(p->key);

	if (strlen(p->key) > PAGE_CACHE_MAX_KEY ||
	    html->len > PAGE_CACHE_MAX_BYTES)
		return;
	free(e->key);
	free(e->title);
	e->key = xstrdup(p->key);
	e->title = xstrdup(p->title);
	e->nav = p->nav;
	e->owner = p->owner;
	if (e->html.data == NULL)
		buf_init(&e->html);
	buf_reset(&e->html);
	buf_append(&e->html, html->data, html->len);
	e->made_ms = now_ms();
}

int
page_cache_render(struct request *r, const struct page_cache_page *p,
    struct tmpl_value *ctx)
{
	struct buf html;
	int rc;

	buf_init(&html);
	if (tmpl_render(r->program->templates, p->content, ctx, &html) != 0) {
		log_err("%s: no template \"%s\"", __func__, p->content);
		buf_free(&html);
		return 500;
	}
	if (may_share(r) && !(p->owner != 0 && p->owner == viewer(r)))
		keep(p, &html);
	rc = render_page(r, p->title, p->nav, html.data, html.len);
	buf_free(&html);
	return rc;
}
