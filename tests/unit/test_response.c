#include <errno.h>
#include <string.h>

#include "buf.h"
#include "response.h"
#include "tap.h"

/*
 * A stand-in for libfcgi's output stream, so that the streamed responses
 * go through the real FCGX_PutStr and FCGX_FFlush: a small buffer (every
 * write of more than a few bytes empties it), emptied into sink.out, or
 * failing as a connection to a client that went away does.
 */
struct sink {
	FCGX_Stream stream;
	unsigned char buf[16];
	struct buf out;
	int broken;
	int flushes;
};

static void
sink_empty(FCGX_Stream *stream, int do_close)
{
	struct sink *s = stream->data;

	(void)do_close;
	s->flushes++;
	if (s->broken) {
		stream->isClosed = 1;
		stream->FCGI_errno = EPIPE;
		return;
	}
	buf_append(&s->out, s->buf, (size_t)(stream->wrNext - s->buf));
	stream->wrNext = s->buf;
}

static void
sink_init(struct sink *s)
{
	memset(s, 0, sizeof(*s));
	buf_init(&s->out);
	s->stream.wrNext = s->stream.rdNext = s->buf;
	s->stream.stop = s->buf + sizeof(s->buf);
	s->stream.emptyBuffProc = sink_empty;
	s->stream.data = s;
}

/* What the client received after the head's blank line, or NULL. */
static const char *
sink_body(const struct sink *s)
{
	const char *end = strstr(s->out.data ? s->out.data : "", "\r\n\r\n");

	return end ? end + 4 : NULL;
}

static void
test_stream(void)
{
	struct response resp;
	struct buf body;
	struct sink s;

	buf_init(&body);
	sink_init(&s);
	response_init(&resp, &body);
	resp.content_type = "text/csv; charset=utf-8";
	response_header(&resp, "Content-Disposition", "attachment");
	ok(!response_streaming(&resp), "a response is not streamed until asked");
	buf_puts(&body, "first,");
	response_stream_begin(&resp, 0, 0, &s.stream);
	ok(response_streaming(&resp), "then it is");
	ok(strncmp(s.out.data, "Status: 200 OK\r\n", 16) == 0,
	    "the head is sent at once");
	ok(strstr(s.out.data, "Content-Type: text/csv; charset=utf-8\r\n") &&
	    strstr(s.out.data, "Content-Disposition: attachment\r\n") &&
	    strstr(s.out.data, "script-src 'none'"),
	    "with its headers and the security headers");
	ok(strstr(s.out.data, "Content-Length") == NULL,
	    "but no Content-Length: the length is not known yet");
	is_str(sink_body(&s), "first,", "what the body held goes out after it");
	is_int(body.len, 0, "and leaves the buffer");

	response_header(&resp, "X-Late", "1");
	is_int(resp.nheaders, 1, "a header added after the head is dropped");
	buf_puts(&body, "a piece longer than the stream's own buffer,");
	is_int(response_stream_flush(&resp), 0, "a piece is flushed");
	is_str(sink_body(&s), "first,a piece longer than the stream's own "
	    "buffer,", "all of it reaches the stream, in order");
	is_int(body.len, 0, "and the buffer is empty again");
	buf_puts(&body, "last");
	response_send(&resp, 0, 0, &s.stream);
	is_str(sink_body(&s), "first,a piece longer than the stream's own "
	    "buffer,last", "sending the response sends only what is left");
	ok(strstr(s.out.data, "X-Late") == NULL && strstr(strstr(s.out.data,
	    "\r\n\r\n") + 4, "Status:") == NULL, "and no second head");

	/* HEAD: the head only. */
	buf_free(&s.out);
	sink_init(&s);
	response_init(&resp, &body);
	response_stream_begin(&resp, 0, 1, &s.stream);
	buf_puts(&body, "not for HEAD");
	is_int(response_stream_flush(&resp), 0, "HEAD: flushing works");
	is_str(sink_body(&s), "", "and sends no body");

	/* The client goes away half-way. */
	buf_free(&s.out);
	sink_init(&s);
	response_init(&resp, &body);
	response_stream_begin(&resp, 0, 0, &s.stream);
	s.broken = 1;
	buf_puts(&body, "lost on the way");
	is_int(response_stream_flush(&resp), -1,
	    "a write that fails makes the flush fail");
	is_int(body.len, 0, "the piece is dropped all the same");
	buf_puts(&body, "more");
	is_int(response_stream_flush(&resp), -1, "and every flush after it");

	response_init(&resp, &body);
	is_int(response_stream_flush(&resp), -1,
	    "flushing a response that is not streamed is refused");
	buf_free(&s.out);
	buf_free(&body);
}

int
main(void)
{
	struct response resp;
	struct buf body, head;

	buf_init(&body);
	buf_init(&head);
	response_init(&resp, &body);
	buf_puts(&body, "<p>hi</p>");
	response_format_head(&resp, 0, &head);
	ok(strncmp(head.data, "Status: 200 OK\r\n", 16) == 0,
	    "status line first");
	ok(strstr(head.data, "Content-Security-Policy: default-src 'self'; "
	    "script-src 'none';") != NULL, "CSP forbids scripts");
	ok(strstr(head.data, "frame-ancestors 'none'") != NULL,
	    "CSP forbids framing");
	ok(strstr(head.data, "X-Content-Type-Options: nosniff\r\n") != NULL,
	    "nosniff");
	ok(strstr(head.data, "Referrer-Policy: ") != NULL, "referrer policy");
	ok(strstr(head.data, "Cache-Control: private, no-store\r\n") != NULL,
	    "private by default");
	ok(strstr(head.data, "Strict-Transport-Security") == NULL,
	    "no HSTS over plain HTTP");
	ok(strstr(head.data, "Content-Length: 9\r\n\r\n") != NULL,
	    "length of the body, then the blank line");

	buf_reset(&head);
	resp.status = 404;
	resp.cache = CACHE_PUBLIC;
	response_header(&resp, "Location", "/x");
	response_format_head(&resp, 1, &head);
	ok(strncmp(head.data, "Status: 404 Not Found\r\n", 23) == 0,
	    "status text");
	ok(strstr(head.data, "Strict-Transport-Security: max-age=") != NULL,
	    "HSTS over HTTPS");
	ok(strstr(head.data, "X-Accel-Expires: 1\r\n") != NULL,
	    "public pages may be micro-cached");
	ok(strstr(head.data, "X-Accel-Expires") < strstr(head.data,
	    "Cache-Control"), "X-Accel-Expires before Cache-Control");
	ok(strstr(head.data, "Location: /x\r\n") != NULL, "extra headers");

	/* Response splitting: a header holding a line break is not sent. */
	buf_reset(&head);
	response_header(&resp, "X-Name", "a\r\nSet-Cookie: evil=1");
	response_header(&resp, "X-Name", "b\nLocation: //evil.example");
	response_header(&resp, "X-Name", "c\rd");
	response_header(&resp, "X-Bad\r\nName", "e");
	response_header(&resp, "X-Bad:Name", "f");
	response_format_head(&resp, 1, &head);
	ok(strstr(head.data, "evil") == NULL && strstr(head.data, "X-Name") == NULL &&
	    strstr(head.data, "X-Bad") == NULL,
	    "a header with CR or LF in its name or value is dropped");
	ok(strstr(head.data, "Location: /x\r\n") != NULL,
	    "and the good ones stay");
	is_str(response_reason(413), "Content Too Large", "413 text");
	is_str(response_reason(299), "Unknown", "unknown code");
	test_stream();
	buf_free(&head);
	buf_free(&body);
	return done_testing();
}
