/*
 * An event as an iCalendar file (RFC 5545, METHOD:PUBLISH, one VEVENT):
 * what GET /events/{id}.ics answers and what the booking confirmation
 * and the reminder mails carry as their text/calendar attachment, so a
 * calendar that imports both sees the same event (its UID names the
 * event and the site's host).
 */
#ifndef TESSERA_EVENT_ICS_H
#define TESSERA_EVENT_ICS_H

#include <time.h>

#include "events.h"

struct arena;
struct buf;

/* Appends ev's calendar to out, stamped now; site_url ("https://host")
 * makes its UID and URL. Temporary strings come from a. */
void event_ics_write(struct buf *out, struct arena *a, const struct event *ev,
    const char *site_url, time_t now);

#endif
