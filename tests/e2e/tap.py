"""Tiny helpers for Tessera's end-to-end tests: TAP output, an HTTP client
that never follows redirects, SQL on the test stack's servers, and the
replica and worker switches. Standard library only. See README in this
directory for the environment that `./stack test` provides.

    import tap
    r = tap.get("/events")
    tap.is_eq(r.status, 200, "GET /events")
    tap.ok("<script>" not in r.body, "no raw markup")
    tap.done()
"""

import http.client
import os
import re
import subprocess
import sys
import urllib.parse

URL = os.environ.get("TESSERA_TEST_URL", "http://127.0.0.1:18080")
SRC = os.environ.get("TESSERA_TEST_SRC",
                     os.path.dirname(os.path.dirname(os.path.dirname(
                         os.path.abspath(__file__)))))
VAR = os.environ.get("TESSERA_TEST_VAR", os.path.join(SRC, "var", "test"))
STACK = os.environ.get("TESSERA_TEST_STACK", os.path.join(SRC, "stack"))
DB_NAME = os.environ.get("TESSERA_TEST_DB_NAME", "tessera")
SOCKETS = {
    "primary": os.environ.get("TESSERA_TEST_PRIMARY_SOCK",
                              os.path.join(VAR, "run", "primary.sock")),
    "replica": os.environ.get("TESSERA_TEST_REPLICA_SOCK",
                              os.path.join(VAR, "run", "replica.sock")),
}
ROOT_SQL = os.environ.get("TESSERA_TEST_ROOT_SQL",
                          "mariadb --no-defaults --user=root").split()
SECRETS = os.environ.get("TESSERA_TEST_SECRETS",
                         os.path.join(VAR, "secrets.env"))

# ------------------------------------------------------------------ TAP

_count = 0
_failed = 0


def ok(cond, name):
    """Prints one TAP line; returns cond as a bool."""
    global _count, _failed
    _count += 1
    name = " ".join(str(name).split())
    print("%s %d - %s" % ("ok" if cond else "not ok", _count, name), flush=True)
    if not cond:
        _failed += 1
    return bool(cond)


def is_eq(got, want, name):
    """ok(got == want), showing both on failure."""
    if ok(got == want, name):
        return True
    diag("     got: %r" % (got,))
    diag("    want: %r" % (want,))
    return False


def like(text, pattern, name):
    """ok(re.search(pattern, text)), showing the text on failure."""
    if ok(text is not None and re.search(pattern, text), name):
        return True
    diag("    %r does not match /%s/" % ((text or "")[:300], pattern))
    return False


def skip(name, why):
    """A test that could not run here: counts as passed, says why."""
    global _count
    _count += 1
    print("ok %d - %s # SKIP %s" % (_count, name, why), flush=True)


def diag(msg):
    for line in str(msg).splitlines() or [""]:
        print("# " + line, flush=True)


def done():
    """Prints the plan and exits 0: failures are the `not ok` lines; a
    non-zero exit means the script itself broke."""
    print("1..%d" % _count, flush=True)
    if _failed:
        diag("%d of %d failed" % (_failed, _count))
    sys.exit(0)

# ------------------------------------------------------------------ HTTP


class Response:
    """status (int), headers (case-insensitive, .get / .get_all), body
    (str), raw (bytes)."""

    def __init__(self, resp, raw):
        self.status = resp.status
        self.reason = resp.reason
        self.headers = resp.headers
        self.raw = raw
        self.body = raw.decode("utf-8", errors="replace")

    def __repr__(self):
        return "<Response %d, %d bytes>" % (self.status, len(self.raw))


def request(method, path, body=None, headers=None, timeout=30, source=None):
    """One request on a new connection, path sent exactly as given (no
    normalisation, no redirects followed); from the client address source
    (another 127.0.0.x, for the limits per address) if given."""
    u = urllib.parse.urlsplit(URL)
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=timeout,
                                      source_address=(source, 0) if source else None)
    try:
        conn.request(method, path, body=body, headers=dict(headers or {}))
        resp = conn.getresponse()
        raw = resp.read()
        return Response(resp, raw)
    finally:
        conn.close()


def get(path, headers=None, source=None):
    return request("GET", path, headers=headers, source=source)


def post(path, fields=None, headers=None, source=None):
    """A form post: fields is a dict or a list of (name, value) pairs."""
    h = {"Content-Type": "application/x-www-form-urlencoded"}
    h.update(headers or {})
    body = urllib.parse.urlencode(fields or {}, doseq=True)
    return request("POST", path, body=body.encode("utf-8"), headers=h, source=source)


