"""A fake SMTP relay on 127.0.0.1 that refuses: it answers every
connection with "421 ... not available" and hangs up, as a relay that is
down or overloaded does, and counts the connections. Standard library
only.

    relay = fake_smtp.start()      # listening on relay.port
    relay.url                      # smtp://127.0.0.1:PORT
    relay.connections()            # how many came so far
    relay.stop()
"""

import socket
import threading


class Relay:
    def __init__(self):
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.port = self._sock.getsockname()[1]
        self.url = "smtp://127.0.0.1:%d" % self.port
        self._count = 0
        self._lock = threading.Lock()
        self._stopped = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stopped:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self._count += 1
            try:
                conn.sendall(b"421 4.3.2 fake relay: service not available\r\n")
            except OSError:
                pass
            conn.close()

    def connections(self):
        with self._lock:
            return self._count

    def stop(self):
        self._stopped = True
        self._sock.close()


def start():
    return Relay()
