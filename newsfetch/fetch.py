"""HTTP fetching: one requests session, a total deadline, a size cap, redirects with a limit, an honest
User-Agent.

Every failure becomes a FetchError (or a subclass) carrying the URL and a reason a user can act on.

Why a deadline and not only requests' timeout: that timeout bounds each socket read, and restarts with every
byte, so a server trickling its headers or body at 1 byte/s holds a request for as long as it likes. Here each
request (connect, redirects, headers, body) has one deadline, ``--timeout`` seconds: a timer shuts the request's
sockets down when it passes, which ends any read in progress.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from . import __version__
from .errors import ContentError, FetchError, HTTPStatusError, InputError, NewsfetchError

DEFAULT_USER_AGENT = f"newsfetch/{__version__} (news archiver; +https://pypi.org/project/newsfetch/)"
DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")
_CHUNK = 16 * 1024


class _Deadline:
    """The sockets one request uses, shut down by a timer when its deadline passes."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        _CURRENT.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._timer.cancel()
        _CURRENT.deadline = None

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            if self.expired:
                _shutdown(sock)
            else:
                self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)  # a blocked recv returns at once; the connection is not reused
    except OSError:
        pass


_CURRENT = threading.local()  # the deadline of the request this thread is making, if any


def _watch(sock: socket.socket | None) -> None:
    deadline = getattr(_CURRENT, "deadline", None)
    if deadline is not None:
        deadline.watch(sock)


