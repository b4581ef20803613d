"""HTTP fetching: one requests session, timeouts, a size cap, redirects with a limit, an honest User-Agent.

Every failure becomes a FetchError (or a subclass) carrying the URL and a reason a user can act on.
"""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

from . import __version__
from .errors import ContentError, FetchError, HTTPStatusError, InputError

DEFAULT_USER_AGENT = f"newsfetch/{__version__} (news archiver; +https://pypi.org/project/newsfetch/)"
DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")
_CHUNK = 16 * 1024
_BODY_TIMEOUTS = 3  # the whole body may take this many --timeout periods


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
        try:
            with self.session.get(url, timeout=self.options.timeout, stream=True) as answer:
                if answer.status_code >= 400:
                    raise HTTPStatusError(f"HTTP {answer.status_code} {answer.reason or ''}".strip(),
                                          where=url, status=answer.status_code,
                                          retry_after=_retry_after(answer.headers.get("retry-after")))
                content_type = answer.headers.get("content-type", "")
                if not accept_any and content_type and not content_type.split(";")[0].strip().lower() \
                        .startswith(_HTML_TYPES):
                    raise ContentError(f"not an HTML page (Content-Type: {content_type.split(';')[0]})",
                                       where=url, reason="not-html")
                content = self._read_capped(answer, url)
                return Response(url=answer.url, status=answer.status_code, content=content,
                                headers={k.lower(): v for k, v in answer.headers.items()})
        except requests.TooManyRedirects:
            raise FetchError(f"too many redirects (more than {self.options.max_redirects}; a redirect loop?)",
                             where=url, reason="redirect-loop") from None
        except requests.Timeout:
            raise FetchError(f"timed out after {self.options.timeout:g} s", where=url, reason="timeout") from None
        except requests.exceptions.SSLError as exc:
            raise FetchError(f"TLS error: {_reason(exc)}", where=url, reason="tls") from None
        except requests.ConnectionError as exc:
            reason, message = _connection_reason(exc)
            raise FetchError(message, where=url, reason=reason) from None
        except requests.RequestException as exc:
            raise FetchError(f"request failed: {_reason(exc)}", where=url, reason="request-failed") from None

    def _read_capped(self, answer: requests.Response, url: str) -> bytes:
        limit = self.options.max_bytes
        declared = answer.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise ContentError(f"response too large ({int(declared):,} bytes; the cap is {limit:,})", where=url,
                               reason="too-large")
        chunks: list[bytes] = []
        size = 0
        # The read timeout restarts with every packet, so a server that trickles its body would hold us for
        # ever: the whole body must also arrive within a few timeouts (checked as pieces arrive).
        deadline = time.monotonic() + _BODY_TIMEOUTS * self.options.timeout
        # iter_content decodes gzip/deflate/br, so the cap also stops decompression bombs.
        for chunk in answer.iter_content(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise ContentError(f"response too large (over the cap of {limit:,} bytes)", where=url,
                                   reason="too-large")
            if time.monotonic() > deadline:
                raise FetchError(f"timed out: the body took more than {_BODY_TIMEOUTS * self.options.timeout:g} s",
                                 where=url, reason="timeout")
            chunks.append(chunk)
        return b"".join(chunks)


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
