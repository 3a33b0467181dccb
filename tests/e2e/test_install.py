"""The production install, into a scratch tree and a scratch MariaDB (never
this machine's /etc): `make install DESTDIR=R` lays the expected tree,
`tessera setup --root R` makes users, settings, database, accounts (the
replication account too), media folders, units, nginx site and a
self-signed certificate and checks them,
a second run changes nothing, `systemd-analyze verify` passes on every unit it
installed, `nginx -t` takes the site file it wrote, and `tessera
check-config` says in words what is wrong with each broken setting."""

import hashlib
import os
import re
import shutil
import subprocess
import tempfile

import tap
from scratch_db import ScratchDB

BUILD = os.environ.get("TESSERA_TEST_BUILD", os.path.join(tap.SRC, "build"))
R = os.path.join(tap.VAR, "scratch", "root")
PREFIX = "/usr/local"
HOST = "tessera.example"
UNITS = ["tessera@browse.service", "tessera@app.service", "tessera@admin.service",
         "tessera-worker.service"]


def run(args, env=None, timeout=180):
    p = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout,
                       stdin=subprocess.DEVNULL)
    return p


def under(path):
    return R + path


# ---------------------------------------------------------------- make install
shutil.rmtree(R, ignore_errors=True)
p = run(["make", "-C", BUILD, "install", "DESTDIR=" + R])
tap.ok(p.returncode == 0, "make install DESTDIR=… succeeds (%s)" % p.stderr.strip()[-300:])
expected = [
    "/bin/tessera", "/bin/tessera-browse", "/bin/tessera-app", "/bin/tessera-admin",
    "/bin/tessera-worker", "/libexec/tessera/setup", "/libexec/tessera/backup",
    "/libexec/tessera/restore", "/libexec/tessera/lib.sh", "/libexec/tessera/promote",
    "/libexec/tessera/rejoin",
    "/share/tessera/templates/layout.mustache", "/share/tessera/sql/001_schema.sql",
    "/share/tessera/sql/grants.sql", "/share/tessera/sql/database.sql",
    "/share/tessera/data/common-passwords.txt", "/share/tessera/deploy/tessera@.service",
    "/share/tessera/deploy/tessera-worker.service", "/share/tessera/deploy/tessera.conf",
    "/share/tessera/deploy/fastcgi_params.conf", "/share/tessera/deploy/error_pages.conf",
    "/share/tessera/deploy/common.env.example",
]
missing = [f for f in expected if not os.path.isfile(under(PREFIX + f))]
tap.ok(not missing, "the tree has the programs, scripts, templates, SQL and deployment files "
       "(missing: %s)" % missing)
execs = [f for f in expected if f.startswith(("/bin/", "/libexec/tessera/s", "/libexec/tessera/b",
                                               "/libexec/tessera/r", "/libexec/tessera/p"))]
tap.ok(all(os.access(under(PREFIX + f), os.X_OK) for f in execs),
       "the programs and scripts are executable")
with open(under(PREFIX + "/libexec/tessera/lib.sh")) as f:
    lib = f.read()
tap.ok("BINDIR=/usr/local/bin" in lib and "@bindir@" not in lib,
       "the scripts carry the configured paths")

# A fresh Debian's own accounts, so setup's users go into the tree's files.
os.makedirs(under("/etc"), exist_ok=True)
for name, text in (("passwd", "root:x:0:0:root:/root:/bin/bash\n"
                              "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"),
                   ("group", "root:x:0:\nwww-data:x:33:\n"),
                   ("shadow", "root:*:19000:0:99999:7:::\nwww-data:*:19000:0:99999:7:::\n"),
                   ("gshadow", "root:*::\nwww-data:*::\n")):
    with open(under("/etc/" + name), "w") as f:
        f.write(text)
shutil.copy("/etc/login.defs", under("/etc/login.defs"))
os.makedirs(under("/usr/lib/systemd"), exist_ok=True)
shutil.copytree("/usr/lib/systemd/system", under("/usr/lib/systemd/system"), symlinks=True)

db = ScratchDB("install", 21, 0).start()
env = dict(os.environ, TESSERA_LIBEXEC_DIR=under(PREFIX + "/libexec/tessera"))
TESSERA = under(PREFIX + "/bin/tessera")


