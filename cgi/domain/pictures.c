#include "pictures.h"

#include <json-c/json.h>
#include <limits.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "outbox.h"
#include "row.h"
#include "util.h"

#define UINT_COLUMN_MAX 4294967295LL

const char *const picture_format_names[PICTURE__FORMAT_MAX] = {
	[PICTURE_JPEG] = "jpeg",
	[PICTURE_PNG] = "png",
	[PICTURE_WEBP] = "webp",
	[PICTURE_HEIF] = "heif",
};

const char *const picture_format_types[PICTURE__FORMAT_MAX] = {
	[PICTURE_JPEG] = "image/jpeg",
	[PICTURE_PNG] = "image/png",
	[PICTURE_WEBP] = "image/webp",
	[PICTURE_HEIF] = "image/heif",
};

const char *const picture_status_names[PICTURE__STATUS_MAX] = {
	[PICTURE_PROCESSING] = "processing",
	[PICTURE_READY] = "ready",
	[PICTURE_FAILED] = "failed",
	[PICTURE_HIDDEN] = "hidden",
};

const char *const picture_licence_names[LICENCE__MAX] = {
	[LICENCE_ALL_RIGHTS] = "all_rights_reserved",
	[LICENCE_CC_BY] = "cc_by",
	[LICENCE_CC_BY_SA] = "cc_by_sa",
	[LICENCE_CC0] = "cc0",
};

const char *const picture_licence_labels[LICENCE__MAX] = {
	[LICENCE_ALL_RIGHTS] = "All rights reserved",
	[LICENCE_CC_BY] = "Creative Commons Attribution (CC BY 4.0)",
	[LICENCE_CC_BY_SA] = "Creative Commons Attribution-ShareAlike (CC BY-SA 4.0)",
	[LICENCE_CC0] = "Public domain (CC0)",
};

/* The columns of a picture read with its owner and event, in the order
 * of enum pic_col. */
#define PIC_COLS \
	"p.id, p.owner_id, IF(u.deleted_at IS NULL, u.display_name, ''), " \
	"COALESCE(p.event_id, 0), COALESCE(e.title, ''), p.title, " \
	"p.description, p.price_cents, p.currency, p.licence, p.format, " \
	"p.width, p.height, p.bytes, p.storage_key, p.status, " \
	"p.thumb_width, p.thumb_height, p.preview_width, p.preview_height, " \
	"p.like_count, p.created_at, p.sales_count, p.sales_cents "
#define PIC_FROM \
	"FROM pictures p JOIN users u ON u.id = p.owner_id " \
	"LEFT JOIN events e ON e.id = p.event_id "
/* Shown to everyone: derived, and its owner not disabled. */
#define PIC_PUBLIC "p.status = 'ready' AND u.disabled_at IS NULL"

enum pic_col {
	PC_ID, PC_OWNER_ID, PC_OWNER_NAME, PC_EVENT_ID, PC_EVENT_TITLE,
	PC_TITLE, PC_DESCRIPTION, PC_PRICE, PC_CURRENCY, PC_LICENCE, PC_FORMAT,
	PC_WIDTH, PC_HEIGHT, PC_BYTES, PC_KEY, PC_STATUS, PC_THUMB_W,
	PC_THUMB_H, PC_PREVIEW_W, PC_PREVIEW_H, PC_LIKES, PC_CREATED_AT,
	PC_SALES, PC_SALES_CENTS,
};

enum pictures_stmt {
	PIC_LIST_RECENT,
	PIC_LIST_POPULAR,
	PIC_LIST_BY_EVENT,
	PIC_LIST_BY_OWNER,
	PIC_GET,
	PIC_GET_OWN,
	PIC_OF_OWNER,
	PIC_OWNER_USAGE,
	PIC_INSERT,
	PIC_LIKED,
	PIC_LOCK_PUBLIC,
	PIC_LIKE_DELETE,
	PIC_LIKE_INSERT,
	PIC_LIKES_ADD,
	PIC_UPDATE,
	PIC_KEY_OF_OWN,
	PIC_DELETE_LIKES,
	PIC_DELETE,
	PIC_EVENT_CHOICES,
	PIC_DERIVE_SOURCE,
	PIC_SET_DERIVED,
	PIC_SET_EVENT,
	PIC__MAX
};

