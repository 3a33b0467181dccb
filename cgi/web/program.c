#include "program.h"

#include <getopt.h>
#include <stdarg.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "csrf.h"
#include "db.h"
#include "fcgi_server.h"
#include "http_spool.h"
#include "http_url.h"
#include "metrics.h"
#include "password.h"
#include "roles.h"
#include "session.h"
#include "log.h"
#include "tmpl.h"
#include "util.h"

/* Per-worker state: created in the worker after fork, reused for every
 * request the worker answers. */
struct worker_state {
	struct program *program;
	struct arena arena;
	struct buf body;
	struct db *db;
	time_t next_sweep;	/* when to sweep the upload spool next */
};

/* How often each worker of a program that takes uploads sweeps the
 * spool for files a dead worker left (http_spool.h). */
#define SPOOL_SWEEP_INTERVAL_SECONDS (10 * 60)

static struct worker_state worker;

static const struct {
	int status;
	const char *title;
	const char *message;
} error_texts[] = {
	{ 400, "Bad request",
	    "The request could not be understood. Check the address or the "
	    "form and try again." },
	{ 403, "Forbidden", "You are not allowed to do that." },
	{ 404, "Page not found",
	    "There is nothing at this address. The event may have been "
	    "removed, or the link may be mistyped." },
	{ 405, "Method not allowed",
	    "This address does not accept that kind of request." },
	{ 409, "Conflict", "That could not be done in the current state." },
	{ 413, "Too large", "What was sent is larger than this site accepts." },
	{ 415, "Unsupported form", "The form was sent in a format this site "
	    "does not accept." },
	{ 429, "Too many requests", "Please wait a moment and try again." },
	{ 500, "Something went wrong",
	    "An unexpected error stopped this page. It has been logged." },
	{ 503, "Temporarily unavailable",
	    "The site cannot reach its database right now. Please try again "
	    "in a minute." },
};

/* A 503 while the primary is down (stopped, or being replaced by a
 * replica): reading still works, so the page says only writing waits. */
static const char paused_message[] = "Booking and signing in are paused for "
    "a moment while the database is switched over. Pages can still be "
    "read; please try again in a minute.";

void
page_pager(struct request *r, struct tmpl_value *ctx, const char *path,
    int page, int more, int max_page)
{
	struct arena *a = r->arena;

	tv_set_int(a, ctx, "page", page);
	if (page > 1)
		tv_set_str(a, ctx, "prev_url", url_with_query(a, path, NULL,
		    NULL, 0, page - 1));
	if (more && page < max_page)
		tv_set_str(a, ctx, "next_url", url_with_query(a, path, NULL,
		    NULL, 0, page + 1));
	tv_set_bool(a, ctx, "has_pages", page > 1 || more);
}

struct tmpl_value *
page_context(struct request *r, const char *title)
{
	struct arena *a = r->arena;
	struct tmpl_value *ctx = tv_object(a);
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	if (r->session != NULL) {
		const struct session *s = r->session;
		struct tmpl_value *user = tv_object(a);

		tv_set_str(a, user, "name", s->display_name);
		tv_set_str(a, user, "email", s->email);
		tv_set_bool(a, user, "verified", s->verified);
		tv_set_bool(a, user, "is_admin", role_includes(s->role, ROLE_ADMIN));
		tv_set_bool(a, user, "is_organizer",
		    role_includes(s->role, ROLE_ORGANIZER));
		if (s->unread > 0)
			tv_set_int(a, user, "unread", s->unread);
		tv_set(a, ctx, "user", user);
		tv_set_str(a, ctx, "csrf", csrf_token(r));
	}
	tv_set_str(a, ctx, "site_name", r->program->cfg.site_name);
	tv_set_str(a, ctx, "title", title);
	tv_set_str(a, ctx, "path", r->path);
	tv_set_int(a, ctx, "year", tm.tm_year + 1900);
	return ctx;
}

int
page_render(struct request *r, const char *name, struct tmpl_value *ctx)
{
	buf_reset(r->resp.body);
	/* Decided here, after the handler's queries: they are what found the
	 * primary gone (the layout's notice). */
	if (r->db != NULL && db_primary_down(r->db))
		tv_set_bool(r->arena, ctx, "writes_paused", 1);
	if (tmpl_render(r->program->templates, name, ctx, r->resp.body) != 0) {
		log_err("%s: no template \"%s\"", __func__, name);
		return 500;
	}
	return 0;
}

