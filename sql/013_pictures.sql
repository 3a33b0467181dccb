-- Pictures people upload (their own work, or photos of an event they went
-- to), and who liked which. The original's bytes live in the media store
-- (cgi/core/media_store.h) under storage_key, a random name; the derived
-- sizes the worker makes from it live there too, named after the same key.

CREATE TABLE pictures (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  owner_id      BIGINT UNSIGNED NOT NULL,
  event_id      BIGINT UNSIGNED NULL,
  title         VARCHAR(120) NOT NULL,
  description   VARCHAR(2000) NOT NULL DEFAULT '',
  -- 0 is free: any signed-in person downloads the original.
  price_cents   INT UNSIGNED NOT NULL DEFAULT 0,
  currency      CHAR(3) NOT NULL DEFAULT 'EUR',
  licence       ENUM('all_rights_reserved','cc_by','cc_by_sa','cc0') NOT NULL,
  -- What decoding the upload found, never what its name or type said.
  format        ENUM('jpeg','png','webp','heif') NOT NULL,
  width         INT UNSIGNED NOT NULL,
  height        INT UNSIGNED NOT NULL,
  bytes         BIGINT UNSIGNED NOT NULL,
  -- SHA-256 of the original's bytes: one copy of a file on the site.
  sha256        BINARY(32) NOT NULL,
  storage_key   CHAR(32) NOT NULL,
  -- processing: the worker has not made the derived sizes yet; ready:
  -- shown; failed: the worker could not make them (never shown).
  status        ENUM('processing','ready','failed') NOT NULL DEFAULT 'processing',
  -- The derived sizes' dimensions (after the orientation is applied),
  -- set by the worker with status ready: the pages' width and height.
  thumb_width   INT UNSIGNED NOT NULL DEFAULT 0,
  thumb_height  INT UNSIGNED NOT NULL DEFAULT 0,
  preview_width INT UNSIGNED NOT NULL DEFAULT 0,
  preview_height INT UNSIGNED NOT NULL DEFAULT 0,
  -- Kept by the transaction that adds or removes a like (pictures.c), so
  -- pages never count picture_likes.
  like_count    INT UNSIGNED NOT NULL DEFAULT 0,
  created_at    DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at    DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY pictures_sha256 (sha256),
  UNIQUE KEY pictures_storage_key (storage_key),
  CONSTRAINT pictures_owner FOREIGN KEY (owner_id) REFERENCES users (id),
  CONSTRAINT pictures_event FOREIGN KEY (event_id) REFERENCES events (id),
  CONSTRAINT pictures_size CHECK (width >= 1 AND height >= 1),
  KEY pictures_recent (status, created_at),
  KEY pictures_popular (status, like_count, created_at),
  KEY pictures_by_event (event_id, status, created_at),
  KEY pictures_by_owner (owner_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One like per person and picture.
CREATE TABLE picture_likes (
  picture_id  BIGINT UNSIGNED NOT NULL,
  user_id     BIGINT UNSIGNED NOT NULL,
  created_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  PRIMARY KEY (picture_id, user_id),
  CONSTRAINT picture_likes_picture FOREIGN KEY (picture_id)
    REFERENCES pictures (id) ON DELETE CASCADE,
  CONSTRAINT picture_likes_user FOREIGN KEY (user_id) REFERENCES users (id),
  KEY picture_likes_by_user (user_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