static const char *const pictures_stmts[PIC__MAX] = {
	/* PIC_LIST_RECENT */
	"SELECT " PIC_COLS PIC_FROM "WHERE " PIC_PUBLIC " "
	"ORDER BY p.created_at DESC, p.id DESC LIMIT ? OFFSET ?",
	/* PIC_LIST_POPULAR */
	"SELECT " PIC_COLS PIC_FROM "WHERE " PIC_PUBLIC " "
	"AND p.created_at >= UTC_TIMESTAMP() - INTERVAL 7 DAY "
	"ORDER BY p.like_count DESC, p.id DESC LIMIT ? OFFSET ?",
	/* PIC_LIST_BY_EVENT */
	"SELECT " PIC_COLS PIC_FROM "WHERE p.event_id = ? AND " PIC_PUBLIC " "
	"ORDER BY p.created_at DESC, p.id DESC LIMIT ? OFFSET ?",
	/* PIC_LIST_BY_OWNER */
	"SELECT " PIC_COLS PIC_FROM "WHERE p.owner_id = ? AND " PIC_PUBLIC " "
	"ORDER BY p.created_at DESC, p.id DESC LIMIT ? OFFSET ?",
	/* PIC_GET */
	"SELECT " PIC_COLS PIC_FROM "WHERE p.id = ? AND " PIC_PUBLIC,
	/* PIC_GET_OWN */
	"SELECT " PIC_COLS PIC_FROM "WHERE p.id = ? AND p.owner_id = ?",
	/* PIC_OF_OWNER */
	"SELECT " PIC_COLS PIC_FROM "WHERE p.owner_id = ? "
	"ORDER BY p.created_at DESC, p.id DESC LIMIT ?",
	/* PIC_OWNER_USAGE: locks the owner's pictures (and the gap after
	 * them), so a second upload of the same person waits and counts
	 * this one. */
	"SELECT COALESCE(SUM(created_at > UTC_TIMESTAMP() - INTERVAL 1 HOUR), 0), "
	"COALESCE(SUM(bytes), 0) FROM pictures WHERE owner_id = ? FOR UPDATE",
	/* PIC_INSERT */
	"INSERT INTO pictures (owner_id, event_id, title, description, "
	"price_cents, licence, format, width, height, bytes, sha256, "
	"storage_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* PIC_LIKED */
	"SELECT 1 FROM picture_likes WHERE picture_id = ? AND user_id = ?",
	/* PIC_LOCK_PUBLIC: the picture row first, so every like of a picture
	 * waits its turn here and the count never misses one. */
	"SELECT p.id, p.owner_id, p.title FROM pictures p "
	"JOIN users u ON u.id = p.owner_id "
	"WHERE p.id = ? AND " PIC_PUBLIC " FOR UPDATE",
	/* PIC_LIKE_DELETE */
	"DELETE FROM picture_likes WHERE picture_id = ? AND user_id = ?",
	/* PIC_LIKE_INSERT */
	"INSERT INTO picture_likes (picture_id, user_id) VALUES (?, ?)",
	/* PIC_LIKES_ADD: +1 or -1, never below 0 (the CHECK of UNSIGNED). */
	"UPDATE pictures SET like_count = like_count + ? WHERE id = ?",
	/* PIC_UPDATE */
	"UPDATE pictures SET title = ?, description = ?, price_cents = ?, "
	"licence = ?, updated_at = UTC_TIMESTAMP() WHERE id = ? AND owner_id = ?",
	/* PIC_KEY_OF_OWN */
	"SELECT storage_key FROM pictures WHERE id = ? AND owner_id = ? "
	"FOR UPDATE",
	/* PIC_DELETE_LIKES */
	"DELETE FROM picture_likes WHERE picture_id = ?",
	/* PIC_DELETE */
	"DELETE FROM pictures WHERE id = ? AND owner_id = ?",
	/* PIC_EVENT_CHOICES: through orders_by_buyer and
	 * events_by_organizer. */
	"SELECT e.id, e.title, e.starts_at FROM orders o "
	"JOIN events e ON e.id = o.event_id "
	"WHERE o.buyer_id = ? AND o.status = 'paid' AND e.status <> 'draft' "
	"UNION SELECT id, title, starts_at FROM events "
	"WHERE organizer_id = ? AND status <> 'draft' "
	"ORDER BY starts_at DESC LIMIT ?",
	/* PIC_DERIVE_SOURCE */
	"SELECT storage_key, status FROM pictures WHERE id = ?",
	/* PIC_SET_DERIVED */
	"UPDATE pictures SET status = ?, thumb_width = ?, thumb_height = ?, "
	"preview_width = ?, preview_height = ? "
	"WHERE id = ? AND status = 'processing'",
	/* PIC_SET_EVENT */
	"UPDATE pictures SET event_id = ?, updated_at = UTC_TIMESTAMP() "
	"WHERE id = ? AND owner_id = ?",
};

