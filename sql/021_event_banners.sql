-- An event's banner: one of its organizer's uploads, chosen at
-- /admin/events/{id}/banner, shown on the event's page and its cards
-- while the picture is shown (ready: a hidden one is no banner). A
-- deleted picture leaves the event without one.
ALTER TABLE events
  ADD COLUMN banner_picture_id BIGINT UNSIGNED NULL,
  ADD CONSTRAINT events_banner FOREIGN KEY (banner_picture_id)
    REFERENCES pictures (id) ON DELETE SET NULL;
