#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static const char *program = "tessera";
static char request_id[LOG_REQUEST_ID_MAX + 1];

void
log_set_program(const char *name)
{
	program = name;
}

void
log_set_request(const char *id)
{
	snprintf(request_id, sizeof(request_id), "%s", id != NULL ? id : "");
}

static void
log_line(const char *level, const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	if (request_id[0] != '\0')
		fprintf(stderr, "%s[%d] %s: req=%s %s\n", program, (int)getpid(),
		    level, request_id, line);
	else
		fprintf(stderr, "%s[%d] %s: %s\n", program, (int)getpid(), level,
		    line);
}

void
log_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("error", fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("info", fmt, ap);
	va_end(ap);
}
