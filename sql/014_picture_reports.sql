-- Moderation of pictures: anyone signed in reports a picture with a
-- reason, once; a site admin hides it (gone from every list and page,
-- its original no longer handed out) or deletes it, and its reports are
-- resolved with it.

ALTER TABLE pictures
  MODIFY status ENUM('processing','ready','failed','hidden') NOT NULL DEFAULT 'processing';

CREATE TABLE picture_reports (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  picture_id   BIGINT UNSIGNED NOT NULL,
  reporter_id  BIGINT UNSIGNED NOT NULL,
  reason       VARCHAR(500) NOT NULL,
  created_at   DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  resolved_at  DATETIME NULL,
  UNIQUE KEY picture_reports_once (picture_id, reporter_id),
  CONSTRAINT picture_reports_picture FOREIGN KEY (picture_id)
    REFERENCES pictures (id) ON DELETE CASCADE,
  CONSTRAINT picture_reports_reporter FOREIGN KEY (reporter_id)
    REFERENCES users (id),
  KEY picture_reports_open (resolved_at, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
