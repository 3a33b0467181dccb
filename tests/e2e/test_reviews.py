"""Reviews: who may write one (a buyer of a paid order, once the event has
started), a second review editing the first, deleting it, the organizer's
one reply, reports and the site admin hiding a review (it leaves the
average), the event page's pages of reviews and breakdown, and many
people reviewing at once with the event's counters equal to a recount
afterwards."""

import concurrent.futures
import random
import re
import time

import tap
from fixtures import location, make_accounts, new_event, pay_for, sign_in

DB = tap.DB_NAME
TAG = "rv%d" % (int(time.time()) % 100000000)


def value(q):
    return tap.sql_value("primary", q, database=DB)


def sql(q):
    return tap.sql("primary", q, database=DB)


def csrf(c, path):
    return tap.form_value(c.get(path).body, "csrf")


def post(c, path, fields, page=None):
    f = dict(fields)
    f["csrf"] = csrf(c, page or path)
    return c.post(path, f)


def counters(ev):
    """rating_sum, rating_count, rating_1 .. rating_5 of event ev."""
    return [int(x) for x in sql("SELECT rating_sum, rating_count, rating_1, rating_2, "
                                "rating_3, rating_4, rating_5 FROM events WHERE id = %d"
                                % ev)[0]]


def recount(ev):
    """The same from the shown reviews themselves."""
    return [int(x) for x in sql(
        "SELECT COALESCE(SUM(rating), 0), COUNT(*), COALESCE(SUM(rating = 1), 0), "
        "COALESCE(SUM(rating = 2), 0), COALESCE(SUM(rating = 3), 0), "
        "COALESCE(SUM(rating = 4), 0), COALESCE(SUM(rating = 5), 0) FROM reviews "
        "WHERE event_id = %d AND hidden_at IS NULL" % ev)[0]]


def write(c, ev, rating, comment):
    return post(c, "/events/%d/reviews" % ev, {"rating": str(rating), "comment": comment})


ev, _ = new_event(TAG + " Reviewed", [("Seat", 0, 500, 10, 0)])
buyers = make_accounts(TAG, 60)
pay_for(ev, [uid for uid, _ in buyers])
(uid0, b0), (uid1, b1) = buyers[0], buyers[1]

# ---------------------------------------------------------------- the rules
r = b0.get("/events/%d/reviews" % ev)
tap.ok(r.status == 403 and "once it has started" in r.body,
       "before the start: refused (%d)" % r.status)
r = b0.post("/events/%d/reviews" % ev, {"rating": "5", "comment": "Early!",
                                        "csrf": tap.form_value(b0.get("/me").body, "csrf")})
tap.is_eq(r.status, 403, "a review posted before the start is refused")
tap.is_eq(value("SELECT COUNT(*) FROM reviews WHERE event_id = %d" % ev), "0", "and not kept")
tap.ok("Review this event" not in tap.get("/events/%d" % ev).body,
       "the event page offers no review before the start")

value("UPDATE events SET starts_at = UTC_TIMESTAMP() - INTERVAL 3 HOUR, "
      "ends_at = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE id = %d" % ev)
tap.ok('href="/events/%d/reviews"' % ev in tap.get("/events/%d" % ev).body,
       "once it started the event page links to the review form")
r = tap.get("/events/%d/reviews" % ev)
tap.is_eq((r.status, location(r)), (303, "/login?next=%%2Fevents%%2F%d%%2Freviews" % ev),
          "signed out: sent to sign in")

alice = sign_in("alice@tessera.test")
r = alice.get("/events/%d/reviews" % ev)
tap.ok(r.status == 403 and "bought a ticket" in r.body, "no ticket: refused (%d)" % r.status)
r = alice.post("/events/%d/reviews" % ev, {"rating": "5", "comment": "Never went.",
                                           "csrf": tap.form_value(alice.get("/me").body, "csrf")})
tap.is_eq(r.status, 403, "a review without a ticket is refused")
tap.is_eq(value("SELECT COUNT(*) FROM reviews WHERE event_id = %d" % ev), "0", "and not kept")

# ---------------------------------------------------------------- write, edit
r = b0.get("/events/%d/reviews" % ev)
tap.is_eq(r.status, 200, "a buyer gets the form")
r = write(b0, ev, 6, "Too many stars")
tap.is_eq(r.status, 400, "six stars: the form again")
r = write(b0, ev, 4, "   ")
tap.ok(r.status == 400 and "Say a few words" in r.body, "no text: the form again")
r = write(b0, ev, 4, "x" * 4001)
tap.is_eq(r.status, 400, "4001 characters: refused")
tap.is_eq(value("SELECT COUNT(*) FROM reviews WHERE event_id = %d" % ev), "0", "none kept")