static int
parse_picture(const struct db_rows *rows, size_t i, struct picture *out)
{
	struct row_reader rd;

	memset(out, 0, sizeof(*out));
	row_begin(&rd, rows, i, "picture");
	out->id = row_int(&rd, PC_ID, 1, LLONG_MAX);
	out->owner_id = row_int(&rd, PC_OWNER_ID, 1, LLONG_MAX);
	out->owner_name = row_text(&rd, PC_OWNER_NAME);
	out->event_id = row_int(&rd, PC_EVENT_ID, 0, LLONG_MAX);
	out->event_title = row_text(&rd, PC_EVENT_TITLE);
	out->title = row_text(&rd, PC_TITLE);
	out->description = row_text(&rd, PC_DESCRIPTION);
	out->price = row_int(&rd, PC_PRICE, 0, UINT_COLUMN_MAX);
	out->currency = row_text(&rd, PC_CURRENCY);
	out->licence = (enum picture_licence)row_enum(&rd, PC_LICENCE,
	    picture_licence_names, LICENCE__MAX);
	out->format = (enum picture_format)row_enum(&rd, PC_FORMAT,
	    picture_format_names, PICTURE__FORMAT_MAX);
	out->width = row_int(&rd, PC_WIDTH, 1, UINT_COLUMN_MAX);
	out->height = row_int(&rd, PC_HEIGHT, 1, UINT_COLUMN_MAX);
	out->bytes = row_int(&rd, PC_BYTES, 0, LLONG_MAX);
	out->storage_key = row_text(&rd, PC_KEY);
	out->status = (enum picture_status)row_enum(&rd, PC_STATUS,
	    picture_status_names, PICTURE__STATUS_MAX);
	out->thumb_width = row_int(&rd, PC_THUMB_W, 0, UINT_COLUMN_MAX);
	out->thumb_height = row_int(&rd, PC_THUMB_H, 0, UINT_COLUMN_MAX);
	out->preview_width = row_int(&rd, PC_PREVIEW_W, 0, UINT_COLUMN_MAX);
	out->preview_height = row_int(&rd, PC_PREVIEW_H, 0, UINT_COLUMN_MAX);
	out->like_count = row_int(&rd, PC_LIKES, 0, UINT_COLUMN_MAX);
	out->created_at = row_time(&rd, PC_CREATED_AT);
	out->sales = row_int(&rd, PC_SALES, 0, UINT_COLUMN_MAX);
	out->sales_cents = row_int(&rd, PC_SALES_CENTS, 0, LLONG_MAX);
	return row_end(&rd);
}

static int
read_pictures(struct db *db, struct arena *a, enum db_target target,
    enum pictures_stmt stmt, const struct db_arg *args, size_t nargs,
    struct picture **out, size_t *n)
{
	struct db_rows rows;
	struct picture *list;

	*out = NULL;
	*n = 0;
	if (db_query(db, a, target, pictures_stmts[stmt], args, nargs,
	    &rows) != 0)
		return -1;
	list = arena_calloc(a, rows.nrows ? rows.nrows : 1, sizeof(*list));
	for (size_t i = 0; i < rows.nrows; i++)
		if (parse_picture(&rows, i, &list[i]) != 0)
			return ROW_BAD;
	*out = list;
	*n = rows.nrows;
	return 0;
}