class Client:
    """Like get/post, but keeps the cookies the site sets (one browser)."""

    def __init__(self, source=None):
        self.cookies = {}
        self.source = source        # its client address, if not 127.0.0.1

    def _headers(self, headers):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        return h

    def _keep(self, r):
        for line in r.headers.get_all("Set-Cookie") or []:
            pair = line.split(";", 1)[0]
            name, _, value = pair.partition("=")
            name = name.strip()
            attrs = line.lower()
            if value == "" or "max-age=0" in attrs or "expires=thu, 01 jan 1970" in attrs:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value.strip()
        return r

    def get(self, path, headers=None):
        return self._keep(get(path, self._headers(headers), source=self.source))

    def post(self, path, fields=None, headers=None):
        return self._keep(post(path, fields, self._headers(headers), source=self.source))


def form_value(html, name):
    """The value of the first <input name=NAME value=...> in html, or None
    (for CSRF tokens and other hidden fields)."""
    for tag in re.findall(r"<input\b[^>]*>", html, re.I):
        if re.search(r'\bname="%s"' % re.escape(name), tag):
            m = re.search(r'\bvalue="([^"]*)"', tag)
            return m.group(1) if m else ""
    return None

# ------------------------------------------------------------------ SQL


class SqlError(Exception):
    pass


def _client(server, user=None, password=None):
    if server not in SOCKETS:
        raise ValueError("server must be primary or replica, not %r" % server)
    env = dict(os.environ)
    if user is None:
        cmd = list(ROOT_SQL)
    else:
        cmd = ["mariadb", "--no-defaults", "--user=" + user]
        env["MYSQL_PWD"] = password or ""
    return cmd + ["--socket=" + SOCKETS[server]], env


def sql_run(server, query, user=None, password=None, database=None):
    """Runs query on the primary or the replica; returns (exit status,
    rows, stderr). Root unless user/password are given."""
    cmd, env = _client(server, user, password)
    cmd += ["-N", "-B"]
    if database:
        cmd.append("--database=" + database)
    p = subprocess.run(cmd, input=query, env=env, capture_output=True,
                       text=True, timeout=60)
    rows = [line.split("\t") for line in p.stdout.splitlines()]
    return p.returncode, rows, p.stderr.strip()


def sql(server, query, user=None, password=None, database=None):
    """Rows (lists of strings; NULL is "NULL") of the last statement;
    raises SqlError if the client fails."""
    rc, rows, err = sql_run(server, query, user, password, database)
    if rc != 0:
        raise SqlError("%s: %s" % (server, err))
    return rows


def sql_value(server, query, **kw):
    """The single value of a one-row, one-column query."""
    rows = sql(server, query, **kw)
    return rows[0][0] if rows and rows[0] else None


def sql_dict(server, query):
    """The first row of query as a dict of column name to value (root), or
    {} when there is no row; for SHOW REPLICA STATUS and the like."""
    cmd, env = _client(server)
    p = subprocess.run(cmd + ["-B"], input=query, env=env, capture_output=True,
                       text=True, timeout=60)
    if p.returncode != 0:
        raise SqlError("%s: %s" % (server, p.stderr.strip()))
    lines = p.stdout.splitlines()
    if len(lines) < 2:
        return {}
    return dict(zip(lines[0].split("\t"), lines[1].split("\t")))


def secrets():
    """The stack's account passwords: {'BROWSE_PASSWORD': ..., ...}."""
    out = {}
    with open(SECRETS) as f:
        for line in f:
            name, sep, value = line.strip().partition("=")
            if sep:
                out[name] = value
    return out


def wait_replica(timeout=10):
    """Waits until the replica has applied everything the primary has
    written; returns True when it has."""
    pos = sql_value("primary", "SELECT @@gtid_binlog_pos")
    got = sql_value("replica", "SELECT MASTER_GTID_WAIT('%s', %d)" % (pos, timeout))
    return got == "0"

# ------------------------------------------------------------------ replica


def _stack(*args):
    env = dict(os.environ, STACK_VAR=VAR)
    p = subprocess.run([STACK] + list(args), env=env, capture_output=True,
                       text=True, timeout=300, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        diag("%s %s failed:\n%s%s" % (STACK, " ".join(args), p.stdout, p.stderr))
    return p.returncode == 0


def replica_stop():
    """Stops the test stack's replica (clean shutdown). True on success."""
    return _stack("replica", "stop")


def replica_start():
    """Starts it again and waits until replication runs. True on success."""
    return _stack("replica", "start")

# ------------------------------------------------------------------ worker


def worker_stop():
    """Stops every tessera-worker of the test stack (each finishes the row
    at hand and gives back the rest of its batch). True on success."""
    return _stack("worker", "stop")


def worker_start(second=False):
    """Starts the test stack's tessera-worker, or with second=True another
    one beside it (worker2, log in log/worker2.log). True on success."""
    return _stack("worker", "start2" if second else "start")


# ------------------------------------------------------------------ processes


def children(pid):
    """The live (not zombie) child processes of pid, sorted."""
    kids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid and fields[0] != "Z":
                    kids.append(int(d))
            except (OSError, IndexError):
                pass
    return sorted(kids)
