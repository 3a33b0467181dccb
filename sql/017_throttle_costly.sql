-- Sign-ups, reset requests and new passwords are counted per client
-- network before their hash or mail (cgi/domain/throttle.c), in a scope of
-- their own beside sign-ins' per account and per network.
ALTER TABLE login_throttle
  MODIFY scope ENUM('account','ip','costly') NOT NULL;
