"""Pictures: an upload is taken, processed by the worker into sizes without
any metadata (read back from disk: no EXIF, no GPS), shown in the gallery
with its size attributes and served by nginx with long cache headers;
hostile uploads (polyglots, truncated, an HTML page named .jpg, an SVG, a
decompression bomb, an oversized file, a malformed body, a duplicate, a
forged form) get 4xx and leave nothing on disk or in the database; an
owner edits and deletes only their own; likes from many accounts at once
give the exact count; and a mail queued behind a pile of picture jobs
goes out at once."""

import concurrent.futures
import email
import email.policy
import glob
import json
import os
import re
import shutil
import struct
import subprocess
import time
import uuid
import zlib

import tap
from fixtures import location, make_accounts, sign_in, wait_until

DB = tap.DB_NAME
TAG = "px%d" % (int(time.time()) % 100000000)
MEDIA = os.path.join(tap.VAR, "media")
SAMPLES = os.environ.get("EXIF_SAMPLES", "/work/shared/exif-samples")
GPS_JPEG = os.path.join(SAMPLES, "jpg/gps/DSCN0012.jpg")
MAIL_DIR = os.path.join(tap.VAR, "mail")


def value(q):
    return tap.sql_value("primary", q, database=DB)


def sql(q):
    return tap.sql("primary", q, database=DB)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def multipart(fields, files):
    """A multipart/form-data body: fields {name: text}, files [(name,
    filename, content type, bytes)]. Returns (body, content type)."""
    boundary = "----tessera" + uuid.uuid4().hex
    out = []
    for name, text in fields.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n"
                    % (boundary, name)).encode() + str(text).encode() + b"\r\n")
    for name, filename, ctype, data in files:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; "
                    "filename=\"%s\"\r\nContent-Type: %s\r\n\r\n"
                    % (boundary, name, filename, ctype)).encode() + data + b"\r\n")
    out.append(("--%s--\r\n" % boundary).encode())
    return b"".join(out), "multipart/form-data; boundary=" + boundary


def upload(c, data, filename="photo.jpg", ctype="image/jpeg", title="A photo",
           price="0", extra=None, csrf=None, body=None, content_type=None):
    if csrf is None:
        csrf = tap.form_value(c.get("/me/pictures").body, "csrf")
    fields = {"csrf": csrf, "title": title, "description": "", "price": price,
              "licence": "cc_by"}
    fields.update(extra or {})
    if body is None:
        body, content_type = multipart(fields, [("picture", filename, ctype, data)])
    h = c._headers({"Content-Type": content_type})
    return c._keep(tap.request("POST", "/pictures", body=body, headers=h))


def files_in(area):
    return sorted(os.listdir(os.path.join(MEDIA, area)))


def spool_files():
    """The uploads' spool: media/tmp without the worker's files of sizes it
    is making at this moment (picture_derive.c's derive-*), which come and
    go with other tests' uploads."""
    return [f for f in files_in("tmp") if not f.startswith("derive-")]


def state():
    """What an upload leaves: pictures rows, originals, spool files."""
    return (int(value("SELECT COUNT(*) FROM pictures")), files_in("originals"),
            spool_files())


def picture_status(pid):
    return value("SELECT status FROM pictures WHERE id = %d" % pid)


