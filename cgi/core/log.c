#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static const char *program = "tessera";

void
log_set_program(const char *name)
{
	program = name;
}

static void
log_line(const char *level, const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	fprintf(stderr, "%s[%d] %s: %s\n", program, (int)getpid(), level, line);
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
