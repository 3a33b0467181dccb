#include "program.h"
#include "browse.h"
#include "util.h"

static const struct route routes[] = {
	{ "GET", "/", PAGE_HOME },
	{ "GET", "/events", PAGE_EVENTS },
	{ "GET", "/events/{id:int}", PAGE_EVENT },
	{ "GET", "/events/{id:int}.ics", PAGE_EVENT_ICS },
	{ "GET", "/healthz", PAGE_HEALTHZ },
};

static const handler_fn handlers[PAGE__MAX] = {
	[PAGE_HOME] = page_home,
	[PAGE_EVENTS] = page_events,
	[PAGE_EVENT] = page_event,
	[PAGE_EVENT_ICS] = page_event_ics,
	[PAGE_HEALTHZ] = page_healthz,
};

int
main(int argc, char **argv)
{
	static struct program program = {
		.name = "tessera-browse",
		.routes = routes,
		.nroutes = ARRAY_LEN(routes),
		.handlers = handlers,
		.default_workers = 4,
	};

	return program_main(&program, argc, argv);
}
