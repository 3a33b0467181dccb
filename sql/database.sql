-- The database and the account that owns its schema, before any migration
-- (see DESIGN.md, least privilege). The programs' accounts are granted
-- table by table in grants.sql, which can only run once `tessera migrate`
-- has made the tables: MariaDB refuses a grant on a table that does not
-- exist. ./stack runs this on the primary as root after replication is
-- set up, so it replicates too, and fills in the password placeholder from
-- var/secrets.env. It is idempotent: running it again resets the password
-- to the given one and the grants to these.
--
-- The account exists as 'name'@'localhost' (unix socket) and
-- 'name'@'127.0.0.1' (TCP to this host), created and altered with its
-- password placeholder (MIGRATE_PASSWORD between at-signs). It is the
-- account of migrate in the table of programs in ./stack (account column);
-- `./stack check` fails when they differ.

CREATE DATABASE IF NOT EXISTS tessera
  CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- tessera migrate: owns the schema, and loads the demo data of the local
-- stack.
CREATE USER IF NOT EXISTS 'tessera_migrate'@'localhost' IDENTIFIED BY '@MIGRATE_PASSWORD@';
CREATE USER IF NOT EXISTS 'tessera_migrate'@'127.0.0.1' IDENTIFIED BY '@MIGRATE_PASSWORD@';
ALTER USER 'tessera_migrate'@'localhost' IDENTIFIED BY '@MIGRATE_PASSWORD@';
ALTER USER 'tessera_migrate'@'127.0.0.1' IDENTIFIED BY '@MIGRATE_PASSWORD@';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'tessera_migrate'@'localhost', 'tessera_migrate'@'127.0.0.1';
GRANT ALL PRIVILEGES ON tessera.* TO 'tessera_migrate'@'localhost', 'tessera_migrate'@'127.0.0.1';
