"""The site in a real browser with JavaScript off, at a desktop and a phone
width: home, /events, an event (and the hostile one), sign-up with a bad
and then a good form, the mailed confirmation link, sign-in, /me and
sign-out, and booking: event, booking page, checkout, sandbox payment,
the order and the ticket with its QR code; the password asked again
(/me/confirm); a booking to pay by bank
transfer, the organizer recording its payment from /admin, checking its
ticket in at the door and finding it among the event's attendees and in
its statistics, and running an event (a new one refused, a copy edited,
given a ticket type and published); a buyer's review form, notifications
and mail settings, and the moderation queue; a picture uploaded, seen
processed, liked and offered for download; by clicking links and buttons
as a person would. Every page
passes browser.check_page: no script element, axe-core finds nothing
serious or critical, nothing scrolls sideways."""

import os
import re
import secrets
import time
import traceback
import urllib.parse

import browser  # first: it may start this script again under Debian's python3
import tap
from fixtures import mailed_token, new_event

DB = tap.DB_NAME
RUN = secrets.token_hex(4)
GPS_JPEG = os.path.join(os.environ.get("EXIF_SAMPLES", "/work/shared/exif-samples"),
                        "jpg/gps/DSCN0021.jpg")
PASSWORD = "a browser-typed passphrase 7"


def value(q):
    return tap.sql_value("primary", q, database=DB)


def wait_verify_link(to):
    """The /verify?token=... path mailed to `to`."""
    token = mailed_token(to, "/verify")
    return "/verify?token=" + token if token else None


event_id = value("SELECT id FROM events WHERE status = 'published' "
                 "AND starts_at > UTC_TIMESTAMP() AND title NOT LIKE '%<%' "
                 "ORDER BY starts_at, id LIMIT 1")
hostile_id = value("SELECT id FROM events WHERE title LIKE 'Web Security Meetup:%' "
                   "AND status = 'published' LIMIT 1")


def bookable_event():
    """A published event a month away with one paid ticket type; its id."""
    ev, _ = new_event("Browser booking %s" % RUN, [("Seated", 1250, 100, 10, 0)])
    value("UPDATE events SET offline_payment_days = 7, offline_instructions = "
          "'Bank transfer, reference: your order code' WHERE id = %d" % ev)
    return ev


booking_id = bookable_event()


SELF_TEST = ("<!doctype html><html lang=en><title>plain</title><main><h1>x</h1>"
             "<img src=none.png></main><script>document.title = 'script ran'</script>")


def harness(d, size):
    """The harness itself: page scripts do not run, axe does."""
    browser.open(d, "data:text/html," + urllib.parse.quote(SELF_TEST))
    tap.is_eq(browser.title(d), "plain", "%s: the browser runs no page script" % size)
    ids = [v["id"] for v in browser.axe_results(d)]
    tap.ok("image-alt" in ids, "%s: axe runs all the same: it finds a missing alt text (%s)"
           % (size, ", ".join(ids)))


