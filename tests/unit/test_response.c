#include <string.h>

#include "buf.h"
#include "response.h"
#include "tap.h"

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
	is_str(response_reason(413), "Content Too Large", "413 text");
	is_str(response_reason(299), "Unknown", "unknown code");
	buf_free(&head);
	buf_free(&body);
	return done_testing();
}