class _WatchedHTTPConnection(HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _watch(self.sock)

    def getresponse(self):  # noqa: ANN201 (urllib3's signature)
        _watch(self.sock)  # a reused connection was connected for an earlier request
        return super().getresponse()


class _WatchedHTTPSConnection(HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _watch(self.sock)

    def getresponse(self):  # noqa: ANN201
        _watch(self.sock)
        return super().getresponse()


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose connections register their sockets with the thread's current deadline."""

    def init_poolmanager(self, *args: object, **kwargs: object) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


@dataclass(frozen=True)
class FetchOptions:
    """What a fetch may do: how long to wait, how much to read, how to introduce itself."""

    timeout: float = DEFAULT_TIMEOUT
    user_agent: str = DEFAULT_USER_AGENT
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 10


@dataclass(frozen=True)
class Response:
    """The parts of an HTTP answer the pipeline needs."""

    url: str                      # final URL, after redirects
    status: int
    content: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


def check_url(url: str) -> str:
    """Return `url` trimmed if it is an absolute http(s) URL with a host; raise InputError otherwise."""
    url = (url or "").strip()
    if not url:
        raise InputError("empty URL; give an http or https address", where='""')
    try:
        parts = urlsplit(url)
    except ValueError:
        raise InputError("not a valid URL", where=url) from None
    if parts.scheme.lower() not in ("http", "https"):
        if not parts.scheme:
            raise InputError("not an absolute URL (it needs http:// or https://)", where=url)
        raise InputError(f"unsupported URL scheme ({parts.scheme}:); only http and https are fetched", where=url)
    if not parts.hostname or re.search(r"\s", parts.netloc):
        raise InputError("not a valid URL (no host)", where=url)
    return url


class Fetcher:
    """A reusable HTTP client; one per thread (requests sessions are not thread-safe)."""

    def __init__(self, options: FetchOptions = FetchOptions()) -> None:
        self.options = options
        self.session = requests.Session()
        for prefix in ("http://", "https://"):
            self.session.mount(prefix, _DeadlineAdapter())
        self.session.max_redirects = options.max_redirects
        self.session.headers.update({
            "User-Agent": options.user_agent,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8",
        })

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def get(self, url: str, *, accept_any: bool = False) -> Response:
        """GET `url`; raise FetchError/HTTPStatusError/ContentError. `accept_any` skips the HTML check."""
        url = check_url(url)
        if (urlsplit(url).hostname or "").rstrip(".").endswith(".invalid"):
            # RFC 6761: .invalid never resolves; answer at once instead of waiting on a resolver offline.
            raise FetchError("DNS lookup failed (unknown host)", where=url, reason="dns")
        deadline = _Deadline(self.options.timeout)
        try:
            with deadline, self.session.get(url, timeout=self.options.timeout, stream=True) as answer:
                if answer.status_code >= 400:
                    raise HTTPStatusError(f"HTTP {answer.status_code} {answer.reason or ''}".strip(),
                                          where=url, status=answer.status_code,
                                          retry_after=_retry_after(answer.headers.get("retry-after")))
                content_type = answer.headers.get("content-type", "")
                if not accept_any and content_type and not content_type.split(";")[0].strip().lower() \
                        .startswith(_HTML_TYPES):
                    raise ContentError(f"not an HTML page (Content-Type: {content_type.split(';')[0]})",
                                       where=url, reason="not-html")
                content = self._read_capped(answer, url, deadline)
                return Response(url=answer.url, status=answer.status_code, content=content,
                                headers={k.lower(): v for k, v in answer.headers.items()})
        except requests.RequestException as exc:
            if deadline.expired:
                raise FetchError(f"timed out after {self.options.timeout:g} s (the deadline for connect, headers "
                                 "and body together)", where=url, reason="timeout") from None
            raise self._failure(exc, url) from None

    def _failure(self, exc: requests.RequestException, url: str) -> NewsfetchError:
        """The FetchError (or InputError) a requests exception stands for."""
        try:
            raise exc
        except requests.exceptions.InvalidSchema:
            # a redirect to file:, ftp:, javascript:…: refused at once (a retry would only be refused again)
            return InputError(f"refused a redirect to an unsupported address ({_reason(exc)})", where=url,
                              reason="bad-redirect")
        except requests.TooManyRedirects:
            return FetchError(f"too many redirects (more than {self.options.max_redirects}; a redirect loop?)",
                              where=url, reason="redirect-loop")
        except requests.Timeout:
            return FetchError(f"timed out after {self.options.timeout:g} s", where=url, reason="timeout")
        except requests.exceptions.SSLError:
            return FetchError(f"TLS error: {_reason(exc)}", where=url, reason="tls")
        except requests.ConnectionError:
            reason, message = _connection_reason(exc)
            return FetchError(message, where=url, reason=reason)
        except requests.RequestException:
            return FetchError(f"request failed: {_reason(exc)}", where=url, reason="request-failed")

    def _read_capped(self, answer: requests.Response, url: str, deadline: _Deadline) -> bytes:
        limit = self.options.max_bytes
        declared = answer.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise ContentError(f"response too large ({int(declared):,} bytes; the cap is {limit:,})", where=url,
                               reason="too-large")
        chunks: list[bytes] = []
        size = 0
        # iter_content decodes gzip/deflate/br, so the cap also stops decompression bombs.
        try:
            for chunk in answer.iter_content(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ContentError(f"response too large (over the cap of {limit:,} bytes)", where=url,
                                       reason="too-large")
                chunks.append(chunk)
        except (requests.exceptions.ChunkedEncodingError, requests.ConnectionError) as error:
            if deadline.expired:
                raise  # reported as the deadline by the caller
            arrived = size + _partial(error)
            of = f" of {int(declared):,}" if declared and declared.isdigit() else ""
            raise FetchError(f"the connection closed after {arrived:,}{of} bytes of the body (a truncated answer)",
                             where=url, reason="truncated") from None
        return b"".join(chunks)


def _partial(error: BaseException) -> int:
    """Bytes of the last read that did arrive, from the IncompleteRead inside requests' wrapping (else 0)."""
    pending: list[object] = [error]
    seen: set[int] = set()
    while pending:
        item = pending.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, urllib3.exceptions.IncompleteRead) and isinstance(item.partial, int):
            return item.partial
        if isinstance(item, BaseException):
            pending.extend(item.args)
            pending.append(item.__cause__ or item.__context__)
    return 0


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime
    from datetime import datetime, timezone

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _causes(exc: BaseException) -> list[BaseException]:
    """`exc` and what it wraps (requests → urllib3 → the socket error), through args, `reason` and chaining."""
    found: list[BaseException] = []
    todo: list[object] = [exc]
    while todo and len(found) < 20:
        item = todo.pop(0)
        if isinstance(item, BaseException) and all(item is not seen for seen in found):
            found.append(item)
            todo += [*item.args, getattr(item, "reason", None), item.__cause__, item.__context__]
    return found


def _connection_reason(exc: Exception) -> tuple[str, str]:
    """(reason slug, message) of a connection failure, from the socket error inside it (else from its text)."""
    causes = _causes(exc)
    for kind, reason, message in ((socket.gaierror, "dns", "DNS lookup failed (unknown host)"),
                                  (ConnectionRefusedError, "connection-refused", "connection refused"),
                                  (TimeoutError, "timeout", "connection timed out"),
                                  (ConnectionResetError, "connection-closed", "the server closed the connection")):
        if any(isinstance(cause, kind) for cause in causes):
            return reason, message
    text = str(exc)
    if re.search(r"Name or service not known|nodename nor servname|getaddrinfo failed|"
                 r"Temporary failure in name resolution|No address associated", text):
        return "dns", "DNS lookup failed (unknown host)"
    if "Connection refused" in text:
        return "connection-refused", "connection refused"
    if "timed out" in text.lower():
        return "timeout", "connection timed out"
    if "RemoteDisconnected" in text or "Connection aborted" in text or "reset" in text.lower():
        return "connection-closed", "the server closed the connection"
    return "connection-failed", f"connection failed: {_reason(exc)}"


def _reason(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
