"""A TCP server on 127.0.0.1 that answers each connection with a script of raw bytes and pauses: for servers that
misbehave below HTTP (trickled headers, a body cut short) where `server.LocalServer` is too well-behaved."""

from __future__ import annotations

import socket
import threading


class RawServer:
    """`with RawServer([(b"HTTP/1.1 200 OK\\r\\n", 0.0), …], close=True) as server:` — each connection gets the
    pieces in order, each after its pause (seconds), then the socket is closed (if `close`) or held open."""

    def __init__(self, script: list[tuple[bytes, float]], *, close: bool = True) -> None:
        self.script = script
        self.close = close
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(8)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}/page"

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        try:
            conn.recv(65536)  # the request; its content does not matter here
            for piece, pause in self.script:
                if self._stop.wait(pause):
                    return
                conn.sendall(piece)
            if not self.close:
                self._stop.wait(30)
        except OSError:
            pass
        finally:
            conn.close()


def trickle(data: bytes, every: float) -> list[tuple[bytes, float]]:
    """`data` one byte at a time, `every` seconds apart."""
    return [(data[i:i + 1], every) for i in range(len(data))]