/* The one picture of a read by stmt: 0, 1 for none, -1 or ROW_BAD. */
static int
read_one(struct db *db, struct arena *a, enum db_target target,
    enum pictures_stmt stmt, const struct db_arg *args, size_t nargs,
    struct picture *out)
{
	struct picture *list;
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = read_pictures(db, a, target, stmt, args, nargs, &list,
	    &n)) != 0)
		return rc;
	if (n == 0)
		return 1;
	*out = list[0];
	return 0;
}

int
pictures_list(struct db *db, struct arena *a, enum picture_list which,
    long long filter, int limit, int offset, struct picture **out,
    size_t *n)
{
	static const enum pictures_stmt stmts[PICTURES__LIST_MAX] = {
		[PICTURES_RECENT] = PIC_LIST_RECENT,
		[PICTURES_POPULAR] = PIC_LIST_POPULAR,
		[PICTURES_BY_EVENT] = PIC_LIST_BY_EVENT,
		[PICTURES_BY_OWNER] = PIC_LIST_BY_OWNER,
	};
	struct db_arg args[3];
	size_t nargs = 0;

	if (which == PICTURES_BY_EVENT || which == PICTURES_BY_OWNER)
		args[nargs++] = DB_INT(filter);
	args[nargs++] = DB_INT(limit);
	args[nargs++] = DB_INT(offset);
	return read_pictures(db, a, DB_READ, stmts[which], args, nargs, out, n);
}

int
pictures_get(struct db *db, struct arena *a, long long id,
    struct picture *out)
{
	struct db_arg args[] = { DB_INT(id) };

	return read_one(db, a, DB_READ, PIC_GET, args, ARRAY_LEN(args), out);
}

int
pictures_get_own(struct db *db, struct arena *a, long long id,
    long long owner_id, struct picture *out)
{
	struct db_arg args[] = { DB_INT(id), DB_INT(owner_id) };

	return read_one(db, a, DB_PRIMARY, PIC_GET_OWN, args, ARRAY_LEN(args),
	    out);
}

int
pictures_of_owner(struct db *db, struct arena *a, long long owner_id,
    int limit, struct picture **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(owner_id), DB_INT(limit) };

	return read_pictures(db, a, DB_PRIMARY, PIC_OF_OWNER, args,
	    ARRAY_LEN(args), out, n);
}

int
pictures_liked(struct db *db, struct arena *a, long long id,
    long long user_id)
{
	struct db_arg args[] = { DB_INT(id), DB_INT(user_id) };
	struct db_rows rows;

	if (db_query(db, a, DB_READ, pictures_stmts[PIC_LIKED], args,
	    ARRAY_LEN(args), &rows) != 0)
		return -1;
	return rows.nrows > 0;
}

enum picture_insert
pictures_insert(struct db *db, struct arena *a, const struct picture_new *p,
    long long *id)
{
	struct db_arg owner[] = { DB_INT(p->owner_id) };
	struct db_rows rows;
	struct row_reader rd;
	unsigned long long new_id = 0;
	long long recent, bytes;
	enum db_status st;

	if (db_query(db, a, DB_PRIMARY, pictures_stmts[PIC_OWNER_USAGE], owner,
	    ARRAY_LEN(owner), &rows) != 0)
		return PICTURE_INSERT_FAILED;
	row_begin(&rd, &rows, 0, "upload usage");
	recent = row_int(&rd, 0, 0, LLONG_MAX);
	bytes = row_int(&rd, 1, 0, LLONG_MAX);
	if (row_end(&rd) != 0)
		return PICTURE_INSERT_FAILED;
	if (recent >= PICTURES_PER_HOUR)
		return PICTURE_RATE;
	if (bytes + p->bytes > PICTURES_QUOTA_BYTES)
		return PICTURE_QUOTA;

	struct db_arg args[] = {
		DB_INT(p->owner_id),
		p->event_id > 0 ? DB_INT(p->event_id) : DB_NULL,
		DB_STR(p->title), DB_STR(p->description), DB_INT(p->price),
		DB_STR(picture_licence_names[p->licence]),
		DB_STR(picture_format_names[p->format]),
		DB_INT(p->width), DB_INT(p->height), DB_INT(p->bytes),
		DB_BLOB(p->sha256, 32), DB_STR(p->storage_key),
	};

	st = db_exec(db, pictures_stmts[PIC_INSERT], args, ARRAY_LEN(args),
	    NULL, &new_id);
	if (st == DB_DUPLICATE)
		return PICTURE_DUPLICATE;
	if (st != DB_OK)
		return PICTURE_INSERT_FAILED;

	struct json_object *payload = json_object_new_object();
	int rc;

	json_object_object_add(payload, "picture_id",
	    json_object_new_int64((int64_t)new_id));
	rc = outbox_add(db, "picture_derive", payload);
	json_object_put(payload);
	if (rc != 0)
		return PICTURE_INSERT_FAILED;
	*id = (long long)new_id;
	return PICTURE_INSERTED;
}

