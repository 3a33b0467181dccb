"""CSRF tokens are masked afresh in every response (BREACH): two loads of
one form carry different tokens, both accepted; a token of another
session, or one with a byte changed, is refused. Over HTTPS the anonymous
CSRF cookie is __Host-tessera_csrf: Secure, Path=/, no Domain (asked of
tessera-app's socket directly with HTTPS=on, as nginx's fastcgi_params
passes it behind TLS)."""

import os
import urllib.parse

import fcgi
import tap
from fixtures import account, sign_in

APP_SOCK = os.path.join(os.environ["TESSERA_TEST_VAR"], "run", "app.sock")


def token(c, path):
    return tap.form_value(c.get(path).body, "csrf")


# ---- a visitor: the login form, whose empty post is a 400 (no hash) when
# the token is good and a 403 when it is not
v = tap.Client()
t1, t2 = token(v, "/login"), token(v, "/login")
tap.ok(t1 and t2 and t1 != t2, "two loads of /login carry different tokens")
tap.ok("tessera_csrf" in v.cookies, "the visitor has the CSRF cookie")
for name, t in (("first", t1), ("second", t2)):
    r = v.post("/login", {"email": "", "password": "", "csrf": t})
    tap.is_eq(r.status, 400, "the %s token is accepted (the form is re-shown)" % name)
other = tap.Client()
r = other.post("/login", {"email": "", "password": "", "csrf": token(other, "/register")})
tap.is_eq(r.status, 400, "another visitor's own token works for them")
r = other.post("/login", {"email": "", "password": "", "csrf": t1})
tap.is_eq(r.status, 403, "one visitor's token is refused for another")

# ---- signed in: /me/name, a harmless change
a = sign_in(account("csrf-a")[0])
b = sign_in(account("csrf-b")[0])
ta1, ta2 = token(a, "/me"), token(a, "/me")
tap.ok(ta1 != ta2, "two loads of /me carry different tokens")
for i, t in enumerate((ta1, ta2), 1):
    r = a.post("/me/name", {"display_name": "Renamed %d" % i, "csrf": t})
    tap.is_eq(r.status, 303, "token %d of the session is accepted" % i)
tb = token(b, "/me")
r = a.post("/me/name", {"display_name": "Forged", "csrf": tb})
tap.is_eq(r.status, 403, "a token of another session is refused")
flipped = ta1[:60] + ("A" if ta1[60] != "A" else "B") + ta1[61:]
r = a.post("/me/name", {"display_name": "Forged", "csrf": flipped})
tap.is_eq(r.status, 403, "a token with a character changed is refused")
raw = ta1[:43]
r = a.post("/me/name", {"display_name": "Forged", "csrf": raw})
tap.is_eq(r.status, 403, "half a token is refused")

# ---- HTTPS: the __Host- prefix
head, body, _, _ = fcgi.request(APP_SOCK, "GET", "/login", {"HTTPS": "on"})
cookies = [l.split(":", 1)[1].strip() for l in head.split("\r\n")
           if l.lower().startswith("set-cookie:")]
csrf = [c for c in cookies if "tessera_csrf=" in c]
tap.ok(len(csrf) == 1 and csrf[0].startswith("__Host-tessera_csrf="),
       "over HTTPS the CSRF cookie is __Host-tessera_csrf (%s)" % csrf)
attrs = [x.strip().lower() for x in (csrf[0] if csrf else "").split(";")[1:]]
tap.ok("secure" in attrs and "path=/" in attrs and
       not any(x.startswith("domain=") for x in attrs),
       "Secure, Path=/ and no Domain, as the prefix requires")
cookie = csrf[0].split(";", 1)[0] if csrf else ""
t = tap.form_value(body.decode(), "csrf")
form = urllib.parse.urlencode({"email": "", "password": "", "csrf": t}).encode()
post = {"HTTPS": "on", "HTTP_COOKIE": cookie,
        "CONTENT_TYPE": "application/x-www-form-urlencoded"}
head, _, _, _ = fcgi.request(APP_SOCK, "POST", "/login", post, form)
tap.like(head, r"(?m)^Status: 400", "its token is accepted over HTTPS")
post["HTTP_COOKIE"] = cookie.replace("__Host-", "")
head, _, _, _ = fcgi.request(APP_SOCK, "POST", "/login", post, form)
tap.like(head, r"(?m)^Status: 403",
         "over HTTPS the cookie without the prefix counts for nothing")
tap.done()
