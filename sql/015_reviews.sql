-- Reviews: their author may edit them, the event's organizer replies once,
-- signed-in people report them and site admins hide abusive ones. A hidden
-- review stays (its author still sees it) but leaves the event's counters.
--
-- The event row keeps, beside rating_sum and rating_count, how many shown
-- reviews gave each number of stars, so the event page draws its
-- breakdown without reading the reviews; reviews.c changes all seven in
-- the transaction that changes the review.
ALTER TABLE events
  ADD COLUMN rating_1 INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN rating_2 INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN rating_3 INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN rating_4 INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN rating_5 INT UNSIGNED NOT NULL DEFAULT 0;

UPDATE events e SET
  e.rating_1 = (SELECT COUNT(*) FROM reviews r WHERE r.event_id = e.id AND r.rating = 1),
  e.rating_2 = (SELECT COUNT(*) FROM reviews r WHERE r.event_id = e.id AND r.rating = 2),
  e.rating_3 = (SELECT COUNT(*) FROM reviews r WHERE r.event_id = e.id AND r.rating = 3),
  e.rating_4 = (SELECT COUNT(*) FROM reviews r WHERE r.event_id = e.id AND r.rating = 4),
  e.rating_5 = (SELECT COUNT(*) FROM reviews r WHERE r.event_id = e.id AND r.rating = 5);

-- reports counts the review_reports rows, for the moderation queue's order
-- (most reported first) without a count per row.
ALTER TABLE reviews
  ADD COLUMN updated_at DATETIME NULL,
  ADD COLUMN reply      TEXT NULL,
  ADD COLUMN replied_at DATETIME NULL,
  ADD COLUMN reports    INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN hidden_at  DATETIME NULL,
  ADD COLUMN hidden_by  BIGINT UNSIGNED NULL,
  ADD CONSTRAINT reviews_hidden_by FOREIGN KEY (hidden_by) REFERENCES users (id),
  ADD CONSTRAINT reviews_reply CHECK ((reply IS NULL) = (replied_at IS NULL)),
  ADD KEY reviews_reported (reports, hidden_at);

-- One report per person and review; the reason is what they wrote.
CREATE TABLE review_reports (
  review_id   BIGINT UNSIGNED NOT NULL,
  reporter_id BIGINT UNSIGNED NOT NULL,
  reason      VARCHAR(500) NOT NULL DEFAULT '',
  created_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  PRIMARY KEY (review_id, reporter_id),
  CONSTRAINT review_reports_review FOREIGN KEY (review_id) REFERENCES reviews (id)
    ON DELETE CASCADE,
  CONSTRAINT review_reports_reporter FOREIGN KEY (reporter_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
