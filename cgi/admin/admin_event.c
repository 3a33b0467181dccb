#include <stdlib.h>

#include "admin_pages.h"
#include "events.h"

/*
 * The event an organizer's page is about (/admin/events/{id}/...): read
 * with events_get, which finds published and cancelled events (a draft
 * sells nothing yet, so its pages have nothing to show), and only for
 * its organizer or a site admin. Anyone else's event answers exactly as
 * a missing one does, 404, so its id tells them nothing.
 */
int
admin_managed_event(struct request *r, struct event *ev)
{
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);
	int rc = events_get(r->db, r->arena, id, ev);

	if (rc == 1 || (rc == 0 && !admin_may_manage(r, ev->organizer_id)))
		return 404;
	return rc == 0 ? 0 : rc == ROW_BAD ? 500 : 503;
}
