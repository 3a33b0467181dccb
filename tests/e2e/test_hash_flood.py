"""A flood of sign-ups from one address does not stop others signing in:
nginx meters password hashes per address (the excess waits there or is
refused, 429), and the app keeps only a short queue for its hash turns,
answering the rest 503 with Retry-After at once instead of parking its
workers. Meanwhile a person at another address signs in."""

import concurrent.futures
import time

import tap

RUN = "fl%d" % (int(time.time()) % 100000000)
FLOOD = "127.0.0.2"
PERSON = "127.0.0.3"
N = 40


def sign_up(i):
    c = tap.Client(source=FLOOD)
    token = tap.form_value(c.get("/register").body, "csrf")
    r = c.post("/register", {"csrf": token, "email": "flood-%s-%d@example.com" % (RUN, i),
                             "display_name": "Flood %d" % i,
                             "password": "a flood of passphrases %d" % i})
    return r.status, r.headers.get("Retry-After")


person = tap.Client(source=PERSON)
token = tap.form_value(person.get("/login").body, "csrf")
with concurrent.futures.ThreadPoolExecutor(N) as pool:
    flood = [pool.submit(sign_up, i) for i in range(N)]
    time.sleep(1.0)          # the flood is under way
    t0 = time.time()
    r = person.post("/login", {"csrf": token, "email": "alice@tessera.test",
                               "password": "tessera-demo"})
    took = time.time() - t0
    results = [f.result() for f in flood]

statuses = sorted(s for s, _ in results)
tap.diag("flood of %d sign-ups from %s: %s" % (N, FLOOD, {s: statuses.count(s) for s in set(statuses)}))
tap.is_eq(r.status, 303, "a person at another address signs in during the flood")
tap.ok(took < 3.0, "without waiting for the flood (%.2f s)" % took)
tap.ok(any(s == 429 for s in statuses), "nginx refuses part of the flood (429)")
tap.ok(all(s in (303, 429, 503) for s in statuses), "every sign-up is answered: made, "
       "refused by the limit, or busy")
tap.ok(all(ra for s, ra in results if s == 503), "a busy answer says when to retry")
tap.is_eq(r.headers.get("Location"), "/me", "and the person is in")
tap.sql("primary", "DELETE FROM login_throttle", database=tap.DB_NAME)
tap.done()
