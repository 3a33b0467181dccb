/*
 * The form of an event's details (/admin/events/new and
 * /admin/events/{id}/edit), declared for form.h: texts, where, when in the
 * event's own time zone, the refund policy and paying offline, and on the
 * edit form its status. The checks across fields (the end after the start,
 * refunds no later than the end, instructions when paying offline is
 * offered) run in form_check; what needs the database (publishing needs a
 * ticket type) is events_admin.h's.
 */
#ifndef TESSERA_ADMIN_EVENT_FORM_H
#define TESSERA_ADMIN_EVENT_FORM_H

#include <time.h>

#include "events.h"
#include "form.h"

struct arena;

/* The fields, in the order of the pages; the status last, so that the
 * new-event form is the same table without it. */
enum event_field {
	EVF_TITLE,
	EVF_SUMMARY,
	EVF_DESCRIPTION,
	EVF_VENUE,
	EVF_ADDRESS,
	EVF_CITY,
	EVF_TIMEZONE,
	EVF_STARTS,
	EVF_ENDS,
	EVF_REFUNDS_UNTIL,
	EVF_OFFLINE_DAYS,
	EVF_OFFLINE_INSTRUCTIONS,
	EVF_STATUS,
	EVF__MAX
};

/* A new event is a draft: its form has no status. */
extern const struct form event_form_new;
extern const struct form event_form_edit;

/* The checked fields of res (it passed) into ev; the status only from
 * the edit form, else draft. Strings stay res's. */
void event_form_read(const struct form_result *res, struct event *ev);

/* A result for the edit form showing ev as saved, times in its zone. */
void event_form_fill(struct arena *a, const struct event *ev,
    struct form_result *res);

/* On a new event: marks a start before now. Returns 1 when it did. */
int event_form_check_new(struct form_result *res, time_t now);

#endif
