"""Reading URL lists: one URL a line, `#` comments and blank lines ignored, streamed (never read whole)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsfetch.errors import InputError
from newsfetch.fetch import check_url
from newsfetch.tracking import normalize_url


@dataclass(frozen=True)
class ListEntry:
    """One line of a list: the normalized URL, or the error that makes the line unusable."""

    line: int
    url: str | None
    error: str | None = None
    raw: str = ""
    host: str | None = None     # the politeness key when the URL is not what is fetched (a text API's host)
    robots: bool = True         # False: not a page fetch (an API answers it), robots.txt does not apply


def read_list(lines: Iterable[str]) -> Iterator[ListEntry]:
    """Yield an entry per URL line, lazily, so a list of any length is read in constant memory."""
    for number, raw in enumerate(lines, 1):
        text = raw.strip().lstrip("\ufeff")
        if not text or text.startswith("#"):
            continue
        text = text.split(None, 1)[0]  # allow "URL  # comment" and trailing columns
        try:
            yield ListEntry(number, normalize_url(check_url(text)), raw=text)
        except (InputError, ValueError) as error:
            message = error.message if isinstance(error, InputError) else str(error)
            yield ListEntry(number, None, error=message, raw=text)


def host_key(url: str) -> str:
    """The politeness key of a URL: its host and port (a server, as the server sees it)."""
    return urlsplit(url).netloc.lower()
