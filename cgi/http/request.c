#include "request.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "http_cookie.h"
#include "http_spool.h"
#include "log.h"

const char *
request_param(const struct request *r, const char *name)
{
	return FCGX_GetParam(name, r->fcgi->envp);
}

static const char *
param_or_empty(const struct request *r, const char *name)
{
	const char *v = request_param(r, name);

	return v ? v : "";
}

/* Maps a parser verdict to the status the client gets. */
static int
params_status_to_http(enum params_status st)
{
	switch (st) {
	case PARAMS_OK:
		return 0;
	case PARAMS_TOO_LARGE:
	case PARAMS_TOO_MANY:
		return 413;
	case PARAMS_MALFORMED:
		break;
	}
	return 400;
}

/* A request id as nginx makes them: hex digits, not too many, so what
 * goes into the log and the page is never someone's text. */
static int
request_id_ok(const char *id)
{
	size_t n = strspn(id, "0123456789abcdef");

	return n > 0 && n <= 32 && id[n] == '\0';
}

int
request_init(struct request *r, FCGX_Request *fcgi, struct arena *a,
    struct buf *body)
{
	const char *uri, *q, *https, *cookie;
	enum params_status st;

	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->fcgi = fcgi;
	response_init(&r->resp, body);

	r->method = param_or_empty(r, "REQUEST_METHOD");
	r->head = strcmp(r->method, "HEAD") == 0;
	r->remote_addr = param_or_empty(r, "REMOTE_ADDR");
	r->route_index = -1;
	r->request_id = param_or_empty(r, "REQUEST_ID");
	if (!request_id_ok(r->request_id))
		r->request_id = "";
	r->host = param_or_empty(r, "HTTP_HOST");
	https = request_param(r, "HTTPS");
	r->https = https != NULL && strcasecmp(https, "on") == 0;

	/* REQUEST_URI is the path exactly as the client sent it; nginx's
	 * DOCUMENT_URI is already decoded and merged, which would let
	 * "%2F" pass for "/". */
	uri = param_or_empty(r, "REQUEST_URI");
	if ((q = strchr(uri, '?')) != NULL) {
		r->path = arena_strndup(a, uri, (size_t)(q - uri));
		r->query = q + 1;
	} else {
		r->path = uri;
		r->query = "";
	}
	if (*r->path != '/')
		return 400;

	st = params_parse(a, r->query, strlen(r->query), &params_default_limits,
	    &r->query_params);
	if (st != PARAMS_OK) {
		r->error_detail = "The address has a malformed or oversized "
		    "query string.";
		return params_status_to_http(st);
	}
	if ((cookie = request_param(r, "HTTP_COOKIE")) != NULL)
		cookie_parse(a, cookie, &r->cookies);
	return 0;
}

