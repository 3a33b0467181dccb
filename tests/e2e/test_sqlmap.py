"""sqlmap (Debian's) against the site's GET parameters, as an attacker
would try them: the event search and its filters, an event's id in the
path, and the tokens of the mailed links. Bounded: boolean, error and
UNION techniques only (no time-based ones, whose sleeps would make it
long and flaky on a shared machine), level and risk 1, and a time limit
per target. Skipped when sqlmap is not installed."""

import os
import shutil
import subprocess

import tap

OUT = os.path.join(tap.VAR, "sqlmap")
TARGETS = [
    ("the event search", "/events?q=jazz&city=Berlin&page=1"),
    ("an event's id", "/events/1*"),
    ("a reset link's token", "/password/reset?token=abcdefghijklmnop"),
    ("a confirmation link's token", "/verify?token=abcdefghijklmnop"),
]

if not shutil.which("sqlmap"):
    tap.skip("sqlmap against the site", "sqlmap is not installed")
    tap.done()

for name, path in TARGETS:
    cmd = ["sqlmap", "-u", tap.URL + path, "--batch", "--level=1", "--risk=1",
           "--technique=BEU", "--timeout=10", "--retries=0", "--threads=2",
           "--disable-coloring", "--output-dir=" + OUT, "--flush-session"]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=180,
                           stdin=subprocess.DEVNULL)
        out, finished = p.stdout + p.stderr, True
    except subprocess.TimeoutExpired as e:
        out, finished = (e.stdout or b"").decode(errors="replace"), False
    found = [l for l in out.splitlines()
             if "is vulnerable" in l or "might be injectable" in l or
             ("appears to be" in l and "injectable" in l and " not " not in l)]
    tap.ok(not found, "sqlmap finds no injection in %s (%s)" % (
        name, "finished" if finished else "stopped at its time limit"))
    for l in found[:5]:
        tap.diag(l)
    tap.ok("do not appear to be injectable" in out or not finished,
           "and says it tried %s's parameters" % name)
tap.done()
