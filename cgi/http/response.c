#include "response.h"

#include <limits.h>
#include <string.h>

#include "log.h"

/*
 * The site has no scripts, so none may run; forms post only to the site;
 * no one may frame it. Kept in one place so no response can miss them.
 */
static const char *const security_headers[] = {
	"Content-Security-Policy: default-src 'self'; script-src 'none'; "
	    "object-src 'none'; base-uri 'none'; form-action 'self'; "
	    "frame-ancestors 'none'",
	"X-Content-Type-Options: nosniff",
	"X-Frame-Options: DENY",
	"Referrer-Policy: same-origin",
	"Cross-Origin-Opener-Policy: same-origin",
	"Permissions-Policy: camera=(), microphone=(), geolocation=()",
};

static const struct {
	int status;
	const char *reason;
} reasons[] = {
	{ 200, "OK" },
	{ 201, "Created" },
	{ 204, "No Content" },
	{ 301, "Moved Permanently" },
	{ 302, "Found" },
	{ 303, "See Other" },
	{ 304, "Not Modified" },
	{ 400, "Bad Request" },
	{ 401, "Unauthorized" },
	{ 403, "Forbidden" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 409, "Conflict" },
	{ 413, "Content Too Large" },
	{ 415, "Unsupported Media Type" },
	{ 429, "Too Many Requests" },
	{ 500, "Internal Server Error" },
	{ 503, "Service Unavailable" },
};

void
response_init(struct response *resp, struct buf *body)
{
	resp->status = 200;
	resp->content_type = "text/html; charset=utf-8";
	resp->cache = CACHE_PRIVATE;
	resp->nheaders = 0;
	resp->body = body;
	resp->stream = NULL;
	resp->stream_head_only = 0;
	resp->stream_failed = 0;
	buf_reset(body);
}

void
response_header(struct response *resp, const char *name, const char *value)
{
	if (resp->stream != NULL) {
		log_err("%s: the head is sent already, dropping %s", __func__,
		    name);
		return;
	}
	if (resp->nheaders == RESPONSE_MAX_HEADERS) {
		log_err("%s: header table full, dropping %s", __func__, name);
		return;
	}
	/* A line break would end the header and start another one the
	 * value chose (response splitting): such a header is not sent. */
	if (strpbrk(name, "\r\n:") != NULL || strpbrk(value, "\r\n") != NULL) {
		log_err("%s: CR or LF in %s, dropping it", __func__, name);
		return;
	}
	resp->headers[resp->nheaders].name = name;
	resp->headers[resp->nheaders].value = value;
	resp->nheaders++;
}

const char *
response_reason(int status)
{
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].status == status)
			return reasons[i].reason;
	return "Unknown";
}

void
response_format_head(const struct response *resp, int https, struct buf *out)
{
	buf_printf(out, "Status: %d %s\r\n", resp->status,
	    response_reason(resp->status));
	buf_printf(out, "Content-Type: %s\r\n", resp->content_type);
	if (resp->cache == CACHE_PUBLIC) {
		/* X-Accel-Expires lets nginx micro-cache the page; nginx does
		 * not pass it on, so browsers revalidate every time. It comes
		 * first: nginx then ignores Cache-Control for its own cache. */
		buf_puts(out, "X-Accel-Expires: 1\r\n");
		buf_puts(out, "Cache-Control: public, no-cache\r\n");
	} else {
		buf_puts(out, "Cache-Control: private, no-store\r\n");
	}
	for (size_t i = 0; i < sizeof(security_headers) /
	    sizeof(security_headers[0]); i++) {
		buf_puts(out, security_headers[i]);
		buf_puts(out, "\r\n");
	}
	if (https)
		buf_puts(out, "Strict-Transport-Security: max-age=31536000; "
		    "includeSubDomains\r\n");
	for (int i = 0; i < resp->nheaders; i++)
		buf_printf(out, "%s: %s\r\n", resp->headers[i].name,
		    resp->headers[i].value);
	if (resp->stream == NULL)
		buf_printf(out, "Content-Length: %zu\r\n", resp->body->len);
	buf_puts(out, "\r\n");
}

/* Writes len bytes to the FastCGI stream, whose calls take an int.
 * Returns 0, or -1 when the stream has failed. */
static int
put_all(FCGX_Stream *stream, const char *data, size_t len)
{
	while (len > 0) {
		int n = len > INT_MAX ? INT_MAX : (int)len;

		if (FCGX_PutStr(data, n, stream) != n)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

void
response_send(struct response *resp, int https, int head_only,
    FCGX_Stream *stream)
{
	struct buf head;

	if (resp->stream != NULL) {
		response_stream_flush(resp);
		return;
	}
	buf_init(&head);
	response_format_head(resp, https, &head);
	put_all(stream, head.data, head.len);
	buf_free(&head);
	if (!head_only)
		put_all(stream, resp->body->data, resp->body->len);
}

void
response_stream_begin(struct response *resp, int https, int head_only,
    FCGX_Stream *out)
{
	struct buf head;

	if (resp->stream != NULL) {
		log_err("%s: the head is sent already", __func__);
		return;
	}
	/* Set first: the head it writes has no Content-Length. */
	resp->stream = out;
	resp->stream_head_only = head_only;
	buf_init(&head);
	response_format_head(resp, https, &head);
	if (put_all(out, head.data, head.len) != 0 || FCGX_FFlush(out) != 0)
		resp->stream_failed = 1;
	buf_free(&head);
	/* What the handler wrote before the head is the body's start. */
	response_stream_flush(resp);
}

int
response_stream_flush(struct response *resp)
{
	if (resp->stream == NULL) {
		log_err("%s: not a streamed response", __func__);
		return -1;
	}
	if (!resp->stream_failed && !resp->stream_head_only &&
	    resp->body->len > 0 && (put_all(resp->stream, resp->body->data,
	    resp->body->len) != 0 || FCGX_FFlush(resp->stream) != 0))
		resp->stream_failed = 1;
	buf_reset(resp->body);
	return resp->stream_failed ? -1 : 0;
}

int
response_streaming(const struct response *resp)
{
	return resp->stream != NULL;
}