def setup(*extra):
    return run([TESSERA, "setup", "--host", HOST, "--root", R, "--db-socket", db.sock] +
               list(extra), env=env)


def snapshot():
    """Every path of the tree but the copied units: mode, owner, size, time
    and content."""
    out = []
    for top, dirs, files in os.walk(R):
        if top == under("/usr/lib/systemd"):
            dirs[:] = []
        for n in sorted(dirs + files):
            path = os.path.join(top, n)
            st = os.lstat(path)
            digest = ""
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
            out.append((path, st.st_mode, st.st_uid, st.st_gid, st.st_size, st.st_mtime_ns,
                        os.readlink(path) if os.path.islink(path) else digest))
    return sorted(out)


def db_state():
    users = db.sql("SELECT user, host FROM mysql.user WHERE user LIKE 'tessera%' ORDER BY 1, 2")
    grants = [sorted(db.sql("SHOW GRANTS FOR '%s'@'%s'" % (u, h))) for u, h in users]
    return users, grants, db.sql("SELECT version, applied_at FROM tessera.schema_migrations "
                                 "ORDER BY 1")


# ---------------------------------------------------------------- setup
p = run([TESSERA, "setup", "--host", "Not A Host", "--root", R, "--db-socket", db.sock], env=env)
tap.ok(p.returncode != 0 and "--host" in p.stderr, "setup refuses a host name that is not one")

p = setup()
tap.ok(p.returncode == 0, "tessera setup --root runs (%s)" % (p.stdout + p.stderr).strip()[-400:])
tap.like(p.stdout, r"self-signed certificate for tessera\.example",
         "and says the certificate it made is self-signed")
tap.like(p.stdout, r"name your relay: TESSERA_SMTP_URL", "and that mail needs the relay named")
with open(under("/etc/passwd")) as f:
    passwd = f.read()
tap.ok(all("\ntessera-%s:" % n in passwd for n in ("browse", "app", "admin", "worker")),
       "one system user per program, in the tree's /etc/passwd")
with open(under("/etc/group")) as f:
    groups = {l.split(":")[0]: l.strip().split(":")[3].split(",") for l in f if l.strip()}
tap.ok(set(groups.get("tessera-media", [])) == {"tessera-app", "tessera-admin", "tessera-worker",
                                                  "www-data"},
       "tessera-media holds the programs that keep pictures, and nginx (%s)"
       % groups.get("tessera-media"))
tap.ok(all("www-data" in groups.get("tessera-" + n, []) for n in ("browse", "app", "admin")),
       "nginx's user reaches each FastCGI program's socket through its group")

envs = {}
modes_ok = True
for n in ("common", "browse", "app", "admin", "worker", "migrate"):
    path = under("/etc/tessera/%s.env" % n)
    st = os.stat(path)
    modes_ok = modes_ok and (st.st_mode & 0o777) == 0o600 and st.st_uid == 0
    with open(path) as f:
        envs[n] = dict(l.strip().split("=", 1) for l in f if "=" in l and not l.startswith("#"))
tap.ok(modes_ok, "every /etc/tessera/*.env is mode 0600, owner root (systemd reads it as root)")
pwds = [envs[n]["TESSERA_DB_PASSWORD"] for n in ("browse", "app", "admin", "worker", "migrate")]
tap.ok(len(set(pwds)) == 5 and all(len(x) == 40 for x in pwds),
       "each account has its own random password")
tap.is_eq((envs["common"]["TESSERA_BASE_URL"], len(envs["common"]["TESSERA_SECRET_KEY"]) >= 32,
           envs["common"]["TESSERA_TLS_CERT"]),
          ("https://" + HOST, True, "/etc/tessera/tls/fullchain.pem"),
          "common.env has the site's address, a secret key and the certificate")
ok_login = all(run(["mariadb", "--no-defaults", "--socket=" + db.sock, "-utessera_" + n,
                    "-e", "SELECT 1", "tessera"],
                   env=dict(os.environ, MYSQL_PWD=envs[n]["TESSERA_DB_PASSWORD"])).returncode == 0
               for n in ("browse", "app", "admin", "worker", "migrate"))
tap.ok(ok_login, "every account signs in to the database with the password in its file")