def flow(d, size):
    who = "browser-%s-%s@example.com" % (size, RUN)
    name = "Browser %s %s" % (size.title(), RUN)

    def page(label, want_status=200, want_path=None):
        got = browser.status(d)
        ok = tap.is_eq(got, want_status, "%s: %s answers %d" % (size, label, want_status))
        if want_path is not None:
            ok = tap.is_eq(browser.path(d), want_path, "%s: %s is at %s"
                           % (size, label, want_path)) and ok
        browser.check_page(d, "%s: %s" % (size, label))
        return ok

    # Browsing
    browser.open(d, "/")
    width = browser.SIZES[size][0]
    tap.is_eq(d.execute_script("return window.innerWidth"), width,
              "%s: the viewport is %d px wide" % (size, width))
    page("the home page")
    tap.like(browser.text(d, "h1"), r"\S", "%s: the home page has a heading" % size)
    browser.follow(d, "Events")
    page("/events, from the menu", want_path="/events")
    cards = browser.find_all(d, ".cards .card-title a")
    tap.ok(len(cards) > 0, "%s: /events lists events (%d)" % (size, len(cards)))
    browser.open(d, "/events/%s" % event_id)
    page("an event page")
    tap.ok(browser.find(d, ".tickets table, .tickets .empty") is not None,
           "%s: the event page has its tickets section" % size)
    if hostile_id:
        browser.open(d, "/events/%s" % hostile_id)
        page("the hostile event's page")
        tap.like(browser.text(d, "h1"), r"<script>alert", "%s: its title shows as text" % size)

    # Sign-up: first with a password the site refuses, then right
    browser.open(d, "/")
    browser.follow(d, "Register")
    page("/register, from the menu", want_path="/register")
    st = browser.submit(d, "Create my account", form="/register", fields={
        "Email address": who, "Display name": name, "Password": "short"})
    tap.is_eq(st, 400, "%s: a too-short password is a 400" % size)
    summary = browser.text(d, ".error-summary")
    tap.like(summary, "There is a problem", "%s: with the error summary above the form" % size)
    link = browser.find(d, ".error-summary a[href*='#']")
    frag = link.get_attribute("href").split("#", 1)[1] if link else ""
    target = (d.find_elements("id", frag) or [None])[0] if frag else None
    tap.ok(target is not None and target.get_attribute("name") == "password"
           and target.get_attribute("aria-invalid") == "true",
           "%s: its message links to the password field, marked invalid" % size)
    tap.is_eq(browser.field(d, "Email address", "/register").get_attribute("value"), who,
              "%s: what was typed is kept" % size)
    browser.check_page(d, "%s: /register with an error" % size)
    browser.submit(d, "Create my account", form="/register",
                   fields={"Password": PASSWORD})
    page("sign-up", want_path="/login?done=registered")
    tap.like(browser.text(d, "main"), "mailed you a link",
             "%s: the sign-in page says a link was mailed" % size)

    # The mailed link
    verify = wait_verify_link(who)
    if not tap.ok(verify, "%s: the confirmation link is mailed" % size):
        return
    browser.open(d, verify)
    page("the confirmation link")
    browser.submit(d, "Confirm my address", form="/verify")
    page("confirming", want_path="/login?done=verified")
    tap.is_eq(value("SELECT email_verified_at IS NOT NULL FROM users WHERE email = '%s'" % who),
              "1", "%s: the address is confirmed" % size)

    # Sign-in, /me, sign-out
    browser.submit(d, "Sign in", form="/login",
                   fields={"Email address": who, "Password": PASSWORD})
    page("signing in", want_path="/me")
    tap.like(browser.text(d, "main"), re.escape(name), "%s: /me shows the name" % size)
    tap.ok(browser.find(d, 'nav a[href="/me"][aria-current="page"]') is not None,
           "%s: the menu marks the account page as current" % size)
    book(d, size, page)
    pictures(d, size, page)
    reserved = reserve(d, size, page)
    browser.follow(d, "Events")
    browser.follow(d, name)
    page("/me, from the menu", want_path="/me")
    # The password asked again (before an admin's changes), wrong then right
    browser.open(d, "/me/confirm?next=%2Fme")
    page("/me/confirm")
    st = browser.submit(d, "Confirm", form="/me/confirm",
                        fields={"Your password": "not the password"})
    tap.is_eq(st, 400, "%s: a wrong password on /me/confirm is a 400" % size)
    browser.check_page(d, "%s: /me/confirm with an error" % size)
    browser.submit(d, "Confirm", form="/me/confirm", fields={"Your password": PASSWORD})
    page("confirming the password", want_path="/me")
    browser.submit(d, "Sign out", form="/logout")
    page("signing out", want_path="/login?done=signed_out")
    browser.open(d, "/me")
    tap.is_eq(browser.path(d), "/login?next=%2Fme", "%s: then /me asks to sign in" % size)
    if reserved:
        record_payment(d, size, page, reserved)


def pictures(d, size, page):
    """/me/pictures -> upload -> processing -> its page -> like; the free
    original's download link."""
    browser.follow(d, "Your pictures")
    page("/me/pictures, from the menu", want_path="/me/pictures")
    # Each run's own bytes: the site takes a file once.
    path = os.path.join(tap.VAR, "tmp", "browser-%s-%s.jpg" % (size, RUN))
    with open(GPS_JPEG, "rb") as src, open(path, "wb") as dst:
        dst.write(src.read() + b"\0" * (1 + len(size) + int(RUN, 16) % 1000))
    browser.field(d, "Picture file", "/pictures").send_keys(path)
    title = "Browser picture %s %s" % (size, RUN)
    st = browser.submit(d, "Upload", form="/pictures", fields={
        "Title": title, "Price of the original (EUR)": "0"})
    tap.is_eq(st, 200, "%s: uploading answers 200 after the redirect" % size)
    m = re.match(r"/me/pictures/(\d+)\?done=uploaded$", browser.path(d))
    if not tap.ok(m, "%s: the upload leads to its own page (%s)" % (size, browser.path(d))):
        return
    pid = int(m.group(1))
    browser.check_page(d, "%s: a picture being processed" % size)
    deadline = time.time() + 30
    while time.time() < deadline and value(
            "SELECT status FROM pictures WHERE id = %d" % pid) != "ready":
        time.sleep(0.3)
    browser.open(d, "/me/pictures/%d" % pid)
    page("the picture, processed")
    browser.follow(d, "its page")
    page("its public page", want_path="/pictures/%d" % pid)
    tap.like(browser.text(d, "h1"), re.escape(title), "%s: with its title" % size)
    browser.submit(d, "Like")
    page("liking it", want_path="/pictures/%d" % pid)
    tap.like(browser.text(d, "main"), r"\b1 like\b", "%s: it has one like" % size)
    link = browser.find(d, 'a[href="/pictures/%d/original"]' % pid)
    tap.ok(link is not None, "%s: the free original has a download link" % size)