text = "Great night <script>alert(1)</script>\r\n\r\nSee http://example.com/x for more."
r = write(b0, ev, 4, text)
tap.is_eq((r.status, location(r)), (303, "/events/%d#reviews" % ev), "the review is published")
tap.is_eq(counters(ev), [4, 1, 0, 0, 0, 1, 0], "the event counts it: sum 4, one of four stars")
page = b0.get("/events/%d" % ev).body
tap.ok("&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page,
       "its text is escaped")
tap.ok("<p>See http://example.com/x for more.</p>" in page and
       'href="http://example.com/x"' not in page, "paragraphs kept, links not clickable")
tap.ok("4.0</strong> out of 5 from 1 review" in page, "the average")
tap.ok(re.search(r'4 stars</span></th><td><meter[^>]*value="100"', page) is not None,
       "the breakdown: every review has four stars")

r = write(b0, ev, 2, "Thinking again: too loud.")
tap.is_eq(r.status, 303, "a second review...")
tap.is_eq(value("SELECT COUNT(*) FROM reviews WHERE event_id = %d AND author_id = %d"
                % (ev, uid0)), "1", "...edits the first")
tap.is_eq(value("SELECT CONCAT(rating, ':', comment, ':', updated_at IS NOT NULL) FROM reviews "
                "WHERE event_id = %d" % ev), "2:Thinking again: too loud.:1", "with the new text")
tap.is_eq(counters(ev), [2, 1, 0, 1, 0, 0, 0], "the counters move with it")
tap.ok("(edited)" in b0.get("/events/%d" % ev).body, "the page says it was edited")
r = b0.get("/events/%d/reviews" % ev)
tap.ok("Thinking again: too loud." in r.body and "Save the changes" in r.body,
       "the form shows one's review to edit")
rid = int(value("SELECT id FROM reviews WHERE event_id = %d AND author_id = %d" % (ev, uid0)))

r = post(b1, "/events/%d/reviews/delete" % ev, {}, page="/events/%d/reviews" % ev)
tap.is_eq(r.status, 404, "deleting a review one has not written: 404")
tap.is_eq(counters(ev), [2, 1, 0, 1, 0, 0, 0], "and changes nothing")

# ---------------------------------------------------------------- reply
org = sign_in("organizer@tessera.test")
other = sign_in("organizer2@tessera.test")
tap.ok('href="/reviews/%d/reply"' % rid in org.get("/events/%d" % ev).body,
       "the organizer sees a Reply link")
tap.ok('/reviews/%d/reply' % rid not in b1.get("/events/%d" % ev).body,
       "others do not")
tap.is_eq(other.get("/reviews/%d/reply" % rid).status, 404,
          "another organizer's event: the review is not there for them")
r = post(other, "/reviews/%d/reply" % rid, {"text": "Not mine"}, page="/me")
tap.is_eq(r.status, 404, "nor can they reply")
r = post(org, "/reviews/%d/reply" % rid, {"text": ""}, page="/reviews/%d/reply" % rid)
tap.is_eq(r.status, 400, "an empty reply: the form again")
r = post(org, "/reviews/%d/reply" % rid, {"text": "Sorry! <b>Next time</b> quieter."},
         page="/reviews/%d/reply" % rid)
tap.is_eq((r.status, location(r)), (303, "/events/%d#review-%d" % (ev, rid)), "the organizer replies")
page = tap.get("/events/%d" % ev).body
tap.ok("The organizer replied" in page and "Sorry! &lt;b&gt;Next time&lt;/b&gt; quieter." in page,
       "the reply is under the review, escaped")
r = post(org, "/reviews/%d/reply" % rid, {"text": "Again"}, page="/me")
tap.is_eq(r.status, 409, "a second reply: 409")
tap.is_eq(org.get("/reviews/%d/reply" % rid).status, 409, "and the form says so")

# ---------------------------------------------------------------- report, hide
r = tap.get("/reviews/%d/report" % rid)
tap.is_eq(r.status, 303, "reporting needs signing in")
r = post(b1, "/reviews/%d/report" % rid, {"reason": "Rude."}, page="/reviews/%d/report" % rid)
tap.is_eq(r.status, 303, "someone signed in reports it")
r = post(b1, "/reviews/%d/report" % rid, {"reason": "Again."}, page="/me")
tap.is_eq(r.status, 303, "reporting twice is fine...")
tap.is_eq(value("SELECT reports FROM reviews WHERE id = %d" % rid), "1", "...and counts once")
r = post(alice, "/reviews/%d/report" % rid, {"reason": "x" * 501}, page="/me")
tap.is_eq(r.status, 400, "a reason of 501 characters is refused")