# The replication account: its own random password in replication.env
# (root only), REPLICATION SLAVE and nothing else, signing in over TCP
# as a replica on another machine does.
repl_path = under("/etc/tessera/replication.env")
st = os.stat(repl_path)
with open(repl_path) as f:
    repl = dict(l.strip().split("=", 1) for l in f if "=" in l and not l.startswith("#"))
tap.ok((st.st_mode & 0o777) == 0o600 and st.st_uid == 0 and repl.get("TESSERA_REPL_USER")
       == "tessera_repl" and len(repl.get("TESSERA_REPL_PASSWORD", "")) == 40
       and repl["TESSERA_REPL_PASSWORD"] not in pwds,
       "replication.env (mode 0600, owner root) names the replication account and its own "
       "random password (%s)" % sorted(repl))
repl_grants = db.sql("SHOW GRANTS FOR 'tessera_repl'@'%'")
tap.ok(len(repl_grants) == 1 and repl_grants[0][0].startswith(
       "GRANT REPLICATION SLAVE ON *.* TO `tessera_repl`@`%`"),
       "the replication account has REPLICATION SLAVE only (%s)" % repl_grants)


def as_repl(query, password=None):
    return run(["mariadb", "--no-defaults", "--host=127.0.0.1", "--port=%d" % db.port,
                "-utessera_repl", "-N", "-B", "-e", query],
               env=dict(os.environ, MYSQL_PWD=password or repl["TESSERA_REPL_PASSWORD"]))


p = as_repl("SELECT 1")
tap.ok(p.returncode == 0, "a replica signs in with it over TCP (%s)" % p.stderr.strip())
p = as_repl("SELECT COUNT(*) FROM tessera.users")
tap.ok(p.returncode != 0 and "denied" in p.stderr, "and reads no table (%s)" % p.stderr.strip())
tap.ok(int(db.sql("SELECT COUNT(*) FROM tessera.schema_migrations")[0][0]) >= 17,
       "the schema is migrated")
media = {d: oct(os.stat(under("/var/lib/tessera/media" + d)).st_mode & 0o7777)
         for d in ("", "/public", "/tmp", "/originals")}
tap.is_eq(media, {"": "0o2750", "/public": "0o2750", "/tmp": "0o2770", "/originals": "0o2770"},
          "the media folders have their modes (setgid, group tessera-media)")
wants = under("/etc/systemd/system/multi-user.target.wants")
tap.ok(all(os.path.islink(os.path.join(wants, u)) for u in UNITS),
       "the units are enabled (%s)" % (os.listdir(wants) if os.path.isdir(wants) else "none"))
with open(under("/etc/nginx/sites-available/tessera")) as f:
    site = f.read()
tap.ok("server_name %s;" % HOST in site and "/etc/tessera/tls/fullchain.pem" in site
       and os.path.islink(under("/etc/nginx/sites-enabled/tessera")),
       "the nginx site names the host and the certificate, and is enabled")
p = run(["openssl", "x509", "-in", under("/etc/tessera/tls/fullchain.pem"), "-noout",
         "-checkhost", HOST])
tap.ok("does match" in p.stdout, "the certificate is for the host")

# ---------------------------------------------------------------- twice
before, before_db = snapshot(), db_state()
p = setup()
tap.ok(p.returncode == 0 and "nothing to change" in p.stdout,
       "setup a second time says there is nothing to change (%s)" % p.stdout.strip()[-300:])
tap.ok(snapshot() == before, "and changes no file, mode, owner or time in the tree")
after_db = db_state()
tap.ok(after_db == before_db, "nor any account, grant or migration")
if after_db != before_db:
    tap.diag("before: %r\nafter: %r" % (before_db, after_db))

# ---------------------------------------------------------------- systemd, nginx
for u in UNITS:
    p = run(["systemd-analyze", "verify", "--root=" + R, u])
    tap.ok(p.returncode == 0, "systemd-analyze verify %s (%s)" % (u, (p.stdout + p.stderr).strip()))


