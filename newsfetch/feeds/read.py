"""Reading one feed address into entries: named addresses go to their source, plain URLs are sniffed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from newsfetch.fetch import Fetcher

from .base import BadRecord, Document, FeedContext, FeedEntry
from .reader import decompressed
from .registry import FeedRegistry, default_feeds


@dataclass
class FeedRead:
    """What reading an address gave: entries in feed order, records that named no article, the new mark."""

    address: str
    source: str
    entries: list[FeedEntry] = field(default_factory=list)
    bad: list[BadRecord] = field(default_factory=list)
    new_mark: str | None = None


def plain_getter(fetcher: Fetcher) -> Callable[[str], Document]:
    """One GET per document, errors as they are (``newsfetch discover`` exits with the fetch's own code)."""

    def get(url: str) -> Document:
        response = fetcher.get(url, accept_any=True)
        return Document(response.url, decompressed(response, fetcher.options.max_bytes), dict(response.headers))

    return get


def read_feed(address: str, fetcher: Fetcher, *, get: Callable[[str], Document] | None = None,
              mark: str | None = None, registry: FeedRegistry | None = None) -> FeedRead:
    """Every entry `address` lists now. Raises what fetching and parsing raise (NewsfetchError)."""
    registry = registry or default_feeds()
    parsed = registry.address(address)
    context = FeedContext(get=get or plain_getter(fetcher), fetcher=fetcher, mark=mark, options=parsed.options)
    if parsed.source is not None:
        source, items = parsed.source, parsed.source.read(parsed.text, context)
    else:
        document = context.get(parsed.text)
        source = registry.sniffed(document)
        items = source.parse(document, context)
    result = FeedRead(parsed.text, source.name)
    for item in items:
        (result.bad if isinstance(item, BadRecord) else result.entries).append(item)
    result.new_mark = context.new_mark
    return result
