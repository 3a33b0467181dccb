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

struct tmpl_set;
struct tmpl_value;

/*
 * A handler answers one request. It returns 0 once it has filled r->resp,
 * or an HTTP status (400, 404, 503, ...) for the program to answer with
 * its error page, with r->error_detail as the explanation if set.
 */
typedef int (*handler_fn)(struct request *r);

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
	/* Runs once in the master after the configuration and templates are
	 * loaded, before workers fork (load word lists, set up shared state).
	 * Non-zero stops the program. May be NULL. */
	int (*init)(struct program *p);

	/* Filled by app_main at start-up, read-only afterwards. */
	struct config cfg;
	struct tmpl_set *templates;
};

/* Parses --listen ADDR and --workers N, loads the configuration and the
 * templates (a template that does not compile stops the program with its
 * file, line and reason), then serves until SIGTERM. Returns the exit
 * status. */
int program_main(struct program *p, int argc, char **argv);

/* The context every page starts from: site name, page title, year, the
 * signed-in person ("user": name, email, role flags, "verified") and the
 * CSRF token ("csrf") for the layout's forms. Arena-owned. */
struct tmpl_value *page_context(struct request *r, const char *title);
/* Renders template name with ctx into r->resp as a 200 HTML page.
 * Returns 0, or 500 when the template is missing. */
int page_render(struct request *r, const char *name, struct tmpl_value *ctx);
/* Answers with a redirect (303 after a POST) to location, which must be
 * a path on this site or a URL the program built. Returns 0. */
int page_redirect(struct request *r, int status, const char *location);

#endif
