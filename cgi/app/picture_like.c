#include <stdlib.h>

#include "program.h"
#include "app_pages.h"
#include "pictures.h"
#include "session.h"

/*
 * POST /pictures/{id}/like: a plain form button that gives the signed-in
 * person's like, or takes it back (pictures_like_toggle: the like row and
 * the picture's count in one transaction, the picture row locked first,
 * so likes at once from many people all count). Back to the picture.
 */

static int
like_change(struct request *r, void *arg)
{
	long long id = *(const long long *)arg;
	int liked, rc;

	rc = pictures_like_toggle(r->db, r->arena, id, r->session->user_id,
	    &liked);
	return rc == 1 ? 404 : rc;
}

int
picture_like(struct request *r)
{
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);

	return page_change(r, like_change, &id, arena_printf(r->arena,
	    "/pictures/%lld", id));
}
