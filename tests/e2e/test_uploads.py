"""Uploads (multipart/form-data) end to end.

Always: every BODY_MULTIPART route of every program (`tessera-X --routes`)
has as its body_max exactly the client_max_body_size nginx gives the
location that path falls in, in the local and in the production file, so
the two limits cannot drift apart; the stack's media folder is there with
its three folders, and the programs are told where it is.

Then POST /pictures, the upload of pictures (the app): malformed, cut
short, too many parts, a file over the app's per-file limit, a body over
nginx's limit and a client that goes away mid-body each get their status
(400, 413 from the app or from nginx, 415) and leave the spool,
$TESSERA_TEST_VAR/media/tmp, empty. Until the app has that route, a
well-formed upload answers 404 and these are skipped.
"""

import os
import re
import socket
import time
import urllib.parse

import tap

BUILD = os.environ.get("TESSERA_TEST_BUILD", os.path.join(tap.SRC, "build"))
MEDIA = os.path.join(tap.VAR, "media")
SPOOL = os.path.join(MEDIA, "tmp")
PROGRAMS = ("browse", "app", "admin")
NGINX_FILES = ("local.conf.in", "tessera.conf")
UPLOAD = "/pictures"
BOUNDARY = "----TesseraUploadTest7MA4YWxkTrZu0gW"
CTYPE = "multipart/form-data; boundary=" + BOUNDARY
MIB = 1024 * 1024
FILE_MAX = 16 * MIB        # multipart_default_limits.max_file_len


# ------------------------------------------------------------ the limits

def routes_of(program):
    import subprocess
    out = subprocess.run([os.path.join(BUILD, "tessera-" + program), "--routes"],
                         capture_output=True, text=True, timeout=10)
    if out.returncode != 0:
        tap.diag(out.stderr)
        return []
    return [line.split(" ") for line in out.stdout.splitlines()]


def nginx_size(text):
    """client_max_body_size's value in bytes: 20m, 64k, 1g or bytes."""
    m = re.fullmatch(r"([0-9]+)([kKmMgG]?)", text)
    scale = {"": 1, "k": 1024, "m": MIB, "g": 1024 * MIB}[m.group(2).lower()]
    return int(m.group(1)) * scale


def nginx_locations(path):
    """(default limit, [(modifier, match, limit or None)]) of an nginx file:
    its locations in order, each with its own client_max_body_size."""
    default, locs, current, depth = None, [], None, 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            m = re.match(r"location\s+(=|\^~|~\*?)?\s*(\S+)\s*\{$", line)
            if m:
                current = [m.group(1) or "", m.group(2), None]
                locs.append(current)
                depth = 1
                continue
            m = re.match(r"client_max_body_size\s+(\S+);", line)
            if m:
                if current is not None:
                    current[2] = nginx_size(m.group(1))
                elif default is None:
                    default = nginx_size(m.group(1))
            if current is not None:
                depth += line.count("{") - line.count("}")
                if depth <= 0:
                    current = None
    return default, locs


def nginx_limit(path, uri):
    """The client_max_body_size nginx applies to uri, choosing the location
    as nginx does: an exact match; else the longest prefix, if it is ^~;
    else the first regex that matches; else the longest prefix."""
    default, locs = nginx_locations(path)
    for mod, match, limit in locs:
        if mod == "=" and match == uri:
            return limit or default
    prefixes = [(len(match), mod, limit) for mod, match, limit in locs
                if mod in ("", "^~") and uri.startswith(match)]
    best = max(prefixes) if prefixes else None
    if best and best[1] == "^~":
        return best[2] or default
    for mod, match, limit in locs:
        if mod.startswith("~") and re.search(match, uri,
                                             re.I if mod == "~*" else 0):
            return limit or default
    return (best[2] if best and best[2] else default)


def sample_path(pattern):
    path = re.sub(r"\{[a-z_0-9]+:int\}", "1", pattern)
    return re.sub(r"\{[a-z_0-9]+\}", "x", path)


def check_limits():
    uploads = []
    for program in PROGRAMS:
        for method, pattern, _access, body, limit in routes_of(program):
            if method == "POST" and body == "multipart":
                uploads.append((program, pattern, int(limit)))
    for name in NGINX_FILES:
        conf = os.path.join(tap.SRC, "nginx", name)
        for program, pattern, limit in uploads:
            got = nginx_limit(conf, sample_path(pattern))
            tap.is_eq(got, limit, "nginx/%s lets %d bytes through to POST %s, "
                      "the body_max of tessera-%s" % (name, limit, pattern, program))
        # The checker itself: it finds the upload location's 20m and the
        # forms' 64k, so a route of another size would be caught.
        tap.is_eq(nginx_limit(conf, UPLOAD), 20 * MIB,
                  "nginx/%s: client_max_body_size 20m for = %s" % (name, UPLOAD))
        tap.is_eq(nginx_limit(conf, "/events/1/book"), 64 * 1024,
                  "nginx/%s: the forms' 64k elsewhere" % name)
    if not uploads:
        tap.diag("no program has a BODY_MULTIPART route yet")


def check_media():
    for sub, mode in (("tmp", 0o700), ("originals", 0o700), ("public", 0o750)):
        path = os.path.join(MEDIA, sub)
        tap.ok(os.path.isdir(path) and (os.stat(path).st_mode & 0o777) == mode,
               "the stack made media/%s, mode %o" % (sub, mode))
    for program in ("app", "admin", "browse"):
        try:
            with open(os.path.join(tap.VAR, "run", program + ".pid")) as f:
                pid = int(f.read())
            with open("/proc/%d/environ" % pid, "rb") as f:
                env = dict(kv.decode().partition("=")[::2]
                           for kv in f.read().split(b"\0") if b"=" in kv)
        except (OSError, ValueError):
            env = {}
        tap.is_eq(env.get("TESSERA_MEDIA_DIR"), MEDIA,
                  "tessera-%s has TESSERA_MEDIA_DIR" % program)


