"""Which failures are worth another try, and how long to wait: exponential backoff with jitter, Retry-After."""

from __future__ import annotations

import random
from dataclasses import dataclass

from newsfetch.errors import FetchError, HTTPStatusError, InputError

_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


@dataclass(frozen=True)
class RetryPolicy:
    """`attempts` in all (first try included); delays grow as base·2ⁿ up to `max_delay`, with jitter."""

    attempts: int = 4
    base: float = 1.0
    max_delay: float = 60.0
    max_retry_after: float = 600.0  # a server asking for more is deferred to the next run (its host waits this long)

    def retryable(self, error: BaseException) -> bool:
        """Timeouts, connection errors, 408, 429 and 5xx are retried; other 4xx, bad pages and bad URLs are not."""
        if isinstance(error, HTTPStatusError):
            return error.status in _RETRY_STATUSES or 500 <= error.status < 600
        return isinstance(error, FetchError) and not isinstance(error, InputError)

    def delay(self, attempt: int, error: BaseException | None = None, rng: random.Random | None = None) -> float:
        """Seconds to wait before attempt `attempt + 1`: at least Retry-After when the server sent one."""
        rng = rng or random
        ceiling = min(self.max_delay, self.base * (2 ** (attempt - 1)))
        backoff = ceiling / 2 + rng.uniform(0, ceiling / 2)  # "equal jitter": never near zero, never in lockstep
        retry_after = getattr(error, "retry_after", None)
        return max(backoff, retry_after) if retry_after is not None else backoff

    def gives_up(self, attempt: int, error: BaseException) -> bool:
        """True when `error` after `attempt` tries is final."""
        if attempt >= self.attempts or not self.retryable(error):
            return True
        retry_after = getattr(error, "retry_after", None)
        return retry_after is not None and retry_after > self.max_retry_after


def reason_of(error: BaseException) -> str:
    """A short reason to count failures by: 'HTTP 404', 'timeout', 'no article', …"""
    from newsfetch.errors import ContentError, ParseError

    if isinstance(error, HTTPStatusError):
        return f"HTTP {error.status}"
    if isinstance(error, InputError):
        return "bad URL"
    if isinstance(error, FetchError):
        message = getattr(error, "message", str(error))
        if "timed out" in message:
            return "timeout"
        if "redirect" in message:
            return "redirect loop"
        return message.split(":")[0][:40] or "network error"
    if isinstance(error, ParseError):
        return "no article"
    if isinstance(error, ContentError):
        return "not an HTML page"
    from newsfetch.errors import ArchiveError, NewsfetchError

    if isinstance(error, ArchiveError):
        return f"archive: {error.message[:60]}"
    if isinstance(error, NewsfetchError):
        return type(error).__name__
    return f"internal error ({type(error).__name__})"
