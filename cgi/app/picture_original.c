#include <stdlib.h>

#include "program.h"
#include "app_pages.h"
#include "media_store.h"
#include "picture_image.h"
#include "picture_purchases.h"
#include "pictures.h"
#include "session.h"

/*
 * GET /pictures/{id}/original: the original file, for its owner, for
 * anyone signed in when the picture is free, and for its buyers (a paid
 * order, not refunded: picture_purchases, read on the primary) while it
 * is shown on the site. The program only decides: nginx sends the file
 * through X-Accel-Redirect to its internal location of the originals,
 * which no request can name itself, so a guessed media path reaches
 * nothing.
 */

int
picture_original(struct request *r)
{
	long long id = strtoll(request_path_param(r, "id"), NULL, 10);
	struct media_store ms;
	struct picture p;
	char uri[256];
	int rc;

	rc = pictures_get_own(r->db, r->arena, id, r->session->user_id, &p);
	if (rc == 1) {
		rc = pictures_get(r->db, r->arena, id, &p);
		if (rc == 0 && p.price > 0) {
			int bought = picture_purchases_has(r->db, r->arena,
			    DB_PRIMARY, p.id, r->session->user_id);

			if (bought < 0)
				return 503;
			if (!bought) {
				r->error_detail = "This original is for sale: "
				    "only its owner and its buyers may download "
				    "it.";
				return 403;
			}
		}
	}
	if (rc == 1)
		return 404;
	if (rc != 0)
		return rc == ROW_BAD ? 500 : 503;
	if (media_store_local(&ms, r->cfg->media_dir) != 0 ||
	    media_internal_uri(&ms, p.storage_key, uri, sizeof(uri)) != 0)
		return 500;
	r->resp.content_type = picture_format_types[p.format];
	/* Headers keep the pointer: the value must outlive this frame. */
	response_header(&r->resp, "X-Accel-Redirect",
	    arena_strdup(r->arena, uri));
	response_header(&r->resp, "Content-Disposition", arena_printf(r->arena,
	    "attachment; filename=\"tessera-picture-%lld.%s\"", p.id,
	    picture_format_names[p.format]));
	return 0;
}
