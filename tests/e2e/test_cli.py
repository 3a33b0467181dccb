"""The `tessera` command line and start-up checks: `tessera render` gives
the mustache spec's expected output from files, a template that does not
compile stops a program at start-up with its file, line and reason,
`tessera migrate` is idempotent, and `tessera check` reports every server."""

import json
import os
import subprocess
import tempfile

import tap

BUILD = os.environ.get("TESSERA_TEST_BUILD", os.path.join(tap.SRC, "build"))
TESSERA = os.path.join(BUILD, "tessera")
SPEC = os.path.join(tap.SRC, "..", "shared", "mustache-spec", "specs")


def run(args, env=None, timeout=60):
    """Output decoded as is: the spec's tests care about CR LF."""
    p = subprocess.run(args, env=env, capture_output=True, timeout=timeout)
    p.stdout = p.stdout.decode("utf-8", "replace")
    p.stderr = p.stderr.decode("utf-8", "replace")
    return p


# ---------------------------------------------------------------- render
for name in ("interpolation", "sections", "partials", "~inheritance"):
    path = os.path.join(SPEC, name + ".json")
    with open(path) as f:
        tests = json.load(f)["tests"]
    passed = 0
    for t in tests:
        with tempfile.TemporaryDirectory() as d:
            tdir, pdir = os.path.join(d, "t"), os.path.join(d, "p")
            os.makedirs(tdir)
            os.makedirs(pdir)
            with open(os.path.join(tdir, "main.mustache"), "w", newline="") as f:
                f.write(t["template"])
            with open(os.path.join(d, "data.json"), "w") as f:
                json.dump(t["data"], f)
            for pname, ptext in t.get("partials", {}).items():
                with open(os.path.join(pdir, pname + ".mustache"), "w", newline="") as f:
                    f.write(ptext)
            p = run([TESSERA, "render", os.path.join(tdir, "main.mustache"),
                     os.path.join(d, "data.json"), pdir])
            if p.returncode == 0 and p.stdout == t["expected"]:
                passed += 1
            else:
                tap.diag("%s: %s: got %r" % (name, t["name"], p.stdout or p.stderr))
    tap.is_eq(passed, len(tests), "tessera render passes %s.json (%d tests)" % (name, len(tests)))

with tempfile.TemporaryDirectory() as d:
    with open(os.path.join(d, "bad.mustache"), "w") as f:
        f.write("<p>\n{{#items}}\n{{name}}\n")
    with open(os.path.join(d, "data.json"), "w") as f:
        f.write("{}")
    p = run([TESSERA, "render", os.path.join(d, "bad.mustache"), os.path.join(d, "data.json")])
    tap.ok(p.returncode == 1 and "bad.mustache:2" in p.stderr,
           "a template that does not compile is reported with its file and line (%s)" % p.stderr.strip())
    p = run([TESSERA, "render", os.path.join(d, "missing.mustache"), os.path.join(d, "data.json")])
    tap.ok(p.returncode == 1 and "missing.mustache" in p.stderr, "a missing template is named")

    # A program refuses to start on a broken template.
    os.unlink(os.path.join(d, "bad.mustache"))
    with open(os.path.join(d, "layout.mustache"), "w") as f:
        f.write("<html>\n\n{{/content}}\n")
    env = dict(os.environ, TESSERA_TEMPLATES=d, TESSERA_SECRET_KEY="x" * 40,
               TESSERA_DB_PRIMARY="unix:/nonexistent",
               TESSERA_BASE_URL="https://tickets.example")
    # Without the site's address, links in mails would come from the
    # request's Host header: a program refuses to start.
    for base, why in ((None, "unset"), ("https://tickets.example/", "with a path"),
                      ("tickets.example", "without a scheme"),
                      ("https://evil@tickets.example", "with user information")):
        e = dict(env)
        if base is None:
            del e["TESSERA_BASE_URL"]
        else:
            e["TESSERA_BASE_URL"] = base
        for prog in ("tessera-browse", "tessera-app", "tessera-worker"):
            p = run([os.path.join(BUILD, prog), "--listen", os.path.join(d, "b.sock")],
                    env=e, timeout=30)
            tap.ok(p.returncode != 0 and "TESSERA_BASE_URL" in p.stderr,
                   "%s refuses to start with TESSERA_BASE_URL %s" % (prog, why))
    p = run([os.path.join(BUILD, "tessera-browse"), "--listen", os.path.join(d, "s.sock")],
            env=env, timeout=30)
    tap.ok(p.returncode != 0 and "layout.mustache:3" in p.stderr,
           "tessera-browse stops at start-up on a broken template, naming file and line (%s)"
           % p.stderr.strip())
    tap.ok(not os.path.exists(os.path.join(d, "s.sock")), "and never listens")

# ---------------------------------------------------------------- migrate, check
secrets = tap.secrets()
env = dict(os.environ, TESSERA_DB_PRIMARY="unix:" + tap.SOCKETS["primary"],
           TESSERA_DB_REPLICAS="unix:" + tap.SOCKETS["replica"], TESSERA_DB_NAME=tap.DB_NAME,
           TESSERA_DB_USER="tessera_migrate", TESSERA_DB_PASSWORD=secrets["MIGRATE_PASSWORD"],
           TESSERA_SQL_DIR=os.path.join(tap.SRC, "sql"),
           TESSERA_TEMPLATES=os.path.join(tap.SRC, "templates"))
before = tap.sql("primary", "SELECT version FROM schema_migrations ORDER BY version", database=tap.DB_NAME)
p = run([TESSERA, "migrate"], env=env)
tap.ok(p.returncode == 0 and "up to date" in p.stdout,
       "tessera migrate a second time changes nothing (%s)" % (p.stdout + p.stderr).strip())
after = tap.sql("primary", "SELECT version FROM schema_migrations ORDER BY version", database=tap.DB_NAME)
tap.is_eq(after, before, "schema_migrations is unchanged")
tap.ok(len(after) >= 2, "and records every migration (%d)" % len(after))

benv = dict(env, TESSERA_DB_USER="tessera_browse", TESSERA_DB_PASSWORD=secrets["BROWSE_PASSWORD"])
p = run([TESSERA, "check"], env=benv)
tap.ok(p.returncode == 0 and "templates: ok" in p.stdout and "primary" in p.stdout
       and "replica" in p.stdout, "tessera check reports templates and both servers")
p = run([TESSERA, "check"], env=dict(benv, TESSERA_DB_PASSWORD="wrong"))
tap.ok(p.returncode == 1 and "down" in p.stdout, "and fails clearly with a wrong password")
p = run([TESSERA, "check"], env=dict(benv, TESSERA_MEDIA_DIR=os.path.join(tap.VAR, "media")))
tap.ok(p.returncode == 0 and "media: ok" in p.stdout, "tessera check finds the stack's media folders")
p = run([TESSERA, "check"], env=dict(benv, TESSERA_MEDIA_DIR=os.path.join(tap.VAR, "no-media")))
tap.ok(p.returncode == 1 and "media: " in p.stdout and "no-media/tmp" in p.stdout,
       "and fails, naming the folder, without them")
p = run([TESSERA, "nonsense"])
tap.ok(p.returncode == 2 and "unknown command" in p.stderr, "an unknown command is refused with usage")
tap.done()