# ------------------------------------------------------------ uploads

def part(name, data, filename=None, ctype=None):
    head = 'Content-Disposition: form-data; name="%s"' % name
    if filename is not None:
        head += '; filename="%s"' % filename
    if ctype:
        head += "\r\nContent-Type: " + ctype
    return ("--%s\r\n%s\r\n\r\n" % (BOUNDARY, head)).encode() + data + b"\r\n"


def close():
    return ("--%s--\r\n" % BOUNDARY).encode()


def upload(body, ctype=CTYPE, client=None):
    h = {"Content-Type": ctype}
    if client is not None:
        h = client._headers(h)
    return tap.request("POST", UPLOAD, body=body, headers=h, timeout=120)


def spool_files():
    try:
        return os.listdir(SPOOL)
    except FileNotFoundError:
        return ["(no spool folder)"]


def spool_empty(what, seconds=5.0):
    """The files of a request go once it has ended, just after its answer."""
    deadline = time.time() + seconds
    while spool_files() and time.time() < deadline:
        time.sleep(0.1)
    left = spool_files()
    tap.ok(not left, "%s: the spool is empty%s"
           % (what, " (has %s)" % ", ".join(left[:3]) if left else ""))


def app_refusal(r, status, what):
    """A refusal of the app's own: its error page, not nginx's."""
    tap.is_eq(r.status, status, "%s: %d" % (what, status))
    tap.ok("<h1" in r.body and "larger than Tessera accepts" not in r.body,
           "%s: the app's error page" % what)


def raw_post(headers, body, read=True):
    """A POST over a socket of our own, body sent as given (maybe less than
    its Content-Length); returns the status line, or None."""
    u = urllib.parse.urlsplit(tap.URL)
    s = socket.create_connection((u.hostname, u.port), timeout=30)
    try:
        s.sendall(("POST %s HTTP/1.1\r\nHost: %s\r\n%s\r\n"
                   % (UPLOAD, u.netloc, "".join("%s: %s\r\n" % kv for kv in headers)))
                  .encode())
        try:
            s.sendall(body)
        except OSError:
            pass
        if not read:
            return None
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        return data.split(b"\r\n", 1)[0].decode(errors="replace")
    finally:
        s.close()


def check_uploads():
    c = tap.Client()
    good = part("csrf", b"not-a-token") + part("title", b"A test") + \
        part("picture", b"\xff\xd8\xff\xe0" + b"x" * 1000, "t.jpg", "image/jpeg") + close()
    r = upload(good, client=c)
    if r.status == 404:
        tap.skip("uploads to POST %s" % UPLOAD,
                 "the app has no POST %s route yet (the pictures work adds it); "
                 "a well-formed upload got 404" % UPLOAD)
        spool_empty("a well-formed upload to no route")
        return
    tap.ok(r.status in (303, 403), "a well-formed upload without a valid token: "
           "403 (or 303 to sign in): %d" % r.status)
    spool_empty("a well-formed upload refused on its token")

    cases = [
        ("malformed framing", part("a", b"v").replace(b"\r\n\r\n", b"\n\n") + close(), 400),
        ("a boundary as a line prefix",
         part("picture", b"\xff\xd8", "t.jpg") + ("--%sx\r\n" % BOUNDARY).encode() + close(), 400),
        ("cut short mid-file", part("picture", b"\xff\xd8" * 5000, "t.jpg")[:-10], 400),
        ("cut short mid-header",
         ("--%s\r\nContent-Disposition: form-da" % BOUNDARY).encode(), 400),
        ("no close delimiter", part("picture", b"\xff\xd8" * 100, "t.jpg"), 400),
        ("a bad filename*", ("--%s\r\nContent-Disposition: form-data; name=\"picture\"; "
                             "filename*=latin1''a.jpg\r\n\r\nx\r\n" % BOUNDARY).encode()
         + close(), 400),
        ("too many parts", b"".join(part("f%d" % i, b"v") for i in range(70)) + close(), 413),
        ("a text field over 16 KiB", part("title", b"t" * (16 * 1024 + 1)) + close(), 413),
    ]
    for what, body, status in cases:
        app_refusal(upload(body, client=c), status, what)
        spool_empty(what)

    r = upload(good, ctype="text/plain", client=c)
    app_refusal(r, 415, "an upload sent as text/plain")

    # A file one byte over the app's per-file limit, in a body nginx lets
    # through: the app refuses it, having written and then unlinked it.
    big = part("picture", b"\0" * (FILE_MAX + 1), "big.jpg", "image/jpeg") + close()
    app_refusal(upload(big, client=c), 413, "a file over the app's 16 MiB limit")
    spool_empty("a file over the app's limit")

    # Over nginx's limit: nginx answers from the Content-Length alone.
    status = raw_post([("Content-Type", CTYPE), ("Content-Length", str(20 * MIB + 1))],
                      b"x" * 1024)
    tap.ok(status is not None and " 413 " in status + " ",
           "a body over nginx's 20m: 413 from nginx (%s)" % status)
    spool_empty("a body over nginx's limit")

    # A client that goes away half-way: nginx never passes the body on.
    raw_post([("Content-Type", CTYPE), ("Content-Length", str(4 * MIB))],
             part("picture", b"\xff" * MIB, "gone.jpg"), read=False)
    time.sleep(1)
    spool_empty("a client gone mid-upload")


check_limits()
check_media()
check_uploads()
tap.done()
