"""Errors newsfetch raises on purpose, each with the exit code the CLI maps it to.

One class per reason a user can act on. The CLI turns any of them into a one-line message and
`exit_code`; anything else is a bug and exits with 1 (with a traceback under `--traceback`).
"""

from __future__ import annotations


class NewsfetchError(Exception):
    """Base class: a failure with a message fit for the user and an exit code."""

    exit_code = 1

    def __init__(self, message: str, *, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where  # the URL or file the error is about

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class InputError(NewsfetchError):
    """The user gave something unusable: a bad URL, a missing or unreadable file."""

    exit_code = 3


class FetchError(NewsfetchError):
    """The network failed: DNS, refused connection, timeout, redirect loop, TLS."""

    exit_code = 4


class HTTPStatusError(FetchError):
    """The server answered with a 4xx or 5xx status."""

    exit_code = 5

    def __init__(self, message: str, *, where: str | None = None, status: int = 0,
                 retry_after: float | None = None) -> None:
        super().__init__(message, where=where)
        self.status = status
        self.retry_after = retry_after


class ContentError(NewsfetchError):
    """The bytes are not a readable HTML page: PDF, image, JSON, empty, too big, undecodable."""

    exit_code = 6


class ParseError(NewsfetchError):
    """The page is HTML but holds no article (a list or home page, or the body is missing)."""

    exit_code = 7


class NotAnArticle(ParseError):
    """The page was recognised as a non-article page (home, list, video-only)."""


class ArchiveError(NewsfetchError):
    """An archive operation failed: unreadable post, bad config, unwritable folder."""

    exit_code = 8


class FeedError(NewsfetchError):
    """A feed could not be read: gone (4xx), unreachable, 5xx after retries, or not a feed at all."""

    exit_code = 13


class LockedError(NewsfetchError):
    """Another newsfetch run holds the archive lock."""

    exit_code = 12


EXIT_CODES: dict[int, str] = {
    0: "success",
    1: "internal error (a bug: rerun with --traceback and report it)",
    2: "usage error (bad option or argument)",
    3: "bad input: invalid URL or scheme, missing or unreadable file",
    4: "network error: DNS failure, refused connection, timeout, redirect loop",
    5: "HTTP error status (4xx/5xx)",
    6: "not a readable HTML page: PDF/image/JSON, empty, over the size cap, undecodable",
    7: "no article on the page (list/home page, or the body is missing)",
    8: "archive error (unreadable post, bad config, unwritable folder)",
    10: "batch/normalize: some items failed",
    11: "batch: all items failed",
    12: "archive is locked by another run",
    13: "batch --feed: a feed could not be read (the other feeds were processed)",
}
