"""Transactions that cannot half-commit, on the test stack's real primary
and replica: runs the C program tests/db/test_db_tx (built with the
programs) as the database's root user over the unix sockets, and reports
its results as this script's own.

It kills its own connection between two statements of a transaction, makes
two processes deadlock, holds a row past a lock wait timeout and leaves a
transaction open at the end of a request (see the C file for each check).
"""

import os
import re
import subprocess

import tap

BUILD = os.environ.get("TESSERA_TEST_BUILD", os.path.join(tap.SRC, "build"))
PROGRAM = os.path.join(BUILD, "tests", "db", "test_db_tx")


def root_user():
    for word in tap.ROOT_SQL:
        if word.startswith("--user="):
            return word[len("--user="):]
    return "root"


def main():
    if not tap.ok(os.access(PROGRAM, os.X_OK), "%s is built" % PROGRAM):
        tap.done()
        return
    env = dict(os.environ,
               TESSERA_DB_PRIMARY="unix:" + tap.SOCKETS["primary"],
               TESSERA_DB_REPLICAS="unix:" + tap.SOCKETS["replica"],
               TESSERA_DB_USER=root_user(), TESSERA_DB_PASSWORD="")
    run = subprocess.run([PROGRAM], env=env, capture_output=True, text=True,
                         timeout=120)
    results = 0
    for line in run.stdout.splitlines():
        m = re.match(r"^(not )?ok \d+ - (.*)$", line)
        if m:
            results += 1
            tap.ok(m.group(1) is None, m.group(2))
        elif line.startswith("Bail out!"):
            tap.ok(False, line)
        elif line.startswith("#"):
            tap.diag(line.lstrip("# "))
    for line in run.stderr.splitlines()[-20:]:
        tap.diag("stderr: " + line)
    tap.ok(results > 0, "the C program reported results")
    tap.is_eq(run.returncode, 0, "and exited cleanly")
    tap.done()


main()
