"""Which failures are worth another try, and how long to wait: exponential backoff with jitter, Retry-After."""

from __future__ import annotations

import random
from dataclasses import dataclass

from newsfetch.errors import FetchError, HTTPStatusError, InputError, reason_of
from newsfetch.settings import default

__all__ = ["RetryPolicy", "reason_of"]

_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


@dataclass(frozen=True)
class RetryPolicy:
    """`attempts` in all (first try included); delays grow as base·2ⁿ up to `max_delay`, with jitter."""

    attempts: int = default("batch.retries") + 1
    base: float = default("batch.backoff")
    max_delay: float = 60.0
    max_retry_after: float = default("batch.max_retry_after")  # asked for more: deferred to the next run

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
        retry_after = retry_after_of(error)
        return max(backoff, retry_after) if retry_after is not None else backoff

    def gives_up(self, attempt: int, error: BaseException) -> bool:
        """True when `error` after `attempt` tries is final."""
        if attempt >= self.attempts or not self.retryable(error):
            return True
        retry_after = retry_after_of(error)
        return retry_after is not None and retry_after > self.max_retry_after


def retry_after_of(error: BaseException | None) -> float | None:
    """The seconds the server asked us to wait (an HTTP error's Retry-After), or None."""
    return error.retry_after if isinstance(error, HTTPStatusError) else None
