"""Buying a picture's original: the buy button makes an order of the
picture, paid through the checkout's providers (the sandbox here); then
the buyer downloads the original (X-Accel-Redirect), /me/purchases lists
it and the picture's page says "download"; a non-buyer, a guessed media
path and a refunded buyer are refused; one's own, a free and a hidden
picture cannot be bought; buys at once by one person make one order, and
a second order of a picture one has paid for is refused by the database,
also when both are paid at the same moment (one paid line); the seller is notified exactly once, in the app and by
mail, and /me/pictures counts the sale."""

import concurrent.futures
import os
import random
import re
import time

import tap
from fixtures import CODE_CHARS, location, make_accounts, mails_to, wait_for
from fixtures import ready_picture

DB = tap.DB_NAME
RESERVED = "all_rights_reserved"
TAG = "pb%d" % (int(time.time()) % 100000000)
MEDIA = os.path.join(tap.VAR, "media")


def value(q):
    return tap.sql_value("primary", q, database=DB)




def csrf(c, path):
    return tap.form_value(c.get(path).body, "csrf")


def buy(c, pid, token=None):
    return c.post("/pictures/%d/buy" % pid,
                  {"csrf": token or csrf(c, "/pictures/%d" % pid)})


def pay(c, code):
    """Pays order code in the sandbox: the final response."""
    r = c.post("/orders/%s/checkout" % code,
               {"csrf": csrf(c, "/orders/%s/checkout" % code), "provider": "sandbox"})
    tap.is_eq(location(r), "/orders/%s/sandbox" % code, "... the checkout sends to the sandbox")
    return c.post("/orders/%s/sandbox" % code,
                  {"csrf": csrf(c, "/orders/%s/sandbox" % code), "action": "pay"})


def orders_of(uid, pid):
    return int(value("SELECT COUNT(DISTINCT o.id) FROM orders o JOIN order_lines l "
                     "ON l.order_id = o.id WHERE o.buyer_id = %d AND l.picture_id = %d"
                     % (uid, pid)))


(seller, cs), (buyer, cb), (other, co) = make_accounts(TAG, 3)
seller_mail = value("SELECT email FROM users WHERE id = %d" % seller)
pid, key = ready_picture(seller, "Harbour at dawn " + TAG, 1250, licence=RESERVED)

# ---------------------------------------------------------------- the page
r = cb.get("/pictures/%d" % pid)
tap.is_eq(r.status, 200, "a priced picture's page")
tap.like(r.body, r'action="/pictures/%d/buy"' % pid, "... offers its buyer-to-be a buy form")
tap.like(r.body, r"Buy the original \([^)]*12\.50", "... with its price")
tap.ok("/original" not in r.body, "... and no download")
r = cs.get("/pictures/%d" % pid)
tap.ok("/buy" not in r.body and 'href="/pictures/%d/original"' % pid in r.body,
       "its owner gets the download, not the buy form")
tap.like(tap.get("/pictures/%d" % pid).body, r"Sign in</a> to buy",
         "signed out: sign in to buy")

# ---------------------------------------------------------------- refusals
tap.is_eq(buy(cs, pid).status, 409, "one's own picture cannot be bought")
free, _ = ready_picture(seller, "Free one " + TAG, 0, licence=RESERVED)
tap.is_eq(buy(cb, free).status, 409, "a free picture is not bought: it downloads")
hidden, _ = ready_picture(seller, "Hidden one " + TAG, 500, status="hidden", licence=RESERVED)
tap.is_eq(buy(cb, hidden, csrf(cb, "/pictures")).status, 404,
          "a hidden picture cannot be bought")
tap.is_eq(orders_of(buyer, hidden) + orders_of(seller, pid) + orders_of(buyer, free), 0,
          "... none of them made an order")
tap.is_eq(cb.post("/pictures/%d/buy" % pid, {"csrf": "forged"}).status, 403,
          "a forged form buys nothing")
tap.is_eq(co.get("/pictures/%d/original" % pid).status, 403,
          "before buying, the original is refused")

# ---------------------------------------------------------------- buys at once
token = csrf(cb, "/pictures/%d" % pid)
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    answers = list(pool.map(lambda _: buy(cb, pid, token), range(8)))
tap.ok(all(a.status == 303 for a in answers), "8 buys at once by one person are all taken")
codes = {location(a) for a in answers}
tap.is_eq(len(codes), 1, "... and all lead to one checkout: %s" % sorted(codes))
tap.is_eq(orders_of(buyer, pid), 1, "... one order in the database")
m = re.match(r"^/orders/([A-Z2-9]{16})/checkout$", codes.pop())
code = m.group(1) if m else ""
tap.is_eq(value("SELECT CONCAT(COALESCE(event_id, 'none'), ' ', status, ' ', total_cents) "
                "FROM orders WHERE code = '%s'" % code), "none held 1250",
          "... held, without an event, for the picture's price")

