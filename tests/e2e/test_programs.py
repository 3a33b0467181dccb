"""The stack runs the programs of its table (`./stack programs`): each
FastCGI program with the table's number of workers, its own database
account and its own settings; and the table agrees with sql/grants.sql,
systemd/ and nginx/ (`./stack check`)."""

import os
import subprocess

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

tap.done()
