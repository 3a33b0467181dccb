"""The stack runs the programs of its table (`./stack programs`): each
FastCGI program with the table's number of workers, its own database
account and its own settings; and the table agrees with sql/grants.sql,
systemd/ and nginx/ (`./stack check`)."""

import os
import re
import shutil
import subprocess
import tempfile

import tap

RUN = os.path.join(tap.VAR, "run")


def stack(*args):
    p = subprocess.run([tap.STACK] + list(args), capture_output=True, text=True,
                       timeout=120, stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr




def environ(pid):
    with open("/proc/%d/environ" % pid, "rb") as f:
        pairs = f.read().split(b"\0")
    return dict(p.decode().partition("=")[::2] for p in pairs if b"=" in p)


rc, out, err = stack("programs")
tap.is_eq(rc, 0, "./stack programs prints the table")
rows = [line.split() for line in out.splitlines()[1:] if line.strip()]
table = {r[0]: dict(kind=r[1], workers=r[2], account=r[3], deploy=r[4],
                    env=[] if r[5] == "-" else r[5].split(",")) for r in rows}
tap.ok({"browse", "app", "admin", "worker", "migrate"} <= set(table),
       "it lists browse, app, admin, worker and migrate")

rc, out, err = stack("check")
tap.is_eq(rc, 0, "./stack check finds the table, grants.sql, systemd/ and nginx/ agree")
if rc != 0:
    tap.diag(out + err)

for name, p in sorted(table.items()):
    if p["kind"] == "command":
        continue
    try:
        with open(os.path.join(RUN, name + ".pid")) as f:
            pid = int(f.read().strip())
        env = environ(pid)
    except (OSError, ValueError) as e:
        tap.ok(False, "tessera-%s runs (%s)" % (name, e))
        continue
    tap.is_eq(env.get("TESSERA_DB_USER"), "tessera_" + p["account"],
              "tessera-%s uses its account from the table" % name)
    tap.ok(all(env.get(kv.partition("=")[0]) == kv.partition("=")[2]
               for kv in p["env"]),
           "tessera-%s has its settings from the table (%s)"
           % (name, ",".join(p["env"]) or "none"))
    if p["kind"] == "fastcgi":
        tap.is_eq(len(tap.children(pid)), int(p["workers"]),
                  "tessera-%s runs the table's %s workers" % (name, p["workers"]))
        tap.ok(os.path.exists(os.path.join(RUN, name + ".sock")),
               "tessera-%s listens on run/%s.sock" % (name, name))

# Every account of the table can sign in to the primary with its password.
secrets = tap.secrets()
for account in sorted({p["account"] for p in table.values()}):
    rc, rows_, err = tap.sql_run("primary", "SELECT CURRENT_USER()",
                                 user="tessera_" + account,
                                 password=secrets.get(account.upper() + "_PASSWORD"))
    tap.ok(rc == 0 and rows_ and rows_[0][0].startswith("tessera_%s@" % account),
           "the account tessera_%s exists, with its password from secrets.env" % account)

# ---- production: each program its own user and only its own secrets
SD = os.path.join(tap.SRC, "systemd")
SECRET = re.compile(r"^(TESSERA_[A-Z_]*(PASSWORD|SECRET[A-Z_]*|SMTP_USER))=", re.M)
OWN_SECRETS = {
    "common": {"TESSERA_SECRET_KEY"},
    "browse": {"TESSERA_DB_PASSWORD"},
    "app": {"TESSERA_DB_PASSWORD", "TESSERA_STRIPE_SECRET_KEY",
            "TESSERA_STRIPE_WEBHOOK_SECRET"},
    "admin": {"TESSERA_DB_PASSWORD"},
    "worker": {"TESSERA_DB_PASSWORD", "TESSERA_STRIPE_SECRET_KEY",
               "TESSERA_SMTP_USER", "TESSERA_SMTP_PASSWORD"},
    "migrate": {"TESSERA_DB_PASSWORD"},
}
for name, want in sorted(OWN_SECRETS.items()):
    with open(os.path.join(SD, name + ".env.example")) as f:
        text = f.read()
    got = {m.group(1) for m in SECRET.finditer(text)}
    tap.is_eq(sorted(got), sorted(want),
              "systemd/%s.env.example holds only its own secrets" % name)
    if name != "common":
        tap.like(text, r"(?m)^TESSERA_DB_USER=tessera_%s$" % table[name]["account"],
                 "systemd/%s.env.example names its own database account" % name)
tap.ok(all(not re.search(r"(?m)^TESSERA_SMTP_", open(os.path.join(SD, n + ".env.example")).read())
           for n in OWN_SECRETS if n != "worker"),
       "the mail relay is set for the worker alone")
users = {}
for unit, inst in (("tessera@.service", ("browse", "app", "admin")),
                   ("tessera-worker.service", ("worker",))):
    with open(os.path.join(SD, unit)) as f:
        text = f.read()
    for i in inst:
        t = text.replace("%i", i)
        user = re.search(r"(?m)^User=(\S+)$", t).group(1)
        users[i] = user
        tap.is_eq((user, re.search(r"(?m)^Group=(\S+)$", t).group(1)),
                  ("tessera-" + i, "tessera-" + i),
                  "tessera-%s runs as its own user and group" % i)
        tap.is_eq(re.findall(r"(?m)^EnvironmentFile=(\S+)$", t),
                  ["/etc/tessera/common.env", "/etc/tessera/%s.env" % i],
                  "%s reads common.env and its own %s.env only" % (i, i))
tap.is_eq(len(set(users.values())), len(users), "no two programs share a user")
units = [os.path.join(SD, "tessera-worker.service")]
if shutil.which("systemd-analyze"):
    tmp = tempfile.mkdtemp(prefix="tessera-units-")
    for i in ("browse", "app", "admin"):
        shutil.copy(os.path.join(SD, "tessera@.service"), os.path.join(tmp, "tessera@%s.service" % i))
        units.append(os.path.join(tmp, "tessera@%s.service" % i))
    p = subprocess.run(["systemd-analyze", "verify", "--man=false"] + units,
                       capture_output=True, text=True, timeout=120)
    # The programs are not installed here (make install puts them in
    # /usr/local/bin); anything else it says is a mistake in a unit.
    said = [l for l in (p.stdout + p.stderr).splitlines()
            if l.strip() and "is not executable" not in l]
    tap.ok(not said, "systemd-analyze verify finds nothing wrong in the units")
    for l in said[:10]:
        tap.diag(l)
    shutil.rmtree(tmp)
else:
    tap.skip("systemd-analyze verify on the units", "systemd-analyze is not installed")

tap.done()