page = cb.get("/orders/%s/checkout" % code)
tap.is_eq(page.status, 200, "its checkout")
tap.ok("Who the tickets are for" not in page.body, "... asks no names")
tap.like(page.body, r"Harbour at dawn", "... and shows the picture's line")
tap.is_eq(co.get("/orders/%s/checkout" % code).status, 404,
          "another person's picture order is a 404")

# ---------------------------------------------------------------- paying
r = pay(cb, code)
tap.is_eq(r.status, 303, "the sandbox takes the payment")
tap.is_eq(value("SELECT status FROM orders WHERE code = '%s'" % code), "paid", "... paid")
tap.is_eq(value("SELECT COUNT(*) FROM picture_purchases WHERE picture_id = %d "
                "AND buyer_id = %d" % (pid, buyer)), "1", "... the picture is the buyer's")
tap.is_eq(value("SELECT CONCAT(sales_count, ' ', sales_cents) FROM pictures WHERE id = %d"
                % pid), "1 1250", "... and the picture counts the sale")

r = cb.get("/pictures/%d/original" % pid)
tap.is_eq(r.status, 200, "the buyer downloads the original")
tap.like(r.headers.get("Content-Disposition", ""), r"attachment", "... as an attachment")
with open(os.path.join(MEDIA, "originals", key), "rb") as f:
    tap.ok(r.raw == f.read(), "... the original's bytes, through nginx")
tap.ok("X-Accel-Redirect" not in r.headers, "... with no internal header leaking")
r = cb.get("/me/purchases")
tap.is_eq(r.status, 200, "GET /me/purchases")
tap.like(r.body, r'href="/pictures/%d/original" download' % pid, "... lists the download")
r = cb.get("/pictures/%d" % pid)
tap.ok('href="/pictures/%d/original"' % pid in r.body and "/buy" not in r.body,
       "the picture's page now says download, not buy")
tap.is_eq(location(buy(cb, pid)), "/me/purchases", "buying it again leads to the purchases")
tap.is_eq(orders_of(buyer, pid), 1, "... and makes no order")

for path in ("/_originals/" + key, "/media/originals/" + key, "/media/" + key,
             "/media/../originals/" + key):
    tap.ok(co.get(path).status in (400, 403, 404), "a guessed path is refused: %s" % path)
tap.is_eq(co.get("/pictures/%d/original" % pid).status, 403,
          "a non-buyer's download is refused")
tap.is_eq(tap.get("/pictures/%d/original" % pid).status in (303, 403), True,
          "a signed-out download is refused")
tap.ok(co.get("/me/purchases").body.count("/original") == 0,
       "another person's purchases list nothing of it")

# ---------------------------------------------------------------- paid twice
# A second order of the same picture (a late payment of an order made
# before the first was paid): the database refuses the second purchase.
code2 = "".join(random.choice(CODE_CHARS) for _ in range(16))
value("INSERT INTO orders (code, buyer_id, status, total_cents, currency, "
      "hold_expires_at) VALUES ('%s', %d, 'held', 1250, 'EUR', UTC_TIMESTAMP() "
      "+ INTERVAL 10 MINUTE)" % (code2, buyer))
oid2 = value("SELECT id FROM orders WHERE code = '%s'" % code2)
value("INSERT INTO order_lines (order_id, kind, picture_id, description, quantity, "
      "unit_price_cents) VALUES (%s, 'picture', %d, 'again', 1, 1250)" % (oid2, pid))
r = cb.post("/orders/%s/sandbox" % code2,
            {"csrf": csrf(cb, "/orders/%s/sandbox" % code2), "action": "pay"})
tap.is_eq(r.status, 410, "paying for a picture one has already is refused")
tap.is_eq(value("SELECT status FROM orders WHERE code = '%s'" % code2), "held",
          "... that order is not paid")
tap.is_eq(value("SELECT COUNT(*) FROM picture_purchases pp JOIN orders o ON o.id = "
                "pp.order_id WHERE pp.picture_id = %d AND o.buyer_id = %d AND "
                "o.status = 'paid'" % (pid, buyer)), "1", "... one paid line of the picture")
tap.is_eq(value("SELECT sales_count FROM pictures WHERE id = %d" % pid), "1",
          "... and one sale counted")

# ---------------------------------------------------------------- paid twice at once
# Two held orders of one picture by one person, paid at the same moment:
# the purchase's primary key lets exactly one through.
pid5, _ = ready_picture(seller, "Raced " + TAG, 800, licence=RESERVED)
m = re.match(r"^/orders/([A-Z2-9]{16})/checkout$", location(buy(cb, pid5)))
race = [m.group(1) if m else ""]
race.append("".join(random.choice(CODE_CHARS) for _ in range(16)))
value("INSERT INTO orders (code, buyer_id, status, total_cents, currency, hold_expires_at) "
      "VALUES ('%s', %d, 'held', 800, 'EUR', UTC_TIMESTAMP() + INTERVAL 10 MINUTE)"
      % (race[1], buyer))
value("INSERT INTO order_lines (order_id, kind, picture_id, description, quantity, "
      "unit_price_cents) SELECT id, 'picture', %d, 'raced', 1, 800 FROM orders "
      "WHERE code = '%s'" % (pid5, race[1]))
