-- One account per program, each with only the grants that program needs
-- (least privilege, see DESIGN.md). database.sql made the database and the
-- account that migrates it; this file runs after `tessera migrate`, so
-- that it can grant on the tables the migrations made. ./stack runs it on
-- the primary as root after the migrations, so it replicates too, and
-- fills in the password placeholders from var/secrets.env. It is
-- idempotent: running it again resets the passwords to the given ones.
--
-- Every account exists as 'name'@'localhost' (unix socket) and
-- 'name'@'127.0.0.1' (TCP to this host), created and altered with its own
-- password placeholder (tessera_app's is APP_PASSWORD between at-signs),
-- and granted what it needs. With database.sql's, the accounts are
-- exactly those of the table of programs in ./stack (account column):
-- `./stack check`, which every ./stack up and test runs, fails when they
-- differ.

-- tessera-browse: public pages; reads only. SLAVE MONITOR lets it read
-- SHOW REPLICA STATUS to skip a lagging replica.
CREATE USER IF NOT EXISTS 'tessera_browse'@'localhost' IDENTIFIED BY '@BROWSE_PASSWORD@';
CREATE USER IF NOT EXISTS 'tessera_browse'@'127.0.0.1' IDENTIFIED BY '@BROWSE_PASSWORD@';
ALTER USER 'tessera_browse'@'localhost' IDENTIFIED BY '@BROWSE_PASSWORD@';
ALTER USER 'tessera_browse'@'127.0.0.1' IDENTIFIED BY '@BROWSE_PASSWORD@';
GRANT SELECT ON tessera.* TO 'tessera_browse'@'localhost';
GRANT SELECT ON tessera.* TO 'tessera_browse'@'127.0.0.1';
GRANT SLAVE MONITOR ON *.* TO 'tessera_browse'@'localhost';
GRANT SLAVE MONITOR ON *.* TO 'tessera_browse'@'127.0.0.1';

-- tessera-app: what a signed-in person does. It reads replicas too, so it
-- may see their status.
CREATE USER IF NOT EXISTS 'tessera_app'@'localhost' IDENTIFIED BY '@APP_PASSWORD@';
CREATE USER IF NOT EXISTS 'tessera_app'@'127.0.0.1' IDENTIFIED BY '@APP_PASSWORD@';
ALTER USER 'tessera_app'@'localhost' IDENTIFIED BY '@APP_PASSWORD@';
ALTER USER 'tessera_app'@'127.0.0.1' IDENTIFIED BY '@APP_PASSWORD@';
GRANT SELECT, INSERT, UPDATE, DELETE ON tessera.* TO 'tessera_app'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON tessera.* TO 'tessera_app'@'127.0.0.1';
GRANT SLAVE MONITOR ON *.* TO 'tessera_app'@'localhost';
GRANT SLAVE MONITOR ON *.* TO 'tessera_app'@'127.0.0.1';

-- tessera-admin: organizer and site-admin pages; reads replicas too.
CREATE USER IF NOT EXISTS 'tessera_admin'@'localhost' IDENTIFIED BY '@ADMIN_PASSWORD@';
CREATE USER IF NOT EXISTS 'tessera_admin'@'127.0.0.1' IDENTIFIED BY '@ADMIN_PASSWORD@';
ALTER USER 'tessera_admin'@'localhost' IDENTIFIED BY '@ADMIN_PASSWORD@';
ALTER USER 'tessera_admin'@'127.0.0.1' IDENTIFIED BY '@ADMIN_PASSWORD@';
GRANT SELECT, INSERT, UPDATE, DELETE ON tessera.* TO 'tessera_admin'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON tessera.* TO 'tessera_admin'@'127.0.0.1';
GRANT SLAVE MONITOR ON *.* TO 'tessera_admin'@'localhost';
GRANT SLAVE MONITOR ON *.* TO 'tessera_admin'@'127.0.0.1';

-- tessera-worker: the outbox consumer.
CREATE USER IF NOT EXISTS 'tessera_worker'@'localhost' IDENTIFIED BY '@WORKER_PASSWORD@';
CREATE USER IF NOT EXISTS 'tessera_worker'@'127.0.0.1' IDENTIFIED BY '@WORKER_PASSWORD@';
ALTER USER 'tessera_worker'@'localhost' IDENTIFIED BY '@WORKER_PASSWORD@';
ALTER USER 'tessera_worker'@'127.0.0.1' IDENTIFIED BY '@WORKER_PASSWORD@';
GRANT SELECT, INSERT, UPDATE, DELETE ON tessera.* TO 'tessera_worker'@'localhost';
GRANT SELECT, INSERT, UPDATE, DELETE ON tessera.* TO 'tessera_worker'@'127.0.0.1';
