"""Likes tell a picture's owner, aggregated: many people liking one
picture at once give its owner one unread notification counting them all
("5 people liked ..."), written by the worker from the outbox (the app's
account writes no notification), not mailed by default, and mailed once
per notification, not per like, to an owner who asks for it; the owner's own
like tells nobody; a like of another picture is a notification of its own."""

import concurrent.futures
import time

import tap
from fixtures import make_accounts, mails_to, ready_picture, wait_for

DB = tap.DB_NAME
TAG = "pl%d" % (int(time.time()) % 100000000)
N = 5


def value(q):
    return tap.sql_value("primary", q, database=DB)




def like(c, pid):
    token = tap.form_value(c.get("/pictures/%d" % pid).body, "csrf")
    return c.post("/pictures/%d/like" % pid, {"csrf": token}).status


accounts = make_accounts(TAG, N + 1)
(owner, co), likers = accounts[0], accounts[1:]
owner_mail = value("SELECT email FROM users WHERE id = %d" % owner)
pid = ready_picture(owner, "Liked at once " + TAG)[0]
rows_q = ("SELECT COUNT(*) FROM notifications WHERE user_id = %d AND "
          "kind = 'picture_liked' AND subject_id = %d" % (owner, pid))

tap.is_eq(like(co, pid), 303, "the owner likes their own picture")
time.sleep(1.5)
tap.is_eq(value(rows_q), "0", "... which tells nobody")

with concurrent.futures.ThreadPoolExecutor(N) as pool:
    got = list(pool.map(lambda a: like(a[1], pid), likers))
tap.ok(all(s == 303 for s in got), "%d people like it at once" % N)
tap.is_eq(value("SELECT like_count FROM pictures WHERE id = %d" % pid), str(N + 1),
          "... all counted on the picture")
tap.is_eq(wait_for("SELECT COALESCE(SUM(actors), 0) FROM notifications WHERE user_id = %d "
                   "AND kind = 'picture_liked' AND subject_id = %d" % (owner, pid), str(N)),
          str(N), "the owner's notification counts the %d people" % N)
tap.is_eq(value(rows_q), "1", "... in one row")
tap.is_eq(value("SELECT COUNT(*) FROM outbox WHERE topic = 'picture_liked' AND "
                "JSON_VALUE(payload, '$.picture_id') = %d AND processed_at IS NULL" % pid),
          "0", "... every like's outbox row done")
tap.is_eq(value("SELECT unread_notifications FROM users WHERE id = %d" % owner), "1",
          "... one unread notification")
r = co.get("/me/notifications")
tap.like(r.body, r"%d people liked “Liked at once" % N, "... which reads \"%d people liked\"" % N)
tap.ok(not [m for m in mails_to(owner_mail) if "like" in str(m["Subject"]).lower()],
       "... and is not mailed (off by default)")

other = ready_picture(owner, "Another one " + TAG)[0]
tap.is_eq(like(likers[0][1], other), 303, "a like of another picture")
tap.is_eq(wait_for("SELECT COUNT(*) FROM notifications WHERE user_id = %d AND "
                   "kind = 'picture_liked' AND subject_id = %d" % (owner, other), "1"), "1",
          "... is a notification of its own")
tap.like(co.get("/me/notifications").body, r"Someone liked “Another one",
         "... of one person")

# An owner who asked for these mails gets one for the like that opens the
# notification, not one per like.
value("INSERT INTO notification_prefs (user_id, kind, mail) VALUES (%d, 'picture_liked', 1)"
      % owner)
third = ready_picture(owner, "Mailed once " + TAG)[0]
for _, c in likers[:3]:
    like(c, third)
tap.is_eq(wait_for("SELECT actors FROM notifications WHERE user_id = %d AND kind = "
                   "'picture_liked' AND subject_id = %d" % (owner, third), "3"), "3",
          "three likes of a third picture, counted")
deadline = time.time() + 20
liked_mails = []
while time.time() < deadline and not liked_mails:
    liked_mails = [m for m in mails_to(owner_mail) if "Mailed once" in str(m["Subject"])]
    time.sleep(0.3)
time.sleep(1)
liked_mails = [m for m in mails_to(owner_mail) if "Mailed once" in str(m["Subject"])]
tap.is_eq(len(liked_mails), 1, "an owner who asked for these mails gets one, not one per like")
tap.like(str(liked_mails[0]["List-Unsubscribe"]) if liked_mails else "", r"unsubscribe",
         "... with its one-click unsubscribe")

tap.done()
