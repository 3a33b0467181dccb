-- Door staff: accounts an organizer lets check tickets in at one event,
-- and nothing else of it (no buyers' addresses, no revenue).
CREATE TABLE event_staff (
  event_id    BIGINT UNSIGNED NOT NULL,
  user_id     BIGINT UNSIGNED NOT NULL,
  granted_by  BIGINT UNSIGNED NOT NULL,
  granted_at  DATETIME NOT NULL DEFAULT UTC_TIMESTAMP(),
  PRIMARY KEY (event_id, user_id),
  CONSTRAINT event_staff_event FOREIGN KEY (event_id) REFERENCES events (id),
  CONSTRAINT event_staff_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT event_staff_granted_by FOREIGN KEY (granted_by) REFERENCES users (id),
  KEY event_staff_by_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