def book(d, size, page):
    """Event page -> booking -> checkout -> sandbox payment -> the ticket."""
    browser.open(d, "/events/%s" % booking_id)
    page("a bookable event")
    browser.submit(d, "Book tickets", fields={"Number of Seated tickets": "2"})
    page("the booking page")
    tap.like(browser.text(d, "main"), "€25.00", "%s: it shows the total" % size)
    browser.submit(d, "Hold these tickets and check out")
    page("the checkout")
    tap.like(browser.path(d), r"^/orders/[A-Z2-9]{16}/checkout$",
             "%s: the hold leads to its checkout" % size)
    browser.submit(d, "Continue to payment (€25.00)", fields={
        "Ticket 1 (Seated): name": "First Guest",
        "Ticket 2 (Seated): name": "Second Guest"})
    page("the sandbox payment page")
    browser.submit(d, "Pay €25.00")
    page("the paid order")
    tap.like(browser.path(d), r"^/me/orders/[A-Z2-9]{16}\?done=paid$",
             "%s: paying leads to the order" % size)
    tap.like(browser.text(d, "main"), "Second Guest", "%s: with its tickets" % size)
    browser.follow(d, "Tickets")
    page("/me/tickets, from the menu", want_path="/me/tickets")
    browser.follow(d, "Browser booking %s" % RUN)
    page("a ticket's page")
    tap.ok(browser.find(d, ".ticket-qr svg path") is not None,
           "%s: the ticket shows its QR code as SVG" % size)


def reserve(d, size, page):
    """Booking to pay by bank transfer: the order waits, with the
    instructions; returns its code."""
    browser.open(d, "/events/%s" % booking_id)
    browser.submit(d, "Book tickets", fields={"Number of Seated tickets": "1"})
    browser.submit(d, "Hold these tickets and check out")
    browser.submit(d, "Continue to payment (€12.50)", fields={
        "Ticket 1 (Seated): name": "Offline Guest",
        "Bank transfer or at the door: pay later, by the deadline": True})
    page("the reserved order")
    m = re.match(r"^/me/orders/([A-Z2-9]{16})\?done=pending$", browser.path(d))
    tap.ok(m is not None, "%s: paying later leads to the order (%s)" % (size, browser.path(d)))
    tap.like(browser.text(d, "main"), "How to pay", "%s: with how to pay" % size)
    return m.group(1) if m else None


def record_payment(d, size, page, code):
    """The organizer finds the order in /admin and records its payment."""
    browser.open(d, "/login")
    browser.submit(d, "Sign in", form="/login", fields={
        "Email address": "organizer@tessera.test", "Password": "tessera-demo"})
    browser.open(d, "/admin")
    page("the organizer's admin")
    browser.follow(d, code)
    page("an order's admin page", want_path="/admin/orders/%s" % code)
    browser.submit(d, "Record payment of €12.50 received")
    page("the payment recorded", want_path="/admin/orders/%s?done=paid" % code)
    tap.is_eq(value("SELECT status FROM orders WHERE code = '%s'" % code), "paid",
              "%s: the order is paid" % size)
    # At the door: its ticket looked up by code, then checked in.
    ticket = value("SELECT k.code FROM tickets k JOIN orders o ON o.id = k.order_id "
                   "WHERE o.code = '%s'" % code)
    browser.open(d, "/admin/events/%s/checkin" % booking_id)
    page("the event's door")
    browser.submit(d, "Look up", fields={"Ticket code": ticket.lower()})
    page("a ticket at the door")
    browser.submit(d, "Check in Offline Guest")
    page("the ticket checked in")
    tap.like(browser.text(d, ".checkin-result"), "Checked in",
             "%s: the door says it is checked in" % size)
    # The event's attendees, searched, and its statistics.
    browser.open(d, "/admin/events/%s/attendees" % booking_id)
    page("the event's attendees")
    browser.submit(d, "Show", form=".filters", fields={"Search": "Offline Guest"})
    page("the attendees searched")
    tap.like(browser.text(d, "table"), "Offline Guest", "%s: the search finds the guest" % size)
    browser.follow(d, "Statistics")
    page("the event's statistics", want_path="/admin/events/%s/stats" % booking_id)
    tap.ok(len(browser.find_all(d, ".chart svg rect")) >= 1,
           "%s: the statistics chart the sales" % size)
    organize(d, size, page)
    community(d, size, page)
    browser.submit(d, "Sign out", form="/logout")


