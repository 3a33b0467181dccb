-- One account per program, each with only the privileges its code uses,
-- on only the tables (and, where it protects something, the columns) it
-- uses (least privilege, see DESIGN.md). database.sql made the database and
-- the account that migrates it; this file grants on tables, which MariaDB
-- refuses before they exist, so it runs after `tessera migrate`, and again
-- after every migration that adds a table. ./stack runs it on the primary
-- as root after the migrations, so it replicates too, and fills in the
-- password placeholders from var/secrets.env.
--
-- It is idempotent and converges: each account first loses everything it
-- had (an older install granted ON tessera.*), then gets what is below.
-- Between the two, for a few statements, that program's queries are
-- refused; run it as a step of a deploy, as `tessera migrate` is.
--
-- Every account exists as 'name'@'localhost' (unix socket) and
-- 'name'@'127.0.0.1' (TCP to this host), created and altered with its own
-- password placeholder (tessera_app's is APP_PASSWORD between at-signs),
-- and granted the same from both. With database.sql's, the accounts are
-- exactly those of the table of programs in ./stack (account column):
-- `./stack check` fails when they differ. tests/check-grants (make check)
-- fails when a program's code does to a table what its account may not
-- here, and tests/e2e/test_stack.py compares every account's grants with
-- the list it keeps and tries what each may and may not do.
--
-- An UPDATE or DELETE with a WHERE reads the rows it changes: MariaDB asks
-- for SELECT on the columns it reads as well.

-- tessera-browse: public pages; reads only. Of users, what pages and the
-- session show, never password hashes; pictures and who liked them, for
-- the galleries, and who bought which (a picture's page offers its
-- buyer the download while the order is paid: of orders, only that). SLAVE MONITOR lets it read SHOW
-- REPLICA STATUS to skip a lagging replica.
CREATE USER IF NOT EXISTS 'tessera_browse'@'localhost' IDENTIFIED BY '@BROWSE_PASSWORD@';
CREATE USER IF NOT EXISTS 'tessera_browse'@'127.0.0.1' IDENTIFIED BY '@BROWSE_PASSWORD@';
ALTER USER 'tessera_browse'@'localhost' IDENTIFIED BY '@BROWSE_PASSWORD@';
ALTER USER 'tessera_browse'@'127.0.0.1' IDENTIFIED BY '@BROWSE_PASSWORD@';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'tessera_browse'@'localhost', 'tessera_browse'@'127.0.0.1';
GRANT SLAVE MONITOR ON *.* TO 'tessera_browse'@'localhost', 'tessera_browse'@'127.0.0.1';
GRANT SELECT ON tessera.events TO 'tessera_browse'@'localhost', 'tessera_browse'@'127.0.0.1';
GRANT SELECT ON tessera.ticket_types TO 'tessera_browse'@'localhost', 'tessera_browse'@'127.0.0.1';
GRANT SELECT ON tessera.reviews TO 'tessera_browse'@'localhost', 'tessera_browse'@'127.0.0.1';
GRANT SELECT ON tessera.pictures TO 'tessera_browse'@'localhost', 'tessera_browse'@'127.0.0.1';
GRANT SELECT ON tessera.picture_likes TO 'tessera_browse'@'localhost', 'tessera_browse'@'127.0.0.1';
GRANT SELECT ON tessera.picture_purchases TO 'tessera_browse'@'localhost', 'tessera_browse'@'127.0.0.1';
GRANT SELECT (id, status) ON tessera.orders TO 'tessera_browse'@'localhost', 'tessera_browse'@'127.0.0.1';
GRANT SELECT ON tessera.sessions TO 'tessera_browse'@'localhost', 'tessera_browse'@'127.0.0.1';
GRANT SELECT (id, email, display_name, role, email_verified_at, disabled_at, deleted_at, unread_notifications) ON tessera.users TO 'tessera_browse'@'localhost', 'tessera_browse'@'127.0.0.1';

-- tessera-app: what a signed-in person does: accounts, sign-in, booking,
-- checkout and payments. It reads replicas too, so it may see their
-- status. It may write a person's own columns of users, never role: only
-- tessera-admin and `tessera create-admin` make organizers and admins. It
-- appends to the outbox and the audit log but reads neither, and deletes
-- no order, ticket or account (an account is anonymised). Reviews are
-- their authors' to write, edit and delete, the organizer's to reply to,
-- anyone's to report; of events it changes only the review counters.
-- Of notifications a person reads theirs and marks them read (the counter
-- in users with them) and chooses which kinds are mailed.
-- A person's own pictures: uploaded, edited (never their file, size or
-- status; filed under an event's gallery) and deleted, and likes given and taken back with the count beside them;
-- a report of a picture, added but never read back. Buying a picture is
-- an order of it: paid, the buyer's picture_purchases row and the
-- picture's sales counters; refunded, the row goes.
CREATE USER IF NOT EXISTS 'tessera_app'@'localhost' IDENTIFIED BY '@APP_PASSWORD@';
CREATE USER IF NOT EXISTS 'tessera_app'@'127.0.0.1' IDENTIFIED BY '@APP_PASSWORD@';
ALTER USER 'tessera_app'@'localhost' IDENTIFIED BY '@APP_PASSWORD@';
ALTER USER 'tessera_app'@'127.0.0.1' IDENTIFIED BY '@APP_PASSWORD@';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT SLAVE MONITOR ON *.* TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT SELECT, INSERT (email, display_name, password_hash, password_changed_at), UPDATE (email, display_name, password_hash, password_changed_at, email_verified_at, deleted_at, unread_notifications) ON tessera.users TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON tessera.sessions TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON tessera.account_tokens TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON tessera.login_throttle TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT INSERT ON tessera.audit_log TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT INSERT ON tessera.outbox TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT SELECT ON tessera.events TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT SELECT, UPDATE ON tessera.ticket_types TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE ON tessera.orders TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT SELECT, INSERT ON tessera.order_lines TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT SELECT, INSERT ON tessera.order_history TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE ON tessera.tickets TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT INSERT ON tessera.payment_events TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT SELECT, INSERT (event_id, author_id, rating, comment), UPDATE (rating, comment, updated_at, reply, replied_at, reports), DELETE ON tessera.reviews TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT INSERT ON tessera.review_reports TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT SELECT, UPDATE (read_at, open_subject) ON tessera.notifications TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE ON tessera.notification_prefs TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT UPDATE (rating_sum, rating_count, rating_1, rating_2, rating_3, rating_4, rating_5) ON tessera.events TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE (title, description, price_cents, licence, like_count, updated_at, sales_count, sales_cents, event_id), DELETE ON tessera.pictures TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT SELECT, INSERT, DELETE ON tessera.picture_likes TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT INSERT (picture_id, reporter_id, reason) ON tessera.picture_reports TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';
GRANT SELECT, INSERT, DELETE ON tessera.picture_purchases TO 'tessera_app'@'localhost', 'tessera_app'@'127.0.0.1';

-- tessera-admin: organizer and site-admin pages; reads replicas too. Of
-- users it reads what the pages list, never password hashes, and changes
-- only the role and whether an account is disabled (ending its
-- sessions). Orders, their lines, history and tickets, and ticket types'
-- counters are for an organizer marking an offline order paid; of a
-- ticket it changes only checked_in_at, at the door. Events and their
-- ticket types are the organizer's to create, edit, copy and delete (a
-- draft without orders; events_admin.c keeps the seat counters out of its
-- writes) and to cancel (the outbox row that undoes its orders); door
-- staff; it reads the workers' heartbeats for the status page; and of
-- reviews, a site admin hides and shows reported ones (their counters in
-- events move with them). Cancelling an order tells its buyer: a
-- notification (and the counter in users) and its mail, as they chose.
-- A site admin reads pictures' reports and hides (status) or deletes a picture,
-- resolving its reports.
CREATE USER IF NOT EXISTS 'tessera_admin'@'localhost' IDENTIFIED BY '@ADMIN_PASSWORD@';
CREATE USER IF NOT EXISTS 'tessera_admin'@'127.0.0.1' IDENTIFIED BY '@ADMIN_PASSWORD@';
ALTER USER 'tessera_admin'@'localhost' IDENTIFIED BY '@ADMIN_PASSWORD@';
ALTER USER 'tessera_admin'@'127.0.0.1' IDENTIFIED BY '@ADMIN_PASSWORD@';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';
GRANT SLAVE MONITOR ON *.* TO 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';
GRANT SELECT (id, email, display_name, role, email_verified_at, disabled_at, deleted_at, created_at, unread_notifications), UPDATE (role, disabled_at, unread_notifications) ON tessera.users TO 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';
GRANT SELECT, UPDATE, DELETE ON tessera.sessions TO 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';
GRANT SELECT, INSERT ON tessera.audit_log TO 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE ON tessera.outbox TO 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON tessera.events TO 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON tessera.ticket_types TO 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';
GRANT SELECT, UPDATE ON tessera.orders TO 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';
GRANT SELECT ON tessera.order_lines TO 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';
GRANT SELECT, INSERT ON tessera.order_history TO 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';
GRANT SELECT, UPDATE (checked_in_at) ON tessera.tickets TO 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';
GRANT SELECT, INSERT, DELETE ON tessera.event_staff TO 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';
GRANT SELECT ON tessera.worker_heartbeat TO 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';
GRANT SELECT, UPDATE (hidden_at, hidden_by) ON tessera.reviews TO 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';
GRANT SELECT ON tessera.review_reports TO 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';
GRANT INSERT ON tessera.notifications TO 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';
GRANT SELECT ON tessera.notification_prefs TO 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';
GRANT SELECT, UPDATE (status), DELETE ON tessera.pictures TO 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';
GRANT SELECT, UPDATE (resolved_at) ON tessera.picture_reports TO 'tessera_admin'@'localhost', 'tessera_admin'@'127.0.0.1';

