"""Errors newsfetch raises on purpose, and the exit status of every command, as data.

One class per kind of failure a user can act on; each carries an `exit_status` (what the command exits with),
a `reason` slug to count failures by (``http-404``, ``timeout``, ``not-an-article``, …) and the full `message`.
The CLI turns any of them into one line and the status; anything else is a bug and exits with
`ExitStatus.INTERNAL` (with a traceback under `--traceback`).
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """What every newsfetch command exits with. The README's exit-code table is this list."""

    OK = 0
    INTERNAL = 1        # a bug
    USAGE = 2           # bad option or argument
    INPUT = 3           # invalid URL or scheme, missing or unreadable file
    NETWORK = 4         # DNS failure, refused connection, timeout, redirect loop
    HTTP = 5            # 4xx/5xx status
    CONTENT = 6         # not a readable HTML page
    NO_ARTICLE = 7      # a list/home page, or the body is missing
    ARCHIVE = 8         # unreadable post, bad newsfetch.toml, unwritable folder
    WOULD_CHANGE = 9    # normalize --check: some files are not normalized yet
    SOME_FAILED = 10    # batch/normalize: some items failed
    ALL_FAILED = 11     # batch: every item failed
    LOCKED = 12         # another run holds the archive lock
    FEED_FAILED = 13    # batch --feed: a feed could not be read (the other feeds were processed)
    INTERRUPTED = 130   # Ctrl-C (128 + SIGINT, the shell's convention)


EXIT_CODES: dict[ExitStatus, str] = {
    ExitStatus.OK: "success",
    ExitStatus.INTERNAL: "internal error (a bug: rerun with --traceback and report it)",
    ExitStatus.USAGE: "usage error (bad option or argument)",
    ExitStatus.INPUT: "bad input: invalid URL or scheme, missing or unreadable file",
    ExitStatus.NETWORK: "network error: DNS failure, refused connection, timeout, redirect loop",
    ExitStatus.HTTP: "HTTP error status (4xx/5xx)",
    ExitStatus.CONTENT: "not a readable HTML page: PDF/image/JSON, empty, over the size cap, undecodable",
    ExitStatus.NO_ARTICLE: "no article on the page (list/home page, or the body is missing)",
    ExitStatus.ARCHIVE: "archive error (unreadable post, bad newsfetch.toml, unwritable folder)",
    ExitStatus.WOULD_CHANGE: "normalize --check: some files would change",
    ExitStatus.SOME_FAILED: "batch/normalize: some items failed",
    ExitStatus.ALL_FAILED: "batch: all items failed",
    ExitStatus.LOCKED: "archive is locked by another run",
    ExitStatus.FEED_FAILED: "batch --feed: a feed could not be read (the other feeds were processed)",
}


class NewsfetchError(Exception):
    """Base class: a failure with a message fit for the user, a reason slug and an exit status."""

    exit_status: ExitStatus = ExitStatus.INTERNAL
    default_reason = "error"

    def __init__(self, message: str, *, where: str | None = None, reason: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where  # the URL or file the error is about
        self.reason = reason or self.default_reason

    @property
    def exit_code(self) -> int:
        """The status as a plain int (for callers that predate `exit_status`)."""
        return int(self.exit_status)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class UsageError(NewsfetchError):
    """A bad combination of options or arguments (what the option parser itself cannot see)."""

    exit_status = ExitStatus.USAGE
    default_reason = "usage"


class InputError(NewsfetchError):
    """The user gave something unusable: a bad URL, a missing or unreadable file."""

    exit_status = ExitStatus.INPUT
    default_reason = "bad-input"


class FetchError(NewsfetchError):
    """The network failed: DNS, refused connection, timeout, redirect loop, TLS."""

    exit_status = ExitStatus.NETWORK
    default_reason = "network"


class HTTPStatusError(FetchError):
    """The server answered with a 4xx or 5xx status."""

    exit_status = ExitStatus.HTTP

    def __init__(self, message: str, *, where: str | None = None, status: int = 0,
                 retry_after: float | None = None) -> None:
        super().__init__(message, where=where, reason=f"http-{status}")
        self.status = status  # the HTTP status code
        self.retry_after = retry_after


class ContentError(NewsfetchError):
    """The bytes are not a readable HTML page: PDF, image, JSON, empty, too big, undecodable."""

    exit_status = ExitStatus.CONTENT
    default_reason = "not-html"


class ParseError(NewsfetchError):
    """The page is HTML but holds no article (a list or home page, or the body is missing)."""

    exit_status = ExitStatus.NO_ARTICLE
    default_reason = "no-article"


class NotAnArticle(ParseError):
    """The page was recognised as a non-article page (home, list, video-only)."""

    default_reason = "not-an-article"


class ArchiveError(NewsfetchError):
    """An archive operation failed: unreadable post, bad config, unwritable folder."""

    exit_status = ExitStatus.ARCHIVE
    default_reason = "archive"


class ConfigError(ArchiveError):
    """``newsfetch.toml`` is unreadable or says something newsfetch does not know (the message names the line)."""

    default_reason = "config"


class FeedError(NewsfetchError):
    """A feed could not be read: gone (4xx), unreachable, 5xx after retries, or not a feed at all."""

    exit_status = ExitStatus.FEED_FAILED
    default_reason = "feed"


class LockedError(NewsfetchError):
    """Another newsfetch run holds the archive lock."""

    exit_status = ExitStatus.LOCKED
    default_reason = "locked"


def reason_of(error: BaseException) -> str:
    """The slug to count `error` by: its own reason, or ``internal-error`` for a bug."""
    return error.reason if isinstance(error, NewsfetchError) else "internal-error"


def message_of(error: BaseException) -> str:
    """The full message of `error` without the address it is about (a bug names its exception class)."""
    return error.message if isinstance(error, NewsfetchError) else f"internal error {type(error).__name__}: {error}"