void
page_stream_begin(struct request *r)
{
	/* As handle() does for every other page: the head goes now. */
	if (r->session != NULL)
		r->resp.cache = CACHE_PRIVATE;
	response_stream_begin(&r->resp, r->https, r->head, r->fcgi->out);
}

int
page_redirect(struct request *r, int status, const char *location)
{
	r->resp.status = status;
	response_header(&r->resp, "Location", location);
	buf_reset(r->resp.body);
	return 0;
}

int
page_too_many(struct request *r, long retry_after, const char *fmt, ...)
{
	va_list ap;
	char text[512];

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	response_header(&r->resp, "Retry-After",
	    arena_printf(r->arena, "%ld", retry_after > 0 ? retry_after : 1));
	r->error_detail = arena_strdup(r->arena, text);
	return 429;
}

int
page_busy(struct request *r)
{
	response_header(&r->resp, "Retry-After",
	    arena_printf(r->arena, "%d", PAGE_BUSY_RETRY_SECONDS));
	r->error_detail = "Too many people are signing in or setting "
	    "passwords at this moment. Please try again in a few seconds.";
	return 503;
}

const char *
page_wait_text(struct request *r, long seconds)
{
	long minutes = (seconds + 59) / 60;

	if (minutes < 1)
		minutes = 1;
	return arena_printf(r->arena, "%ld minute%s", minutes,
	    minutes == 1 ? "" : "s");
}

struct change {
	struct request *r;
	change_fn fn;
	void *arg;
	int nheaders;     /* the response's headers before the change */
	int outcome;      /* fn's last result */
};

static enum db_status
change_run(struct db *db, void *arg)
{
	struct change *c = arg;

	/* A run after a deadlock starts from the response as it was. */
	c->r->resp.nheaders = c->nheaders;
	c->r->resp.status = 200;
	buf_reset(c->r->resp.body);
	c->outcome = c->fn(c->r, c->arg);
	if (c->outcome == 0)
		return DB_OK;
	if (c->outcome < 0) {
		enum db_status st = db_last_status(db);

		return st == DB_OK ? DB_ERROR : st;
	}
	return DB_ABORTED;
}

void
page_change_location(struct request *r, const char *location)
{
	r->change_location = location;
}

int
page_change(struct request *r, change_fn fn, void *arg, const char *location)
{
	struct change c = { r, fn, arg, r->resp.nheaders, 0 };
	enum db_status st;

	r->change_location = location;
	st = db_tx(r->db, change_run, &c);
	if (st == DB_OK) {
		session_sync_after_write(r);
		return page_redirect(r, 303, r->change_location);
	}
	if (st == DB_ABORTED)
		return c.outcome == PAGE_SHOWN ? 0 : c.outcome;
	log_err("%s %s: the change was not made: %s", r->method, r->path,
	    db_status_name(st));
	return 503;
}

/* Renders the error page for status; falls back to plain text if even the
 * error template cannot be rendered. */
static void
error_page(struct request *r, int status)
{
	const char *title = response_reason(status), *message = "";
	struct tmpl_value *ctx;

	for (size_t i = 0; i < ARRAY_LEN(error_texts); i++)
		if (error_texts[i].status == status) {
			title = error_texts[i].title;
			message = error_texts[i].message;
		}
	const char *retry = NULL;

	/* Only the handler's Retry-After survives: the page replaces the rest. */
	for (int i = 0; i < r->resp.nheaders; i++)
		if (strcmp(r->resp.headers[i].name, "Retry-After") == 0)
			retry = r->resp.headers[i].value;
	r->resp.nheaders = 0;
	r->resp.cache = CACHE_PRIVATE;
	r->resp.content_type = "text/html; charset=utf-8";
	if (status == 503 || status == 429)
		response_header(&r->resp, "Retry-After", retry ? retry : "30");
	if (status == 503 && r->db != NULL && db_primary_down(r->db))
		message = paused_message;
	ctx = page_context(r, title);
	tv_set_int(r->arena, ctx, "status", status);
	tv_set_str(r->arena, ctx, "message", message);
	if (r->error_detail != NULL)
		tv_set_str(r->arena, ctx, "detail", r->error_detail);
	if (r->request_id[0] != '\0')
		tv_set_str(r->arena, ctx, "reference", r->request_id);
	if (page_render(r, "error", ctx) != 0) {
		buf_reset(r->resp.body);
		buf_printf(r->resp.body, "%d %s\nreference: %s\n", status,
		    title, r->request_id);
		r->resp.content_type = "text/plain; charset=utf-8";
	}
	r->resp.status = status;
}

