"""The bound on concurrent password hashes survives a worker's death: a
sign-in is started, the tessera-app worker that is computing its scrypt
hash is killed with SIGKILL in the middle of it, and the sign-ins waiting
behind it and those after it still succeed promptly. With a lock the
kernel does not release (a sem_t in shared memory), the dead worker's turn
would never come back and every later sign-in would wait 10 s and get 503.

The busy worker is found by its CPU time: it is the only work a sign-in
does that takes more than a few milliseconds."""

import os
import secrets
import signal
import threading
import time

import tap

RUN_DIR = os.path.join(tap.VAR, "run")
LOG = os.path.join(tap.VAR, "log", "app.log")
PASSWORD = "a fine long passphrase 42"
WHO = "lock-%s@example.com" % secrets.token_hex(4)
TICK = os.sysconf("SC_CLK_TCK")
UPSTREAM_GONE = "cannot answer this page right now"  # static/unavailable.html
BUSY = "Too many people are signing in"              # the app's PASSWORD_BUSY


def read_pid(name):
    with open(os.path.join(RUN_DIR, name + ".pid")) as f:
        return int(f.read().strip())


def stat_fields(pid):
    """Fields of /proc/PID/stat after the command name, or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None




def cpu_seconds(pid):
    f = stat_fields(pid)
    return (int(f[11]) + int(f[12])) / TICK if f else 0.0


def environ(pid):
    with open("/proc/%d/environ" % pid, "rb") as f:
        pairs = f.read().split(b"\0")
    return dict(p.decode().partition("=")[::2] for p in pairs if b"=" in p)


def upstream_gone(s):
    """nginx's answer when the program closed the connection: its 502
    shown as 503 with the static page (error_page 502 504 =503)."""
    return s.status == 503 and UPSTREAM_GONE in s.body


def wait_for(cond, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


class SignIn:
    """One browser signing in: the form is fetched now, posted by start()."""

    def __init__(self):
        self.client = tap.Client()
        self.csrf = tap.form_value(self.client.get("/login").body, "csrf")
        self.status = None
        self.location = None
        self.body = ""
        self.seconds = None
        self.thread = None

    def run(self):
        t = time.time()
        try:
            r = self.client.post("/login", {"email": WHO, "password": PASSWORD,
                                            "csrf": self.csrf})
            self.status = r.status
            self.location = r.headers.get("Location")
            self.body = r.body
        except Exception as e:  # a test must report, not crash
            self.status = "error: %s" % e
        self.seconds = time.time() - t
        return self

    def start(self):
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        return self


master = read_pid("app")
try:
    with open("/proc/%d/cmdline" % master, "rb") as f:
        cmdline = f.read().replace(b"\0", b" ").decode()
except OSError:
    cmdline = ""
tap.ok("tessera-app" in cmdline, "run/app.pid is the tessera-app master")
concurrency = int(environ(master).get("TESSERA_HASH_CONCURRENCY") or 1)
tap.diag("TESSERA_HASH_CONCURRENCY=%d" % concurrency)
workers = tap.children(master)
tap.ok(len(workers) > concurrency,
       "tessera-app has more workers (%d) than hashes at once (%d)"
       % (len(workers), concurrency))

# An account whose hash has today's parameters, so a sign-in is one hash.
c = tap.Client()
r = c.post("/register", {"email": WHO, "display_name": "Lock test",
                         "password": PASSWORD,
                         "csrf": tap.form_value(c.get("/register").body, "csrf")})
tap.is_eq(r.status, 303, "a fresh account is registered")
s = SignIn().run()
tap.is_eq(s.status, 303, "and signs in (%.2f s)" % s.seconds)

# Sign-ins in flight: the first `concurrency` hash, the others wait for a
# turn. Kill every worker that is busy hashing.
flight = [SignIn() for _ in range(concurrency + 2)]
before = {pid: cpu_seconds(pid) for pid in workers}
for s in flight:
    s.start()
victims = set()
deadline = time.time() + 20
while time.time() < deadline and len(victims) < concurrency:
    for pid in workers:
        if pid not in victims and cpu_seconds(pid) - before[pid] >= 0.05:
            os.kill(pid, signal.SIGKILL)
            victims.add(pid)
    time.sleep(0.005)
tap.is_eq(len(victims), concurrency,
          "every worker computing a hash is killed with SIGKILL mid-hash")
for s in flight:
    s.thread.join(60)
statuses = sorted(str(s.status) for s in flight)
tap.diag("in-flight sign-ins answered %s" % statuses)
tap.is_eq(sum(1 for s in flight if upstream_gone(s)), len(victims),
          "the sign-ins of the killed workers fail (nginx: upstream gone)")
waiting = [s for s in flight if not upstream_gone(s)]
tap.ok(not any(BUSY in s.body for s in flight),
       "no sign-in is told the hashes are busy")
tap.ok(waiting and all(s.status == 303 for s in waiting),
       "the sign-ins waiting for a turn still succeed")
tap.ok(all(s.seconds < 8 for s in waiting),
       "without waiting out the dead holder (slowest %.2f s)"
       % max([s.seconds for s in waiting] or [0]))

tap.ok(wait_for(lambda: len(tap.children(master)) == len(workers) and
                not victims & set(tap.children(master)), 10),
       "the master starts new workers in place of the killed ones")
try:
    with open(LOG, errors="replace") as f:
        log = f.read()[-20000:]
except OSError:
    log = ""
tap.ok(all(("worker %d killed by signal 9" % pid) in log for pid in victims),
       "and logs each death")

# Later sign-ins, one after another and then several at once.
for i in range(3):
    s = SignIn().run()
    tap.ok(s.status == 303 and s.seconds < 5,
           "sign-in %d after the kill succeeds promptly (%s in %.2f s)"
           % (i + 1, s.status, s.seconds))
burst = [SignIn() for _ in range(concurrency + 2)]
for s in burst:
    s.start()
for s in burst:
    s.thread.join(60)
tap.ok(all(s.status == 303 for s in burst),
       "%d sign-ins at once all succeed (%s)"
       % (len(burst), sorted(str(s.status) for s in burst)))
tap.ok(all(s.seconds < 8 for s in burst),
       "each within the time their hashes take in turn (slowest %.2f s)"
       % max(s.seconds for s in burst))

tap.done()
