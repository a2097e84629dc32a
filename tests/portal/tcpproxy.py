"""A TCP proxy that a test puts between the app and PostgreSQL or Redis, and cuts.

``cut()`` closes every open connection and refuses new ones (the server went away);
``cut(blackhole=True)`` instead accepts connections and never answers (a hung server or a
dropped network path, where only timeouts help). ``restore()`` forwards again.
"""

import contextlib
import socket
import threading


class TCPProxy:
    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._sockets = set()
        self._mode = "forward"
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    def _accept_loop(self):
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                mode = self._mode
            if mode == "refuse":
                client.close()
            elif mode == "blackhole":
                self._track(client)
            else:
                try:
                    upstream = socket.create_connection(self.target, timeout=5)
                except OSError:
                    client.close()
                    continue
                self._track(client, upstream)
                for source, sink in ((client, upstream), (upstream, client)):
                    threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _track(self, *socks):
        with self._lock:
            self._sockets.update(socks)

    def _pump(self, source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                self._close(sock)

    def _close(self, sock):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()
        with self._lock:
            self._sockets.discard(sock)

    def _close_all(self):
        with self._lock:
            socks = list(self._sockets)
        for sock in socks:
            self._close(sock)

    def cut(self, *, blackhole=False):
        with self._lock:
            self._mode = "blackhole" if blackhole else "refuse"
        self._close_all()

    def restore(self):
        self._close_all()  # black-holed connections would hang their owners forever
        with self._lock:
            self._mode = "forward"

    def stop(self):
        self._stopped.set()
        self._listener.close()
        self._thread.join(timeout=2)
        self._close_all()
