-- Test only (test_online_migrate.py applies it to the test stack while it
-- serves, then takes it back): additive changes written as a migration
-- that runs under load must be. A new table; a column added in place
-- (ALGORITHM=INSTANT: the table is not copied, writes do not wait); an
-- index built online (INPLACE, LOCK=NONE: reads and writes go on).
CREATE TABLE online_probe (
  id    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  note  VARCHAR(100) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE ticket_types ADD COLUMN online_probe INT NULL, ALGORITHM=INSTANT;
ALTER TABLE orders ADD INDEX orders_online_probe (created_at), ALGORITHM=INPLACE, LOCK=NONE;
