"""Buying a picture in a real browser with JavaScript off, by clicking as
a person would: its owner uploads a priced picture and sees it
processed; a buyer finds it, buys it, pays in the sandbox, finds it in
their purchases and has its download, which answers with the original;
the owner sees the sale in their notifications and on /me/pictures. Every
page passes browser.check_page: no script element, axe-core finds nothing
serious or critical, nothing scrolls sideways."""

import os
import re
import secrets
import time
import traceback

import browser  # first: it may start this script again under Debian's python3
import tap

DB = tap.DB_NAME
RUN = secrets.token_hex(4)
GPS_JPEG = os.path.join(os.environ.get("EXIF_SAMPLES", "/work/shared/exif-samples"),
                        "jpg/gps/DSCN0012.jpg")


def value(q):
    return tap.sql_value("primary", q, database=DB)


def sign_in(d, email):
    browser.open(d, "/login")
    browser.submit(d, "Sign in", form="/login", fields={
        "Email address": email, "Password": "tessera-demo"})


def flow(d, size):
    def page(label, want_status=200, want_path=None):
        ok = tap.is_eq(browser.status(d), want_status, "%s: %s answers %d"
                       % (size, label, want_status))
        if want_path is not None:
            ok = tap.like(browser.path(d), want_path, "%s: %s is at %s"
                          % (size, label, want_path)) and ok
        browser.check_page(d, "%s: %s" % (size, label))
        return ok

    # The owner uploads a priced picture.
    sign_in(d, "dmitri@tessera.test")
    browser.follow(d, "Your pictures")
    page("/me/pictures", want_path=r"^/me/pictures$")
    path = os.path.join(tap.VAR, "tmp", "browser-buy-%s-%s.jpg" % (size, RUN))
    with open(GPS_JPEG, "rb") as src, open(path, "wb") as dst:
        dst.write(src.read() + b"\0" * (3 + len(size) + int(RUN, 16) % 1000))
    browser.field(d, "Picture file", "/pictures").send_keys(path)
    title = "For sale %s %s" % (size, RUN)
    browser.submit(d, "Upload", form="/pictures", fields={
        "Title": title, "Price of the original (EUR)": "4.50"})
    m = re.match(r"/me/pictures/(\d+)\?done=uploaded$", browser.path(d))
    if not tap.ok(m, "%s: the upload leads to its own page (%s)" % (size, browser.path(d))):
        return
    pid = int(m.group(1))
    deadline = time.time() + 30
    while time.time() < deadline and value(
            "SELECT status FROM pictures WHERE id = %d" % pid) != "ready":
        time.sleep(0.3)
    browser.open(d, "/pictures/%d" % pid)
    page("the owner's view of it")
    tap.ok(browser.find(d, 'a[href="/pictures/%d/original"]' % pid) is not None and
           browser.find(d, 'form[action="/pictures/%d/buy"]' % pid) is None,
           "%s: its owner has the download, not the buy button" % size)
    browser.submit(d, "Sign out", form="/logout")

    # A buyer finds it in the gallery and buys it.
    sign_in(d, "elif@tessera.test")
    browser.follow(d, "Pictures")
    page("the gallery", want_path=r"^/pictures$")
    browser.follow(d, title)
    page("the picture's page", want_path=r"^/pictures/%d$" % pid)
    tap.ok(browser.find(d, 'a[href="/pictures/%d/original"]' % pid) is None,
           "%s: no download before buying" % size)
    browser.submit(d, "Buy the original (€4.50)")
    page("its checkout", want_path=r"^/orders/[A-Z2-9]{16}/checkout$")
    tap.like(browser.text(d, "main"), re.escape(title), "%s: the checkout names it" % size)
    browser.submit(d, "Continue to payment (€4.50)")
    page("the sandbox payment page")
    browser.submit(d, "Pay €4.50")
    page("the paid order", want_path=r"^/me/orders/[A-Z2-9]{16}\?done=paid$")
    browser.follow(d, "your purchases")
    page("/me/purchases", want_path=r"^/me/purchases$")
    link = browser.find(d, 'a[href="/pictures/%d/original"]' % pid)
    tap.ok(link is not None, "%s: the purchases have its download" % size)
    # A download is no page: fetched with the browser's own session.
    c = tap.Client()
    c.cookies = {k["name"]: k["value"] for k in d.get_cookies()}
    r = c.get("/pictures/%d/original" % pid)
    tap.ok(r.status == 200 and r.raw.startswith(b"\xff\xd8"),
           "%s: the download answers with the original JPEG" % size)
    browser.open(d, "/pictures/%d" % pid)
    page("the picture's page, bought")
    tap.ok(browser.find(d, 'form[action="/pictures/%d/buy"]' % pid) is None and
           browser.find(d, 'a[href="/pictures/%d/original"]' % pid) is not None,
           "%s: it now says download, not buy" % size)
    browser.submit(d, "Sign out", form="/logout")

    # The owner hears of the sale.
    sign_in(d, "dmitri@tessera.test")
    deadline = time.time() + 20
    while time.time() < deadline and value(
            "SELECT COUNT(*) FROM notifications WHERE kind = 'picture_sold' AND "
            "subject_id = %d" % pid) != "1":
        time.sleep(0.3)
    browser.open(d, "/me/notifications")
    page("the owner's notifications")
    tap.like(browser.text(d, "main"), r"Someone bought “%s" % re.escape(title),
             "%s: the owner is told of the sale" % size)
    browser.follow(d, "Your pictures")
    page("/me/pictures, with the sale")
    tap.like(browser.text(d, "main"), r"%s.*\b1\b.*€4\.50" % re.escape(title),
             "%s: it counts one sale and its revenue" % size)
    browser.submit(d, "Sign out", form="/logout")


for size in ("desktop", "phone"):
    started = time.time()
    try:
        with browser.session(size, budget=150) as d:
            flow(d, size)
    except Exception as e:  # a step the page did not allow: one failure, then go on
        tap.ok(False, "%s: the flow ran to its end" % size)
        tap.diag("".join(traceback.format_exception_only(type(e), e)).rstrip())
        tap.diag("".join(traceback.format_tb(e.__traceback__)[-3:]).rstrip())
    tap.diag("%s: %.1f s" % (size, time.time() - started))

tap.done()