def organize(d, size, page):
    """The organizer's event pages: a new event sent empty is refused with
    every message; a copy of the booking event is renamed, given a second
    ticket type and published."""
    browser.open(d, "/admin")
    browser.follow(d, "New event")
    page("the new-event form", want_path="/admin/events/new")
    st = browser.submit(d, "Save the draft", form="/admin/events/new", novalidate=True)
    tap.is_eq(st, 400, "%s: an empty new event is a 400" % size)
    tap.ok(len(browser.find_all(d, ".error-summary li")) >= 6,
           "%s: with every message in the summary" % size)
    page("the new-event form with errors", want_status=400)
    browser.open(d, "/admin/events/%s/edit" % booking_id)
    page("an event's edit page")
    browser.submit(d, "Duplicate this event")
    page("the copy's edit page")
    m = re.match(r"^/admin/events/(\d+)/edit\?done=copied$", browser.path(d))
    if not tap.ok(m, "%s: the copy has its own edit page (%s)" % (size, browser.path(d))):
        return
    copy = m.group(1)
    edit = "/admin/events/%s/edit" % copy
    browser.submit(d, "Save the event", form=edit,
                   fields={"Title": "Browser copy %s %s" % (size, RUN)})
    page("the copy saved", want_path=edit + "?done=saved")
    browser.follow(d, "Add a ticket type")
    page("the new ticket type form", want_path="/admin/events/%s/types/new" % copy)
    browser.submit(d, "Add the ticket type", fields={
        "Name": "Standing", "Price": "9.50", "Seats": "40"})
    page("the ticket type added", want_path=edit + "?done=type_added")
    browser.follow(d, "Standing")
    page("a ticket type's page")
    browser.open(d, edit)
    browser.submit(d, "Save the event", form=edit,
                   fields={"Status": "Published: on the public pages, on sale"})
    page("the copy published", want_path=edit + "?done=saved")
    browser.open(d, "/events/%s" % copy)
    page("the copy's public page")
    tap.like(browser.text(d, ".tickets"), "Standing", "%s: it sells the new ticket type" % size)


def community(d, size, page):
    """Reviews, notifications and moderation: a demo buyer's review form
    for a past event, their notifications and mail settings; the site
    admin's moderation queue."""
    browser.submit(d, "Sign out", form="/logout")
    browser.open(d, "/login")
    browser.submit(d, "Sign in", form="/login", fields={
        "Email address": "alice@tessera.test", "Password": "tessera-demo"})
    past = value("SELECT MIN(o.event_id) FROM orders o JOIN users u ON u.id = o.buyer_id "
                 "JOIN events e ON e.id = o.event_id WHERE u.email = 'alice@tessera.test' "
                 "AND o.status = 'paid' AND e.status = 'published' "
                 "AND e.starts_at < UTC_TIMESTAMP()")
    if past:
        browser.open(d, "/events/%s" % past)
        page("a past event with its reviews")
        browser.follow(d, "Review this event")
        page("the review form", want_path="/events/%s/reviews" % past)
    browser.open(d, "/me/notifications")
    page("the notifications")
    browser.follow(d, "Which of these are also mailed to me")
    page("the mail settings", want_path="/me/notifications/settings")
    browser.submit(d, "Sign out", form="/logout")
    browser.open(d, "/login")
    browser.submit(d, "Sign in", form="/login", fields={
        "Email address": "admin@tessera.test", "Password": "tessera-demo"})
    browser.open(d, "/admin/moderation")
    page("the moderation queue")


for size in ("desktop", "phone"):
    started = time.time()
    try:
        with browser.session(size, budget=150) as d:
            harness(d, size)
            flow(d, size)
    except Exception as e:  # a step the page did not allow: one failure, then go on
        tap.ok(False, "%s: the flow ran to its end" % size)
        tap.diag("".join(traceback.format_exception_only(type(e), e)).rstrip())
        tap.diag("".join(traceback.format_tb(e.__traceback__)[-3:]).rstrip())
    tap.diag("%s: %.1f s" % (size, time.time() - started))

tap.done()
