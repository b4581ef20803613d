"""What a feed source is: something that turns a feed address into article entries.

A feed source is a class with a `name`. It either owns a family of named addresses (``prefix = "eastmoney"``
reads ``eastmoney:roll``), or recognises a fetched document (``sniffs``) when the address is a plain URL, or
both. Sources are registered like parsers (see `registry`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from newsfetch.article import Article
    from newsfetch.fetch import Fetcher


@dataclass(frozen=True)
class FeedEntry:
    """One article a feed lists: its address and whatever the feed states about it.

    `id` is the source's own id of the article (Eastmoney's ``infoCode``); when it is a safe file-name id it
    names the post. `body_source` names the feed source that can give the body without the page (a text API).
    """

    url: str
    title: str | None = None
    published: datetime | None = None
    id: str | None = None
    summary: str | None = None
    outlet: str | None = None
    body_source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "published": self.published.isoformat() if self.published else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeedEntry:
        published = data.get("published")
        return cls(**{**data, "published": datetime.fromisoformat(published) if published else None})


@dataclass(frozen=True)
class BadRecord:
    """A record of the feed that names no usable article (no address, an unreadable one)."""

    description: str


@dataclass(frozen=True)
class Document:
    """A fetched feed document: final address, bytes (gzip already undone), lower-cased headers."""

    url: str
    data: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass
class FeedContext:
    """What a feed source may use while it reads: documents by URL (with the run's retries), and its mark.

    `mark` is the newest id the previous run of this address saw (None on a first run, or a backfill);
    a paging source stops there and sets `new_mark` to the newest id it has seen now.
    """

    get: Callable[[str], Document]
    fetcher: Fetcher
    mark: str | None = None
    new_mark: str | None = None
    options: dict[str, str] = field(default_factory=dict)  # from the address: ``eastmoney:roll?day=2026-08-19``


class FeedSource:
    """Base class of feed sources. Subclasses set `name` and `summary`, and `prefix` and/or `sniffs`."""

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    prefix: ClassVar[str | None] = None           # owns addresses "<prefix>:…"
    examples: ClassVar[tuple[str, ...]] = ()      # addresses shown by `newsfetch feeds`
    preferred_via: ClassVar[str] = "page"         # where batch takes bodies from by default (page or api)

    def sniffs(self, document: Document) -> bool:
        """Whether a document fetched from a plain URL is this kind of feed."""
        return False

    def read(self, address: str, context: FeedContext) -> Iterator[FeedEntry | BadRecord]:
        """Entries of a named address (``prefix:…``). Raise FeedError when the feed cannot be read."""
        raise NotImplementedError

    def parse(self, document: Document, context: FeedContext) -> Iterator[FeedEntry | BadRecord]:
        """Entries of a sniffed document."""
        raise NotImplementedError

    def body_url(self, entry: FeedEntry) -> str:
        """The address `body` fetches for `entry` (batch counts it against that server's limits)."""
        raise NotImplementedError(f"feed source {self.name!r} has no body API")

    def body(self, entry: FeedEntry, fetcher: Fetcher) -> Article:
        """The article of `entry` from the source's text API (only for sources that set `body_source`)."""
        raise NotImplementedError(f"feed source {self.name!r} has no body API")