tokens = {c: csrf(cb, "/orders/%s/sandbox" % c) for c in race}
with concurrent.futures.ThreadPoolExecutor(2) as pool:
    got = sorted(pool.map(lambda c: cb.post("/orders/%s/sandbox" % c,
                                            {"csrf": tokens[c], "action": "pay"}).status, race))
tap.is_eq(got, [303, 410], "two orders of one picture paid at once: one taken, one refused")
tap.is_eq(value("SELECT COUNT(*) FROM orders o JOIN order_lines l ON l.order_id = o.id "
                "WHERE l.picture_id = %d AND o.status = 'paid'" % pid5), "1",
          "... one paid line, counted in the database")
tap.is_eq(value("SELECT CONCAT(COUNT(*), ' ', (SELECT sales_count FROM pictures WHERE id = %d)) "
                "FROM picture_purchases WHERE picture_id = %d" % (pid5, pid5)), "1 1",
          "... one purchase and one sale")

# ---------------------------------------------------------------- the seller
q = ("SELECT COUNT(*) FROM notifications WHERE user_id = %d AND kind = 'picture_sold' "
     "AND subject_id = %d" % (seller, pid))
tap.is_eq(wait_for(q, "1"), "1", "the seller is notified of the sale")
time.sleep(1.5)
tap.is_eq(value(q), "1", "... exactly once")
mails = []
deadline = time.time() + 20
while time.time() < deadline and not mails:
    mails = [m for m in mails_to(seller_mail) if "is sold" in str(m["Subject"]) and
             "Harbour at dawn" in str(m["Subject"])]
    time.sleep(0.3)
tap.is_eq(len(mails), 1, "... and mailed once (picture_sold is on by default)")
body = mails[0].get_body(("plain",)).get_content() if mails else ""
tap.like(body, r"Harbour at dawn", "... naming the picture")
r = cs.get("/me/notifications")
tap.like(r.body, r"Someone bought “Harbour at dawn", "... shown in their notifications")
r = cs.get("/me/pictures")
tap.like(r.body, r"<td>1</td><td>€?12\.50[^<]*</td></tr>|<td>1</td><td>[^<]*12\.50[^<]*</td></tr>",
         "/me/pictures shows the sale and the revenue")
buyer_mail = value("SELECT email FROM users WHERE id = %d" % buyer)
tap.ok(wait_for("SELECT COUNT(*) FROM notifications WHERE user_id = %d AND "
                "kind = 'booking_confirmed' AND subject_id = (SELECT id FROM orders "
                "WHERE code = '%s')" % (buyer, code), "1") == "1",
       "the buyer is told the purchase is confirmed")

# ---------------------------------------------------------------- refund
value("UPDATE orders SET status = 'refunded' WHERE code = '%s'" % code)
tap.is_eq(cb.get("/pictures/%d/original" % pid).status, 403,
          "a refunded order's download is taken back")
tap.ok("/pictures/%d/original" % pid not in cb.get("/me/purchases").body,
       "... and the purchases no longer list it")

# ---------------------------------------------------------------- hidden before paying
pid4, _ = ready_picture(seller, "Hidden at the checkout " + TAG, 700, licence=RESERVED)
m = re.match(r"^/orders/([A-Z2-9]{16})/checkout$", location(buy(cb, pid4)))
code4 = m.group(1) if m else ""
value("UPDATE pictures SET status = 'hidden' WHERE id = %d" % pid4)
r = cb.post("/orders/%s/checkout" % code4,
            {"csrf": csrf(cb, "/orders/%s/checkout" % code4), "provider": "sandbox"})
r = cb.post("/orders/%s/sandbox" % code4,
            {"csrf": csrf(cb, "/orders/%s/sandbox" % code4), "action": "pay"})
tap.is_eq(r.status, 410, "a picture hidden after the buy is not sold: the payment is refused")
tap.is_eq(value("SELECT status FROM orders WHERE code = '%s'" % code4), "held",
          "... the order is not paid")
tap.is_eq(value("SELECT COUNT(*) FROM picture_purchases WHERE picture_id = %d" % pid4), "0",
          "... and nobody has the picture")

# ---------------------------------------------------------------- hidden after
pid3, _ = ready_picture(seller, "Bought then hidden " + TAG, 300, licence=RESERVED)
m = re.match(r"^/orders/([A-Z2-9]{16})/checkout$", location(buy(cb, pid3)))
code3 = m.group(1) if m else ""
pay(cb, code3)
tap.is_eq(cb.get("/pictures/%d/original" % pid3).status, 200, "another purchase downloads")
value("UPDATE pictures SET status = 'hidden' WHERE id = %d" % pid3)
tap.is_eq(cb.get("/pictures/%d/original" % pid3).status, 404,
          "... until a moderator hides the picture")
tap.like(cb.get("/me/purchases").body, r"no longer on the site", "... which the purchases say")

tap.done()
