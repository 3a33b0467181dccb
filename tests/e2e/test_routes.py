"""The programs' route tables are the one list of what the site answers:
every route of every program (as `tessera-X --routes` prints it) sent
through nginx reaches that program, and a body as large as the route
accepts gets past nginx to it. The production nginx site file routes the
same paths to the same programs as the local one.

nginx's access log names the upstream that answered each request
(log_format tessera: upstream=unix:.../NAME.sock).
"""

import os
import re
import shutil
import subprocess
import tempfile
import time

import tap

BUILD = os.environ.get("TESSERA_TEST_BUILD", os.path.join(tap.SRC, "build"))
ACCESS_LOG = os.path.join(tap.VAR, "log", "nginx-access.log")
PROGRAMS = ("browse", "app", "admin")


def routes_of(program):
    """[(method, pattern, access, body, max_bytes)] of one program."""
    import subprocess
    out = subprocess.run([os.path.join(BUILD, "tessera-" + program),
                          "--routes"], capture_output=True, text=True,
                         timeout=10)
    if out.returncode != 0:
        tap.diag(out.stderr)
        return []
    rows = []
    for line in out.stdout.splitlines():
        method, pattern, access, body, limit = line.split(" ")
        rows.append((method, pattern, access, body, int(limit)))
    return rows


def sample_path(pattern):
    """A path the pattern matches: 1 for an integer, x for text."""
    path = re.sub(r"\{[a-z_0-9]+:int\}", "1", pattern)
    return re.sub(r"\{[a-z_0-9]+\}", "x", path)


def upstream_of(marker, timeout=5.0):
    """The upstream= of the access-log line whose request has marker."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with open(ACCESS_LOG, encoding="utf-8", errors="replace") as f:
                for line in f:
                    if marker in line:
                        m = re.search(r"upstream=(\S+)", line)
                        return m.group(1) if m else "-"
        except FileNotFoundError:
            pass
        time.sleep(0.2)          # nginx flushes its log buffer every second
    return None


def reaches(upstream, program):
    return upstream is not None and upstream.endswith("/%s.sock" % program)


def check_routes():
    n = 0
    for program in PROGRAMS:
        rows = routes_of(program)
        tap.ok(rows, "tessera-%s lists its routes" % program)
        for method, pattern, access, body, limit in rows:
            n += 1
            marker = "route-check-%d-%d" % (os.getpid(), n)
            path = sample_path(pattern) + "?" + marker
            if method == "POST":
                r = tap.post(path, {"x": "1"})
            else:
                r = tap.request(method, path)
            up = upstream_of(marker)
            if not tap.ok(reaches(up, program),
                          "%s %s reaches tessera-%s (%s, %d)"
                          % (method, pattern, program, access, r.status)):
                tap.diag("upstream=%s" % up)
            if method != "POST":
                continue
            marker += "-big"
            filler = "x=" + "a" * (limit - 2)
            r = tap.request("POST", sample_path(pattern) + "?" + marker,
                            body=filler.encode(),
                            headers={"Content-Type":
                                     "application/x-www-form-urlencoded"})
            tap.ok(reaches(upstream_of(marker), program),
                   "a %s body of %d bytes gets past nginx to %s %s (%d)"
                   % (body, limit, method, pattern, r.status))


def locations(path):
    """{location line: upstream} of an nginx file's FastCGI locations."""
    found, current = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            m = re.match(r"location\s+(.*?)\s*\{$", line)
            if m:
                current = m.group(1)
                continue
            m = re.match(r"fastcgi_pass\s+(\S+);", line)
            if m and current is not None:
                found[current] = m.group(1)
            if line == "}":
                current = None
    return found


def check_production_file():
    local = locations(os.path.join(tap.SRC, "nginx", "local.conf.in"))
    prod = locations(os.path.join(tap.SRC, "nginx", "tessera.conf"))
    local.pop("= /bench/fixed", None)       # the benchmark's own program
    local.pop("= /test/upstream-down", None)  # test_request_id.py's missing one
    tap.ok(local, "the local nginx file has FastCGI locations")
    for loc in sorted(set(local) | set(prod)):
        tap.is_eq(prod.get(loc), local.get(loc),
                  "production routes location %s as the local stack does"
                  % loc)


def check_production_syntax():
    """nginx -t on the production site file, as Debian's nginx.conf would
    include it, with its paths moved into a scratch directory and a
    throwaway certificate."""
    if shutil.which("openssl") is None:
        tap.skip("the production site file passes nginx -t", "no openssl to make a certificate")
        return
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                        "-keyout", os.path.join(d, "k.pem"), "-out", os.path.join(d, "c.pem"),
                        "-days", "1", "-subj", "/CN=tessera.example"],
                       capture_output=True, check=True, timeout=60)
        with open(os.path.join(tap.SRC, "nginx", "tessera.conf")) as f:
            site = f.read()
        for old, new in (("/etc/letsencrypt/live/EXAMPLE/fullchain.pem", d + "/c.pem"),
                         ("/etc/letsencrypt/live/EXAMPLE/privkey.pem", d + "/k.pem"),
                         ("/etc/nginx/snippets/tessera_fastcgi.conf",
                          os.path.join(tap.SRC, "nginx", "fastcgi_params.conf")),
                         ("/etc/nginx/snippets/tessera_error_pages.conf",
                          os.path.join(tap.SRC, "nginx", "error_pages.conf")),
                         ("/var/cache/nginx/tessera", d + "/cache"),
                         ("/var/log/nginx/", d + "/"),
                         ("/var/www/letsencrypt", d), ("/run/tessera/", d + "/")):
            site = site.replace(old, new)
        os.makedirs(os.path.join(d, "logs"))
        with open(os.path.join(d, "tessera.conf"), "w") as f:
            f.write(site)
        with open(os.path.join(d, "nginx.conf"), "w") as f:
            f.write("error_log %s/error.log;\npid %s/nginx.pid;\nevents {}\n"
                    "http { include /etc/nginx/mime.types; include %s/tessera.conf; }\n"
                    % (d, d, d))
        p = subprocess.run(["nginx", "-t", "-q", "-c", os.path.join(d, "nginx.conf"), "-p", d],
                           capture_output=True, text=True, timeout=60)
        tap.ok(p.returncode == 0, "the production site file passes nginx -t (%s)"
               % (p.stderr.strip() or "ok"))


check_routes()
check_production_file()
check_production_syntax()
tap.done()