admin = sign_in("admin@tessera.test")
tap.is_eq(org.get("/admin/moderation").status, 403, "an organizer may not moderate")
r = admin.get("/admin/moderation")
tap.ok(r.status == 200 and "/admin/moderation/reviews/%d/hide" % rid in r.body and "Rude." in r.body,
       "the admin's queue lists the reported review with its reason")
admin_id = int(value("SELECT id FROM users WHERE email = 'admin@tessera.test'"))
r = post(admin, "/admin/moderation/reviews/%d/hide" % rid, {}, page="/admin/moderation")
tap.is_eq((r.status, location(r)), (303, "/admin/moderation?done=hidden"), "the admin hides it")
tap.is_eq(counters(ev), [0, 0, 0, 0, 0, 0, 0], "a hidden review leaves the counters")
tap.is_eq(value("SELECT COUNT(*) FROM audit_log WHERE action = 'review.hide' AND "
                "target = 'review %d' AND user_id = %d" % (rid, admin_id)), "1", "audited")
tap.ok("Thinking again" not in tap.get("/events/%d" % ev).body, "nor is it on the event page")
tap.is_eq(b1.get("/reviews/%d/report" % rid).status, 404, "a hidden review cannot be reported")
r = b0.get("/events/%d/reviews" % ev)
tap.ok("hidden this review" in r.body, "its author is told it is hidden")
r = write(b0, ev, 5, "Edited while hidden.")
tap.is_eq(counters(ev), [0, 0, 0, 0, 0, 0, 0], "editing it while hidden counts nothing")
r = post(admin, "/admin/moderation/reviews/%d/show" % rid, {}, page="/admin/moderation")
tap.is_eq(r.status, 303, "the admin shows it again")
tap.is_eq(counters(ev), [5, 1, 0, 0, 0, 0, 1], "and it counts again, as edited")
tap.is_eq(value("SELECT COUNT(*) FROM audit_log WHERE action = 'review.show' AND "
                "target = 'review %d'" % rid), "1", "audited too")
r = post(admin, "/admin/moderation/reviews/%d/show" % rid, {}, page="/admin/moderation")
tap.is_eq(r.status, 404, "showing a shown review: 404")

r = post(b0, "/events/%d/reviews/delete" % ev, {}, page="/events/%d/reviews" % ev)
tap.is_eq((r.status, location(r)), (303, "/events/%d#reviews" % ev), "its author deletes it")
tap.is_eq(value("SELECT COUNT(*) FROM reviews WHERE id = %d" % rid), "0", "it is gone")
tap.is_eq(counters(ev), [0, 0, 0, 0, 0, 0, 0], "and so are its counts")

# ---------------------------------------------------------------- many at once
def review_twice(i):
    """Each buyer writes a review, and every third one changes it."""
    uid, c = buyers[i]
    rng = random.Random(i)
    statuses = [write(c, ev, rng.randint(1, 5), "Review %d" % i).status]
    if i % 3 == 0:
        statuses.append(write(c, ev, rng.randint(1, 5), "Changed %d" % i).status)
    return statuses


with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
    results = list(pool.map(review_twice, range(len(buyers))))
tap.ok(all(s == 303 for st in results for s in st),
       "%d people review at once, a third of them twice: all published" % len(buyers))
tap.is_eq(value("SELECT COUNT(*) FROM reviews WHERE event_id = %d" % ev), str(len(buyers)),
          "one review each")
tap.is_eq(counters(ev), recount(ev), "the event's counters equal a recount of its reviews")

# ---------------------------------------------------------------- pages
page1 = tap.get("/events/%d" % ev).body
tap.is_eq(page1.count('<li class="review" id="review-'), 10, "the first page shows 10 reviews")
newest = value("SELECT id FROM reviews WHERE event_id = %d ORDER BY created_at DESC, id DESC "
               "LIMIT 1" % ev)
tap.ok(page1.index('id="review-%s"' % newest) == page1.index('id="review-'), "newest first")
tap.ok('href="/events/%d?page=2#reviews"' % ev in page1, "with a link to the next page")
last = tap.get("/events/%d?page=6" % ev).body
tap.ok(last.count('<li class="review" id="review-') == 10 and "?page=7" not in last,
       "the sixth page is the last")
tap.is_eq(tap.get("/events/%d?page=0" % ev).status, 400, "page 0: 400")

tap.done()