/* A like given: the owner hears of it (not of their own), aggregated
 * by the worker into one unread notification per picture ("12 people
 * liked ..."), through the outbox (topic picture_liked): the like's
 * transaction writes no notification itself. pic is PIC_LOCK_PUBLIC's
 * row. 0 or -1. */
static int
liked_notice(struct db *db, const struct db_rows *pic, long long user_id)
{
	struct json_object *payload;
	struct row_reader rd;
	long long id, owner;
	const char *title;
	int rc;

	row_begin(&rd, pic, 0, "liked picture");
	id = row_int(&rd, 0, 1, LLONG_MAX);
	owner = row_int(&rd, 1, 1, LLONG_MAX);
	title = row_text(&rd, 2);
	if (row_end(&rd) != 0)
		return -1;
	if (owner == user_id)
		return 0;
	payload = json_object_new_object();
	json_object_object_add(payload, "picture_id", json_object_new_int64(id));
	json_object_object_add(payload, "owner_id", json_object_new_int64(owner));
	json_object_object_add(payload, "title", json_object_new_string(title));
	rc = outbox_add(db, "picture_liked", payload);
	json_object_put(payload);
	return rc;
}

int
pictures_like_toggle(struct db *db, struct arena *a, long long id,
    long long user_id, int *liked)
{
	struct db_arg pic[] = { DB_INT(id) };
	struct db_arg both[] = { DB_INT(id), DB_INT(user_id) };
	struct db_rows rows;
	unsigned long long gone = 0;

	if (db_query(db, a, DB_PRIMARY, pictures_stmts[PIC_LOCK_PUBLIC], pic,
	    ARRAY_LEN(pic), &rows) != 0)
		return -1;
	if (rows.nrows == 0)
		return 1;
	if (db_exec(db, pictures_stmts[PIC_LIKE_DELETE], both, ARRAY_LEN(both),
	    &gone, NULL) != DB_OK)
		return -1;
	if (gone == 0 && db_exec(db, pictures_stmts[PIC_LIKE_INSERT], both,
	    ARRAY_LEN(both), NULL, NULL) != DB_OK)
		return -1;
	*liked = gone == 0;

	struct db_arg add[] = { DB_INT(gone == 0 ? 1 : -1), DB_INT(id) };

	if (db_exec(db, pictures_stmts[PIC_LIKES_ADD], add, ARRAY_LEN(add),
	    NULL, NULL) != DB_OK)
		return -1;
	return *liked ? liked_notice(db, &rows, user_id) : 0;
}

/* Runs stmt, an UPDATE of picture id of owner_id's, once the picture is
 * found to be theirs: the same values again change no row, which is no
 * error, so the UPDATE's count cannot tell "not yours". Returns 0, 1 not
 * theirs, -1. */
static int
update_own(struct db *db, struct arena *a, long long id, long long owner_id,
    enum pictures_stmt stmt, const struct db_arg *args, size_t nargs)
{
	struct db_arg own[] = { DB_INT(id), DB_INT(owner_id) };
	struct db_rows rows;