/* "GET /events/{id:int}": the route labels of /metrics, made once in the
 * master. */
static const char **route_names;

/* /metrics, or /metrics/NAME for this program (tessera-NAME): nginx sends
 * the first to tessera-browse and each of the others to its program, so
 * that one address serves every program's counters. */
static int
is_metrics_path(const struct request *r)
{
	const char *name = r->program->name;

	if (strncmp(name, "tessera-", 8) == 0)
		name += 8;
	return strcmp(r->path, "/metrics") == 0 ||
	    (strncmp(r->path, "/metrics/", 9) == 0 &&
	    strcmp(r->path + 9, name) == 0);
}

/* The replicas' lag and each server's state, as /healthz sees them. */
static void
metrics_servers(struct request *r)
{
	struct db_server_health primary, replicas[CONFIG_MAX_REPLICAS];
	const char *prog = r->program->name;
	struct buf *out = r->resp.body;
	int n = db_health(r->db, &primary, replicas);

	metrics_sample(out, "gauge", "tessera_db_server_up", "1 when the "
	    "database server answers this program (and, for a replica, "
	    "replicates within the lag limit).", prog, "server=\"primary\"",
	    primary.usable);
	for (int i = 0; i < n; i++)
		metrics_sample(out, "gauge", "tessera_db_server_up", NULL, prog,
		    arena_printf(r->arena, "server=\"replica\",address=\"%s\"",
		    metrics_escape(r->arena, replicas[i].address)),
		    replicas[i].usable);
	for (int i = 0; i < n; i++)
		metrics_sample(out, "gauge", "tessera_db_replica_lag_seconds",
		    i == 0 ? "Seconds the replica is behind the primary; -1 "
		    "when it does not replicate." : NULL, prog,
		    arena_printf(r->arena, "address=\"%s\"",
		    metrics_escape(r->arena, replicas[i].address)),
		    replicas[i].lag);
}

/* GET /metrics, for the local Prometheus only: nginx allows 127.0.0.1,
 * and so does this, in case a program is reached some other way. */
static int
metrics_page(struct request *r)
{
	const struct program *p = r->program;

	if (strcmp(r->remote_addr, "127.0.0.1") != 0 &&
	    strcmp(r->remote_addr, "::1") != 0)
		return 404;
	buf_reset(r->resp.body);
	metrics_format(r->resp.body, p->name, route_names, p->nroutes);
	metrics_servers(r);
	if (p->metrics != NULL)
		p->metrics(r, r->resp.body);
	r->resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
	return 0;
}

/* Where somebody who posted a form before signing in goes back to: the
 * page of the form when the browser said which (a Referer on this site),
 * else the first segment of the address (/me for /me/name). */
static const char *
post_return_path(struct request *r)
{
	const char *ref = request_param(r, "HTTP_REFERER");
	const char *site = request_site_url(r);
	size_t n = strlen(site), seg;

	if (ref != NULL && strncmp(ref, site, n) == 0 && ref[n] == '/' &&
	    ref[n + 1] != '/')
		return ref + n;
	seg = strcspn(r->path + 1, "/");
	return arena_strndup(r->arena, r->path, seg + 1);
}

/* Sends somebody who must sign in first to the sign-in page, which brings
 * them back here (a GET) or to the form they posted. */
static void
to_sign_in(struct request *r)
{
	const char *here;

	if (strcmp(r->method, "GET") == 0 || r->head)
		here = *r->query ? arena_printf(r->arena, "%s?%s", r->path,
		    r->query) : r->path;
	else
		here = post_return_path(r);
	page_redirect(r, 303, arena_printf(r->arena, "/login?next=%s",
	    url_encode(r->arena, here, strlen(here))));
}

