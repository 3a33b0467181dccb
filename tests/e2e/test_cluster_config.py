#!/usr/bin/env python3
"""The front nginx of ./stack cluster, as generated, without starting the
cluster (./stack cluster test does that, outside this suite): nginx -t
accepts it, every program's upstream spans both hosts with passive health
checks, only idempotent requests are retried, the per-address limits are
on, and nothing in it or in tests/cluster/cluster.sh is outside
127.0.0.0/8."""

import os
import re
import shutil
import subprocess
import tempfile

import tap

HOSTS = ("127.0.11.1", "127.0.11.2")
PORTS = {"browse": 9001, "app": 9002, "admin": 9003}

tmp = tempfile.mkdtemp(prefix="cluster-conf-", dir=tap.VAR)
p = subprocess.run([tap.STACK, "cluster", "nginx-test"], capture_output=True,
                   text=True, timeout=120, stdin=subprocess.DEVNULL,
                   env=dict(os.environ, STACK_VAR=tmp))
tap.is_eq(p.returncode, 0, "./stack cluster nginx-test: nginx -t accepts the "
          "front's config (%s)" % (p.stderr.strip()[-300:] or "no error"))
conf = ""
if os.path.exists(os.path.join(tmp, "nginx.conf")):
    with open(os.path.join(tmp, "nginx.conf")) as f:
        conf = f.read()

for prog, port in PORTS.items():
    m = re.search(r"upstream +%s +\{([^}]*)\}" % prog, conf)
    servers = re.findall(r"server +([0-9.]+):(\d+) +max_fails=(\d+) +"
                         r"fail_timeout=(\d+)s", m.group(1) if m else "")
    tap.is_eq(sorted((a, int(b)) for a, b, _, _ in servers),
              [(h, port) for h in HOSTS],
              "upstream %s: both hosts on port %d" % (prog, port))
    tap.ok(servers and all(int(f) >= 1 for _, _, f, _ in servers),
           "upstream %s: passive health checks (max_fails, fail_timeout)"
           % prog)

with open(os.path.join(tap.SRC, "nginx", "cluster.conf")) as f:
    cluster_conf = f.read()
tap.ok(re.search(r"include .*/nginx/cluster\.conf;", conf) and
       conf.index("cluster.conf;") < conf.index("upstream browse"),
       "nginx/cluster.conf is included at http level, before the upstreams")
nu = re.search(r"^fastcgi_next_upstream +([^;]+);", cluster_conf, re.M)
tap.ok(nu and "error" in nu.group(1) and "non_idempotent" not in nu.group(1),
       "a GET whose host failed goes to the other; a POST never does (%s)"
       % (nu.group(1) if nu else "no fastcgi_next_upstream"))
tap.like(cluster_conf, r"(?m)^limit_req zone=tessera_visitor ",
         "a request rate limit per client address")
tap.like(cluster_conf, r"(?m)^limit_conn tessera_visitor_conn \d+;",
         "a connection limit per client address")

passes = set(re.findall(r"fastcgi_pass +([a-z]+);", conf))
upstreams = set(re.findall(r"upstream +([a-z]+) +\{", conf))
tap.ok(passes and passes <= upstreams | {"$tessera_pictures_upstream"},
       "every fastcgi_pass names an upstream of the front (%s)"
       % sorted(passes - upstreams))
tap.ok("unix:" not in re.sub(r"(?s)#[^\n]*", "", conf),
       "no unix socket left: the programs are on other hosts")

with open(os.path.join(tap.SRC, "tests", "cluster", "cluster.sh")) as f:
    script = f.read()
addrs = set(re.findall(r"\b(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})\b",
                       conf + cluster_conf + script))
tap.ok(addrs and all(a.startswith("127.") for a in addrs),
       "no address outside 127.0.0.0/8 (%s)" % sorted(addrs))

shutil.rmtree(tmp, ignore_errors=True)
tap.done()
