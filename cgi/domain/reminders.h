/*
 * "Your event is tomorrow": the day before a published event, every
 * holder of a paid order hears it once (a notification and a mail with
 * their ticket links and the event's .ics), and its organizer once ("starts
 * in 24 h: N sold, M checked in").
 *
 * The worker calls reminders_run() on a schedule. Each batch of holders
 * is one transaction that locks the event, records each holder in
 * event_reminders (its primary key is the "once"), writes their
 * notifications and queues their mails; the last batch also tells the
 * organizer and sets events.reminded_at. A worker stopped or killed
 * mid-batch rolls that batch back; two workers queue on the event's lock.
 */
#ifndef TESSERA_REMINDERS_H
#define TESSERA_REMINDERS_H

struct arena;
struct config;
struct db;

#define REMINDERS_BATCH 50       /* holders per transaction */
#define REMINDERS_EVENTS 10      /* events per run */

/* Sends the reminders that are due, at most REMINDERS_EVENTS events'
 * worth of batches. Returns how many people were reminded, or -1
 * (logged). */
int reminders_run(struct db *db, const struct config *cfg, struct arena *a);

#endif
