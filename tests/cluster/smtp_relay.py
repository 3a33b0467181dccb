#!/usr/bin/env python3
"""An SMTP relay that accepts, for ./stack cluster test's mail fault:
STARTTLS with the given certificate (the worker refuses plain text),
then every message into DIR as one file, named by the time it arrived.
Standard library only; a thread per connection, as the workers send
each mail on a connection of its own.

  smtp_relay.py PORT CERT KEY DIR

It runs until killed; the fault "relay down" is this process stopped.
"""

import os
import socketserver
import ssl
import sys
import threading
import time

MAX_MESSAGE = 1 << 20     # a line-at-a-time reader needs a bound


def serve(conn, tls, outdir):
    f = conn.makefile("rb")

    def say(line):
        conn.sendall(line.encode() + b"\r\n")

    say("220 cluster relay ESMTP")
    secure = False
    while True:
        line = f.readline(4096)
        if not line:
            return
        verb = line.strip().split(b" ", 1)[0].upper()
        if verb in (b"EHLO", b"HELO"):
            conn.sendall(b"250-cluster relay\r\n" +
                         (b"" if secure else b"250-STARTTLS\r\n") +
                         b"250 8BITMIME\r\n")
        elif verb == b"STARTTLS" and not secure:
            say("220 go ahead")
            conn = tls.wrap_socket(conn, server_side=True)
            f = conn.makefile("rb")
            secure = True
        elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
            say("250 ok" if secure or verb == b"NOOP" else
                "530 STARTTLS first")
        elif verb == b"DATA" and secure:
            say("354 end with a dot")
            body, size = [], 0
            while True:
                chunk = f.readline(4096)
                if not chunk or chunk in (b".\r\n", b".\n"):
                    break
                size += len(chunk)
                if size <= MAX_MESSAGE:
                    body.append(chunk[1:] if chunk.startswith(b"..") else chunk)
            name = os.path.join(outdir, "%.6f-%d.eml" % (
                time.time(), threading.get_ident()))
            with open(name + ".tmp", "wb") as out:
                out.write(b"".join(body))
            os.rename(name + ".tmp", name)
            say("250 queued")
        elif verb == b"QUIT":
            say("221 bye")
            return
        else:
            say("502 not here")


def main():
    port, cert, key, outdir = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    os.makedirs(outdir, exist_ok=True)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            self.request.settimeout(30)
            try:
                serve(self.request, tls, outdir)
            except (OSError, ssl.SSLError):
                pass

    socketserver.ThreadingTCPServer.allow_reuse_address = True
    socketserver.ThreadingTCPServer.daemon_threads = True
    with socketserver.ThreadingTCPServer(("127.0.0.1", port), Handler) as srv:
        srv.serve_forever()


if __name__ == "__main__":
    main()
