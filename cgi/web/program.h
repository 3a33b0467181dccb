/*
 * What every FastCGI program shares: start-up (flags, configuration,
 * templates compiled once), the per-worker state (arena, response buffer,
 * database handle), routing a request to its handler, error pages and page
 * rendering through the layout. The folder a program lives in (browse/,
 * app/, admin/) holds its route table, its handlers and its main().
 */
#ifndef TESSERA_PROGRAM_H
#define TESSERA_PROGRAM_H

#include <stddef.h>

#include "config.h"
#include "request.h"
#include "router.h"

struct buf;
struct tmpl_set;
struct tmpl_value;

/*
 * A handler answers one request. It returns 0 once it has filled r->resp,
 * or an HTTP status (400, 404, 503, ...) for the program to answer with
 * its error page, with r->error_detail as the explanation if set.
 */
typedef int (*handler_fn)(struct request *r);

/*
 * Who may use a route: struct route's access, checked by the dispatcher
 * before the handler runs, so a handler starts from a person it may
 * serve. Somebody not signed in is sent to the sign-in page (a GET comes
 * back to where it was); somebody signed in without the right gets 403
 * saying what is missing.
 *
 * Objects belong to people (an order to its buyer, an event to its
 * organizer): the handler reads them through the domain with the
 * signed-in person's id in the query, so another person's object and a
 * missing one are the same "no row", and both answer 404.
 */
enum access {
	ACCESS_ANYONE = 0,
	ACCESS_SIGNED_IN,
	ACCESS_VERIFIED,    /* signed in, with a confirmed address */
	ACCESS_ORGANIZER,   /* an organizer or a site admin */
	ACCESS_ADMIN,       /* a site admin */
};

/* The rows of a program's route table. */
#define PAGE_GET(pattern, handler, access) \
	{ "GET", (pattern), (handler), (access), BODY_FORM, 0 }
#define PAGE_POST(pattern, handler, access) \
	{ "POST", (pattern), (handler), (access), BODY_FORM, 0 }
/* A POST with another body than a form of ROUTE_FORM_MAX_BYTES. */
#define PAGE_POST_BODY(pattern, handler, access, body, max) \
	{ "POST", (pattern), (handler), (access), (body), (max) }

struct program {
	const char *name;            /* program name, for logs */
	const struct route *routes;  /* route.handler indexes handlers */
	size_t nroutes;
	const handler_fn *handlers;
	int default_workers;
	/* 1 for programs that write (app, admin): sessions are read from the
	 * primary and kept alive; 0 for tessera-browse, which reads them from
	 * a replica and never writes. */
	int writes;
	/* 1 for the program that hashes passwords (sign-up, sign-in): its
	 * workers share a bound on hashes at once (password.h). */
	int hashes_passwords;
	/* Runs once in the master after the configuration and templates are
	 * loaded, before workers fork (load word lists, set up shared state).
	 * Non-zero stops the program. May be NULL. */
	int (*init)(struct program *p);
	/* Appends the program's own gauges to its /metrics (metrics.h's
	 * metrics_gauge), after the counters every program has. May be
	 * NULL. */
	void (*metrics)(struct request *r, struct buf *out);

	/* Filled by program_main at start-up, read-only afterwards. */
	struct config cfg;
	struct tmpl_set *templates;
};

/* Parses --listen ADDR and --workers N, loads the configuration and the
 * templates (a template that does not compile stops the program with its
 * file, line and reason), then serves until SIGTERM. Returns the exit
 * status. --routes prints the route table instead (method, pattern,
 * access, body kind and limit, one route a line), for the nginx check. */
int program_main(struct program *p, int argc, char **argv);

/* The context every page starts from: site name, page title, year, the
 * signed-in person ("user": name, email, role flags, "verified") and the
 * CSRF token ("csrf") for the layout's forms. Arena-owned. */
struct tmpl_value *page_context(struct request *r, const char *title);
/* A list's page links (templates/pagination.mustache) into ctx: page,
 * prev_url and next_url (path?page=N, past the first and up to max_page
 * when more says there is a next one) and has_pages. */
void page_pager(struct request *r, struct tmpl_value *ctx, const char *path,
    int page, int more, int max_page);
/* Renders template name with ctx into r->resp as a 200 HTML page.
 * Returns 0, or 500 when the template is missing. */
int page_render(struct request *r, const char *name, struct tmpl_value *ctx);
/*
 * Starts sending r's response as a stream (response.h), with the status
 * and headers set so far: for a download too large to build in memory.
 * The handler then appends each piece to r->resp.body and sends it with
 * response_stream_flush(&r->resp). A status the handler returns after
 * this cannot be shown any more: the download is cut off instead.
 */
void page_stream_begin(struct request *r);
/* Answers with a redirect (303 after a POST) to location, which must be
 * a path on this site or a URL the program built. Returns 0. */
int page_redirect(struct request *r, int status, const char *location);

/* Answers 429 with Retry-After: retry_after seconds; detail, a printf
 * format, explains it on the error page. Returns 429. */
int page_too_many(struct request *r, long retry_after, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Answers 503 with Retry-After when no turn to hash a password came
 * (PASSWORD_BUSY). Returns 503. */
#define PAGE_BUSY_RETRY_SECONDS 2
int page_busy(struct request *r);
/* "1 minute", "5 minutes": a wait of seconds, rounded up, for people.
 * Arena-owned. */
const char *page_wait_text(struct request *r, long seconds);

/*
 * The body of a state change, run in a transaction on the primary by
 * page_change(). It returns 0 to commit; an HTTP status (404, 409, ...)
 * to roll back and answer with the error page; PAGE_SHOWN to roll back
 * and send the page it has rendered itself (a form shown again with its
 * messages); or -1 when a database call failed. It may run again after a
 * deadlock, so it must not keep anything but r->resp between runs.
 */
typedef int (*change_fn)(struct request *r, void *arg);
#define PAGE_SHOWN 1

/*
 * Post/redirect/get in one place: runs fn in a transaction (again after a
 * deadlock or lock wait timeout, see db_tx), and once it is committed
 * remembers the write for read-your-writes and answers 303 to location
 * (fn may replace it with page_change_location()). A database failure
 * answers 503. Returns what the handler returns.
 */
int page_change(struct request *r, change_fn fn, void *arg,
    const char *location);
/* Inside fn: where to go once committed, when it depends on the change
 * (the new order's page). */
void page_change_location(struct request *r, const char *location);

#endif
