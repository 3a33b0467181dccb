"""A session signed out, or an account disabled, stops working at once on
every program, even while the replica lags behind: sessions are read on
the primary. The replica is made to lag for real: a transaction on it
holds the rows the primary's sign-out and disable will change, so its
replication stalls on them while it still says it is running and a few
seconds behind (within TESSERA_REPLICA_MAX_LAG, so reads still go to it).
The old cookie is sent alone, as a thief would have it: no sync cookie."""

import subprocess
import time

import tap
from fixtures import account, sign_in, value

def session_id(user_id):
    return int(value("SELECT MAX(id) FROM sessions WHERE user_id = %d" % user_id))


def signed_in(cookie):
    """What each program makes of a request carrying only this cookie."""
    h = {"Cookie": "tessera_session=" + cookie}
    home = tap.get("/", headers=h)
    me = tap.get("/me", headers=h)
    admin = tap.get("/admin", headers=h)
    return {"browse /": home.status == 200 and "Sign out" in home.body,
            "app /me": me.status == 200,
            # an attendee is refused the organizer's pages; a visitor is sent
            # to sign in
            "admin /admin": admin.status == 403}


class ReplicaLock:
    """A transaction on the replica holding rows FOR UPDATE until release()."""

    def __init__(self, queries):
        cmd, env = tap._client("replica")
        self.p = subprocess.Popen(cmd + ["-N", "-B", "--unbuffered"], env=env,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True)
        self.p.stdin.write("BEGIN;\n%s\nSELECT 'locked';\n" % "\n".join(queries))
        self.p.stdin.flush()
        while True:
            line = self.p.stdout.readline()
            if not line or line.strip() == "locked":
                break

    def release(self):
        self.p.stdin.write("ROLLBACK;\n")
        self.p.stdin.close()
        self.p.wait(timeout=30)


signout_email, signout_id = account("signout")
disable_email, disable_id = account("disable")
a = sign_in(signout_email)
b = sign_in(disable_email)
cookie_a = a.cookies["tessera_session"]
cookie_b = b.cookies["tessera_session"]
tap.ok(tap.wait_replica(), "the replica has both sessions")
for where, yes in signed_in(cookie_a).items():
    tap.ok(yes, "before: the session works on %s" % where)

sess_a = session_id(signout_id)
lock = ReplicaLock([
    "SELECT id FROM tessera.sessions WHERE id = %d FOR UPDATE;" % sess_a,
    "SELECT id FROM tessera.users WHERE id = %d FOR UPDATE;" % disable_id,
])
try:
    token = tap.form_value(a.get("/me").body, "csrf")
    r = a.post("/logout", {"csrf": token})
    tap.is_eq(r.status, 303, "the first account signs out")
    value("UPDATE users SET disabled_at = UTC_TIMESTAMP() WHERE id = %d" % disable_id)
    time.sleep(1.2)     # past the programs' once-a-second replica check
    st = tap.sql_dict("replica", "SHOW REPLICA STATUS")
    tap.ok(st.get("Slave_SQL_Running") == "Yes" and
           st.get("Seconds_Behind_Master", "NULL") != "NULL" and
           int(st["Seconds_Behind_Master"]) < 5,
           "the replica runs, a little behind (%s s)" % st.get("Seconds_Behind_Master"))
    tap.is_eq(tap.sql_value("replica", "SELECT COUNT(*) FROM tessera.sessions "
                            "WHERE id = %d" % sess_a), "1",
              "the replica still has the signed-out session")
    for where, yes in signed_in(cookie_a).items():
        tap.ok(not yes, "signed out: the old cookie is refused at once on %s" % where)
    for where, yes in signed_in(cookie_b).items():
        tap.ok(not yes, "disabled: the old cookie is refused at once on %s" % where)
finally:
    lock.release()
    value("UPDATE users SET disabled_at = NULL WHERE id = %d" % disable_id)
tap.ok(tap.wait_replica(), "the replica catches up once the rows are free")
tap.done()
