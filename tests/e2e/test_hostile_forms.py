"""Every form the other naughty-string probes (test_accounts.py: sign-up,
sign-in, /me's name, links and next=; test_admin_events.py and
test_admin_attendees.py: events and names) leave out, sent the big list
of naughty strings in each of its fields in turn, the others as the page
filled them: the reset request, /me's address, password and deletion,
the password asked again, booking, and the organizer's and admin's forms
(door staff, roles and access). Each answer is below 500, and a string
with markup never comes back unescaped. Sent to the programs' sockets
directly (FastCGI), so nginx's limits per address do not make it slow;
the programs' own throttles answer 429, which is an answer like another.
"""

import html
import html.parser
import json
import os
import re
import time
import urllib.parse

import fcgi
import tap
from fixtures import account, new_event, value

RUN = "%d-%d" % (os.getpid(), int(time.time()))
RUNDIR = os.path.join(os.environ["TESSERA_TEST_VAR"], "run")
SOCK = {"app": os.path.join(RUNDIR, "app.sock"), "admin": os.path.join(RUNDIR, "admin.sock")}

path = os.path.join(tap.SRC, "..", "shared", "big-list-of-naughty-strings", "blns.json")
try:
    with open(path) as f:
        NAUGHTY = [s for s in json.load(f) if "\x00" not in s]
except OSError:
    NAUGHTY = []


class Forms(html.parser.HTMLParser):
    """The POST forms of a page: action and [(name, value)] of its fields
    (hidden and text inputs, checked boxes, a select's first option)."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.forms, self._cur, self._select = [], None, None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._cur = (a.get("action") or "", [])
            self.forms.append(self._cur)
        elif self._cur is None or not a.get("name"):
            return
        elif tag == "input":
            t = (a.get("type") or "text").lower()
            if t == "checkbox":
                self._cur[1].append((a["name"], a.get("value") or "on"))
            elif t not in ("submit", "button", "radio") or "checked" in a:
                self._cur[1].append((a["name"], a.get("value") or ""))
        elif tag == "textarea":
            self._cur[1].append((a["name"], ""))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select:
            self._cur[1].append((self._select, a.get("value") or ""))
            self._select = None

    def handle_endtag(self, tag):
        if tag == "form":
            self._cur = None
        elif tag == "select":
            self._select = None


ADDRESSES = []


class Browser:
    """Cookies and requests over FastCGI to one program's socket, from a
    client address of its own (198.18.0.0/15, for tests), so the sign-in
    throttle one probe fills does not lock out the next."""

    def __init__(self, program, cookies=None):
        self.sock, self.cookies = SOCK[program], dict(cookies or {})
        ADDRESSES.append("198.18.0.%d" % (len(ADDRESSES) + 1))
        self.addr = ADDRESSES[-1]

    def request(self, method, path, fields=None):
        body = urllib.parse.urlencode(fields or [], doseq=True).encode() if fields is not None else b""
        params = {"HTTP_COOKIE": "; ".join("%s=%s" % kv for kv in self.cookies.items()),
                  "REMOTE_ADDR": self.addr}
        if method == "POST":
            params["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        q = path.partition("?")[2]
        params["QUERY_STRING"] = q
        head, body, _, _ = fcgi.request(self.sock, method, path, params, body)
        for line in head.split("\r\n"):
            if line.lower().startswith("set-cookie:"):
                name, _, v = line.split(":", 1)[1].strip().split(";", 1)[0].partition("=")
                if v:
                    self.cookies[name] = v
        m = re.search(r"(?m)^Status: (\d+)", head)
        return (int(m.group(1)) if m else 0), body.decode("utf-8", errors="replace")


def signed_in(email, program):
    app = Browser("app")
    app.request("GET", "/login")
    st, _ = app.request("POST", "/login", [("email", email), ("password", "tessera-demo"),
                                           ("csrf", tap.form_value(app.request("GET", "/login")[1], "csrf"))])
    tap.is_eq(st, 303, "%s signs in" % email)
    return Browser(program, {"tessera_session": app.cookies.get("tessera_session", "")})


def probe(b, page, action, skip=()):
    """Each field of the form `action` on page, every naughty string."""
    st, body = b.request("GET", page)
    forms = [f for f in Forms(body).forms if f[0] == action]
    if not tap.ok(st == 200 and forms, "%s has the form %s (%d)" % (page, action, st)):
        return
    fields = forms[0][1]
    names = [n for n, _ in fields if n != "csrf" and n not in skip]
    bad, statuses = [], set()
    for name in names:
        for s in NAUGHTY:
            # The page's CSRF token stays good for every post of the form.
            sent = [(n, s if n == name else v) for n, v in fields]
            st, out = b.request("POST", action, sent)
            statuses.add(st)
            if st >= 500 or st == 0:
                bad.append((name, s, st))
            elif "<" in s and len(s) > 3 and s in out and html.escape(s) != s:
                bad.append((name, s, "unescaped"))
    tap.ok(not bad, "%s: %d naughty strings in each of %s: below 500, escaped (%s)"
           % (action, len(NAUGHTY), ", ".join(names), sorted(map(str, statuses))))
    for name, s, what in bad[:5]:
        tap.diag("%s=%r -> %s" % (name, s, what))


if not NAUGHTY:
    tap.skip("naughty strings against the forms", "blns.json not found")
    tap.done()

anon = Browser("app")
probe(anon, "/password/forgot", "/password/forgot")

me_email = account("me")[0]
me = signed_in(me_email, "app")
for action in ("/me/email", "/me/password", "/me/delete"):
    probe(me, "/me", action)
probe(me, "/me/confirm?next=%2Fme", "/me/confirm")

ev, (tt,) = new_event("Hostile forms %s" % RUN, [("Standing", 0, 100000, 10, 0)])
probe(me, "/events/%d/book?tt%%5B0%%5D%%5Bid%%5D=%d&tt%%5B0%%5D%%5Bqty%%5D=1" % (ev, tt),
      "/events/%d/book" % ev)

org = signed_in("organizer@tessera.test", "admin")
probe(org, "/admin/events/%d/staff" % ev, "/admin/events/%d/staff" % ev)

admin_email = account("admin", "admin")[0]
adm = signed_in(admin_email, "admin")
target, target_id = account("target")
app_side = Browser("app", adm.cookies)
st, _ = app_side.request("POST", "/me/confirm", [
    ("password", "tessera-demo"), ("next", "/admin/users"),
    ("csrf", tap.form_value(app_side.request("GET", "/me/confirm")[1], "csrf"))])
tap.is_eq(st, 303, "the admin confirms the password")
page = "/admin/users?q=" + urllib.parse.quote(target)
probe(adm, page, "/admin/users/%d/role" % target_id)
probe(adm, page, "/admin/users/%d/access" % target_id)
tap.ok(value("SELECT role FROM users WHERE email = '%s'" % target) in ("attendee", "organizer"),
       "the target account has a role the page may give")
value("UPDATE users SET disabled_at = NULL, role = 'attendee' WHERE email = '%s'" % target)
value("DELETE FROM login_throttle WHERE subject IN (%s)"
      % ", ".join("'%s'" % a for a in ADDRESSES + [me_email, admin_email]))
tap.done()
