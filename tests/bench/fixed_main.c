#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "fcgi_server.h"
#include "log.h"
#include "response.h"

/*
 * tessera-fixed: the transport ceiling for `./stack bench`. It runs the
 * same prefork server and response code as the real programs but answers
 * every request with a fixed page of TESSERA_FIXED_BYTES bytes, doing no
 * database or template work. The runtime's own tests also use it, with
 * TESSERA_FIXED_DELAY_MS making each request slow enough to be caught in
 * flight, and two paths for streamed responses (response.h): /stream
 * sends the same page in pieces, /stream-cut stops half-way as a
 * handler that failed would.
 */

static struct buf page;
static long delay_ms;

#define STREAM_PIECE 1000

/* The page in pieces of STREAM_PIECE bytes, all of them or (cut) half;
 * returns what a handler returns to the server. */
static int
stream_page(FCGX_Request *req, struct response *resp, int cut)
{
	size_t end = cut ? page.len / 2 : page.len;

	response_stream_begin(resp, 0, 0, req->out);
	for (size_t at = 0; at < end; at += STREAM_PIECE) {
		buf_append(resp->body, page.data + at,
		    end - at < STREAM_PIECE ? end - at : STREAM_PIECE);
		if (response_stream_flush(resp) != 0)
			break;
	}
	return cut ? -1 : 0;
}

static int
handle(FCGX_Request *req, void *arg)
{
	const char *uri = FCGX_GetParam("REQUEST_URI", req->envp);
	struct response resp;
	struct buf body;
	int rc = 0;

	(void)arg;
	if (delay_ms > 0) {
		struct timespec ts = { delay_ms / 1000, (delay_ms % 1000) * 1000000 };

		while (nanosleep(&ts, &ts) != 0)
			continue;
	}
	buf_init(&body);
	response_init(&resp, &body);
	if (uri != NULL && (strcmp(uri, "/stream") == 0 ||
	    strcmp(uri, "/stream-cut") == 0)) {
		rc = stream_page(req, &resp, uri[7] == '-');
	} else {
		resp.body = &page;
		response_send(&resp, 0, 0, req->out);
	}
	buf_free(&body);
	return rc;
}

int
main(int argc, char **argv)
{
	struct fcgi_server_opts opts = {
		.workers = 4,
		.backlog = FCGI_SERVER_BACKLOG,
		.socket_mode = 0660,
		.handle = handle,
	};
	const char *size = getenv("TESSERA_FIXED_BYTES");
	const char *delay = getenv("TESSERA_FIXED_DELAY_MS");
	long bytes = size ? strtol(size, NULL, 10) : 8192;
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "workers", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	log_set_program("tessera-fixed");
	delay_ms = delay ? strtol(delay, NULL, 10) : 0;
	while ((ch = getopt_long(argc, argv, "l:w:", longopts, NULL)) != -1) {
		if (ch == 'l')
			opts.listen = optarg;
		else if (ch == 'w')
			opts.workers = atoi(optarg);
	}
	if (opts.listen == NULL || opts.workers < 1 || bytes < 16 ||
	    bytes > 10 * 1024 * 1024) {
		fprintf(stderr, "usage: tessera-fixed --listen PATH|HOST:PORT "
		    "[--workers N] "
		    "(TESSERA_FIXED_BYTES: 16 to 10485760)\n");
		return 2;
	}
	buf_init(&page);
	buf_puts(&page, "<!doctype html><title>fixed</title><p>");
	while ((long)page.len < bytes - 1)
		buf_putc(&page, 'x');
	buf_putc(&page, '\n');
	return fcgi_server_run(&opts) == 0 ? 0 : 1;
}
