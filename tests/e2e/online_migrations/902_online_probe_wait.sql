-- Test only (test_online_migrate.py): applied while a long transaction
-- holds ticket_types, so that `tessera migrate` must give the lock up and
-- try again rather than queue the site's queries behind it.
ALTER TABLE ticket_types ADD COLUMN online_probe_2 INT NULL, ALGORITHM=INSTANT;
