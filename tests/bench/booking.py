#!/usr/bin/env python3
"""The booking cases of ./stack bench: buyers who book free tickets and
confirm them, through nginx, as a browser would. Standard library only.

  booking.py sessions DB TOKENS < user ids
      SQL for one session per account (on stdout, for a root client);
      their cookie values into the file TOKENS, one a line
  booking.py flow URL EVENT TYPE TOKENS SECONDS
      one connection per buyer; every buyer books one ticket, opens the
      checkout and confirms it, over and over, for SECONDS
  booking.py burst URL EVENT TYPE TOKENS
      every buyer asks for one ticket at the same moment; the ones who get
      a seat confirm it

A booking is three requests, the ones a browser cannot do without: the
POST that holds the seat (303 to the checkout), the GET of the checkout
(it carries the ticket's id, which the confirming form needs) and the
POST that confirms the free order (303 to the order, paid). The booking
form's CSRF token is read once per buyer before the clock starts (it is
the same for the whole session); the order page the last 303 leads to is
not fetched.

The last line on stdout is the result, key=value words, for ./stack;
stderr says what went wrong, if anything did.
"""

import asyncio
import base64
import collections
import hashlib
import os
import re
import sys
import time
import urllib.parse

# Bounds: no request waits longer than this, and a run ends at the latest
# this long after its planned end, whatever the server does.
REQUEST_TIMEOUT = 30.0
GRACE = 60.0


def sessions(db, tokens_path):
    ids = [int(line) for line in sys.stdin if line.strip()]
    values = []
    with open(tokens_path, "w") as out:
        for uid in ids:
            raw = os.urandom(32)
            out.write(base64.urlsafe_b64encode(raw).decode().rstrip("=") + "\n")
            values.append("(UNHEX('%s'), %d, RANDOM_BYTES(32), UTC_TIMESTAMP() "
                          "+ INTERVAL 1 DAY)" % (hashlib.sha256(raw).hexdigest(), uid))
    for i in range(0, len(values), 500):
        print("INSERT INTO %s.sessions (token_hash, user_id, csrf_secret, "
              "expires_at) VALUES %s;" % (db, ", ".join(values[i:i + 500])))


class HttpError(Exception):
    pass


class Buyer:
    """One browser: its own keep-alive connection and cookies."""

    def __init__(self, host, port, token, number):
        self.host, self.port = host, port
        self.cookies = {"tessera_session": token}
        self.number = number
        self.reader = self.writer = None
        self.csrf = None

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None

    async def request(self, method, path, fields=None):
        """(status, headers, body); the connection is opened when needed."""
        try:
            return await asyncio.wait_for(self._request(method, path, fields),
                                          REQUEST_TIMEOUT)
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError,
                asyncio.LimitOverrunError, ValueError) as e:
            await self.close()
            raise HttpError("%s %s: %s" % (method, path, type(e).__name__)) from e

    async def _request(self, method, path, fields):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(
                self.host, self.port)
        head = ["%s %s HTTP/1.1" % (method, path),
                "Host: %s:%d" % (self.host, self.port),
                "Cookie: " + "; ".join("%s=%s" % kv for kv in self.cookies.items())]
        body = b""
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode()
            head += ["Content-Type: application/x-www-form-urlencoded",
                     "Content-Length: %d" % len(body)]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = collections.defaultdict(list)
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()].append(v.strip())
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"][0]))
        elif "chunked" in ",".join(headers.get("transfer-encoding", [])):
            body = await self._chunked()
        else:
            body = await self.reader.read()
            headers["connection"] = ["close"]
        for c in headers.get("set-cookie", []):
            name, _, rest = c.partition("=")
            value = rest.split(";", 1)[0]
            if value == "" or re.search(r";\s*max-age=0\b", c, re.I):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if "close" in ",".join(headers.get("connection", [])).lower():
            await self.close()
        return status, headers, body.decode("utf-8", "replace")

    async def _chunked(self):
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)


def location(headers):
    return (headers.get("location") or [""])[0]


class Tally:
    """Statuses by step, latencies, confirmed bookings and failures."""

    def __init__(self):
        self.statuses = collections.Counter()
        self.step_ms = collections.defaultdict(list)
        self.booking_ms = []
        self.confirmed = 0
        self.errors = collections.Counter()

    def note(self, step, status, started):
        self.statuses[(step, status)] += 1
        self.step_ms[step].append((time.monotonic() - started) * 1000)

    def problem(self, what):
        if sum(self.errors.values()) < 5:
            print("booking.py: %s" % what, file=sys.stderr)
        self.errors[what.split(":")[0]] += 1


async def get_token(buyer, event, ttype):
    q = urllib.parse.urlencode([("tt[0][id]", ttype), ("tt[0][qty]", 1)])
    status, _, body = await buyer.request("GET", "/events/%d/book?%s" % (event, q))
    m = re.search(r'<input type="hidden" name="csrf" value="([^"]+)"', body)
    if status != 200 or m is None:
        raise HttpError("the booking form answered %d without a token for "
                        "buyer %d" % (status, buyer.number))
    buyer.csrf = m.group(1)


async def hold(buyer, event, ttype, tally):
    """Places the hold; the order's code, or None when refused."""
    started = time.monotonic()
    status, headers, _ = await buyer.request(
        "POST", "/events/%d/book" % event,
        [("tt[0][id]", ttype), ("tt[0][qty]", 1), ("csrf", buyer.csrf)])
    tally.note("book", status, started)
    m = re.match(r"^/orders/([A-Z2-9]{16})/checkout$", location(headers))
    if status == 303 and m:
        return m.group(1)
    if status != 409:
        tally.problem("book: %d %s" % (status, location(headers)))
    return None


