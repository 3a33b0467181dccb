/*
 * The response a handler builds: status, content type, a few extra headers
 * and a body. response_format_head() is the one place that writes headers,
 * so the security headers are on every response, whatever path produced
 * it, a streamed one included.
 */
#ifndef TESSERA_RESPONSE_H
#define TESSERA_RESPONSE_H

#include <fcgiapp.h>

#include "buf.h"

#define RESPONSE_MAX_HEADERS 16

enum response_cache {
	CACHE_PRIVATE,  /* per-person or error: never stored by any cache */
	CACHE_PUBLIC,   /* anonymous page: nginx may keep it for a second */
};

struct response_header {
	const char *name;   /* arena-owned or static */
	const char *value;
};

struct response {
	int status;
	const char *content_type;
	enum response_cache cache;
	struct response_header headers[RESPONSE_MAX_HEADERS];
	int nheaders;
	struct buf *body;    /* worker-owned, reset per request */
	/* Set by response_stream_begin(): the head has been sent and the
	 * body goes out piece by piece. NULL for an ordinary response. */
	FCGX_Stream *stream;
	int stream_head_only;   /* HEAD: the pieces are dropped */
	int stream_failed;      /* a write failed: the client went away */
};

/* Prepares an empty 200 text/html private response writing into body. */
void response_init(struct response *resp, struct buf *body);
/* Adds a header. One whose name holds CR, LF or a colon, or whose value
 * holds CR or LF, is dropped with a log line (no response splitting,
 * whatever a value was built from); so are headers past the table size,
 * and headers added once a streamed head is sent. */
void response_header(struct response *resp, const char *name,
    const char *value);
/* Text of a status code ("Not Found"); "Unknown" for codes not used here. */
const char *response_reason(int status);
/* Writes the CGI header block into out: Status, Content-Type, cache
 * policy, the security headers, the extra headers, Content-Length (not
 * for a streamed body, whose length is not known yet) and the blank
 * line. https adds Strict-Transport-Security. */
void response_format_head(const struct response *resp, int https,
    struct buf *out);
/* Sends head and, unless head_only, body to the FastCGI stream; for a
 * streamed response, only what is left of the body (the head and the
 * rest went already). */
void response_send(struct response *resp, int https, int head_only,
    FCGX_Stream *stream);

/*
 * A body sent as it is made, for one too large to hold in memory (every
 * ticket of an event as CSV). response_stream_begin() sends the head at
 * once, without Content-Length (nginx passes such a body on chunked),
 * and whatever resp->body holds already; the handler then appends to resp->body as usual and calls
 * response_stream_flush() after each piece, which sends the piece and
 * empties the buffer, so the response never holds more than one piece.
 *
 * Once the head is out its status has been said: a handler that fails
 * half-way can no longer answer with an error page. The program then
 * drops the connection instead of ending the request (see fcgi_server.h),
 * so that the web server cuts the response off and the client sees a
 * broken download rather than a short file that looks complete.
 */
void response_stream_begin(struct response *resp, int https, int head_only,
    FCGX_Stream *out);
/* Sends what resp->body holds, then empties it. Returns 0, or -1 once a
 * write has failed (the client went away; the rest need not be made). */
int response_stream_flush(struct response *resp);
/* 1 once response_stream_begin() has sent the head, else 0. */
int response_streaming(const struct response *resp);

#endif
