"""Scrapy's download failures as the newsfetch errors `batch` reports, so reasons and retries read the same."""

from __future__ import annotations

from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError, DownloadConnectionRefusedError,
                               DownloadTimeoutError, IgnoreRequest)
from twisted.internet import error as tx
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from newsfetch.errors import ContentError, FetchError, HTTPStatusError, NewsfetchError
from newsfetch.fetch import _HTML_TYPES, _retry_after

_CLOSED = (ResponseNeverReceived, ResponseFailed, tx.ConnectionLost, tx.ConnectionDone)


def download_error(exception: BaseException, url: str, timeout: float) -> NewsfetchError:
    """The FetchError/ContentError `Fetcher.get` would have raised for the same failure."""
    if isinstance(exception, NewsfetchError):
        return exception
    if isinstance(exception, (DownloadTimeoutError, tx.TimeoutError, tx.TCPTimedOutError)):
        return FetchError(f"timed out after {timeout:g} s", where=url)
    if isinstance(exception, (DownloadConnectionRefusedError, tx.ConnectionRefusedError)):
        return FetchError("connection refused", where=url)
    if isinstance(exception, (CannotResolveHostError, tx.DNSLookupError)):
        return FetchError("DNS lookup failed (unknown host)", where=url)
    if isinstance(exception, DownloadCancelledError):
        return ContentError("response too large (over the cap)", where=url)
    if isinstance(exception, _CLOSED):
        return FetchError("the server closed the connection", where=url)
    if isinstance(exception, IgnoreRequest) and "redirect" in str(exception).lower():
        return FetchError("too many redirects (a redirect loop?)", where=url)
    text = (str(exception).splitlines() or [type(exception).__name__])[0][:200]
    return FetchError(f"connection failed: {text}", where=url)


def response_error(status: int, reason: str, headers: dict[str, str], url: str) -> NewsfetchError | None:
    """The error of an HTTP answer that is not an HTML page to parse (as `Fetcher.get` decides), or None."""
    if status >= 400:
        return HTTPStatusError(f"HTTP {status} {reason}".strip(), where=url, status=status,
                               retry_after=_retry_after(headers.get("retry-after")))
    content_type = headers.get("content-type", "")
    if content_type and not content_type.split(";")[0].strip().lower().startswith(_HTML_TYPES):
        return ContentError(f"not an HTML page (Content-Type: {content_type.split(';')[0]})", where=url)
    return None