async def confirm(buyer, code, tally):
    """Opens the checkout and confirms the free order; 1 if it is paid."""
    started = time.monotonic()
    status, _, body = await buyer.request("GET", "/orders/%s/checkout" % code)
    tally.note("checkout", status, started)
    ids = re.findall(r'name="t\[(\d+)\]\[id\]" value="(\d+)"', body)
    if status != 200 or not ids:
        tally.problem("checkout: %d for %s" % (status, code))
        return 0
    fields = [("csrf", buyer.csrf)]
    for i, tid in ids:
        fields += [("t[%s][id]" % i, tid), ("t[%s][name]" % i,
                                            "Buyer %d" % buyer.number)]
    started = time.monotonic()
    status, headers, _ = await buyer.request(
        "POST", "/orders/%s/checkout" % code, fields)
    tally.note("confirm", status, started)
    if status == 303 and location(headers) == "/me/orders/%s?done=paid" % code:
        return 1
    tally.problem("confirm: %d %s for %s" % (status, location(headers), code))
    return 0


async def one_booking(buyer, event, ttype, tally):
    started = time.monotonic()
    try:
        code = await hold(buyer, event, ttype, tally)
        if code is not None and await confirm(buyer, code, tally):
            tally.confirmed += 1
            tally.booking_ms.append((time.monotonic() - started) * 1000)
    except HttpError as e:
        tally.problem("connection: %s" % e)


async def prepare(buyers, event, ttype, at_once=64):
    """Every buyer's connection and token, a few at a time (not timed)."""
    sem = asyncio.Semaphore(at_once)

    async def one(b):
        async with sem:
            await get_token(b, event, ttype)
    await asyncio.gather(*(one(b) for b in buyers))


async def flow(buyers, event, ttype, seconds, tally):
    """Every buyer books again as soon as its last booking is done, until
    the time is up; bookings under way then are finished and counted."""
    deadline = time.monotonic() + seconds

    async def loop(b):
        while time.monotonic() < deadline:
            await one_booking(b, event, ttype, tally)
    await asyncio.gather(*(loop(b) for b in buyers))


async def burst(buyers, event, ttype, tally):
    """Every buyer books at the same moment (their connections are open)."""
    go = asyncio.Event()

    async def one(b):
        await go.wait()
        await one_booking(b, event, ttype, tally)
    tasks = [asyncio.ensure_future(one(b)) for b in buyers]
    await asyncio.sleep(0)
    go.set()
    await asyncio.gather(*tasks)


def pct(values, p):
    if not values:
        return 0.0
    v = sorted(values)
    return v[min(len(v) - 1, int(len(v) * p / 100))]


async def main_async(mode, url, event, ttype, tokens_path, seconds):
    u = urllib.parse.urlsplit(url)
    with open(tokens_path) as f:
        tokens = [line.strip() for line in f if line.strip()]
    buyers = [Buyer(u.hostname, u.port or 80, t, i + 1)
              for i, t in enumerate(tokens)]
    tally = Tally()
    await prepare(buyers, event, ttype)
    cpu0, t0 = time.process_time(), time.monotonic()
    run = flow(buyers, event, ttype, seconds, tally) if mode == "flow" else \
        burst(buyers, event, ttype, tally)
    try:
        await asyncio.wait_for(run, seconds + GRACE)
    except asyncio.TimeoutError:
        tally.problem("timeout: the run did not end %ds after its time" % GRACE)
    elapsed = time.monotonic() - t0
    cpu = time.process_time() - cpu0
    for b in buyers:
        await b.close()

    st = tally.statuses
    classes = collections.Counter()
    for (_, status), n in st.items():
        classes["s%dxx" % (status // 100)] += n
    nreq = sum(st.values())
    result = {
        "buyers": len(buyers),
        "seconds": "%.2f" % elapsed,
        "confirmed": tally.confirmed,
        "bookings_per_s": "%.1f" % (tally.confirmed / elapsed),
        "requests": nreq,
        "requests_per_s": "%.1f" % (nreq / elapsed),
        "booking_p50_ms": "%.1f" % pct(tally.booking_ms, 50),
        "booking_p99_ms": "%.1f" % pct(tally.booking_ms, 99),
        "hold_p50_ms": "%.1f" % pct(tally.step_ms["book"], 50),
        "hold_p99_ms": "%.1f" % pct(tally.step_ms["book"], 99),
        "checkout_p50_ms": "%.1f" % pct(tally.step_ms["checkout"], 50),
        "confirm_p50_ms": "%.1f" % pct(tally.step_ms["confirm"], 50),
        "book_303": st[("book", 303)],
        "book_409": st[("book", 409)],
        "s2xx": classes["s2xx"], "s3xx": classes["s3xx"],
        "s4xx": classes["s4xx"], "s5xx": classes["s5xx"],
        "errors": sum(tally.errors.values()),
        "driver_cpu_s": "%.2f" % cpu,
        "statuses": ",".join("%s:%d=%d" % (step, s, n)
                             for (step, s), n in sorted(st.items())),
    }
    print(" ".join("%s=%s" % kv for kv in result.items()))


def main(argv):
    if len(argv) == 4 and argv[1] == "sessions":
        sessions(argv[2], argv[3])
        return 0
    if len(argv) in (6, 7) and argv[1] in ("flow", "burst"):
        seconds = float(argv[6]) if len(argv) == 7 else 0.0
        if argv[1] == "flow" and not seconds > 0:
            print("booking.py: flow needs SECONDS > 0", file=sys.stderr)
            return 2
        try:
            asyncio.run(main_async(argv[1], argv[2], int(argv[3]), int(argv[4]),
                                   argv[5], seconds))
        except HttpError as e:
            print("booking.py: %s" % e, file=sys.stderr)
            return 1
        return 0
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
