/*
 * Choosing an event's banner: one of its organizer's own pictures, shown
 * (ready), or none. events.c reads it with the event (struct
 * event_banner), so a picture hidden since shows no banner and a deleted
 * one leaves none (the foreign key sets it NULL).
 */
#ifndef TESSERA_EVENT_BANNER_H
#define TESSERA_EVENT_BANNER_H

struct db;

/* Sets event_id's banner to picture_id (0: none) in the caller's
 * transaction. Returns 0; 1 when picture_id is not a shown picture of
 * owner_id's, having changed nothing; -1. */
int event_banner_set(struct db *db, long long event_id, long long owner_id,
    long long picture_id);

#endif
