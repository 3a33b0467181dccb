/*
 * A per-worker cache of the public part of hot pages. A signed-in visitor
 * bypasses nginx's micro-cache, so without it each of their views of
 * /events or /events/{id} runs the page's queries and renders it whole;
 * with it, a view costs the session lookup and the layout around content
 * kept from a request of the last TESSERA_PAGE_CACHE_MS (config.h; 1 s,
 * 0 turns it off). Only signed-in visitors are served from it: anonymous
 * answers are nginx's to keep, and one kept here first would be older.
 *
 * What is kept is the HTML of a page's content block, rendered from a
 * context the handler builds without the session: nothing of the person
 * looking is in it, so it can be shown to anyone. Its promises:
 *   - it is at most that much older than what the database had: an
 *     organizer's change shows within that (and the replica's lag);
 *   - a request that carries read-your-writes (the sync cookie of a write
 *     in the last minute, session.h) never reads it and never fills it,
 *     so a person sees their own writes at once;
 *   - an entry names the one person, if any, whose page differs (an
 *     event's organizer): they always get theirs made fresh.
 * Per worker process, so no locks; a fixed number of slots of bounded
 * size, so a worker's memory stays small.
 */
#ifndef TESSERA_PAGE_CACHE_H
#define TESSERA_PAGE_CACHE_H

struct request;
struct tmpl_value;

/* What a cached page is made of, besides its content's context. */
struct page_cache_page {
	const char *key;       /* the page: path and query as sent */
	const char *title;     /* the layout's title */
	const char *nav;       /* the layout's flag for its menu entry */
	const char *content;   /* the template of the content block */
	long long owner;       /* the user who gets it fresh (0: nobody) */
};

/* Answers r from the cache when it holds key, fresh, for r's person:
 * returns 0 with the page rendered into r->resp, or 1 when the handler
 * must make it (then page_cache_render). */
int page_cache_serve(struct request *r, const char *key);

/* Renders p->content with ctx (which must hold nothing personal), keeps
 * it unless r must not share it (read-your-writes, or r is p->owner),
 * and renders the page around it for r. Returns 0, or 500 when a
 * template is missing. */
int page_cache_render(struct request *r, const struct page_cache_page *p,
    struct tmpl_value *ctx);

#endif
