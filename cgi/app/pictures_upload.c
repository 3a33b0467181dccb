#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "program.h"
#include "app_pages.h"
#include "crypto.h"
#include "csrf.h"
#include "form.h"
#include "media_store.h"
#include "picture_form.h"
#include "picture_image.h"
#include "pictures.h"
#include "session.h"
#include "tmpl.h"
#include "view_picture.h"

/*
 * Uploading: /me/pictures shows a person's pictures with the upload form;
 * POST /pictures (multipart, ACCESS_VERIFIED) takes one. The file is what
 * decoding it says (picture_image.h), checked whole before anything is
 * kept; a file already on the site is refused by its SHA-256. It is kept
 * in the media store's originals under a fresh random key and its row
 * committed with the outbox row that has the worker make its sizes, so
 * the answer comes at once and the picture's page says "processing" until
 * they exist. Nothing is left behind when the upload is refused: the
 * spool file goes with the request, and a kept original is removed again
 * when the transaction does not commit.
 */

#define OWN_LIST_MAX 200

/* The page of the person's pictures with the upload form (res: as sent,
 * or NULL for a blank one), answered with status. */
static int
own_page(struct request *r, const struct form_result *res, int status)
{
	struct arena *a = r->arena;
	struct picture *list;
	struct picture_event *events;
	struct form_result blank;
	struct tmpl_value *ctx, *items;
	size_t n, nev;
	long long chosen = 0;
	int rc;

	if ((rc = pictures_of_owner(r->db, a, r->session->user_id,
	    OWN_LIST_MAX, &list, &n)) != 0 ||
	    (rc = pictures_event_choices(r->db, a, r->session->user_id,
	    PICTURE_EVENT_CHOICES_MAX, &events, &nev)) != 0)
		return rc == ROW_BAD ? 500 : 503;
	items = tv_list(a);
	for (size_t i = 0; i < n; i++) {
		struct tmpl_value *v = view_picture(a, &list[i]);

		tv_set_str(a, v, "edit_url", arena_printf(a, "/me/pictures/%lld",
		    list[i].id));
		tv_push(a, items, v);
	}
	ctx = page_context(r, "Your pictures");
	tv_set(a, ctx, "pictures", items);
	tv_set_bool(a, ctx, "has_pictures", n > 0);
	tv_set_bool(a, ctx, "may_upload", r->session->verified);
	if (res != NULL && res->field[PF_EVENT].text != NULL)
		chosen = res->field[PF_EVENT].num;
	tv_set(a, ctx, "events", picture_event_options(a, events, nev, chosen));
	tv_set_bool(a, ctx, "has_events", nev > 0);
	tv_set_str(a, ctx, "csrf", csrf_token(r));
	tv_set_int(a, ctx, "per_hour", PICTURES_PER_HOUR);
	tv_set_int(a, ctx, "quota_mb", PICTURES_QUOTA_BYTES / (1024 * 1024));
	{
		const char *done = request_query(r, "done");

		if (done != NULL && strcmp(done, "deleted") == 0)
			tv_set_str(a, ctx, "done", "The picture is deleted.");
	}
	if (res == NULL) {
		form_blank(a, &picture_upload_form, &blank);
		form_set(&blank, PF_PRICE, "0");
		form_set(&blank, PF_LICENCE, picture_licence_names[LICENCE_ALL_RIGHTS]);
		res = &blank;
	}
	tv_set(a, ctx, "f", form_view(a, &picture_upload_form, res));
	if ((rc = page_render(r, "me_pictures", ctx)) != 0)
		return rc;
	r->resp.status = status;
	return 0;
}

/* GET /me/pictures */
int
me_pictures(struct request *r)
{
	return own_page(r, NULL, 200);
}

/* The upload form again with message on field, answered with status. */
static int
refuse(struct request *r, struct form_result *res, enum picture_field field,
    const char *message, int status)
{
	form_set_error(res, field, message);
	return own_page(r, res, status);
}

