/*
 * tessera-browse: the public, read-only pages. Its database account can
 * only SELECT.
 */
#ifndef TESSERA_BROWSE_H
#define TESSERA_BROWSE_H

#include "request.h"

enum browse_page {
	PAGE_HOME,
	PAGE_EVENTS,
	PAGE_EVENT,
	PAGE_EVENT_ICS,
	PAGE_HEALTHZ,
	PAGE_PICTURES,
	PAGE_PICTURE,
	PAGE__MAX
};

int page_home(struct request *r);
int page_events(struct request *r);
int page_event(struct request *r);
int page_event_ics(struct request *r);
int page_healthz(struct request *r);
int page_pictures(struct request *r);
int page_picture(struct request *r);

#endif
