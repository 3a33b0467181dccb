-- Accounts: server-side sessions, single-use mailed tokens, sign-in
-- throttling, and what an account deletion leaves behind.

-- A signed-in browser. Only the SHA-256 of the cookie's token is stored,
-- so a copy of this table signs no one in.
CREATE TABLE sessions (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  token_hash    BINARY(32) NOT NULL,
  user_id       BIGINT UNSIGNED NOT NULL,
  csrf_secret   BINARY(32) NOT NULL,
  created_at    DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  last_seen_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  expires_at    DATETIME NOT NULL,
  ip            VARCHAR(45) NOT NULL DEFAULT '',
  user_agent    VARCHAR(255) NOT NULL DEFAULT '',
  UNIQUE KEY sessions_token (token_hash),
  KEY sessions_by_user (user_id),
  KEY sessions_expiry (expires_at),
  CONSTRAINT sessions_user FOREIGN KEY (user_id) REFERENCES users (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Links mailed to a person: verify an address, reset a password, confirm
-- a new address. Stored hashed; single use (used_at); expiring.
CREATE TABLE account_tokens (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id     BIGINT UNSIGNED NOT NULL,
  purpose     ENUM('verify','reset','email_change') NOT NULL,
  token_hash  BINARY(32) NOT NULL,
  new_email   VARCHAR(254) NULL,
  created_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  expires_at  DATETIME NOT NULL,
  used_at     DATETIME NULL,
  UNIQUE KEY account_tokens_hash (token_hash),
  KEY account_tokens_recent (user_id, purpose, created_at),
  CONSTRAINT account_tokens_user FOREIGN KEY (user_id) REFERENCES users (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Failed sign-ins per account and per client address. A lock is always
-- temporary: it grows with repeated failures but is capped, and a success
-- clears the account's row, so no one can lock a victim out for good.
CREATE TABLE login_throttle (
  scope         ENUM('account','ip') NOT NULL,
  subject       VARCHAR(254) NOT NULL,
  failures      INT UNSIGNED NOT NULL DEFAULT 0,
  last_failure  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  locked_until  DATETIME NULL,
  PRIMARY KEY (scope, subject)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE users
  ADD COLUMN deleted_at DATETIME NULL AFTER disabled_at,
  ADD COLUMN password_changed_at DATETIME NULL AFTER password_hash;