def nginx_t(site_text):
    """nginx -t on the site file, its absolute paths moved into the tree."""
    for d in ("/run", "/var/log/nginx", "/tmp"):
        os.makedirs(under(d), exist_ok=True)
    text = site_text
    for top in ("/etc/", "/var/", "/run/", PREFIX + "/"):
        text = text.replace(" " + top, " " + R + top)
    with open(under("/tmp/site.conf"), "w") as f:
        f.write(text)
    with open(under("/tmp/nginx.conf"), "w") as f:
        f.write("pid %s/run/nginx.pid;\nerror_log %s/var/log/nginx/error.log;\n"
                "events {}\nhttp {\n include /etc/nginx/mime.types;\n include %s;\n}\n"
                % (R, R, under("/tmp/site.conf")))
    return run(["nginx", "-t", "-q", "-p", R + "/", "-e", under("/var/log/nginx/error.log"),
                "-c", under("/tmp/nginx.conf")])


p = nginx_t(site)
tap.ok(p.returncode == 0, "nginx -t takes the site file with the certificate setup made (%s)"
       % p.stderr.strip())

# ---------------------------------------------------------------- check-config
base = dict(os.environ)
for n in ("common", "browse"):
    base.update(envs[n])
base.update(TESSERA_TEMPLATES=under(PREFIX + "/share/tessera/templates"),
            TESSERA_SQL_DIR=under(PREFIX + "/share/tessera/sql"),
            TESSERA_DATA_DIR=under(PREFIX + "/share/tessera/data"),
            TESSERA_MEDIA_DIR=under("/var/lib/tessera/media"),
            TESSERA_TLS_CERT=under("/etc/tessera/tls/fullchain.pem"))


def check(change=None, drop=()):
    e = dict(base, **(change or {}))
    for k in drop:
        e.pop(k, None)
    p = run([TESSERA, "check-config"], env=e)
    return p.returncode, p.stdout + p.stderr


rc, out = check()
tap.ok(rc == 0 and "grants: ok" in out and "certificate: ok" in out and "media: ok" in out,
       "check-config passes on what setup made (%s)" % out.strip().replace("\n", " | "))
rc, out = check(drop=("TESSERA_SECRET_KEY",))
tap.ok(rc == 1 and "missing setting: TESSERA_SECRET_KEY" in out, "check-config names a missing "
       "setting (%s)" % out.splitlines()[0])
rc, out = check(drop=("TESSERA_BASE_URL", "TESSERA_TLS_CERT"))
tap.ok(rc == 1 and "missing setting: TESSERA_BASE_URL" in out
       and "missing setting: TESSERA_TLS_CERT" in out, "each of them")
rc, out = check({"TESSERA_DB_PRIMARY": "unix:" + under("/run/no-such.sock")})
tap.ok(rc == 1 and "down" in out, "an unreachable database (%s)"
       % [l for l in out.splitlines() if l.startswith("primary")])
rc, out = check({"TESSERA_DB_PASSWORD": "wrong"})
tap.ok(rc == 1 and "Access denied" in out, "a wrong password")
shutil.move(under("/var/lib/tessera/media/originals"), under("/var/lib/tessera/media/gone"))
rc, out = check()
tap.ok(rc == 1 and "originals: No such file" in out, "a media folder it cannot use (%s)"
       % [l for l in out.splitlines() if l.startswith("media")])
shutil.move(under("/var/lib/tessera/media/gone"), under("/var/lib/tessera/media/originals"))
# The folders are the programs' (group tessera-media): a user outside the
# group cannot use them, and check-config, run as that user, says so.
p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", TESSERA,
                    "check-config"], env=base, capture_output=True, text=True, timeout=60)
media_line = [l for l in p.stdout.splitlines() if l.startswith("media")]
tap.ok(p.returncode == 1 and media_line and "Permission denied" in media_line[0],
       "a media folder its user cannot read (%s)" % media_line)

db.sql("GRANT INSERT ON tessera.events TO 'tessera_browse'@'localhost'")
db.sql("REVOKE SELECT ON tessera.pictures FROM 'tessera_browse'@'localhost'")
rc, out = check()
tap.ok(rc == 1 and "tessera_browse has more than sql/grants.sql gives" in out
       and "INSERT ON tessera.events" in out, "a grant too many, named")
tap.ok("lacks" in out and "SELECT ON tessera.pictures" in out, "and a missing one, named")
p = setup()
rc, out = check()
tap.ok(p.returncode == 0 and rc == 0 and "grants: ok" in out, "setup again puts the grants right")