/* 0 when the person may use a route with this access; -1 after answering
 * with a redirect to the sign-in page; else the status (403). */
static int
check_access(struct request *r, int access)
{
	const struct session *s = r->session;

	if (access == ACCESS_ANYONE)
		return 0;
	if (s == NULL) {
		to_sign_in(r);
		return -1;
	}
	switch (access) {
	case ACCESS_SIGNED_IN:
		return 0;
	case ACCESS_VERIFIED:
		if (s->verified)
			return 0;
		r->error_detail = "Confirm your email address first: follow the "
		    "link we mailed to you. No mail? Ask for a new link on your "
		    "account page.";
		return 403;
	case ACCESS_ORGANIZER:
		if (role_includes(s->role, ROLE_ORGANIZER))
			return 0;
		r->error_detail = "This page is for organizers. Ask a site admin "
		    "to make your account an organizer account.";
		return 403;
	case ACCESS_ADMIN:
		if (role_includes(s->role, ROLE_ADMIN))
			return 0;
		r->error_detail = "This page is for site admins.";
		return 403;
	}
	log_err("%s: unknown access rule %d", __func__, access);
	return 500;
}

/* Reads a POST's body as the route says: a form (checked against CSRF),
 * or the raw bytes. Returns 0 or the status to answer with. */
static int
read_body(struct request *r, const struct route *route)
{
	size_t max = route->body_max ? route->body_max : ROUTE_FORM_MAX_BYTES;
	int status;

	switch (route->body) {
	case BODY_FORM:
		if ((status = request_read_form(r, max)) != 0)
			return status;
		return csrf_check(r) != 0 ? 403 : 0;
	case BODY_MULTIPART:
		/* The token is a field of the upload itself, sent once. */
		if ((status = request_read_multipart(r, max)) != 0)
			return status;
		if (params_count_name(&r->form, CSRF_FIELD) != 1) {
			r->error_detail = "This upload did not come from this "
			    "site's form. Go back, reload the page and try again.";
			return 403;
		}
		return csrf_check(r) != 0 ? 403 : 0;
	case BODY_RAW:
		/* A provider's webhook: its own signature, no CSRF. */
		return request_read_body(r, max);
	}
	log_err("%s: %s bodies are not read by this program", __func__,
	    router_body_name(route->body));
	return 415;
}

static int
dispatch(struct request *r)
{
	const struct program *prog = r->program;
	const struct route *route;
	struct route_match m;
	int status;

	if (is_metrics_path(r) && (strcmp(r->method, "GET") == 0 || r->head))
		return metrics_page(r);

	switch (router_match(prog->routes, prog->nroutes, r->method, r->path,
	    r->arena, &m)) {
	case ROUTE_FOUND:
		break;
	case ROUTE_METHOD_NOT_ALLOWED:
		response_header(&r->resp, "Allow", m.allow);
		status = 405;
		goto error;
	default:
		return 404;
	}
	r->path_params = m.params;
	r->route_index = (int)m.route;
	route = &prog->routes[m.route];
	/* The body first: a forged post is refused (403) before anything
	 * else is said about it. */
	if (strcmp(r->method, "POST") == 0 && (status = read_body(r, route)) != 0)
		return status;
	if ((status = check_access(r, route->access)) != 0)
		return status < 0 ? 0 : status;
	return prog->handlers[route->handler](r);
error:
	/* Keep the Allow header through the error page. */
	error_page(r, status);
	response_header(&r->resp, "Allow", m.allow);
	return 0;
}

/* 1 if a route of p takes multipart bodies. */
static int
takes_uploads(const struct program *p)
{
	for (size_t i = 0; i < p->nroutes; i++)
		if (strcmp(p->routes[i].method, "POST") == 0 &&
		    p->routes[i].body == BODY_MULTIPART)
			return 1;
	return 0;
}

/* Removes what a worker that died mid-upload left in the spool, now and
 * then: the first request of each worker, then every few minutes. */
