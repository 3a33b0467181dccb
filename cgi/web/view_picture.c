#include "view_picture.h"

#include "arena.h"
#include "dates.h"
#include "picture_files.h"
#include "pictures.h"
#include "tmpl.h"
#include "view_event.h"

/* One derived file's URL. */
static const char *
media_url(struct arena *a, const char *key, enum picture_size size,
    enum picture_encoding enc)
{
	return arena_printf(a, MEDIA_URL_PREFIX "%s",
	    picture_file_key(a, key, size, enc));
}

struct tmpl_value *
view_picture_sources(struct arena *a, const char *key, enum picture_size size,
    long long thumb_width, long long preview_width, long long width,
    long long height)
{
	struct tmpl_value *v = tv_object(a);

	tv_set_str(a, v, "webp", media_url(a, key, size, PICTURE_ENC_WEBP));
	tv_set_str(a, v, "jpeg", media_url(a, key, size, PICTURE_ENC_JPEG));
	tv_set_str(a, v, "srcset_webp", arena_printf(a, "%s %lldw, %s %lldw",
	    media_url(a, key, PICTURE_THUMB, PICTURE_ENC_WEBP), thumb_width,
	    media_url(a, key, PICTURE_PREVIEW, PICTURE_ENC_WEBP),
	    preview_width));
	tv_set_str(a, v, "srcset_jpeg", arena_printf(a, "%s %lldw, %s %lldw",
	    media_url(a, key, PICTURE_THUMB, PICTURE_ENC_JPEG), thumb_width,
	    media_url(a, key, PICTURE_PREVIEW, PICTURE_ENC_JPEG),
	    preview_width));
	tv_set_int(a, v, "width", width);
	tv_set_int(a, v, "height", height);
	return v;
}

struct tmpl_value *
view_picture(struct arena *a, const struct picture *p)
{
	struct tmpl_value *v = tv_object(a);

	tv_set_int(a, v, "id", p->id);
	tv_set_str(a, v, "url", arena_printf(a, "/pictures/%lld", p->id));
	tv_set_str(a, v, "title", p->title);
	tv_set_str(a, v, "description", p->description);
	tv_set_str(a, v, "author", p->owner_name[0] ? p->owner_name :
	    "Deleted user");
	tv_set_str(a, v, "author_url", arena_printf(a, "/pictures?author=%lld",
	    p->owner_id));
	if (p->event_id > 0) {
		tv_set_str(a, v, "event_title", p->event_title);
		tv_set_str(a, v, "event_url", arena_printf(a, "/events/%lld",
		    p->event_id));
		tv_set_str(a, v, "event_pictures_url", arena_printf(a,
		    "/pictures?event=%lld", p->event_id));
	}
	tv_set_int(a, v, "likes", p->like_count);
	tv_set_str(a, v, "likes_text", arena_printf(a, "%lld like%s",
	    p->like_count, p->like_count == 1 ? "" : "s"));
	tv_set_str(a, v, "price", view_price(a, p->price, p->currency));
	tv_set_bool(a, v, "free", p->price == 0);
	tv_set_int(a, v, "sales", p->sales);
	tv_set_str(a, v, "revenue", view_price(a, p->sales_cents, p->currency));
	tv_set_str(a, v, "licence", picture_licence_labels[p->licence]);
	tv_set_bool(a, v, "processing", p->status == PICTURE_PROCESSING);
	tv_set_bool(a, v, "failed", p->status == PICTURE_FAILED);
	tv_set_bool(a, v, "ready", p->status == PICTURE_READY);
	tv_set_bool(a, v, "hidden", p->status == PICTURE_HIDDEN);
	tv_set_int(a, v, "original_width", p->width);
	tv_set_int(a, v, "original_height", p->height);
	tv_set_str(a, v, "created", dates_local(a, p->created_at, "UTC",
	    "%-d %b %Y"));
	tv_set_str(a, v, "created_iso", dates_iso(a, p->created_at));
	if (p->status == PICTURE_READY) {
		tv_set(a, v, "thumb", view_picture_sources(a, p->storage_key,
		    PICTURE_THUMB, p->thumb_width, p->preview_width,
		    p->thumb_width, p->thumb_height));
		tv_set(a, v, "preview", view_picture_sources(a, p->storage_key,
		    PICTURE_PREVIEW, p->thumb_width, p->preview_width,
		    p->preview_width, p->preview_height));
	}
	return v;
}