/* Whether the request's Content-Type is type, parameters aside. */
static int
content_type_is(struct request *r, const char *type)
{
	const char *ctype = param_or_empty(r, "CONTENT_TYPE");
	size_t n = strlen(type);

	return strncasecmp(ctype, type, n) == 0 &&
	    (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ');
}

int
request_read_body(struct request *r, size_t max)
{
	const char *clen = param_or_empty(r, "CONTENT_LENGTH");
	char *body, *end;
	long len;
	int got;

	len = *clen ? strtol(clen, &end, 10) : 0;
	if (*clen && (*end != '\0' || len < 0)) {
		r->error_detail = "The request has a malformed Content-Length.";
		return 400;
	}
	if ((unsigned long)len > max || len > INT_MAX - 1) {
		r->error_detail = "What was sent is larger than this address "
		    "accepts.";
		return 413;
	}
	body = arena_alloc(r->arena, (size_t)len + 1);
	got = len > 0 ? FCGX_GetStr(body, (int)len, r->fcgi->in) : 0;
	if (got != len) {
		r->error_detail = "The request arrived incomplete.";
		return 400;
	}
	body[len] = '\0';
	r->body = body;
	r->body_len = (size_t)len;
	return 0;
}

int
request_read_form(struct request *r, size_t max)
{
	struct params_limits lim = params_default_limits;
	enum params_status st;
	int status;

	if (!content_type_is(r, "application/x-www-form-urlencoded")) {
		r->error_detail = "Forms must be sent as "
		    "application/x-www-form-urlencoded.";
		return 415;
	}
	if ((status = request_read_body(r, max)) != 0) {
		if (status == 413)
			r->error_detail = "The form is larger than this site "
			    "accepts.";
		return status;
	}
	lim.max_bytes = max;
	st = params_parse(r->arena, r->body, r->body_len, &lim, &r->form);
	if (st != PARAMS_OK)
		r->error_detail = "The form has malformed or oversized fields.";
	return params_status_to_http(st);
}

void
request_multipart_form(struct arena *a, const struct multipart *mp,
    struct params *form, struct multipart *files)
{
	size_t nfields = 0, nfiles = 0;

	form->items = arena_calloc(a, mp->count + 1, sizeof(*form->items));
	files->parts = arena_calloc(a, mp->count + 1, sizeof(*files->parts));
	files->reason = mp->reason;
	for (size_t i = 0; i < mp->count; i++) {
		const struct multipart_part *part = &mp->parts[i];

		if (part->filename != NULL) {
			files->parts[nfiles++] = *part;
			continue;
		}
		form->items[nfields].name = part->name;
		form->items[nfields].value = part->data;
		form->items[nfields].value_len = part->len;
		nfields++;
	}
	form->count = nfields;
	files->count = nfiles;
}

/* Unlinks the spool files of parts[0..n); one already renamed away is
 * not there any more, which is fine. */
static void
discard_files(const struct multipart_part *parts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (parts[i].path != NULL && unlink(parts[i].path) != 0 &&
		    errno != ENOENT)
			log_err("%s: %s: %s", __func__, parts[i].path,
			    strerror(errno));
}

/* How much of a multipart body is read from nginx at a time. */
#define REQUEST_CHUNK_BYTES (64 * 1024)

/* Reads the body of CONTENT_LENGTH bytes (at most max) into the parser
 * chunk by chunk. Returns 0, or the status to answer with, the parser
 * then aborted. */
static int
feed_body(struct request *r, struct multipart_parser *mp, size_t max)
{
	const char *clen = param_or_empty(r, "CONTENT_LENGTH");
	char *chunk, *end;
	long len;
	int got, want;

	len = *clen ? strtol(clen, &end, 10) : 0;
	if (*clen && (*end != '\0' || len < 0)) {
		multipart_parser_abort(mp);
		r->error_detail = "The request has a malformed Content-Length.";
		return 400;
	}
	if ((unsigned long)len > max) {
		multipart_parser_abort(mp);
		r->error_detail = "What was sent is larger than this address "
		    "accepts.";
		return 413;
	}
	chunk = arena_alloc(r->arena, REQUEST_CHUNK_BYTES);
	while (len > 0) {
		want = len < REQUEST_CHUNK_BYTES ? (int)len : REQUEST_CHUNK_BYTES;
		if ((got = FCGX_GetStr(chunk, want, r->fcgi->in)) <= 0) {
			explicit_bzero(chunk, REQUEST_CHUNK_BYTES);
			multipart_parser_abort(mp);
			log_info("%s: the body ended %ld bytes early", __func__,
			    len);
			r->error_detail = "The request arrived incomplete.";
			return 400;
		}
		len -= got;
		/* A refusal is final: the rest need not be read. */
		if (multipart_parser_feed(mp, chunk, (size_t)got) !=
		    MULTIPART_OK)
			break;
	}
	/* As the whole body of a form is: the arena is reused. */
	explicit_bzero(chunk, REQUEST_CHUNK_BYTES);
	return 0;
}

int
request_read_multipart(struct request *r, size_t max)
{
	const char *ctype = param_or_empty(r, "CONTENT_TYPE");
	struct multipart_limits lim = multipart_default_limits;
	struct multipart_parser *parser;
	enum multipart_status st;
	struct multipart mp;
	int status;

	if (!content_type_is(r, "multipart/form-data")) {
		r->error_detail = "Uploads must be sent as multipart/form-data.";
		return 415;
	}
	if (r->cfg == NULL || r->cfg->media_dir == NULL) {
		log_err("%s: %s %s takes uploads, but TESSERA_MEDIA_DIR is not "
		    "set", __func__, r->method, r->path);
		return 500;
	}
	lim.max_body_len = max;
	if (lim.max_file_len > max)
		lim.max_file_len = max;
	parser = multipart_parser_new(r->arena, ctype, &lim, r->cfg->media_dir);
	if ((status = feed_body(r, parser, max)) != 0)
		return status;
	st = multipart_parser_finish(parser, &mp);
	if (st != MULTIPART_OK) {
		if (st == MULTIPART_IO_ERROR) {
			log_err("%s: %s", __func__, mp.reason);
			return 500;
		}
		log_info("%s: %s", __func__, mp.reason);
		r->error_detail = "The upload is malformed or has too many or "
		    "too large fields.";
		return multipart_http_status(st);
	}
	request_multipart_form(r->arena, &mp, &r->form, &r->upload);
	return 0;
}

const struct multipart_part *
request_upload(const struct request *r, const char *name)
{
	const struct multipart_part *found = NULL;

	for (size_t i = 0; i < r->upload.count; i++) {
		if (strcmp(r->upload.parts[i].name, name) != 0)
			continue;
		if (found != NULL)
			return NULL;
		found = &r->upload.parts[i];
	}
	return found;
}

void
request_discard_uploads(struct request *r)
{
	discard_files(r->upload.parts, r->upload.count);
	r->upload.count = 0;
}

int
request_page_number(struct request *r, int max)
{
	const char *s = request_query(r, "page");
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return 1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || s[0] < '1' || s[0] > '9' || v < 1 || v > max) {
		r->error_detail = arena_printf(r->arena, "The page number must be "
		    "a whole number from 1 to %d.", max);
		return -1;
	}
	return (int)v;
}

const char *
request_query(const struct request *r, const char *name)
{
	return params_get(&r->query_params, name);
}

const char *
request_path_param(const struct request *r, const char *name)
{
	return params_get(&r->path_params, name);
}

const char *
request_site_url(struct request *r)
{
	/* The configured address only (config_require_site): a link built
	 * from the Host header would go wherever the client says. */
	return r->cfg != NULL && r->cfg->base_url != NULL ? r->cfg->base_url :
	    "";
}