	if (db_query(db, a, DB_PRIMARY, pictures_stmts[PIC_KEY_OF_OWN], own,
	    ARRAY_LEN(own), &rows) != 0)
		return -1;
	if (rows.nrows == 0)
		return 1;
	return db_exec(db, pictures_stmts[stmt], args, nargs, NULL, NULL) ==
	    DB_OK ? 0 : -1;
}

int
pictures_set_event(struct db *db, struct arena *a, long long id,
    long long owner_id, long long event_id)
{
	struct db_arg set[] = { event_id ? DB_INT(event_id) : DB_NULL,
		DB_INT(id), DB_INT(owner_id) };

	return update_own(db, a, id, owner_id, PIC_SET_EVENT, set,
	    ARRAY_LEN(set));
}

int
pictures_update(struct db *db, struct arena *a, long long id,
    long long owner_id,
    const char *title, const char *description, long long price,
    enum picture_licence licence)
{
	struct db_arg args[] = { DB_STR(title), DB_STR(description),
	    DB_INT(price), DB_STR(picture_licence_names[licence]), DB_INT(id),
	    DB_INT(owner_id) };

	return update_own(db, a, id, owner_id, PIC_UPDATE, args,
	    ARRAY_LEN(args));
}

int
pictures_delete(struct db *db, struct arena *a, long long id,
    long long owner_id, const char **key)
{
	struct db_arg own[] = { DB_INT(id), DB_INT(owner_id) };
	struct db_arg pic[] = { DB_INT(id) };
	struct db_rows rows;

	if (db_query(db, a, DB_PRIMARY, pictures_stmts[PIC_KEY_OF_OWN], own,
	    ARRAY_LEN(own), &rows) != 0)
		return -1;
	if (rows.nrows == 0)
		return 1;
	*key = db_cell(&rows, 0, 0);
	if (db_exec(db, pictures_stmts[PIC_DELETE_LIKES], pic, ARRAY_LEN(pic),
	    NULL, NULL) != DB_OK ||
	    db_exec(db, pictures_stmts[PIC_DELETE], own, ARRAY_LEN(own), NULL,
	    NULL) != DB_OK)
		return -1;
	return 0;
}

int
pictures_event_choices(struct db *db, struct arena *a, long long user_id,
    int limit, struct picture_event **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(user_id), DB_INT(user_id),
	    DB_INT(limit) };
	struct db_rows rows;
	struct picture_event *list;

	*out = NULL;
	*n = 0;
	if (db_query(db, a, DB_PRIMARY, pictures_stmts[PIC_EVENT_CHOICES], args,
	    ARRAY_LEN(args), &rows) != 0)
		return -1;
	list = arena_calloc(a, rows.nrows ? rows.nrows : 1, sizeof(*list));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct row_reader rd;

		row_begin(&rd, &rows, i, "picture event");
		list[i].id = row_int(&rd, 0, 1, LLONG_MAX);
		list[i].title = row_text(&rd, 1);
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*out = list;
	*n = rows.nrows;
	return 0;
}

int
pictures_derive_source(struct db *db, struct arena *a, long long id,
    const char **key, enum picture_status *status)
{
	struct db_arg args[] = { DB_INT(id) };
	struct db_rows rows;
	struct row_reader rd;

	if (db_query(db, a, DB_PRIMARY, pictures_stmts[PIC_DERIVE_SOURCE], args,
	    ARRAY_LEN(args), &rows) != 0)
		return -1;
	if (rows.nrows == 0)
		return 1;
	row_begin(&rd, &rows, 0, "picture");
	*key = row_text(&rd, 0);
	*status = (enum picture_status)row_enum(&rd, 1, picture_status_names,
	    PICTURE__STATUS_MAX);
	return row_end(&rd);
}

int
pictures_set_derived(struct db *db, long long id, enum picture_status status,
    long long thumb_w, long long thumb_h, long long preview_w,
    long long preview_h)
{
	struct db_arg args[] = { DB_STR(picture_status_names[status]),
	    DB_INT(thumb_w), DB_INT(thumb_h), DB_INT(preview_w),
	    DB_INT(preview_h), DB_INT(id) };

	return db_exec(db, pictures_stmts[PIC_SET_DERIVED], args,
	    ARRAY_LEN(args), NULL, NULL) == DB_OK ? 0 : -1;
}
