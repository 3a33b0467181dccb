#!/usr/bin/env python3
"""The picture cases of ./stack bench. Standard library only.

  pictures.py image PATH.png
      a 2-megapixel photo-like PNG (gradients and grain), for ./stack to
      turn into a JPEG
  pictures.py upload URL JPEG TOKENS SECONDS
      one connection per account (a cookie value a line in TOKENS), each
      uploading the JPEG over and over for SECONDS, every copy made
      different by zero padding after its end (the site refuses a file it
      has already); an upload is the POST /pictures answered 303
  pictures.py drain MYSQL... -- SECONDS
      how fast the worker makes the sizes of the pictures still
      processing: counts them with the root client given, every half
      second, until none is left or SECONDS have passed

The last line on stdout is the result, key=value words, for ./stack.
"""

import collections
import http.client
import os
import re
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
import zlib

PER_ACCOUNT = 30        # uploads an account may make in an hour (pictures.h)


def image(path):
    w, h = 1732, 1155   # 2.0 megapixels
    grain = os.urandom(w * 3)
    rows = []
    for y in range(h):
        t = y / (h - 1)
        shift = (y * 7) % (w * 3 - 1)
        g = grain[shift:] + grain[:shift]
        row = bytearray(w * 3)
        for x in range(0, w * 3, 3):
            s = x / (w * 3)
            row[x] = (int(40 + 180 * t) + g[x] // 8) & 255
            row[x + 1] = (int(90 + 120 * s) + g[x + 1] // 8) & 255
            row[x + 2] = (int(200 - 150 * t * s) + g[x + 2] // 8) & 255
        rows.append(b"\0" + bytes(row))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" +
                chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + chunk(b"IEND", b""))
    print("width=%d height=%d" % (w, h))


def percentile(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))]


def upload(url, jpeg_path, tokens_path, seconds):
    u = urllib.parse.urlsplit(url)
    jpeg = open(jpeg_path, "rb").read()
    tokens = [t.strip() for t in open(tokens_path) if t.strip()]
    lock = threading.Lock()
    statuses = collections.Counter()
    latencies = []
    counter = [0]
    end = time.time() + seconds

    def worker(token):
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        cookie = "tessera_session=" + token
        conn.request("GET", "/me/pictures", headers={"Cookie": cookie})
        page = conn.getresponse().read().decode("utf-8", "replace")
        m = re.search(r'name="csrf" value="([^"]*)"', page)
        if not m:
            with lock:
                statuses["no-csrf"] += 1
            return
        for _ in range(PER_ACCOUNT):
            if time.time() >= end:
                break
            with lock:
                counter[0] += 1
                n = counter[0]
            boundary = uuid.uuid4().hex
            fields = [("csrf", m.group(1)), ("title", "Bench %d" % n), ("price", "0"),
                      ("licence", "cc0")]
            body = b"".join(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                             % (boundary, k, v)).encode() for k, v in fields)
            body += ("--%s\r\nContent-Disposition: form-data; name=\"picture\"; "
                     "filename=\"bench.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
                     % boundary).encode() + jpeg + b"\0" * n + b"\r\n"
            body += ("--%s--\r\n" % boundary).encode()
            t0 = time.time()
            try:
                conn.request("POST", "/pictures", body=body, headers={
                    "Cookie": cookie,
                    "Content-Type": "multipart/form-data; boundary=" + boundary})
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException):
                status = "error"
                conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
            with lock:
                statuses[status] += 1
                latencies.append(time.time() - t0)

    start = time.time()
    threads = [threading.Thread(target=worker, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.time() - start
    ok = statuses.get(303, 0)
    print("uploads=%d seconds=%.1f uploads_per_s=%.1f p50_ms=%.0f p99_ms=%.0f bytes=%d "
          "statuses=%s" % (ok, took, ok / took, percentile(latencies, 50) * 1000,
                           percentile(latencies, 99) * 1000, len(jpeg),
                           ",".join("%s:%d" % kv for kv in sorted(statuses.items(),
                                                                  key=str))))


def drain(argv):
    cut = argv.index("--")
    client, seconds = argv[:cut], float(argv[cut + 1])
    query = "SELECT COUNT(*) FROM tessera.pictures WHERE status = 'processing'"

    def waiting():
        out = subprocess.run(client + ["-N", "-B", "-e", query], capture_output=True,
                             text=True, check=True).stdout
        return int(out.strip())

    first = waiting()
    start = time.time()
    left = first
    while left > 0 and time.time() - start < seconds:
        time.sleep(0.5)
        left = waiting()
    took = time.time() - start
    made = first - left
    print("pictures=%d seconds=%.1f pictures_per_s=%.2f files_per_s=%.2f left=%d"
          % (made, took, made / took if took else 0, 4 * made / took if took else 0, left))


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "image" and len(sys.argv) == 3:
        image(sys.argv[2])
    elif cmd == "upload" and len(sys.argv) == 6:
        upload(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]))
    elif cmd == "drain" and "--" in sys.argv:
        drain(sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
