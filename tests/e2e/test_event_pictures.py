"""Event banners and galleries: an organizer sets an event's banner from
one of their own shown pictures (/admin/events/{id}/banner), shown on the
event's page and on its card in the lists with srcset, sizes, width,
height and alt; another person's picture is refused, another organizer's
event is a 404, a hidden picture is no banner and "none" takes it off.
People who held a paid ticket for an event file their pictures under its
gallery, which its page shows; anyone else is refused, 403 with why."""

import re
import time

import tap
from fixtures import account, make_accounts, new_event, pay_for, sign_in
from fixtures import ready_picture

DB = tap.DB_NAME
TAG = "ep%d" % (int(time.time()) % 100000000)


def value(q):
    return tap.sql_value("primary", q, database=DB)




def csrf(c, path):
    return tap.form_value(c.get(path).body, "csrf")


def set_banner(c, ev, pid):
    return c.post("/admin/events/%d/banner" % ev,
                  {"csrf": csrf(c, "/admin/events/%d/banner" % ev), "picture": str(pid)})


# ---------------------------------------------------------------- banner
org_id = int(value("SELECT id FROM users WHERE email = 'organizer@tessera.test'"))
ev, _ = new_event("Banner night " + TAG, [("Standard", 1000, 50, 5, 0)])
org = sign_in("organizer@tessera.test")
pid, key = ready_picture(org_id, "Stage at sunset " + TAG, preview=(1600, 1200))
(other_id, other), (holder_id, holder) = make_accounts(TAG, 2)
foreign, _ = ready_picture(other_id, "Not the organizers " + TAG, preview=(1600, 1200))

r = org.get("/admin/events/%d/banner" % ev)
tap.is_eq(r.status, 200, "GET /admin/events/%d/banner" % ev)
tap.like(r.body, r'<input type="radio" id="banner-%d" name="picture" value="%d"' % (pid, pid),
         "... offers the organizer's picture")
tap.ok('value="%d"' % foreign not in r.body, "... and nobody else's")
tap.like(r.body, r'<label for="banner-none">No banner</label>', "... or none, labelled")

r = set_banner(org, ev, pid)
tap.is_eq(r.status, 303, "the organizer sets the banner")
tap.is_eq(value("SELECT banner_picture_id FROM events WHERE id = %d" % ev), str(pid),
          "... recorded on the event")
tap.is_eq(value("SELECT COUNT(*) FROM audit_log WHERE action = 'event.banner' AND "
                "target = 'event %d'" % ev), "1", "... and in the audit log")
page = tap.get("/events/%d" % ev).body
tap.like(page, r'<picture class="event-banner"><source type="image/webp" srcset="/media/%s-400\.webp '
         r'400w, /media/%s-1600\.webp 1600w" sizes="[^"]+"><img src="/media/%s-1600\.jpg" '
         r'srcset="[^"]+" sizes="[^"]+" width="1600" height="1200" alt="Stage at sunset'
         % (key, key, key), "the event's page shows it: srcset, sizes, width, height, alt")
found = False
for p in range(1, 8):
    body = tap.get("/events?page=%d" % p).body
    m = re.search(r'<li class="card[^"]*">\s*<picture class="card-banner">(.*?)</picture>\s*'
                  r'<p class="card-date">.*?<a href="/events/%d">' % ev, body, re.S)
    if m:
        found = 'width="400" height="300" alt="Stage at sunset' in m.group(1)
        break
    if 'href="/events/%d"' % ev in body:
        break
tap.ok(found, "its card in the list shows the thumbnail, sized, with its alt")

r = set_banner(org, ev, foreign)
tap.is_eq(r.status, 400, "another person's picture is refused")
tap.is_eq(value("SELECT banner_picture_id FROM events WHERE id = %d" % ev), str(pid),
          "... the banner stays")
org2_mail, _ = account("org2" + TAG, role="organizer")
org2 = sign_in(org2_mail)
tap.is_eq(org2.get("/admin/events/%d/banner" % ev).status, 404,
          "another organizer's event: its banner page is a 404")
tap.is_eq(org2.post("/admin/events/%d/banner" % ev,
                    {"csrf": csrf(org2, "/admin"), "picture": str(pid)}).status, 404,
          "... and so is setting it")

value("UPDATE pictures SET status = 'hidden' WHERE id = %d" % pid)
tap.ok("event-banner" not in tap.get("/events/%d" % ev).body,
       "a picture the moderators hid is no banner")
value("UPDATE pictures SET status = 'ready' WHERE id = %d" % pid)
tap.ok("event-banner" in tap.get("/events/%d" % ev).body, "... shown again, it is")
tap.is_eq(set_banner(org, ev, 0).status, 303, "the organizer takes the banner off")
tap.is_eq(value("SELECT COALESCE(banner_picture_id, 'none') FROM events WHERE id = %d" % ev),
          "none", "... none recorded")
set_banner(org, ev, pid)
value("DELETE FROM pictures WHERE id = %d" % pid)
tap.is_eq(value("SELECT COALESCE(banner_picture_id, 'none') FROM events WHERE id = %d" % ev),
          "none", "a deleted picture leaves the event without a banner")
tap.ok("event-banner" not in tap.get("/events/%d" % ev).body, "... and its page without one")

# ---------------------------------------------------------------- gallery
pay_for(ev, [holder_id])
mine, _ = ready_picture(holder_id, "From the front row " + TAG, preview=(1600, 1200))
r = holder.get("/me/pictures/%d" % mine)
tap.like(r.body, r'<option value="%d">Banner night' % ev,
         "a ticket holder's picture page offers the event's gallery")
r = holder.post("/me/pictures/%d/event" % mine,
                {"csrf": csrf(holder, "/me/pictures/%d" % mine), "event": str(ev)})
tap.is_eq(r.status, 303, "the holder files their picture under the event")
tap.is_eq(value("SELECT event_id FROM pictures WHERE id = %d" % mine), str(ev), "... recorded")
page = tap.get("/events/%d" % ev).body
tap.ok('href="/pictures/%d"' % mine in page, "the event's page shows it in its gallery")
tap.like(page, r'<h2 id="gallery">Pictures</h2>', "... under its own heading")

theirs, _ = ready_picture(other_id, "Never went " + TAG, preview=(1600, 1200))
r = other.post("/me/pictures/%d/event" % theirs,
               {"csrf": csrf(other, "/me/pictures/%d" % theirs), "event": str(ev)})
tap.is_eq(r.status, 403, "someone without a ticket is refused")
tap.like(r.body, r"held a paid ticket for", "... with the reason")
tap.is_eq(value("SELECT COALESCE(event_id, 'none') FROM pictures WHERE id = %d" % theirs),
          "none", "... and the picture stays out of the gallery")
r = other.post("/me/pictures/%d/event" % mine,
               {"csrf": csrf(other, "/me/pictures/%d" % theirs), "event": ""})
tap.is_eq(r.status, 404, "another person's picture cannot be moved: 404")
r = holder.post("/me/pictures/%d/event" % mine,
                {"csrf": csrf(holder, "/me/pictures/%d" % mine), "event": ""})
tap.is_eq(r.status, 303, "the holder takes it out of the gallery")
tap.ok('href="/pictures/%d"' % mine not in tap.get("/events/%d" % ev).body,
       "... and the event's page no longer shows it")

tap.done()
