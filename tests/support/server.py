"""A real HTTP server on 127.0.0.x for tests: routes map paths to canned or computed responses.

Used by every test that fetches: no test touches the internet. Each route may delay, redirect, compress,
or answer with any status, headers and body; every request is logged (with its time) for politeness checks.
"""

from __future__ import annotations

import gzip
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up early (timeouts, size caps) is expected in tests: not worth a traceback."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001 (socketserver's signature)
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


@dataclass
class Reply:
    """What a route answers."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    delay: float = 0.0          # seconds to wait before answering
    gzip: bool = False
    chunked: bool = False       # stream the body with Transfer-Encoding: chunked (no Content-Length)
    chunk_size: int = 16 * 1024  # chunked replies: bytes per chunk ...
    chunk_delay: float = 0.0    # ... and seconds between chunks (a server that trickles)


Handler = Callable[["Request"], Reply]


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    started: float
    finished: float = 0.0


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A client closing its keep-alive connection (or a test killing it) is not a server error.
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class LocalServer:
    """Serve `routes` ({path: Reply or callable(Request) -> Reply}) on `host`, a free port."""

    def __init__(self, routes: dict[str, Reply | Handler] | None = None, host: str = "127.0.0.1",
                 fallback: Handler | None = None, keep_log: bool = True) -> None:
        self.routes: dict[str, Reply | Handler] = dict(routes or {})
        self.fallback = fallback        # answers paths no route names (e.g. generated pages for benchmarks)
        self.keep_log = keep_log        # off for very long runs: the log grows by one Request per hit
        self.requests = 0
        self.log: list[Request] = []
        self._lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; with Nagle on, the body waits for the client's delayed
            # ACK (~40 ms) on every keep-alive request.
            disable_nagle_algorithm = True

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                server._serve(self)

            def log_message(self, *_: object) -> None:
                pass

        self.httpd = _QuietServer((host, 0), _Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def hits(self, path: str) -> int:
        return sum(1 for r in self.log if r.path == path)

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        request = Request(path=handler.path, headers=dict(handler.headers), started=time.monotonic())
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self.requests += 1
            if self.keep_log:
                self.log.append(request)
        finished = False

        def finish() -> None:
            # Called just before the bytes that let the client finish go out (the headers, for a client that
            # stops at an error status; the last chunk of a chunked body): the client's next request must not
            # find this one still counted in flight.
            nonlocal finished
            if not finished:
                finished = True
                with self._lock:
                    self.in_flight -= 1
                    request.finished = time.monotonic()

        try:
            route = self.routes.get(handler.path) or self.routes.get(handler.path.split("?")[0]) or self.fallback
            reply = route(request) if callable(route) else route
            if reply is None:
                reply = Reply(b"not found", status=404, headers={"Content-Type": "text/plain"})
            if reply.delay:
                time.sleep(reply.delay)
            body = gzip.compress(reply.body) if reply.gzip else reply.body
            handler.send_response(reply.status)
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            if reply.gzip:
                handler.send_header("Content-Encoding", "gzip")
            if reply.chunked:
                handler.send_header("Transfer-Encoding", "chunked")
            elif not any(k.lower() == "content-length" for k in reply.headers):
                handler.send_header("Content-Length", str(len(body)))
            if not reply.chunked:
                finish()
            handler.end_headers()
            try:
                if reply.chunked:
                    for start in range(0, len(body), reply.chunk_size):
                        piece = body[start:start + reply.chunk_size]
                        handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                        handler.wfile.flush()
                        if reply.chunk_delay:
                            time.sleep(reply.chunk_delay)
                    finish()
                    handler.wfile.write(b"0\r\n\r\n")
                else:
                    handler.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
        finally:
            finish()
