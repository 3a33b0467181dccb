-- In-app notifications and what mail each person wants.
--
-- A notification is for one person, of one kind (notify.c's table of
-- kinds), about one thing (subject_id: an order, an event, a review, a
-- picture) with a link to it. Kinds that aggregate ("12 people liked ...")
-- keep one unread row per person, kind and subject: open_subject holds
-- subject_id while the row is unread and NULL once read, so the unique
-- key finds the open row and a read one never blocks the next.
--
-- users.unread_notifications counts a person's unread rows; it changes in
-- the transaction that adds or reads them, and the session lookup reads
-- it, so the page header shows it without a query of its own.
ALTER TABLE users
  ADD COLUMN unread_notifications INT UNSIGNED NOT NULL DEFAULT 0;

CREATE TABLE notifications (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id       BIGINT UNSIGNED NOT NULL,
  kind          VARCHAR(32) NOT NULL,
  subject_id    BIGINT UNSIGNED NOT NULL,
  open_subject  BIGINT UNSIGNED NULL,
  text          VARCHAR(300) NOT NULL,
  subject       VARCHAR(200) NOT NULL DEFAULT '',
  link          VARCHAR(300) NOT NULL,
  actors        INT UNSIGNED NOT NULL DEFAULT 1,
  created_at    DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at    DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  read_at       DATETIME NULL,
  CONSTRAINT notifications_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT notifications_open_unread CHECK ((open_subject IS NULL) OR
    (open_subject = subject_id AND read_at IS NULL)),
  UNIQUE KEY notifications_open (user_id, kind, open_subject),
  KEY notifications_latest (user_id, updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A person's choice for one kind's mail, where it differs from the kind's
-- default (no row: the default).
CREATE TABLE notification_prefs (
  user_id  BIGINT UNSIGNED NOT NULL,
  kind     VARCHAR(32) NOT NULL,
  mail     TINYINT(1) NOT NULL,
  PRIMARY KEY (user_id, kind),
  CONSTRAINT notification_prefs_user FOREIGN KEY (user_id) REFERENCES users (id),
  KEY notification_prefs_by_kind (kind, mail)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
