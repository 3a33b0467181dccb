-- When the person of a session last typed their password again
-- (/me/confirm): a site admin's change of an account's role or access
-- needs it within the last minutes (cgi/web/session_confirm.c).
ALTER TABLE sessions
  ADD COLUMN confirmed_at DATETIME NULL;
