/*
 * The organizers' daily digest of new bookings: an organizer who turned
 * on the mail of "new bookings" (notify.h's NOTIFY_NEW_BOOKINGS, off by
 * default) gets, once per UTC day, one notification and one mail counting
 * the paid orders of each of their events in the last 24 hours, instead
 * of one per booking. organizer_digests' key makes it once a day, in the
 * transaction that writes them.
 */
#ifndef TESSERA_DIGEST_H
#define TESSERA_DIGEST_H

struct arena;
struct config;
struct db;

#define DIGEST_BATCH 50          /* organizers per run */

/* Sends the digests due today. Returns how many went out, or -1. */
int digest_run(struct db *db, const struct config *cfg, struct arena *a);

#endif
