#include "program.h"
#include "browse.h"
#include "util.h"

static const struct route routes[] = {
	PAGE_GET("/", PAGE_HOME, ACCESS_ANYONE),
	PAGE_GET("/events", PAGE_EVENTS, ACCESS_ANYONE),
	PAGE_GET("/events/{id:int}", PAGE_EVENT, ACCESS_ANYONE),
	PAGE_GET("/events/{id:int}.ics", PAGE_EVENT_ICS, ACCESS_ANYONE),
	PAGE_GET("/healthz", PAGE_HEALTHZ, ACCESS_ANYONE),
	PAGE_GET("/pictures", PAGE_PICTURES, ACCESS_ANYONE),
	PAGE_GET("/pictures/{id:int}", PAGE_PICTURE, ACCESS_ANYONE),
};

static const handler_fn handlers[PAGE__MAX] = {
	[PAGE_HOME] = page_home,
	[PAGE_EVENTS] = page_events,
	[PAGE_EVENT] = page_event,
	[PAGE_EVENT_ICS] = page_event_ics,
	[PAGE_HEALTHZ] = page_healthz,
	[PAGE_PICTURES] = page_pictures,
	[PAGE_PICTURE] = page_picture,
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
