"""A site admin's powers over other accounts need more than a session:
changing an account's role or access asks for the password again
(/me/confirm, valid five minutes), and an admin's session ends after 30
minutes without a request (an attendee's lasts days)."""

import tap
from fixtures import account, location, sign_in, value


def csrf(c, path):
    return tap.form_value(c.get(path).body, "csrf")


admin_email, admin_id = account("admin", "admin")
target_email, target_id = account("target", "attendee")
admin = sign_in(admin_email)

# ---- a role change without the password again
r = admin.post("/admin/users/%d/role" % target_id,
               {"role": "organizer", "csrf": csrf(admin, "/admin/users")})
tap.is_eq((r.status, location(r)), (303, "/me/confirm?next=%2Fadmin%2Fusers"),
          "a role change first sends the admin to confirm the password")
tap.is_eq(value("SELECT role FROM users WHERE id = %d" % target_id), "attendee",
          "and changes nothing")
r = admin.post("/admin/users/%d/access" % target_id,
               {"action": "disable", "csrf": csrf(admin, "/admin/users")})
tap.is_eq(r.status, 303, "disabling an account too")
tap.ok(value("SELECT disabled_at FROM users WHERE id = %d" % target_id) == "NULL",
       "which stays enabled")

r = admin.get("/me/confirm?next=%2Fadmin%2Fusers")
tap.is_eq(r.status, 200, "GET /me/confirm")
tap.ok('name="password"' in r.body and 'value="/admin/users"' in r.body,
       "asks for the password and keeps where to go back")
tap.is_eq(tap.get("/me/confirm").status, 303, "a visitor is sent to sign in first")
r = admin.post("/me/confirm", {"password": "not my password", "next": "/admin/users",
                               "csrf": csrf(admin, "/me/confirm")})
tap.is_eq(r.status, 400, "a wrong password is refused, the form shown again")
tap.is_eq(value("SELECT COUNT(*) FROM audit_log WHERE user_id = %d AND "
                "action = 'password.confirm_failed'" % admin_id), "1", "and logged")
r = admin.post("/me/confirm", {"password": "tessera-demo", "next": "//evil.example/",
                               "csrf": csrf(admin, "/me/confirm")})
tap.is_eq((r.status, location(r)), (303, "/me"),
          "the right password leads on, never to another site")
r = admin.post("/admin/users/%d/role" % target_id,
               {"role": "organizer", "csrf": csrf(admin, "/admin/users")})
tap.is_eq((r.status, location(r)), (303, "/admin/users?done=role"),
          "once confirmed, the role change goes through")
tap.is_eq(value("SELECT role FROM users WHERE id = %d" % target_id), "organizer",
          "the account is an organizer")

# ---- five minutes later it asks again
value("UPDATE sessions SET confirmed_at = UTC_TIMESTAMP() - INTERVAL 301 SECOND "
      "WHERE user_id = %d" % admin_id)
r = admin.post("/admin/users/%d/role" % target_id,
               {"role": "attendee", "csrf": csrf(admin, "/admin/users")})
tap.is_eq(r.status, 303, "after five minutes the password is asked again")
tap.like(location(r), r"^/me/confirm", "on the confirmation page")
tap.is_eq(value("SELECT role FROM users WHERE id = %d" % target_id), "organizer",
          "and the role stays")

# ---- a confirmation belongs to its session
other = sign_in(admin_email)
r = other.post("/admin/users/%d/role" % target_id,
               {"role": "attendee", "csrf": csrf(other, "/admin/users")})
tap.like(location(r), r"^/me/confirm", "another session of the admin must confirm on its own")

# ---- idle expiry
attendee_email, attendee_id = account("idle", "attendee")
att = sign_in(attendee_email)
value("UPDATE sessions SET last_seen_at = UTC_TIMESTAMP() - INTERVAL 31 MINUTE "
      "WHERE user_id IN (%d, %d)" % (admin_id, attendee_id))
r = admin.get("/admin/users")
tap.is_eq(r.status, 303, "an admin's session idle for 31 minutes is over")
tap.like(location(r), r"^/login", "and the admin is asked to sign in")
tap.is_eq(att.get("/me").status, 200, "an attendee's idle for as long still works")
value("UPDATE sessions SET last_seen_at = UTC_TIMESTAMP() - INTERVAL 25 MINUTE "
      "WHERE user_id = %d" % admin_id)
tap.is_eq(other.get("/admin/users").status, 200, "an admin's idle for 25 minutes still works")
tap.ok(int(value("SELECT TIMESTAMPDIFF(SECOND, MAX(last_seen_at), UTC_TIMESTAMP()) "
                 "FROM sessions WHERE user_id = %d" % admin_id)) < 60,
       "and that request kept it alive")
tap.done()
