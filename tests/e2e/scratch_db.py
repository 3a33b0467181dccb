"""A MariaDB server of a test's own, empty, under the test stack's var/
(never the machine's): for `tessera setup`, a restore and a replica seeded
from a backup. Root signs in by the unix socket, as on Debian."""

import atexit
import os
import shutil
import subprocess
import time

import tap

# mariadbd refuses to run as root unless told to.
AS_ROOT = ["--user=root"] if os.geteuid() == 0 else []


class ScratchDB:
    def __init__(self, name, server_id, port_step):
        base = int(os.environ.get("TESSERA_TEST_PRIMARY_PORT", "13307"))
        self.port = base + 40 + port_step
        self.dir = os.path.join(tap.VAR, "scratch", name)
        self.sock = os.path.join(self.dir, "db.sock")
        self.server_id = server_id
        self.proc = None
        self.log = os.path.join(self.dir, "mariadb.log")

    def start(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(os.path.join(self.dir, "tmp"))
        data = os.path.join(self.dir, "data")
        subprocess.run(["mariadb-install-db", "--no-defaults", "--datadir=" + data,
                        "--skip-test-db", "--auth-root-authentication-method=socket",
                        "--skip-name-resolve", "--tmpdir=" + os.path.join(self.dir, "tmp")]
                       + AS_ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True, timeout=120)
        return self.run()

    def run(self):
        """The server on the data start() made (again, after stop())."""
        data = os.path.join(self.dir, "data")
        self.proc = subprocess.Popen(
            ["mariadbd", "--no-defaults", "--log-basename=scratch", "--datadir=" + data,
             "--socket=" + self.sock, "--port=%d" % self.port, "--bind-address=127.0.0.1",
             "--skip-name-resolve", "--server-id=%d" % self.server_id, "--log-bin",
             "--binlog-format=ROW", "--gtid-strict-mode=1", "--log-slave-updates=1",
             "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
             "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=16M",
             "--innodb-flush-log-at-trx-commit=2", "--performance-schema=OFF",
             "--log-error=" + self.log, "--pid-file=" + os.path.join(self.dir, "db.pid"),
             "--tmpdir=" + os.path.join(self.dir, "tmp")] + AS_ROOT,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        atexit.register(self.stop)   # a test that fails half-way leaves none behind
        deadline = time.time() + 60
        while time.time() < deadline:
            if os.path.exists(self.sock) and self.sql("SELECT 1", check=False) == [["1"]]:
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError("scratch MariaDB %s did not start; see %s" % (self.dir, self.log))

    def sql(self, query, database=None, check=True):
        """Rows as lists of strings, as root."""
        args = ["mariadb", "--no-defaults", "--user=root", "--socket=" + self.sock,
                "-N", "-B", "-e", query]
        if database:
            args.append(database)
        p = subprocess.run(args, capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            if check:
                raise RuntimeError("%s: %s" % (query, p.stderr.strip()))
            return None
        return [line.split("\t") for line in p.stdout.splitlines()]

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def deploy_command(work, names):
    """A fresh folder WORK and `tessera` running the deploy/ scripts NAMES
    as `make install` lays them (side by side with lib.sh): a function of
    the command's arguments, answering its finished process."""
    build = os.environ.get("TESSERA_TEST_BUILD", os.path.join(tap.SRC, "build"))
    shutil.rmtree(work, ignore_errors=True)
    libexec = os.path.join(work, "libexec")
    os.makedirs(libexec)
    for name in names:
        os.symlink(os.path.join(tap.SRC, "deploy", name), os.path.join(libexec, name))
    shutil.copy(os.path.join(build, "deploy", "lib.sh"), libexec)
    env = dict(os.environ, TESSERA_LIBEXEC_DIR=libexec)

    def tessera(*args):
        return subprocess.run([os.path.join(build, "tessera")] + list(args), env=env,
                              capture_output=True, text=True, timeout=300,
                              stdin=subprocess.DEVNULL)
    return tessera