static void
sweep_spool(struct worker_state *w)
{
	const struct program *p = w->program;
	time_t now = time(NULL);

	if (p->cfg.media_dir == NULL || now < w->next_sweep ||
	    !takes_uploads(p))
		return;
	w->next_sweep = now + SPOOL_SWEEP_INTERVAL_SECONDS;
	spool_sweep(p->cfg.media_dir, SPOOL_MAX_AGE_SECONDS);
}

/* Answers one request; -1 when a streamed response failed after its
 * head went out, for the server to cut it off (fcgi_server.h). */
static int
handle(FCGX_Request *fcgi, void *arg)
{
	struct worker_state *w = arg;
	struct timespec started, ended;
	struct request r;
	int status, cut = 0;

	clock_gettime(CLOCK_MONOTONIC, &started);
	arena_reset(&w->arena);
	status = request_init(&r, fcgi, &w->arena, &w->body);
	log_set_request(r.request_id);
	r.program = w->program;
	r.cfg = &w->program->cfg;
	r.writes = w->program->writes;
	r.db = w->db;
	/* Sessions are read on the primary in every program: a replica may
	 * still hold a session that was signed out, or an account that was
	 * disabled, a moment ago. The read-only program still shows its
	 * public pages while the primary is down, to nobody signed in. */
	if (status == 0 && session_load(&r, DB_PRIMARY) != 0 && r.writes)
		status = 503;
	if (status == 0)
		status = dispatch(&r);
	/* A transaction still open is a handler's bug: what it claimed to
	 * have done is rolled back here, its locks go with it, and the page
	 * says so instead of claiming success. */
	if (db_request_end(r.db)) {
		log_err("%s %s left a transaction open: rolled back", r.method,
		    r.path);
		status = 500;
	}
	if (response_streaming(&r.resp)) {
		/* The head went out with its status: a failure now can only
		 * cut the body short. */
		if (status != 0) {
			log_err("%s %s failed (%d) after its head was sent; "
			    "cutting it off", r.method, r.path, status);
			cut = 1;
		}
	} else if (status != 0) {
		/* Each error page shows the request's id as its reference;
		 * this is the line it finds (not for 404s, which are the
		 * web's noise and in nginx's access log anyway). */
		if (status >= 500)
			log_err("%s %s answered %d", r.method, r.path, status);
		else if (status != 404)
			log_info("%s %s answered %d", r.method, r.path, status);
		error_page(&r, status);
	}
	/* A page that knows who is looking is for that person only. */
	if (r.session != NULL)
		r.resp.cache = CACHE_PRIVATE;
	/* What the handler did not rename away goes, however it ended,
	 * before the answer: a client that has it finds the spool clean. */
	request_discard_uploads(&r);
	if (!cut)
		response_send(&r.resp, r.https, r.head, fcgi->out);
	/* Forms carry passwords; the arena is reused, so wipe the body. */
	if (r.body != NULL)
		explicit_bzero(r.body, r.body_len);
	clock_gettime(CLOCK_MONOTONIC, &ended);
	metrics_record(r.route_index, cut ? status : r.resp.status,
	    (double)(ended.tv_sec - started.tv_sec) +
	    (double)(ended.tv_nsec - started.tv_nsec) / 1e9);
	log_set_request(NULL);
	/* Not the request's time: it has been answered. */
	sweep_spool(w);
	return cut ? -1 : 0;
}

static int
worker_init(void *arg)
{
	struct worker_state *w = arg;

	arena_init(&w->arena, 64 * 1024);
	buf_init(&w->body);
	buf_reserve(&w->body, 32 * 1024);
	w->db = db_open(&w->program->cfg);
	return 0;
}

static void
worker_exit(void *arg)
{
	struct worker_state *w = arg;

	db_close(w->db);
	arena_free(&w->arena);
	buf_free(&w->body);
	mysql_thread_end();
}

static void
usage(const char *name)
{
	fprintf(stderr, "usage: %s --listen PATH|HOST:PORT [--workers N]\n"
	    "       %s --routes\n", name, name);
}

