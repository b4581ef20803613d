"""Fetching feed documents: the run's retry policy, and gzip files undone (a ``.xml.gz`` sitemap)."""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable

from newsfetch.batch.politeness import HostPolicy
from newsfetch.batch.retry import RetryPolicy
from newsfetch.batch.urls import host_key
from newsfetch.errors import ContentError, FeedError, NewsfetchError
from newsfetch.fetch import Fetcher, Response

from .base import Document


def decompressed(response: Response, limit: int) -> bytes:
    """The bytes of `response`; a gzip file served as such (not as Content-Encoding) unpacked, to at most
    `limit` bytes: a 2 MB gzip bomb would otherwise inflate to gigabytes."""
    data = response.content
    if data[:2] != b"\x1f\x8b":  # a .xml.gz sitemap served as a file, not as Content-Encoding
        return data
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip framing
    try:
        data = inflater.decompress(data, limit + 1)
    except zlib.error:
        raise ContentError("corrupt gzip data", where=response.url) from None
    if len(data) > limit:
        raise ContentError(f"gzip data inflates past the cap of {limit:,} bytes (a decompression bomb?)",
                           where=response.url)
    if not inflater.eof:
        raise ContentError("corrupt gzip data (truncated)", where=response.url)
    return data


def document_getter(fetcher: Fetcher, retry: RetryPolicy = RetryPolicy(), policy: HostPolicy | None = None,
                    sleep: Callable[[float], None] = time.sleep) -> Callable[[str], Document]:
    """A `get(url) -> Document` that retries what batch retries (timeouts, 5xx, 429…) and turns what stays
    broken into FeedError (exit code 13), keeping the reason. Requests to one server start at least
    `policy.min_interval` apart (the batch's per-server rate); feed pages are read one at a time."""
    interval = policy.min_interval if policy is not None else 0.0
    next_start: dict[str, float] = {}

    def polite(url: str) -> None:
        host = host_key(url)
        wait = next_start.get(host, 0.0) - time.monotonic()
        if wait > 0:
            sleep(wait)
        next_start[host] = time.monotonic() + interval

    def get(url: str) -> Document:
        attempt = 1
        while True:
            try:
                polite(url)
                response = fetcher.get(url, accept_any=True)
                return Document(response.url, decompressed(response, fetcher.options.max_bytes),
                                dict(response.headers))
            except NewsfetchError as error:
                if retry.gives_up(attempt, error):
                    raise FeedError(error.message, where=error.where or url) from None
                # as batch does: backoff with jitter, at least the Retry-After the server asked for
                sleep(retry.delay(attempt, error))
                attempt += 1

    return get
