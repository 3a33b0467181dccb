#include <json-c/json.h>
#include <string.h>

#include "order_view.h"

#include "dates.h"
#include "outbox.h"
#include "program.h"
#include "row.h"
#include "session.h"
#include "view_event.h"

int
order_view_read(struct request *r, const char *code, int any, int lock,
    struct order_view *v)
{
	int rc;

	memset(v, 0, sizeof(*v));
	rc = any ? orders_get_any(r->db, r->arena, code, &v->o) :
	    orders_get(r->db, r->arena, code, r->session->user_id, lock, &v->o);
	if (rc == 1)
		return 404;
	if (rc == 0)
		rc = events_get(r->db, r->arena, v->o.event_id, &v->ev);
	if (rc == 0)
		rc = orders_lines(r->db, r->arena, v->o.id, &v->lines, &v->nlines);
	if (rc == 0)
		rc = orders_tickets(r->db, r->arena, v->o.id, &v->tickets,
		    &v->ntickets);
	if (rc == 0)
		rc = orders_history(r->db, r->arena, v->o.id, &v->history,
		    &v->nhistory);
	if (rc == 1)
		return 404;
	return rc == 0 ? 0 : rc == ROW_BAD ? 500 : 503;
}

/*
 * See order_view.h.
 */
int
order_view_confirm_paid(struct request *r, struct order_view *v,
    const char *provider, const char *note)
{
	int rc;

	if ((rc = orders_transition(r->db, &v->o, ORDER_PAID, provider,
	    note)) != 0)
		return rc < 0 ? -1 : rc == 2 ? 410 : 409;
	return order_view_mail(r, v, "order_confirmed");
}

int
order_view_mail(struct request *r, const struct order_view *v,
    const char *template_name)
{
	const char *site = request_site_url(r);
	struct json_object *vars, *tickets;
	int rc;

	vars = json_object_new_object();
	tickets = json_object_new_array();
	json_object_object_add(vars, "name",
	    json_object_new_string(v->o.buyer_name));
	json_object_object_add(vars, "event", json_object_new_string(v->ev.title));
	json_object_object_add(vars, "when", json_object_new_string(
	    dates_local(r->arena, v->ev.starts_at, v->ev.timezone,
	    "%a %-d %b %Y, %H:%M %Z")));
	json_object_object_add(vars, "venue", json_object_new_string(
	    arena_printf(r->arena, "%s, %s", v->ev.venue, v->ev.city)));
	json_object_object_add(vars, "code", json_object_new_string(v->o.code));
	json_object_object_add(vars, "total", json_object_new_string(
	    view_price(r->arena, v->o.total, v->o.currency)));
	json_object_object_add(vars, "order_url", json_object_new_string(
	    arena_printf(r->arena, "%s/me/orders/%s", site, v->o.code)));
	for (size_t i = 0; i < v->ntickets; i++) {
		struct json_object *t = json_object_new_object();

		json_object_object_add(t, "type",
		    json_object_new_string(v->tickets[i].type_name));
		json_object_object_add(t, "attendee",
		    json_object_new_string(v->tickets[i].attendee_name));
		json_object_object_add(t, "url", json_object_new_string(
		    arena_printf(r->arena, "%s/tickets/%s", site,
		    v->tickets[i].code)));
		json_object_array_add(tickets, t);
	}
	json_object_object_add(vars, "tickets", tickets);
	rc = outbox_mail(r->db, v->o.buyer_email, template_name, vars);
	json_object_put(vars);
	return rc;
}

