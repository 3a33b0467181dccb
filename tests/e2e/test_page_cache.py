"""The per-worker cache of public pages (cgi/web/page_cache.h) keeps its
promises. The stack's tessera-browse runs without it (TESSERA_PAGE_CACHE_MS=0,
like the micro-cache, since other tests change the database and look at
once), so this runs a browse of its own with the stack's settings and the
cache on for 1 s, with one worker (one cache, so what one request leaves
the next one finds), and asks its socket directly over FastCGI as nginx
would, with each person's cookies:

- two signed-in people looking at the same pages in turn each see their
  own name and sign-out token and never the other's; the event's
  organizer sees the reply links on its reviews, the others never do,
  whoever came first;
- the cache is used: right after a change made behind the program, a
  view within the second may still show the page from before it, while
  a visitor not signed in gets it fresh (their pages are nginx's to keep);
- an organizer's change shows within the cache's lifetime (1 s) and the
  replica's lag;
- a person's own write (a review, posted through nginx to tessera-app,
  which sets the read-your-writes cookie) shows on their very next view,
  though the cache held the page without it."""

import re
import time

import fcgi
import tap
from fixtures import make_accounts, new_event, own_program, pay_for, sign_in, value, wait_until

TAG = "pc%d" % (int(time.time()) % 100000000)
LIFETIME = 1.0                 # TESSERA_PAGE_CACHE_MS of this browse
REPLICA_MARGIN = 2.0           # what replication may add on a busy machine


def cookie_of(client):
    return "; ".join("%s=%s" % kv for kv in client.cookies.items())


def view(sock, path, client):
    """(status, body) of GET path as the person of client."""
    head, body, _, _ = fcgi.request(sock, "GET", path, {"HTTP_COOKIE": cookie_of(client)})
    m = re.search(r"(?m)^Status: (\d+)", head)
    return (int(m.group(1)) if m else 200), body.decode()


def header_name(body):
    """The name the header shows, linking to /me."""
    m = re.search(r'<a href="/me"[^>]*>([^<]*)</a>', body)
    return m.group(1) if m else None


def signout_token(body):
    m = re.search(r'action="/logout".*?name="csrf" value="([^"]+)"', body, re.S)
    return m.group(1) if m else None


ev, _ = new_event(TAG + " Cached", [("Seat", 0, 100, 10, 0)])
# Started an hour ago, so its buyers may review it.
value("UPDATE events SET starts_at = UTC_TIMESTAMP() - INTERVAL 1 HOUR, "
      "ends_at = UTC_TIMESTAMP() + INTERVAL 1 HOUR WHERE id = %d" % ev)
(ann_id, ann), (bob_id, bob) = make_accounts(TAG, 2)
value("UPDATE users SET display_name = CONCAT('Ann ', '%s') WHERE id = %d" % (TAG, ann_id))
value("UPDATE users SET display_name = CONCAT('Bob ', '%s') WHERE id = %d" % (TAG, bob_id))
pay_for(ev, [ann_id, bob_id])
value("INSERT INTO reviews (event_id, author_id, rating, comment) VALUES "
      "(%d, %d, 4, 'Bob liked it.')" % (ev, bob_id))
value("UPDATE events SET rating_sum = 4, rating_count = 1, rating_4 = 1 WHERE id = %d" % ev)
org = sign_in("organizer@tessera.test")
page = "/events/%d" % ev
tap.wait_replica()

with own_program("browse", {"TESSERA_PAGE_CACHE_MS": str(int(LIFETIME * 1000))},
                 workers=1) as sock:
    # ------------------------------------------------ never another's data
    seen = []
    for path in ("/events", page, "/events?city=Berlin", page, "/events"):
        for who, other, c in (("Ann", "Bob", ann), ("Bob", "Ann", bob)):
            status, body = view(sock, path, c)
            seen.append((status, header_name(body) == "%s %s" % (who, TAG),
                         "%s %s</a>" % (other, TAG) in body, signout_token(body)))
    tap.ok(all(s == 200 for s, _, _, _ in seen), "every view answered 200")
    tap.ok(all(own and not theirs for _, own, theirs, _ in seen),
           "each of two people, in turn on the same pages, sees their own name in "
           "the header and never the other's (%d views)" % len(seen))
    ann_tokens = {t for i, (_, _, _, t) in enumerate(seen) if i % 2 == 0}
    bob_tokens = {t for i, (_, _, _, t) in enumerate(seen) if i % 2 == 1}
    tap.ok(None not in ann_tokens | bob_tokens and not ann_tokens & bob_tokens,
           "and each page's sign-out form carries its own person's token")

    for first, then in ((bob, org), (org, bob)):
        view(sock, page, first)
        _, body_then = view(sock, page, then)
        _, body_first = view(sock, page, first)
        org_body, other_body = (body_then, body_first) if then is org else (body_first, body_then)
        tap.ok("/reply" in org_body and "/reply" not in other_body,
               "the organizer sees the reply link, the other never, %s first"
               % ("the other" if first is bob else "the organizer"))

    # ------------------------------------------------ the organizer's change
    time.sleep(LIFETIME + 0.05)    # what is kept now is older than that
    made = time.time()
    view(sock, page, bob)          # kept from now on, for a second
    value("UPDATE events SET title = '%s Renamed' WHERE id = %d" % (TAG, ev))
    changed = time.time()
    tap.wait_replica()
    _, body = view(sock, page, bob)
    _, anon = view(sock, page, tap.Client())
    if time.time() - made < LIFETIME * 0.8:
        tap.ok("%s Cached" % TAG in body,
               "a view within the second after a change may still show the page "
               "from before it: the cache is used")
    else:
        tap.skip("a view within the second after a change may show the page from "
                 "before it", "the machine took too long to tell")
    tap.ok("%s Renamed" % TAG in anon,
           "a visitor not signed in is never served from it (nginx's micro-cache "
           "keeps their pages): the page made fresh")
    shown = wait_until(lambda: "%s Renamed" % TAG in view(sock, page, bob)[1],
                       timeout=LIFETIME + REPLICA_MARGIN, step=0.05)
    took = time.time() - changed
    tap.ok(shown, "the organizer's new title shows within the cache's second and "
           "the replica's lag (%.2f s)" % took)
    tap.ok(wait_until(lambda: "%s Renamed" % TAG in
                      view(sock, "/events?q=%s" % TAG, bob)[1],
                      timeout=LIFETIME + REPLICA_MARGIN, step=0.05), "and in the list")

    # ------------------------------------------------ one's own write
    view(sock, page, bob)      # the cache holds the page without Ann's review
    token = tap.form_value(ann.get("/events/%d/reviews" % ev).body, "csrf")
    r = ann.post("/events/%d/reviews" % ev, {"rating": "5", "comment": "Ann %s was here."
                                             % TAG, "csrf": token})
    tap.is_eq(r.status, 303, "Ann's review is posted (through nginx, to tessera-app)")
    tap.ok("tessera_sync" in ann.cookies, "which set her read-your-writes cookie")
    _, body = view(sock, page, ann)
    tap.ok("Ann %s was here." % TAG in body,
           "her very next view of the event page shows her review")
    tap.ok("2 reviews" in body, "and the count with it")
tap.done()