/* The SHA-256 of the file at path. Returns 0 or -1. */
static int
file_sha256(const char *path, unsigned char out[CRYPTO_HASH_BYTES])
{
	struct stat st;
	void *map;
	int fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == 0 && st.st_size > 0 &&
	    (map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
	    0)) != MAP_FAILED) {
		crypto_sha256(map, (size_t)st.st_size, out);
		munmap(map, (size_t)st.st_size);
		rc = 0;
	}
	close(fd);
	return rc;
}

struct upload {
	struct form_result *res;
	struct picture_new pic;
	long long id;
	int inserted;        /* this run's insert went in */
};

/* Inserts the picture and its derivation in page_change's transaction;
 * a refusal shows the form again. */
static int
upload_change(struct request *r, void *arg)
{
	struct upload *u = arg;
	int status;

	u->inserted = 0;
	switch (pictures_insert(r->db, r->arena, &u->pic, &u->id)) {
	case PICTURE_INSERTED:
		u->inserted = 1;
		page_change_location(r, arena_printf(r->arena,
		    "/me/pictures/%lld?done=uploaded", u->id));
		return 0;
	case PICTURE_DUPLICATE:
		status = refuse(r, u->res, PF_FILE, "This very file is on the "
		    "site already.", 409);
		break;
	case PICTURE_RATE:
		status = refuse(r, u->res, PF_FILE, "You have uploaded many "
		    "pictures in the last hour: try again later.", 429);
		break;
	case PICTURE_QUOTA:
		status = refuse(r, u->res, PF_FILE, "Your pictures fill your "
		    "space: delete some before you upload more.", 413);
		break;
	default:
		return -1;
	}
	return status == 0 ? PAGE_SHOWN : status;
}

/* POST /pictures */
int
picture_upload(struct request *r)
{
	const struct multipart_part *file = request_upload(r, "picture");
	struct picture_info info;
	struct media_store ms;
	struct form_result res;
	struct upload u;
	enum picture_probe probe;
	unsigned char sha[CRYPTO_HASH_BYTES];
	char key[MEDIA_NEW_KEY_LEN + 1];
	int rc;

	if (media_store_local(&ms, r->cfg->media_dir) != 0) {
		r->error_detail = "Uploads are not set up on this site.";
		return 500;
	}
	if (form_check(r->arena, &picture_upload_form, &r->form, NULL,
	    &res) != 0)
		return own_page(r, &res, 400);
	if (file == NULL || file->len == 0)
		return refuse(r, &res, PF_FILE, "Choose a picture file.", 400);
	if (res.field[PF_EVENT].text != NULL &&
	    (rc = picture_event_allowed(r, res.field[PF_EVENT].num)) != 1) {
		if (rc < 0)
			return 503;
		return refuse(r, &res, PF_EVENT, picture_event_refusal, 403);
	}
	if ((probe = picture_image_probe(file->path, &info)) != PICTURE_OK)
		return refuse(r, &res, PF_FILE, picture_probe_message(probe),
		    probe == PICTURE_TOO_LARGE ? 413 : 400);
	if (file_sha256(file->path, sha) != 0)
		return 500;

	media_new_key(key);
	u = (struct upload){ .res = &res };
	u.pic = (struct picture_new){
		.owner_id = r->session->user_id,
		.event_id = res.field[PF_EVENT].text ? res.field[PF_EVENT].num : 0,
		.title = res.field[PF_TITLE].text,
		.description = res.field[PF_DESCRIPTION].text ?
		    res.field[PF_DESCRIPTION].text : "",
		.price = res.field[PF_PRICE].num,
		.licence = (enum picture_licence)res.field[PF_LICENCE].num,
		.format = info.format,
		.width = info.width,
		.height = info.height,
		.bytes = (long long)file->len,
		.sha256 = sha,
		.storage_key = key,
	};
	/* Kept before the row commits, so a committed row always has its
	 * file; taken back when the row does not commit. */
	if (media_keep(&ms, MEDIA_ORIGINALS, key, file->path) != 0)
		return 500;
	rc = page_change(r, upload_change, &u, "/me/pictures");
	if (!u.inserted || r->resp.status != 303)
		media_remove(&ms, MEDIA_ORIGINALS, key);
	return rc;
}
