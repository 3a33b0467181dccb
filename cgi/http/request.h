/*
 * One request, as a handler sees it: what nginx passed over FastCGI,
 * already parsed and checked (query, cookies, form body, path parameters),
 * plus the response being built. Everything hangs off r->arena and is
 * gone once the response is sent.
 */
#ifndef TESSERA_REQUEST_H
#define TESSERA_REQUEST_H

#include <fcgiapp.h>

#include "arena.h"
#include "http_multipart.h"
#include "http_params.h"
#include "response.h"

struct config;
struct db;
struct program;
struct session;
struct tmpl_value;

struct request {
	struct arena *arena;
	FCGX_Request *fcgi;
	const struct program *program; /* the program glue's own state */
	const struct config *cfg;
	struct db *db;
	/* 1 in programs that write (app, admin): sessions come from the
	 * primary and are kept alive. */
	int writes;

	const char *method;       /* "GET", "HEAD", "POST", ... */
	const char *path;         /* as sent, still percent-encoded */
	const char *query;        /* as sent, "" when absent */
	const char *remote_addr;
	int route_index;          /* in the program's route table; -1 until
	                           * routed, and for what matched none */
	/* nginx's $request_id (REQUEST_ID): 32 hex digits, or "" when it
	 * sent none or something else; in the log lines and on error pages. */
	const char *request_id;
	const char *host;         /* Host header, "" when absent */
	int https;
	int head;                 /* HEAD: send headers only */

	struct params query_params;
	struct params cookies;
	struct params form;       /* a POST's form fields (urlencoded, or
	                           * the text fields of a multipart body) */
	struct multipart upload;  /* a multipart body's files, count 0 else */
	char *body;               /* the raw body, wiped after the response */
	size_t body_len;
	struct params path_params;

	struct session *session;  /* the signed-in person, or NULL */
	const char *csrf_anon;    /* visitor's CSRF cookie value, once known */

	struct response resp;
	const char *error_detail; /* shown on the error page, may be NULL */
	const char *change_location; /* where a committed change leads */
};

/* Fills r from the FastCGI environment and parses the query string and
 * cookies. Returns 0, or the HTTP status to answer with (400, 413). */
int request_init(struct request *r, FCGX_Request *fcgi, struct arena *a,
    struct buf *body);
/* Reads the body, at most max bytes, into r->body and r->body_len as it
 * was sent. Returns 0, or 400 or 413. */
int request_read_body(struct request *r, size_t max);
/* Reads and parses an application/x-www-form-urlencoded body of at most
 * max bytes into r->form. Returns 0, or 400, 413 or 415. */
int request_read_form(struct request *r, size_t max);
/*
 * Reads and parses a multipart/form-data body of at most max bytes: its
 * text fields into r->form, its files into r->upload, each a temporary
 * file in <TESSERA_MEDIA_DIR>/tmp/ (http_spool.h). Returns 0, or 400,
 * 413 or 415 (nothing left in the spool), or 500 when the program has no
 * media folder or cannot write there (logged).
 */
int request_read_multipart(struct request *r, size_t max);
/* The one file part of the upload called name, or NULL when there is
 * none or more than one. Its path is a temporary file: rename(2) it away
 * to keep it. */
const struct multipart_part *request_upload(const struct request *r,
    const char *name);
/* Unlinks the temporary files of r's upload that are still there; the
 * program calls it once the request has ended, however it ended. */
void request_discard_uploads(struct request *r);
/* The text fields of a multipart body as a form (arena-owned). */
void request_multipart_form(struct arena *a, const struct multipart *mp,
    struct params *form, struct multipart *files);
/* The ?page= number of a list: 1 when absent, else a whole number from 1
 * to max; -1 (r->error_detail set, answer 400) for anything else. */
int request_page_number(struct request *r, int max);
/* A FastCGI parameter, or NULL. */
const char *request_param(const struct request *r, const char *name);

/* The site's absolute URL without a trailing slash: TESSERA_BASE_URL,
 * which the programs refuse to start without; never the request's Host. */
const char *request_site_url(struct request *r);

const char *request_query(const struct request *r, const char *name);
const char *request_path_param(const struct request *r, const char *name);

#endif