# Without a program's settings: each program of /etc/tessera in turn.
p = run([TESSERA, "check-config", "--root", R], env=env)
sections = [l.split(" ")[0] for l in p.stdout.splitlines() if not l.startswith(" ")]
tap.ok(p.returncode == 0 and sections == ["admin", "app", "browse", "migrate", "worker",
                                          "replication"]
       and p.stdout.count("grants: ok") == 5,
       "tessera check-config checks every program with its own settings (%s)" % sections)
db.sql("GRANT DELETE ON tessera.outbox TO 'tessera_worker'@'localhost'")
p = run([TESSERA, "check-config", "--root", R], env=env)
worker = p.stdout[p.stdout.find("\nworker ("):]
tap.ok(p.returncode == 1 and "tessera_worker has more" in worker and "DELETE ON tessera.outbox"
       in worker, "and names the program whose account is wrong")
db.sql("REVOKE DELETE ON tessera.outbox FROM 'tessera_worker'@'localhost'")


def repl_section():
    p = run([TESSERA, "check-config", "--root", R], env=env)
    return p.returncode, p.stdout[p.stdout.find("\nreplication ("):]


rc, out = repl_section()
tap.ok(rc == 0 and "account: ok" in out, "check-config checks the replication account last (%s)"
       % out.strip().replace("\n", " | "))
db.sql("REVOKE REPLICATION SLAVE ON *.* FROM 'tessera_repl'@'%'")
rc, out = repl_section()
tap.ok(rc == 1 and "tessera_repl lacks REPLICATION SLAVE" in out,
       "and says when it lacks REPLICATION SLAVE (%s)" % out.strip().replace("\n", " | "))
db.sql("GRANT REPLICATION SLAVE, SELECT ON *.* TO 'tessera_repl'@'%'; "
       "GRANT INSERT ON tessera.events TO 'tessera_repl'@'%'")
rc, out = repl_section()
tap.ok(rc == 1 and "has more than REPLICATION SLAVE" in out and "SELECT, REPLICATION SLAVE ON *.*"
       in out and "INSERT ON `tessera`.`events`" in out,
       "or has more, each grant named (%s)" % out.strip().replace("\n", " | "))
p = setup()
rc, out = repl_section()
tap.ok(p.returncode == 0 and "replication account tessera_repl" in p.stdout and rc == 0
       and db.sql("SHOW GRANTS FOR 'tessera_repl'@'%'")[0][0] == repl_grants[0][0],
       "setup again gives it REPLICATION SLAVE only, with its password (%s)"
       % p.stdout.strip()[-200:])
with open(repl_path) as f:
    repl_text = f.read()
with open(repl_path, "w") as f:
    f.write(repl_text.replace(repl["TESSERA_REPL_PASSWORD"], "changed-by-the-operator"))
rc, out = repl_section()
tap.ok(rc == 1 and "tessera_repl cannot sign in" in out and "Access denied" in out,
       "a password the account does not have: no replica can sign in, in words (%s)"
       % out.strip().replace("\n", " | "))
p = setup()
tap.ok(p.returncode == 0 and as_repl("SELECT 1", "changed-by-the-operator").returncode == 0,
       "setup keeps the operator's password and gives it to the account")
os.chmod(repl_path, 0o644)
rc, out = repl_section()
tap.ok(rc == 1 and "it must be 600, owner root" in out, "a replication.env others can read "
       "(%s)" % out.strip().replace("\n", " | "))
os.unlink(repl_path)
rc, out = repl_section()
tap.ok(rc == 1 and "missing: the replication account's settings" in out,
       "and none at all (%s)" % out.strip().replace("\n", " | "))

with tempfile.TemporaryDirectory() as d:
    short = os.path.join(d, "short.pem")
    run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "5", "-subj",
         "/CN=" + HOST, "-keyout", os.path.join(d, "k.pem"), "-out", short])
    rc, out = check({"TESSERA_TLS_CERT": short})
    tap.ok(rc == 1 and re.search(r"expires in [45] days", out), "a certificate about to expire (%s)"
           % [l for l in out.splitlines() if l.startswith("certificate")])
    rc, out = check({"TESSERA_TLS_CERT": os.path.join(d, "none.pem")})
    tap.ok(rc == 1 and "cannot read" in out, "a certificate that is not there")

db.stop()
shutil.rmtree(R, ignore_errors=True)
tap.done()