def png(width, height):
    """A valid PNG announcing width x height grey pixels, with one tiny
    IDAT: a decompression bomb's header."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def metadata_marks(data):
    return [m for m in (b"Exif", b"GPS", b"http://ns.adobe.com", b"Photoshop 3.0",
                        b"ICC_PROFILE", b"NIKON") if m in data]


(owner, c), (other, c2) = make_accounts(TAG + "o", 2)

# ---------------------------------------------------------------- upload
r = c.get("/me/pictures")
tap.is_eq(r.status, 200, "GET /me/pictures")
tap.like(r.body, r'enctype="multipart/form-data"', "the upload form is multipart")

jpeg = read(GPS_JPEG)
before = state()
r = upload(c, jpeg, title="Harbour at dusk <b>bold</b>")
tap.is_eq(r.status, 303, "POST /pictures with a camera JPEG")
m = re.match(r"/me/pictures/(\d+)\?done=uploaded$", location(r))
tap.ok(m, "... goes to the picture's own page: %s" % location(r))
pid = int(m.group(1)) if m else 0
key = value("SELECT storage_key FROM pictures WHERE id = %d" % pid)
tap.ok(key and re.match(r"^[0-9a-f]{32}$", key), "stored under a random key")
tap.ok(os.path.isfile(os.path.join(MEDIA, "originals", key)),
       "the original is in originals/ under its key")
tap.is_eq(read(os.path.join(MEDIA, "originals", key)), jpeg, "... byte for byte")
tap.is_eq(spool_files(), before[2], "the spool is empty again")
tap.is_eq(value("SELECT CONCAT(format, ' ', width, 'x', height, ' ', bytes) FROM pictures "
                "WHERE id = %d" % pid), "jpeg 640x480 %d" % len(jpeg),
          "format and size as decoded")
tap.ok(value("SELECT HEX(sha256) FROM pictures WHERE id = %d" % pid) != "",
       "its SHA-256 is kept")

r = c.get("/me/pictures/%d" % pid)
tap.is_eq(r.status, 200, "the owner's page of it")
tap.ok("&lt;b&gt;bold&lt;/b&gt;" in r.body and "<b>bold</b>" not in r.body,
       "... the title is escaped")

tap.ok(wait_until(lambda: picture_status(pid) == "ready"), "the worker makes its sizes")
derived = sorted(glob.glob(os.path.join(MEDIA, "public", key + "-*")))
tap.is_eq([os.path.basename(p)[len(key):] for p in derived],
          ["-1600.jpg", "-1600.webp", "-400.jpg", "-400.webp"],
          "thumbnail and preview, as WebP and JPEG")
tap.ok("GPS" in subprocess.run(["exiftool", "-a", "-G1", GPS_JPEG],
                               capture_output=True, text=True).stdout
       if shutil.which("exiftool") else True, "the upload did carry GPS")
for path in derived:
    data = read(path)
    tap.is_eq(metadata_marks(data), [], "%s has no EXIF, GPS, XMP or ICC bytes"
              % os.path.basename(path))
    if shutil.which("exiftool"):
        out = subprocess.run(["exiftool", "-a", "-G1", "-s", path],
                             capture_output=True, text=True).stdout
        found = re.findall(r"^\[(GPS|EXIF|IFD\d|ExifIFD|XMP[-\w]*|IPTC|ICC[-\w]*|"
                           r"Photoshop|MakerNotes|Nikon)\]", out, re.M | re.I)
        tap.is_eq(sorted(set(found)), [], "... exiftool finds no metadata group in it")

r = tap.get("/pictures/%d" % pid)
tap.is_eq(r.status, 200, "GET /pictures/%d" % pid)
tap.like(r.body, r'<img class="preview" src="/media/%s-1600\.jpg" srcset="[^"]+" '
         r'sizes="[^"]+" width="640" height="480" alt="Harbour at dusk &lt;b&gt;' % key,
         "... the preview with srcset, sizes, width, height and alt")
r = tap.get("/pictures")
tap.is_eq(r.status, 200, "GET /pictures")
tap.ok('href="/pictures/%d"' % pid in r.body, "... lists it")
tap.like(r.body, r'width="400" height="300" alt="Harbour', "... as a sized thumbnail")
tap.ok('href="/pictures/%d"' % pid in tap.get("/pictures?author=%d" % owner).body,
       "... and so does its author's gallery")
tap.ok('href="/pictures/%d"' % pid in tap.get("/pictures?sort=popular").body,
       "... and the week's popular ones")
tap.is_eq(tap.get("/pictures?sort=best").status, 400, "an unknown order is a 400")

r = tap.get("/media/%s-400.webp" % key)
tap.is_eq(r.status, 200, "nginx serves the thumbnail")
tap.like(r.headers.get("Cache-Control", ""), r"max-age=31536000", "... cached for a year")
tap.is_eq(r.headers.get("X-Content-Type-Options"), "nosniff", "... nosniff")
for path in ("/media/" + key, "/media/../originals/" + key, "/media/%2e%2e/originals/" + key,
             "/media/originals/" + key, "/originals/" + key, "/_originals/" + key,
             "/_originals/", "/media/"):
    tap.ok(tap.request("GET", path).status in (400, 403, 404),
           "the original is not served at %s" % path)

# ---------------------------------------------------------------- original
r = c2.get("/pictures/%d/original" % pid)
tap.is_eq(r.status, 200, "a free picture's original: anyone signed in downloads it")
tap.ok(r.raw == jpeg, "... the original bytes, sent by nginx")
tap.is_eq(r.headers.get("Content-Type"), "image/jpeg", "... as image/jpeg")
tap.like(r.headers.get("Content-Disposition", ""), r"^attachment; filename=", "... as a download")
tap.ok(not r.headers.get("X-Accel-Redirect"), "... the internal path stays inside nginx")
r = tap.get("/pictures/%d/original" % pid)
tap.is_eq(r.status, 303, "signed out: to the sign-in page")
tap.is_eq(c2.get("/pictures/999999999/original").status, 404, "no such picture: 404")

# ---------------------------------------------------------------- hostile
zip_tail = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\0" * 16 + b"evil.html"
hostile = [
    ("a JPEG with a ZIP appended", jpeg + zip_tail, "photo.jpg", "image/jpeg", 400),
    ("a JPEG with HTML appended", jpeg + b"<html><script>alert(1)</script>",
     "photo.jpg", "image/jpeg", 400),
    ("a JPEG cut short", jpeg[:len(jpeg) // 2], "photo.jpg", "image/jpeg", 400),
    ("an HTML page named .jpg", b"<!doctype html><script>alert(1)</script>",
     "photo.jpg", "image/jpeg", 400),
    ("an SVG", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "photo.svg", "image/svg+xml", 400),
    ("a PNG announcing 900 megapixels", png(30000, 30000), "bomb.png", "image/png", 413),
    ("an empty file", b"", "photo.jpg", "image/jpeg", 400),
    ("the same file again", jpeg, "copy.jpg", "image/jpeg", 409),
]
for what, data, filename, ctype, want in hostile:
    before = state()
    r = upload(c, data, filename=filename, ctype=ctype)
    tap.is_eq(r.status, want, "%s: %d" % (what, want))
    tap.is_eq(state(), before, "... nothing left on disk or in the database")

before = state()
r = upload(c, jpeg + b"x", csrf="forged")
tap.is_eq(r.status, 403, "a forged CSRF token: 403")
tap.is_eq(state(), before, "... nothing kept")
r = upload(c, None, body=b"--x\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc",
           content_type="multipart/form-data; boundary=x")
tap.is_eq(r.status, 400, "a truncated multipart body: 400")
tap.is_eq(state(), before, "... nothing kept")
r = upload(c, os.urandom(17 * 1024 * 1024), filename="big.jpg")
tap.is_eq(r.status, 413, "a 17 MiB file: 413")
tap.is_eq(state(), before, "... nothing kept")
r = upload(c, jpeg + b"\0\0", extra={"title": ""})
tap.is_eq(r.status, 400, "no title: the form again, 400")
tap.is_eq(state(), before, "... nothing kept")
r = upload(c, jpeg + b"\0\0", extra={"event": "999999999"})
tap.is_eq(r.status, 403, "an event the person did not go to: 403, with the reason")
tap.like(r.body, r"only to the gallery of an event you held a paid ticket for",
         "... which says why")
tap.is_eq(state(), before, "... nothing kept")
anon = tap.Client()
r = upload(anon, jpeg + b"\0\0", csrf="")
tap.ok(r.status in (303, 403), "signed out: no upload (%d)" % r.status)
tap.is_eq(state(), before, "... nothing kept")

# ---------------------------------------------------------------- owner only
r = c2.get("/me/pictures/%d" % pid)
tap.is_eq(r.status, 404, "another person's picture page: 404")
csrf2 = tap.form_value(c2.get("/me/pictures").body, "csrf")
r = c2.post("/me/pictures/%d" % pid, {"csrf": csrf2, "title": "Mine now", "price": "0",
                                        "licence": "cc0", "description": ""})
tap.is_eq(r.status, 404, "another person's edit: 404")
r = c2.post("/me/pictures/%d/delete" % pid, {"csrf": csrf2})
tap.is_eq(r.status, 404, "another person's delete: 404")
tap.ok(value("SELECT title FROM pictures WHERE id = %d" % pid).startswith("Harbour"),
       "... the picture is untouched")
csrf = tap.form_value(c.get("/me/pictures/%d" % pid).body, "csrf")
r = c.post("/me/pictures/%d" % pid, {"csrf": csrf, "title": "Harbour at dusk",
                                      "price": "4.50", "licence": "cc_by_sa",
                                      "description": "Taken from the pier."})
tap.is_eq(r.status, 303, "the owner edits it")
tap.is_eq(value("SELECT CONCAT(title, '|', price_cents, '|', licence) FROM pictures "
                "WHERE id = %d" % pid), "Harbour at dusk|450|cc_by_sa", "... saved")
r = c2.get("/pictures/%d/original" % pid)
tap.is_eq(r.status, 403, "now priced: another person's download is refused")
tap.ok(r.raw != jpeg and b"\xff\xd8" not in r.raw[:4], "... with none of the file")
r = c.get("/pictures/%d/original" % pid)
tap.ok(r.status == 200 and r.raw == jpeg, "... the owner still downloads it")

# ---------------------------------------------------------------- likes
likers = make_accounts(TAG + "l", 24)


def like(client):
    token = tap.form_value(client.get("/pictures/%d" % pid).body, "csrf")
    return client.post("/pictures/%d/like" % pid, {"csrf": token}).status


with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
    statuses = list(pool.map(like, [cl for _, cl in likers]))
tap.is_eq(statuses, [303] * len(likers), "24 accounts like it at once")
tap.is_eq(int(value("SELECT like_count FROM pictures WHERE id = %d" % pid)), 24,
          "... the count is exactly 24")
tap.is_eq(int(value("SELECT COUNT(*) FROM picture_likes WHERE picture_id = %d" % pid)), 24,
          "... as many like rows")
with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
    statuses = list(pool.map(like, [cl for _, cl in likers[:10]]))
tap.is_eq(int(value("SELECT like_count FROM pictures WHERE id = %d" % pid)), 14,
          "ten take theirs back at once: 14")
tap.ok("Take back your like" in likers[10][1].get("/pictures/%d" % pid).body,
       "a liker's page offers to take it back")
tap.is_eq(c.post("/pictures/999999999/like", {"csrf": csrf}).status, 404,
          "liking a picture that does not exist: 404")

# ---------------------------------------------------------------- mail first
# A pile of slow jobs queued before one mail: the mail goes out while
# most of them still wait.
tap.ok(tap.worker_stop(), "worker stopped")
copies = []
for i in range(40):
    k = uuid.uuid4().hex
    shutil.copyfile(os.path.join(MEDIA, "originals", key), os.path.join(MEDIA, "originals", k))
    copies.append(k)
value("INSERT INTO pictures (owner_id, title, licence, format, width, height, bytes, sha256, "
      "storage_key) VALUES " + ", ".join(
          "(%d, 'Copy %d', 'cc0', 'jpeg', 640, 480, %d, RANDOM_BYTES(32), '%s')"
          % (owner, i, len(jpeg), k) for i, k in enumerate(copies)))
value("INSERT INTO outbox (topic, payload) SELECT 'picture_derive', "
      "JSON_OBJECT('picture_id', id) FROM pictures WHERE storage_key IN (%s) ORDER BY id"
      % ", ".join("'%s'" % k for k in copies))
to = "first-%s@example.test" % TAG
value("INSERT INTO outbox (topic, payload) VALUES ('mail', '%s')" % json.dumps(
    {"to": to, "template": "verify",
     "vars": {"name": "First", "verify_url": "http://127.0.0.1/verify?t=" + TAG}}))
tap.ok(tap.worker_start(), "worker started")


def mailed():
    for path in glob.glob(os.path.join(MAIL_DIR, "*.eml")):
        if to in read(path).decode("utf-8", "replace"):
            return True
    return False


tap.ok(wait_until(mailed, timeout=20, step=0.05), "the mail queued last is delivered")
waiting = int(value("SELECT COUNT(*) FROM pictures WHERE storage_key IN (%s) "
                    "AND status = 'processing'" % ", ".join("'%s'" % k for k in copies)))
tap.ok(waiting >= 30, "... while %d of the 40 picture jobs before it still wait" % waiting)
tap.ok(wait_until(lambda: int(value(
    "SELECT COUNT(*) FROM pictures WHERE storage_key IN (%s) AND status = 'ready'"
    % ", ".join("'%s'" % k for k in copies))) == 40, timeout=120),
    "... and the 40 are all made after")

# ---------------------------------------------------------------- moderation
owner_email = value("SELECT email FROM users WHERE id = %d" % owner)
token = tap.form_value(c2.get("/pictures/%d" % pid).body, "csrf")
r = c2.post("/pictures/%d/report" % pid, {"csrf": token, "reason": "Not theirs <b>x</b>"})
tap.is_eq(r.status, 303, "another person reports the picture")
tap.ok("your report reached the moderators" in c2.get(location(r)).body,
       "... and is thanked")
c2.post("/pictures/%d/report" % pid, {"csrf": token, "reason": "Again"})
tap.is_eq(value("SELECT COUNT(*) FROM picture_reports WHERE picture_id = %d" % pid), "1",
          "a second report by the same person adds nothing")
tap.is_eq(c2.post("/pictures/%d/report" % pid, {"csrf": token, "reason": " "}).status, 400,
          "a report without a reason: 400")
tap.is_eq(c2.get("/admin/moderation/pictures").status, 403,
          "the moderation page is for site admins")
admin = sign_in("admin@tessera.test")
r = admin.get("/admin/moderation/pictures")
tap.is_eq(r.status, 200, "GET /admin/moderation/pictures")
tap.ok("Not theirs &lt;b&gt;x&lt;/b&gt;" in r.body and "Harbour at dusk" in r.body,
       "... lists the report, escaped")
tap.ok('href="/admin/moderation/pictures"' in admin.get("/admin").body,
       "the admin home links to it")
atoken = tap.form_value(r.body, "csrf")
r = admin.post("/admin/moderation/pictures/%d/hide" % pid, {"csrf": atoken})
tap.is_eq(r.status, 303, "the admin hides the picture")
tap.is_eq(picture_status(pid), "hidden", "... it is hidden")
tap.is_eq(value("SELECT COUNT(*) FROM picture_reports WHERE picture_id = %d "
                "AND resolved_at IS NULL" % pid), "0", "... its reports are resolved")
tap.is_eq(value("SELECT COUNT(*) FROM audit_log WHERE action = 'picture.hide' "
                "AND target = 'picture %d'" % pid), "1", "... in the audit log")
tap.is_eq(admin.post("/admin/moderation/pictures/%d/hide" % pid, {"csrf": atoken}).status,
          404, "hiding it again: 404")
tap.is_eq(tap.get("/pictures/%d" % pid).status, 404, "a hidden picture's page: 404")
for path in ("/pictures", "/pictures?sort=popular", "/pictures?author=%d" % owner):
    tap.ok('href="/pictures/%d"' % pid not in tap.get(path).body,
           "... it is gone from %s" % path)
tap.is_eq(likers[0][1].post("/pictures/%d/like" % pid, {"csrf": tap.form_value(
    likers[0][1].get("/me/pictures").body, "csrf")}).status, 404, "... it cannot be liked")
tap.is_eq(c2.get("/pictures/%d/original" % pid).status, 404, "... nor downloaded")
r = c.get("/me/pictures/%d" % pid)
tap.ok(r.status == 200 and "hidden this picture" in r.body, "its owner still sees it, hidden")


def mail_to(address, needle):
    """Whether a mail to address whose subject holds needle was sent."""
    def found():
        for path in glob.glob(os.path.join(MAIL_DIR, "*.eml")):
            m = email.message_from_bytes(read(path), policy=email.policy.default)
            if address in str(m["To"]) and needle in str(m["Subject"]):
                return True
        return False
    return found


tap.ok(wait_until(mail_to(owner_email, "hidden"), timeout=30), "the owner is mailed")
tap.is_eq(value("SELECT COUNT(*) FROM notifications WHERE user_id = %d AND kind = 'picture_hidden' "
                "AND link = '/me/pictures/%d'" % (owner, pid)),
          "1", "... and finds it in their notifications, once")

copy_id = int(value("SELECT id FROM pictures WHERE storage_key = '%s'" % copies[0]))
r = admin.post("/admin/moderation/pictures/%d/delete" % copy_id, {"csrf": atoken})
tap.is_eq(r.status, 303, "the admin deletes another picture")
tap.is_eq(value("SELECT COUNT(*) FROM pictures WHERE id = %d" % copy_id), "0", "... its row is gone")
tap.ok(not os.path.exists(os.path.join(MEDIA, "originals", copies[0])) and
       not glob.glob(os.path.join(MEDIA, "public", copies[0] + "-*")), "... and its files")
tap.ok(wait_until(mail_to(owner_email, "removed"), timeout=30), "... and the owner is mailed")

# ---------------------------------------------------------------- delete
csrf = tap.form_value(c.get("/me/pictures/%d" % pid).body, "csrf")
r = c.post("/me/pictures/%d/delete" % pid, {"csrf": csrf})
tap.is_eq(r.status, 303, "the owner deletes it")
tap.is_eq(value("SELECT COUNT(*) FROM pictures WHERE id = %d" % pid), "0", "... its row is gone")
tap.is_eq(value("SELECT COUNT(*) FROM picture_likes WHERE picture_id = %d" % pid), "0",
          "... and its likes")
tap.ok(not os.path.exists(os.path.join(MEDIA, "originals", key)) and
       not glob.glob(os.path.join(MEDIA, "public", key + "-*")), "... and its files")
tap.is_eq(tap.get("/pictures/%d" % pid).status, 404, "its page is a 404")

tap.done()