-- tessera-worker: the outbox consumer; it expires unpaid holds (their
-- seats go back to the ticket types) and purges sessions, tokens and
-- throttle rows that ran out. Undoing a cancelled event's orders it reads
-- the event, the orders' lines and their buyers' names and addresses (no
-- password hashes) and queues their mails; it writes its heartbeat. It
-- writes notifications (an aggregated one, "12 people liked", counts up in
-- place: it reads the key it meets and the count) with the counter in users, and reads
-- what each person wants mailed. The day before an event it records each
-- holder's reminder and, once all are told, the event's reminded_at; and
-- each organizer's daily digest.
-- Of pictures it reads what it derives sizes from and writes only their
-- status and the derived sizes' dimensions.
CREATE USER IF NOT EXISTS 'tessera_worker'@'localhost' IDENTIFIED BY '@WORKER_PASSWORD@';
CREATE USER IF NOT EXISTS 'tessera_worker'@'127.0.0.1' IDENTIFIED BY '@WORKER_PASSWORD@';
ALTER USER 'tessera_worker'@'localhost' IDENTIFIED BY '@WORKER_PASSWORD@';
ALTER USER 'tessera_worker'@'127.0.0.1' IDENTIFIED BY '@WORKER_PASSWORD@';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE ON tessera.outbox TO 'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1';
GRANT SELECT, UPDATE ON tessera.orders TO 'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1';
GRANT INSERT ON tessera.order_history TO 'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1';
GRANT SELECT ON tessera.tickets TO 'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1';
GRANT SELECT ON tessera.order_lines TO 'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1';
GRANT SELECT ON tessera.events TO 'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1';
GRANT SELECT (id, email, display_name, disabled_at, unread_notifications), UPDATE (unread_notifications) ON tessera.users TO 'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1';
GRANT SELECT (id, user_id, kind, open_subject, actors), INSERT, UPDATE (actors, updated_at) ON tessera.notifications TO 'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1';
GRANT SELECT ON tessera.notification_prefs TO 'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1';
GRANT SELECT, INSERT ON tessera.event_reminders TO 'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1';
GRANT SELECT, INSERT ON tessera.organizer_digests TO 'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1';
GRANT UPDATE (reminded_at) ON tessera.events TO 'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON tessera.worker_heartbeat TO 'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1';
GRANT SELECT, UPDATE ON tessera.ticket_types TO 'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1';
GRANT SELECT, DELETE ON tessera.sessions TO 'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1';
GRANT SELECT, DELETE ON tessera.account_tokens TO 'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1';
GRANT SELECT, DELETE ON tessera.login_throttle TO 'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1';
GRANT SELECT, UPDATE (status, thumb_width, thumb_height, preview_width, preview_height) ON tessera.pictures TO 'tessera_worker'@'localhost', 'tessera_worker'@'127.0.0.1';
