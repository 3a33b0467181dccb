/*
 * What buying pictures gives people: picture_purchases rows, written by
 * tessera-app's checkout when an order of pictures is paid, in the
 * transaction of that move; whether someone bought a picture (a row
 * whose order is still paid: a refund, by whatever program, takes the
 * download back); the pictures a person bought; and who sold what in one
 * paid order. Reads return 0, -1 (503) or ROW_BAD (500); strings are
 * arena-owned.
 */
#ifndef TESSERA_PICTURE_PURCHASES_H
#define TESSERA_PICTURE_PURCHASES_H

#include <stddef.h>
#include <time.h>

#include "db.h"
#include "row.h"

struct arena;

/* Most purchases /me/purchases lists. */
#define PICTURE_PURCHASES_MAX 200

/* In the caller's transaction, order_id just moved to paid: its buyer
 * has its pictures, and each picture counts the sale. Returns 0; 1 when
 * the buyer has one of them already (the primary key: paid twice, so
 * the caller rolls back and refunds); -1. */
int picture_purchases_give(struct db *db, long long order_id);

/* How many lines of order_id name a picture no longer on sale (deleted,
 * hidden, its owner disabled since): such an order is not paid. Returns
 * that number, or -1. */
int picture_purchases_unavailable(struct db *db, long long order_id);

/* 1 when user_id bought picture_id (a paid order, not refunded), 0 when
 * not, -1. Read on target: the primary where it grants a download. */
int picture_purchases_has(struct db *db, struct arena *a,
    enum db_target target, long long picture_id, long long user_id);

struct picture_purchase {
	long long picture_id;
	const char *title;
	int shown;                 /* public still: downloadable */
	long long price;
	const char *currency;
	time_t bought_at;
	const char *order_code;
};

/* buyer_id's purchases, latest first, at most limit. */
int picture_purchases_of_buyer(struct db *db, struct arena *a,
    long long buyer_id, int limit, struct picture_purchase **out, size_t *n);

/* A picture sold by one paid order, and to whom to say so. */
struct picture_sale {
	long long picture_id;
	const char *title;
	long long owner_id;
	const char *owner_email;   /* without an '@': a deleted account */
	const char *owner_name;
	long long price;
};

/* The pictures of order_id, with their owners, on the primary. */
int picture_purchases_sold(struct db *db, struct arena *a, long long order_id,
    struct picture_sale **out, size_t *n);

#endif
