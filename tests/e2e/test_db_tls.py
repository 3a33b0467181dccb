"""TLS to the database over TCP. The test primary also listens on
127.0.0.1 with a certificate from a test CA that ./stack makes with
openssl (var/test/tls). `tessera check` (the programs' own connection
code) reaches it as host:port: with TLS verified against that CA it
connects; trusting another CA it refuses the server, which shows the
connection was TLS and its certificate checked; TESSERA_DB_TLS=required
encrypts without the check, and off connects in the clear."""

import os
import subprocess

import tap

BUILD = os.environ["TESSERA_TEST_BUILD"]
TLS = os.path.join(tap.VAR, "tls")
secrets = tap.secrets()
base = dict(os.environ,
            TESSERA_DB_PRIMARY="127.0.0.1:%s" % os.environ["TESSERA_TEST_PRIMARY_PORT"],
            TESSERA_DB_REPLICAS="", TESSERA_DB_NAME=tap.DB_NAME,
            TESSERA_DB_USER="tessera_browse", TESSERA_DB_PASSWORD=secrets["BROWSE_PASSWORD"],
            TESSERA_SQL_DIR=os.path.join(tap.SRC, "sql"),
            TESSERA_TEMPLATES=os.path.join(tap.SRC, "templates"))
for k in ("TESSERA_DB_TLS", "TESSERA_DB_TLS_CA"):
    base.pop(k, None)


def check(**env):
    p = subprocess.run([os.path.join(BUILD, "tessera"), "check"], env=dict(base, **env),
                       capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout + p.stderr


have = tap.sql_value("primary", "SELECT @@have_ssl")
tap.is_eq(have, "YES", "the test primary speaks TLS")
rc, out = check(TESSERA_DB_TLS_CA=os.path.join(TLS, "ca.pem"))
tap.ok(rc == 0 and "primary" in out, "over TCP with TLS verified against the CA: connects")
if rc != 0:
    tap.diag(out)
rc, out = check(TESSERA_DB_TLS_CA=os.path.join(TLS, "other-ca.pem"))
tap.ok(rc != 0, "trusting another CA: the server is refused (so it was TLS, and checked)")
rc, out = check()
tap.ok(rc != 0, "by default the system's CAs, which never signed the test certificate: refused")
rc, out = check(TESSERA_DB_TLS="required")
tap.is_eq(rc, 0, "TESSERA_DB_TLS=required: encrypted, not checked, connects")
rc, out = check(TESSERA_DB_TLS="off")
tap.is_eq(rc, 0, "TESSERA_DB_TLS=off: in the clear, connects")
rc, out = check(TESSERA_DB_TLS="sometimes")
tap.ok(rc != 0 and "TESSERA_DB_TLS" in out, "a wrong TESSERA_DB_TLS is refused, saying so")
rc, out = check(TESSERA_DB_PRIMARY="unix:" + tap.SOCKETS["primary"],
                TESSERA_DB_TLS_CA=os.path.join(TLS, "other-ca.pem"))
tap.is_eq(rc, 0, "a unix socket asks for no TLS at all")
tap.done()
