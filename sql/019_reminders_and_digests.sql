-- The day before an event, the worker tells each ticket holder once, and
-- its organizer once. A row here is the reminder of one person for one
-- event: its primary key is what makes it once, whichever worker gets
-- there and however often it starts again. events.reminded_at is set once
-- every holder has had theirs and the organizer theirs, so the scan
-- leaves the event alone from then on.
CREATE TABLE event_reminders (
  event_id  BIGINT UNSIGNED NOT NULL,
  user_id   BIGINT UNSIGNED NOT NULL,
  sent_at   DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  PRIMARY KEY (event_id, user_id),
  CONSTRAINT event_reminders_event FOREIGN KEY (event_id) REFERENCES events (id),
  CONSTRAINT event_reminders_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE events
  ADD COLUMN reminded_at DATETIME NULL,
  ADD KEY events_to_remind (status, reminded_at, starts_at);

-- The daily digest of new bookings, for organizers who asked for it by
-- mail (notification_prefs, kind new_bookings): one row per organizer and
-- UTC day it was made, so each day's goes out once.
CREATE TABLE organizer_digests (
  user_id  BIGINT UNSIGNED NOT NULL,
  day      DATE NOT NULL,
  sent_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  PRIMARY KEY (user_id, day),
  CONSTRAINT organizer_digests_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
