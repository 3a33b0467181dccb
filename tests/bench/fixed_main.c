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
 * flight.
 */

static struct buf page;
static long delay_ms;

static void
handle(FCGX_Request *req, void *arg)
{
	struct response resp;
	struct buf body;

	(void)arg;
	if (delay_ms > 0) {
		struct timespec ts = { delay_ms / 1000, (delay_ms % 1000) * 1000000 };

		while (nanosleep(&ts, &ts) != 0)
			continue;
	}
	buf_init(&body);
	response_init(&resp, &body);
	resp.body = &page;
	response_send(&resp, 0, 0, req->out);
	buf_free(&body);
}

int
main(int argc, char **argv)
{
	struct fcgi_server_opts opts = {
		.workers = 4,
		.backlog = 1024,
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
