"""Throttles counted before the work they protect, asked of tessera-app's
socket directly (FastCGI, as nginx would send it) so each request can say
its own client address, IPv6 ones included.

- Sign-in: N wrong guesses for one account sent at once are counted one
  by one before any hash, so exactly the limit of them get past the
  throttle (a hash, or a 503 while the hash turns are taken) and the rest
  are refused with 429 without one.
- Sign-ups, reset requests and new passwords are counted per client
  network: an IPv4 address, or an IPv6 address's /64. This runs an app of
  its own, on its own socket with the stack's settings but
  TESSERA_SIGNUPS_PER_NETWORK=3 (the stack's is far higher, for the other
  tests).
- "Forgot password" answers in the same time for a known address as for
  an unknown one: many timed tries of each, their medians within 2% of
  each other."""

import os
import re
import statistics
import threading
import time
import urllib.parse

import fcgi
import tap
from fixtures import account, own_program, value

RUN = "%d-%d" % (os.getpid(), int(time.time()))
VAR = os.environ["TESSERA_TEST_VAR"]
APP_SOCK = os.path.join(VAR, "run", "app.sock")
ACCOUNT_LIMIT = 5          # THROTTLE_ACCOUNT_FAILURES
NETWORK_LIMIT = 3


def status(head):
    m = re.search(r"(?m)^Status: (\d+)", head)
    return int(m.group(1)) if m else 0


class Visitor:
    """An anonymous browser over FastCGI: its CSRF cookie and a token."""

    def __init__(self, sock, path="/login"):
        self.sock = sock
        head, body, _, _ = fcgi.request(sock, "GET", path)
        m = re.search(r"(?mi)^Set-Cookie: (tessera_csrf=[^;]+)", head)
        self.cookie = m.group(1) if m else ""
        self.token = tap.form_value(body.decode(), "csrf")

    def post(self, path, fields, addr):
        body = urllib.parse.urlencode(dict(fields, csrf=self.token)).encode()
        head, _, _, _ = fcgi.request(self.sock, "POST", path, {
            "REMOTE_ADDR": addr, "HTTP_COOKIE": self.cookie,
            "CONTENT_TYPE": "application/x-www-form-urlencoded"}, body)
        return status(head)


# ------------------------------------------------ parallel wrong guesses
victim = account("guessed")[0]
v = Visitor(APP_SOCK)
N = 24
answers = []
lock = threading.Lock()
go = threading.Event()


def guess(i):
    go.wait()
    st = v.post("/login", {"email": victim, "password": "wrong guess %d" % i},
                "192.0.2.%d" % (10 + i))
    with lock:
        answers.append(st)


threads = [threading.Thread(target=guess, args=(i,)) for i in range(N)]
for t in threads:
    t.start()
go.set()
for t in threads:
    t.join(60)
past = sum(1 for s in answers if s in (400, 503))
tap.is_eq(len(answers), N, "%d wrong guesses sent at once all answered" % N)
tap.is_eq(past, ACCOUNT_LIMIT,
          "exactly the limit (%d) got past the throttle (%d hashed, %d found "
          "the hash turns taken)" % (ACCOUNT_LIMIT, answers.count(400),
                                     answers.count(503)))
tap.is_eq(answers.count(429), N - ACCOUNT_LIMIT, "the others were refused with 429")
tap.is_eq(value("SELECT COUNT(*) FROM audit_log WHERE action = 'login.failed' "
                "AND target = '%s'" % victim), str(answers.count(400)),
          "as many failed sign-ins logged as hashes were done")
value("DELETE FROM login_throttle WHERE subject LIKE '192.0.2.%%' OR subject = '%s'"
      % victim)

# ------------------------------------------------ per network, IPv6 per /64
with own_program("app", {"TESSERA_SIGNUPS_PER_NETWORK": str(NETWORK_LIMIT)}) as sock:
    reg = Visitor(sock, "/register")
    n = [0]

    def sign_up(addr):
        n[0] += 1
        return reg.post("/register", {
            "email": "net-%d-%s@example.com" % (n[0], RUN),
            "display_name": "Network test", "password": "a long test password 1"},
            addr)

    got = [sign_up("2001:db8:77:1::%x" % (i + 1)) for i in range(NETWORK_LIMIT)]
    tap.is_eq(got, [303] * NETWORK_LIMIT,
              "%d sign-ups from three addresses of one /64" % NETWORK_LIMIT)
    tap.is_eq(sign_up("2001:db8:77:1:ffff:ffff:ffff:ffff"), 429,
              "the next from another address of that /64: 429 before any hash")
    tap.is_eq(reg.post("/password/forgot", {"email": "nobody-%s@example.com" % RUN},
                       "2001:db8:77:1::beef"), 429,
              "a reset request from that /64 counts against it too")
    tap.is_eq(sign_up("2001:db8:77:2::1"), 303, "the next /64 signs up")
    got = [sign_up("198.51.100.7") for _ in range(NETWORK_LIMIT)]
    tap.is_eq(got, [303] * NETWORK_LIMIT, "IPv4: the limit from one address")
    tap.is_eq(sign_up("198.51.100.7"), 429, "then 429 for that address")
    tap.is_eq(sign_up("198.51.100.8"), 303, "its neighbour is another network")
    tap.is_eq(sign_up("::ffff:198.51.100.7"), 429,
              "the same address written IPv4-mapped is the same network")
    tap.is_eq(value("SELECT COUNT(*) FROM users WHERE email LIKE 'net-%%-%s@example.com'"
                    % RUN), str(2 * NETWORK_LIMIT + 2),
              "only the sign-ups let through made accounts")
value("DELETE FROM login_throttle WHERE scope = 'costly'")

# ------------------------------------------------ forgot: the same time
TRIES = 15
known = [account("forgot-%d" % i)[0] for i in range(TRIES)]
f = Visitor(APP_SOCK, "/password/forgot")
times = {"known": [], "unknown": []}
for i in range(TRIES):
    for kind, who in (("known", known[i]), ("unknown", "nobody-%d-%s@example.com" % (i, RUN))):
        t0 = time.monotonic()
        st = f.post("/password/forgot", {"email": who}, "203.0.113.%d" % (i + 1))
        times[kind].append(time.monotonic() - t0)
        if st != 303:
            tap.diag("forgot %s: %d" % (kind, st))
mk, mu = (statistics.median(times[k]) * 1000 for k in ("known", "unknown"))
tap.diag("forgot: median %.1f ms for a known address, %.1f ms for an unknown one" % (mk, mu))
# Relative: a known address costs a few statements more (a fraction of a
# millisecond over a unix socket, about 20% of an answer without the
# floor), while noise moves both medians alike.
tap.ok(abs(mk - mu) <= 0.02 * max(mk, mu),
       "the medians are within 2%% of each other (%.1f, %.1f ms)" % (mk, mu))
tap.is_eq(value("SELECT COUNT(*) FROM outbox WHERE " +
                " OR ".join("payload LIKE '%%%s%%'" % who for who in known)),
          str(TRIES), "a mail was queued for each known address")
tap.done()
