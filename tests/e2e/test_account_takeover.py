"""A password reset or change ends every link mailed before it: an
attacker who once knew the password and started an email change to their
own address cannot use that link after the owner has reset or changed
the password (the account would be theirs)."""

import time

import tap
from fixtures import mailed_token, sign_in

DB = tap.DB_NAME
RUN = "tk%d" % (int(time.time()) % 100000000)
PASSWORD = "tessera-demo"


def value(q):
    return tap.sql_value("primary", q, database=DB)


def post_form(c, path, fields, page):
    return c.post(path, dict(fields, csrf=tap.form_value(c.get(page).body, "csrf")))


def victim(name):
    """A verified account with the demo password; its address."""
    who = "%s-%s@example.com" % (name, RUN)
    value("INSERT INTO users (email, display_name, password_hash, email_verified_at) "
          "SELECT '%s', 'Victim', password_hash, UTC_TIMESTAMP() FROM users "
          "WHERE email = 'alice@tessera.test'" % who)
    return who


def start_change(attacker, to):
    """The attacker, signed in with the known password, asks to move the
    account to `to`; the token mailed there."""
    r = post_form(attacker, "/me/email", {"email": to, "password": PASSWORD}, "/me")
    tap.is_eq(r.status, 303, "the attacker asks to move the account to %s" % to)
    token = mailed_token(to, "/verify")
    tap.ok(token, "and gets the confirmation link at that address")
    return token


def use_link(token):
    """Opens the link, then posts it as its form would: (GET status, POST
    status)."""
    c = tap.Client()
    opened = c.get("/verify?token=" + token).status
    return opened, post_form(c, "/verify", {"token": token}, "/login").status


# After a reset.
who = victim("reset")
attacker = sign_in(who, PASSWORD)
evil = "attacker-reset-%s@example.com" % RUN
token = start_change(attacker, evil)
post_form(tap.Client(), "/password/forgot", {"email": who}, "/password/forgot")
reset = mailed_token(who, "/password/reset")
tap.ok(reset, "the owner asks for a reset link")
r = post_form(tap.Client(), "/password/reset", {"token": reset, "password": "a fresh passphrase 9"},
              "/password/reset?token=" + reset)
tap.is_eq(r.status, 303, "and resets the password")
tap.is_eq(use_link(token), (410, 410), "the attacker's email-change link no longer works")
tap.is_eq(value("SELECT email FROM users WHERE email IN ('%s', '%s')" % (who, evil)), who,
          "the account keeps its owner's address")

# After a change of password by the signed-in owner.
who = victim("change")
attacker = sign_in(who, PASSWORD)
owner = sign_in(who, PASSWORD)
evil = "attacker-change-%s@example.com" % RUN
token = start_change(attacker, evil)
r = post_form(owner, "/me/password", {"current_password": PASSWORD,
                                      "new_password": "another fresh passphrase 4"}, "/me")
tap.is_eq(r.status, 303, "the owner changes the password")
tap.is_eq(use_link(token), (410, 410), "the attacker's email-change link no longer works")
tap.is_eq(value("SELECT email FROM users WHERE email IN ('%s', '%s')" % (who, evil)), who,
          "the account keeps its owner's address")
tap.is_eq(int(value("SELECT COUNT(*) FROM account_tokens t JOIN users u ON u.id = t.user_id "
                    "WHERE u.email = '%s' AND t.used_at IS NULL" % who)), 0,
          "no link of the account is left open")

value("DELETE FROM login_throttle")
tap.done()
