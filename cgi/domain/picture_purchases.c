#include "picture_purchases.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "row.h"
#include "util.h"

enum purchases_stmt {
	PP_GIVE,
	PP_COUNT_SALE,
	PP_HAS,
	PP_OF_BUYER,
	PP_SOLD,
	PP_UNAVAILABLE,
	PP__MAX
};

static const char *const purchases_stmts[PP__MAX] = {
	/* PP_GIVE: a picture the buyer has already is a duplicate key */
	"INSERT INTO picture_purchases (picture_id, buyer_id, order_id, "
	"price_cents, currency) SELECT l.picture_id, o.buyer_id, o.id, "
	"l.unit_price_cents, o.currency FROM order_lines l "
	"JOIN orders o ON o.id = l.order_id "
	"WHERE l.order_id = ? AND l.picture_id IS NOT NULL",
	/* PP_COUNT_SALE: the sales /me/pictures shows */
	"UPDATE pictures p JOIN order_lines l ON l.picture_id = p.id "
	"SET p.sales_count = p.sales_count + 1, "
	"p.sales_cents = p.sales_cents + l.unit_price_cents "
	"WHERE l.order_id = ?",
	/* PP_HAS: the primary key, and its order still paid */
	"SELECT 1 FROM picture_purchases pp JOIN orders o ON o.id = pp.order_id "
	"WHERE pp.picture_id = ? AND pp.buyer_id = ? AND o.status = 'paid'",
	/* PP_OF_BUYER: through picture_purchases_by_buyer; shown as the
	 * gallery shows pictures (pictures.c, PIC_PUBLIC) */
	"SELECT pp.picture_id, p.title, "
	"p.status = 'ready' AND u.disabled_at IS NULL, pp.price_cents, "
	"pp.currency, pp.created_at, o.code FROM picture_purchases pp "
	"JOIN pictures p ON p.id = pp.picture_id "
	"JOIN users u ON u.id = p.owner_id "
	"JOIN orders o ON o.id = pp.order_id "
	"WHERE pp.buyer_id = ? AND o.status = 'paid' ORDER BY pp.created_at DESC, o.id DESC LIMIT ?",
	/* PP_SOLD */
	"SELECT p.id, p.title, u.id, u.email, u.display_name, "
	"l.unit_price_cents FROM order_lines l "
	"JOIN pictures p ON p.id = l.picture_id "
	"JOIN users u ON u.id = p.owner_id WHERE l.order_id = ? ORDER BY l.id",
	/* PP_UNAVAILABLE: lines whose picture is gone (deleted: NULL),
	 * hidden, or its owner's account disabled since the order was made;
	 * a shared lock, so a moderator's hiding waits for the payment */
	"SELECT COUNT(*) FROM order_lines l "
	"LEFT JOIN pictures p ON p.id = l.picture_id "
	"LEFT JOIN users u ON u.id = p.owner_id WHERE l.order_id = ? "
	"AND (p.id IS NULL OR p.status <> 'ready' OR u.disabled_at IS NOT NULL) "
	"LOCK IN SHARE MODE",
};

int
picture_purchases_give(struct db *db, long long order_id)
{
	struct db_arg id[] = { DB_INT(order_id) };

	switch (db_exec(db, purchases_stmts[PP_GIVE], id, 1, NULL, NULL)) {
	case DB_OK:
		break;
	case DB_DUPLICATE:
		return 1;
	default:
		return -1;
	}
	return db_exec(db, purchases_stmts[PP_COUNT_SALE], id, 1, NULL,
	    NULL) == DB_OK ? 0 : -1;
}

int
picture_purchases_has(struct db *db, struct arena *a, enum db_target target,
    long long picture_id, long long user_id)
{
	struct db_arg args[] = { DB_INT(picture_id), DB_INT(user_id) };
	struct db_rows rows;

	if (db_query(db, a, target, purchases_stmts[PP_HAS], args,
	    ARRAY_LEN(args), &rows) != DB_OK)
		return -1;
	return rows.nrows > 0;
}

int
picture_purchases_of_buyer(struct db *db, struct arena *a, long long buyer_id,
    int limit, struct picture_purchase **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(buyer_id), DB_INT(limit) };
	struct db_rows rows;

	*n = 0;
	if (db_query(db, a, DB_READ, purchases_stmts[PP_OF_BUYER], args,
	    ARRAY_LEN(args), &rows) != DB_OK)
		return -1;
	*out = arena_calloc(a, rows.nrows + 1, sizeof(**out));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct picture_purchase *p = &(*out)[i];
		struct row_reader rd;

		row_begin(&rd, &rows, i, "picture purchase");
		p->picture_id = row_int(&rd, 0, 1, LLONG_MAX);
		p->title = row_text(&rd, 1);
		p->shown = row_bool(&rd, 2);
		p->price = row_int(&rd, 3, 0, LLONG_MAX);
		p->currency = row_text(&rd, 4);
		p->bought_at = row_time(&rd, 5);
		p->order_code = row_text(&rd, 6);
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*n = rows.nrows;
	return 0;
}

int
picture_purchases_sold(struct db *db, struct arena *a, long long order_id,
    struct picture_sale **out, size_t *n)
{
	struct db_arg args[] = { DB_INT(order_id) };
	struct db_rows rows;

	*n = 0;
	if (db_query(db, a, DB_PRIMARY, purchases_stmts[PP_SOLD], args,
	    ARRAY_LEN(args), &rows) != DB_OK)
		return -1;
	*out = arena_calloc(a, rows.nrows + 1, sizeof(**out));
	for (size_t i = 0; i < rows.nrows; i++) {
		struct picture_sale *s = &(*out)[i];
		struct row_reader rd;

		row_begin(&rd, &rows, i, "picture sold");
		s->picture_id = row_int(&rd, 0, 1, LLONG_MAX);
		s->title = row_text(&rd, 1);
		s->owner_id = row_int(&rd, 2, 1, LLONG_MAX);
		s->owner_email = row_text(&rd, 3);
		s->owner_name = row_text(&rd, 4);
		s->price = row_int(&rd, 5, 0, LLONG_MAX);
		if (row_end(&rd) != 0)
			return ROW_BAD;
	}
	*n = rows.nrows;
	return 0;
}

int
picture_purchases_unavailable(struct db *db, long long order_id)
{
	struct db_arg args[] = { DB_INT(order_id) };
	struct db_rows rows;
	struct arena a;
	int n = -1;

	arena_init(&a, 256);
	if (db_query(db, &a, DB_PRIMARY, purchases_stmts[PP_UNAVAILABLE], args,
	    ARRAY_LEN(args), &rows) == DB_OK && rows.nrows == 1)
		n = atoi(db_cell(&rows, 0, 0));
	arena_free(&a);
	return n;
}