/* --routes: the table as "METHOD PATTERN ACCESS BODY MAX_BYTES" lines. */
static void
print_routes(const struct program *p)
{
	static const char *const access_names[] = {
		[ACCESS_ANYONE] = "anyone",
		[ACCESS_SIGNED_IN] = "signed-in",
		[ACCESS_VERIFIED] = "verified",
		[ACCESS_ORGANIZER] = "organizer",
		[ACCESS_ADMIN] = "admin",
	};

	for (size_t i = 0; i < p->nroutes; i++) {
		const struct route *rt = &p->routes[i];
		int acc = rt->access;

		int has_body = strcmp(rt->method, "POST") == 0;

		printf("%s %s %s %s %zu\n", rt->method, rt->pattern,
		    acc >= 0 && acc <= ACCESS_ADMIN ? access_names[acc] : "?",
		    has_body ? router_body_name(rt->body) : "none",
		    !has_body ? 0 : rt->body_max ? rt->body_max :
		    (size_t)ROUTE_FORM_MAX_BYTES);
	}
}

int
program_main(struct program *p, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "workers", required_argument, NULL, 'w' },
		{ "routes", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fcgi_server_opts opts = {
		.workers = p->default_workers,
		.backlog = FCGI_SERVER_BACKLOG,
		.socket_mode = 0660,
		.worker_init = worker_init,
		.handle = handle,
		.worker_exit = worker_exit,
		.arg = &worker,
	};
	struct tmpl_error terr;
	char err[256];
	int ch;

	log_set_program(p->name);
	while ((ch = getopt_long(argc, argv, "l:w:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			if (router_check(p->routes, p->nroutes) != 0)
				return 1;
			print_routes(p);
			return 0;
		case 'l':
			opts.listen = optarg;
			break;
		case 'w':
			opts.workers = atoi(optarg);
			if (opts.workers < 1 || opts.workers > 256) {
				fprintf(stderr, "%s: --workers must be 1 to 256\n",
				    p->name);
				return 2;
			}
			break;
		default:
			usage(p->name);
			return 2;
		}
	}
	if (opts.listen == NULL) {
		usage(p->name);
		return 2;
	}
	if (router_check(p->routes, p->nroutes) != 0) {
		fprintf(stderr, "%s: bad route table\n", p->name);
		return 1;
	}
	if (config_load(&p->cfg, err, sizeof(err)) != 0 ||
	    config_require_site(&p->cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s: %s\n", p->name, err);
		return 1;
	}
	p->templates = tmpl_set_new();
	if (tmpl_set_load_dir(p->templates, p->cfg.templates_dir,
	    &terr) != 0) {
		fprintf(stderr, "%s: template %s:%d: %s\n", p->name, terr.file,
		    terr.line, terr.reason);
		return 1;
	}
	if (p->cfg.secret_key == NULL) {
		fprintf(stderr, "%s: TESSERA_SECRET_KEY is not set (at least 32 "
		    "random characters, the same for every program)\n",
		    p->name);
		return 1;
	}
	if (p->hashes_passwords &&
	    password_limit_init(p->cfg.hash_concurrency) != 0)
		return 1;
	if (takes_uploads(p)) {
		/* Not fatal: the program serves everything else, and answers
		 * uploads 500 with the same reason in its log. */
		if (p->cfg.media_dir == NULL)
			log_err("TESSERA_MEDIA_DIR is not set: uploads will "
			    "fail (500)");
		else
			spool_sweep(p->cfg.media_dir, SPOOL_MAX_AGE_SECONDS);
	}
	if (p->init != NULL && p->init(p) != 0)
		return 1;
	if (metrics_init() != 0)
		return 1;
	/* Kept for the program's life, like the route table itself. */
	route_names = xcalloc(p->nroutes + 1, sizeof(*route_names));
	for (size_t i = 0; i < p->nroutes; i++) {
		char name[512];

		snprintf(name, sizeof(name), "%s %s", p->routes[i].method,
		    p->routes[i].pattern);
		route_names[i] = xstrdup(name);
	}
	crypto_init();
	if (mysql_library_init(0, NULL, NULL) != 0) {
		fprintf(stderr, "%s: cannot initialise the MySQL client library\n",
		    p->name);
		return 1;
	}
	worker.program = p;
	if (fcgi_server_run(&opts) != 0)
		return 1;
	tmpl_set_free(p->templates);
	mysql_library_end();
	return 0;
}
