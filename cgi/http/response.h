/*
 * The response a handler builds: status, content type, a few extra headers
 * and a body. response_send() is the one place that writes headers, so the
 * security headers are on every response, whatever path produced it.
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
};

/* Prepares an empty 200 text/html private response writing into body. */
void response_init(struct response *resp, struct buf *body);
/* Adds a header; names and values must not contain CR or LF (they come
 * from the program, never from the request). Extra headers past the table
 * size are dropped with a log line. */
void response_header(struct response *resp, const char *name,
    const char *value);
/* Text of a status code ("Not Found"); "Unknown" for codes not used here. */
const char *response_reason(int status);
/* Writes the CGI header block into out: Status, Content-Type, cache
 * policy, the security headers, the extra headers, Content-Length and the
 * blank line. https adds Strict-Transport-Security. */
void response_format_head(const struct response *resp, int https,
    struct buf *out);
/* Sends head and, unless head_only, body to the FastCGI stream. */
void response_send(const struct response *resp, int https, int head_only,
    FCGX_Stream *stream);

#endif
