"""Forms sent with mistakes, as a person (and a screen reader) meets them:
status 400, what was typed kept and escaped (never a password), a message
beside each field it concerns (aria-invalid, and aria-describedby naming
the message), and a summary above the form linking to each field. Checked
on the account forms: sign-up, sign-in, the reset request, the new
password, and the four forms of /me. And the markup of these pages, blank
or not: elements nest and close, ids are unique, every label, link and
aria-describedby points to an element that exists."""

import html.parser
import secrets
import urllib.parse

import tap

RUN = secrets.token_hex(4)
PASSWORD = "a fine long passphrase 42"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


class Page(html.parser.HTMLParser):
    """Elements by id, the open-element stack, and what does not nest."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.ids, self.elements = [], [], {}, []
        self.summary_hrefs, self._in_summary = [], 0
        self.feed(text)
        self.close()
        if self.stack:
            self.problems.append("left open: %s" % " ".join(self.stack))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        if "id" in a:
            if a["id"] in self.ids:
                self.problems.append("id %r twice" % a["id"])
            self.ids[a["id"]] = (tag, a)
        if self._in_summary and tag == "a":
            self.summary_hrefs.append(a.get("href"))
        if tag in VOID:
            return
        if "error-summary" in (a.get("class") or "").split():
            self._in_summary = len(self.stack) + 1
        self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            self.problems.append("</%s>" % tag)
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append("</%s> closes <%s>" % (
                tag, self.stack[-1] if self.stack else "nothing"))
            return
        if self._in_summary == len(self.stack):
            self._in_summary = 0
        self.stack.pop()

    def dangling(self):
        """References to ids that are not there."""
        bad = []
        for tag, a in self.elements:
            refs = (a.get("aria-describedby") or "").split()
            refs += [a[k] for k in ("for", "aria-labelledby") if a.get(k)]
            if tag == "a" and (a.get("href") or "").startswith("#") and len(a["href"]) > 1:
                refs.append(a["href"][1:])
            bad += ["%s -> %s" % (tag, r) for r in refs if r not in self.ids]
        return bad


def check_markup(r, what):
    p = Page(r.body)
    tap.ok(not p.problems, "%s: the markup nests (%s)" % (what, "; ".join(p.problems[:3])))
    d = p.dangling()
    tap.ok(not d, "%s: every reference has its element (%s)" % (what, ", ".join(d[:3])))
    return p


def check_errors(r, what, fields, form_message=None):
    """r is a 400 page whose summary links to exactly the ids in fields,
    each an invalid control described by its message."""
    tap.is_eq(r.status, 400, "%s: 400" % what)
    p = check_markup(r, what)
    tap.is_eq(p.summary_hrefs, ["#" + f for f in fields],
              "%s: the summary links to each field in error" % what)
    good = True
    for f in fields:
        tag, a = p.ids.get(f, (None, {}))
        described = (a.get("aria-describedby") or "").split()
        if (tag not in ("input", "select", "textarea") or a.get("aria-invalid") != "true"
                or f + "-error" not in described or f + "-error" not in p.ids):
            good = False
            tap.diag("%s: %r %r" % (f, tag, a))
    tap.ok(good, "%s: each is aria-invalid and described by its message" % what)
    if form_message is not None:
        tap.like(r.body, form_message, "%s: the message about the whole form" % what)
    return p


def csrf_of(c, path):
    return tap.form_value(c.get(path).body, "csrf")


def post_form(c, path, fields, page=None):
    f = dict(fields)
    f["csrf"] = csrf_of(c, page or path)
    return c.post(path, f)


# ------------------------------------------------------------ blank pages
for path in ("/register", "/login", "/login?next=%2Fevents", "/password/forgot"):
    r = tap.get(path)
    tap.is_eq(r.status, 200, "GET " + path)
    p = check_markup(r, path)
    tap.ok(not p.summary_hrefs and "error-summary" not in r.body,
           "%s: no summary on a blank form" % path)

# ------------------------------------------------------------ sign-up
c = tap.Client()
typed = "<b>Zo\u00eb</b> & \"co\""
r = post_form(c, "/register", {"email": "not an address", "display_name": typed,
                               "password": "short"})
check_errors(r, "sign-up with a bad address and a short password",
             ["register-email", "register-password"])
tap.is_eq(tap.form_value(r.body, "email"), "not an address",
          "sign-up: the address comes back as typed")
tap.ok("&lt;b&gt;Zo\u00eb&lt;/b&gt; &amp; &quot;co&quot;" in r.body and typed not in r.body,
       "sign-up: the name comes back, escaped")
tap.ok(tap.form_value(r.body, "password") in ("", None),
       "sign-up: the password does not")
tap.like(r.body, "Enter a valid email address", "sign-up: the address's message")
tap.like(r.body, "at least 10 characters", "sign-up: the password's message")
r = post_form(c, "/register", {})
check_errors(r, "an empty sign-up",
             ["register-email", "register-display_name", "register-password"])
r = post_form(c, "/register", {"email": "x", "display_name": "X", "password": PASSWORD,
                               "next": "/events/1"})
tap.is_eq(tap.form_value(r.body, "next"), "/events/1", "sign-up: a safe next is kept")
r = post_form(c, "/register", {"email": "x", "display_name": "X", "password": PASSWORD,
                               "next": "//evil.example"})
tap.ok(tap.form_value(r.body, "next") is None and "evil" not in r.body,
       "sign-up: an unsafe next is dropped, silently")

# ------------------------------------------------------------ sign-in
nobody = "nobody-%s@example.com" % RUN
r = post_form(c, "/login", {"email": nobody.upper(), "password": "not the password"})
p = check_errors(r, "a wrong sign-in", [],
                 "The email address or the password is not right")
tap.ok("error-summary" in r.body, "a wrong sign-in: the summary holds the message")
tap.is_eq(tap.form_value(r.body, "email"), nobody,
          "a wrong sign-in: the address is kept, as checked")
r = post_form(c, "/login", {"email": "", "password": ""})
check_errors(r, "an empty sign-in", ["login-email", "login-password"])

# ------------------------------------------------------------ reset request
r = post_form(c, "/password/forgot", {"email": "a@b"})
check_errors(r, "a reset asked for a bad address", ["forgot-email"])
tap.is_eq(tap.form_value(r.body, "email"), "a@b", "reset request: the address is kept")

# ------------------------------------------------------------ /me
me = "forms-%s@example.com" % RUN
r = post_form(c, "/register", {"email": me, "display_name": "Form Tester", "password": PASSWORD})
tap.is_eq(r.status, 303, "a tester signs up")
r = post_form(c, "/login", {"email": me, "password": PASSWORD})
tap.is_eq(r.status, 303, "and signs in")
r = c.get("/me")
tap.is_eq(r.status, 200, "/me")
p = check_markup(r, "/me")
tap.ok(not p.summary_hrefs, "/me: no summary on blank forms")
r = post_form(c, "/me/name", {"display_name": "n" * 81}, page="/me")
check_errors(r, "/me: an 81-character name", ["name-display_name"])
tap.is_eq(tap.form_value(r.body, "display_name"), "n" * 81, "/me: the name is kept as typed")
tap.is_eq(r.body.count("error-summary\""), 1, "/me: one summary, for the form sent")
r = post_form(c, "/me/email", {"email": "no", "password": ""}, page="/me")
check_errors(r, "/me: a bad address and no password", ["email-email", "email-password"])
r = post_form(c, "/me/email", {"email": me.upper(), "password": PASSWORD}, page="/me")
check_errors(r, "/me: the same address", ["email-email"])
tap.like(r.body, "This is your address already", "/me: says so")
r = post_form(c, "/me/password", {"current_password": PASSWORD, "new_password": "short"},
              page="/me")
check_errors(r, "/me: a short new password", ["password-new_password"])
tap.ok(PASSWORD not in r.body and urllib.parse.quote_plus(PASSWORD) not in r.body,
       "/me: no password comes back")
r = post_form(c, "/me/password", {"current_password": "wrong wrong wrong",
                                  "new_password": "another fine passphrase"}, page="/me")
check_errors(r, "/me: a wrong current password", ["password-current_password"])
r = post_form(c, "/me/delete", {"password": PASSWORD}, page="/me")
p = check_errors(r, "/me: deleting without the box", ["delete-confirm"])
tag, a = p.ids.get("delete-confirm", (None, {}))
tap.ok(tag == "input" and a.get("type") == "checkbox" and "checked" not in a,
       "/me: the box is a checkbox, not ticked")
tap.sql("primary", "DELETE FROM login_throttle", database=tap.DB_NAME)
tap.done()
