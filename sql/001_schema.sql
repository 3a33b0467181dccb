-- Core schema: people, events, what they sell, what was sold, what people
-- thought of it, and the outbox and audit trail every later feature writes.
-- All times are UTC; events.timezone says how to show them.

CREATE TABLE users (
  id                BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email             VARCHAR(254) NOT NULL,
  display_name      VARCHAR(80) NOT NULL,
  password_hash     VARCHAR(255) NOT NULL,
  role              ENUM('attendee','organizer','admin') NOT NULL DEFAULT 'attendee',
  email_verified_at DATETIME NULL,
  disabled_at       DATETIME NULL,
  created_at        DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY users_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE events (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  organizer_id  BIGINT UNSIGNED NOT NULL,
  title         VARCHAR(200) NOT NULL,
  summary       VARCHAR(300) NOT NULL DEFAULT '',
  description   TEXT NOT NULL,
  venue         VARCHAR(200) NOT NULL,
  address       VARCHAR(300) NOT NULL DEFAULT '',
  city          VARCHAR(100) NOT NULL,
  timezone      VARCHAR(64) NOT NULL DEFAULT 'UTC',
  starts_at     DATETIME NOT NULL,
  ends_at       DATETIME NOT NULL,
  status        ENUM('draft','published','cancelled') NOT NULL DEFAULT 'draft',
  -- Kept by the transaction that adds or removes a review, so pages never
  -- aggregate over reviews.
  rating_sum    INT UNSIGNED NOT NULL DEFAULT 0,
  rating_count  INT UNSIGNED NOT NULL DEFAULT 0,
  created_at    DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  updated_at    DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  CONSTRAINT events_organizer FOREIGN KEY (organizer_id) REFERENCES users (id),
  CONSTRAINT events_times CHECK (ends_at >= starts_at),
  KEY events_listing (status, starts_at),
  KEY events_city (status, city, starts_at),
  KEY events_by_organizer (organizer_id, starts_at),
  FULLTEXT KEY events_text (title, summary, description, venue, city)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE ticket_types (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id      BIGINT UNSIGNED NOT NULL,
  name          VARCHAR(100) NOT NULL,
  description   VARCHAR(300) NOT NULL DEFAULT '',
  price_cents   INT UNSIGNED NOT NULL,
  currency      CHAR(3) NOT NULL DEFAULT 'EUR',
  quota         INT UNSIGNED NOT NULL,
  -- sold and held are kept by the booking transaction; the guarded update
  -- "sold + held + n <= quota" is what makes overselling impossible.
  sold          INT UNSIGNED NOT NULL DEFAULT 0,
  held          INT UNSIGNED NOT NULL DEFAULT 0,
  sales_start   DATETIME NULL,
  sales_end     DATETIME NULL,
  sort_order    INT NOT NULL DEFAULT 0,
  CONSTRAINT ticket_types_event FOREIGN KEY (event_id) REFERENCES events (id),
  CONSTRAINT ticket_types_capacity CHECK (sold + held <= quota),
  KEY ticket_types_by_event (event_id, sort_order)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE orders (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code            CHAR(16) NOT NULL,
  event_id        BIGINT UNSIGNED NOT NULL,
  buyer_id        BIGINT UNSIGNED NULL,
  status          ENUM('held','pending_payment','paid','cancelled','expired','refunded') NOT NULL,
  total_cents     INT UNSIGNED NOT NULL,
  currency        CHAR(3) NOT NULL,
  provider        VARCHAR(40) NULL,
  provider_ref    VARCHAR(200) NULL,
  hold_expires_at DATETIME NULL,
  created_at      DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  paid_at         DATETIME NULL,
  UNIQUE KEY orders_code (code),
  CONSTRAINT orders_event FOREIGN KEY (event_id) REFERENCES events (id),
  CONSTRAINT orders_buyer FOREIGN KEY (buyer_id) REFERENCES users (id),
  KEY orders_by_buyer (buyer_id, created_at),
  KEY orders_expiry (status, hold_expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE tickets (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  order_id        BIGINT UNSIGNED NOT NULL,
  ticket_type_id  BIGINT UNSIGNED NOT NULL,
  attendee_name   VARCHAR(100) NOT NULL DEFAULT '',
  code            CHAR(24) NOT NULL,
  checked_in_at   DATETIME NULL,
  UNIQUE KEY tickets_code (code),
  CONSTRAINT tickets_order FOREIGN KEY (order_id) REFERENCES orders (id),
  CONSTRAINT tickets_type FOREIGN KEY (ticket_type_id) REFERENCES ticket_types (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE reviews (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id    BIGINT UNSIGNED NOT NULL,
  author_id   BIGINT UNSIGNED NOT NULL,
  rating      TINYINT UNSIGNED NOT NULL,
  comment     TEXT NOT NULL,
  created_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  UNIQUE KEY reviews_one_per_person (event_id, author_id),
  CONSTRAINT reviews_event FOREIGN KEY (event_id) REFERENCES events (id),
  CONSTRAINT reviews_author FOREIGN KEY (author_id) REFERENCES users (id),
  CONSTRAINT reviews_rating CHECK (rating BETWEEN 1 AND 5),
  KEY reviews_latest (event_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE outbox (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  topic           VARCHAR(64) NOT NULL,
  payload         LONGTEXT NOT NULL CHECK (JSON_VALID(payload)),
  attempts        INT UNSIGNED NOT NULL DEFAULT 0,
  next_attempt_at DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  processed_at    DATETIME NULL,
  last_error      VARCHAR(1000) NULL,
  created_at      DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  KEY outbox_pending (processed_at, next_attempt_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE audit_log (
  id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at        DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  user_id   BIGINT UNSIGNED NULL,
  action    VARCHAR(64) NOT NULL,
  target    VARCHAR(200) NOT NULL DEFAULT '',
  ip        VARCHAR(45) NOT NULL DEFAULT '',
  detail    VARCHAR(1000) NOT NULL DEFAULT '',
  KEY audit_by_user (user_id, at),
  KEY audit_by_time (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
