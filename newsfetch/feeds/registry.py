"""The feed registry: built-in feed sources listed here, plug-ins from the ``newsfetch.feeds`` entry points.

Both go through `FeedRegistry.register`, so a plug-in is a feed source like the built-ins: it may own named
addresses (``prefix:…``) or be sniffed from a plain URL's document. A plug-in that fails to load, or takes a
name or prefix already taken, is recorded in `problems` (the CLI shows them as warnings) and skipped; the
others keep working.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import EntryPoint, entry_points
from urllib.parse import parse_qsl

from .base import Document, FeedSource
from .eastmoney import EastmoneyLists
from .jsonlist import JsonList
from .listing import ListingPage
from .xml import RssFeed, SitemapFeed

log = logging.getLogger("newsfetch")
ENTRY_POINT_GROUP = "newsfetch.feeds"
# Sniffing order: the most specific document kinds first; the listing page takes whatever is left.
BUILT_IN: tuple[type[FeedSource], ...] = (EastmoneyLists, RssFeed, SitemapFeed, JsonList, ListingPage)


@dataclass(frozen=True)
class FeedInfo:
    """One registered feed source and where it came from."""

    name: str
    prefix: str | None
    summary: str
    examples: tuple[str, ...]
    origin: str          # "built-in" or the installed distribution that provides it
    source: FeedSource


@dataclass(frozen=True)
class Address:
    """A feed address split: the source that reads it, and for named ones the options after ``?``."""

    text: str
    source: FeedSource | None          # None: a plain URL, sniffed once fetched
    options: dict[str, str]


class FeedRegistry:
    """Feed sources by name and by address prefix; sniffing order is registration order (built-ins first,
    the catch-all listing page always last)."""

    def __init__(self) -> None:
        self.infos: list[FeedInfo] = []
        self.problems: list[str] = []

    def register(self, source_cls: type[FeedSource], origin: str = "built-in") -> bool:
        """Add a feed source class; False (and a warning in `problems`) when its name or prefix is taken."""
        name = getattr(source_cls, "name", "")
        if not name:
            return self._problem(f"feed plug-in {source_cls!r} ({origin}) has no name")
        for info in self.infos:
            if info.name == name:
                return self._problem(f"feed {name!r} from {origin} ignored: the name is taken by {info.origin}")
            if source_cls.prefix and info.prefix == source_cls.prefix:
                return self._problem(f"feed {name!r} from {origin} ignored: prefix {source_cls.prefix!r}: is "
                                     f"taken by {info.name!r} ({info.origin})")
        info = FeedInfo(name, source_cls.prefix, source_cls.summary, tuple(source_cls.examples), origin,
                        source_cls())
        # keep the catch-all last so a plug-in's sniffing is tried before it
        last = len(self.infos) if not self.infos or self.infos[-1].name != ListingPage.name else len(self.infos) - 1
        self.infos.insert(last, info)
        return True

    def _problem(self, text: str) -> bool:
        self.problems.append(text)
        log.warning(text)
        return False

    @classmethod
    def with_plugins(cls, points: Iterable[EntryPoint] | None = None) -> FeedRegistry:
        """The built-ins, then the installed ``newsfetch.feeds`` entry points (or `points`)."""
        registry = cls()
        for source_cls in BUILT_IN:
            registry.register(source_cls)
        for point in entry_points(group=ENTRY_POINT_GROUP) if points is None else points:
            dist = getattr(point, "dist", None)
            origin = f"{dist.name} {dist.version}" if dist is not None else point.value
            try:
                source_cls = point.load()
            except Exception as exc:  # a broken plug-in must not take the tool down
                registry._problem(f"feed plug-in {point.name!r} ({point.value}) failed to load: {exc}")
                continue
            registry.register(source_cls, origin)
        return registry

    def by_name(self, name: str) -> FeedSource | None:
        return next((info.source for info in self.infos if info.name == name), None)

    def address(self, text: str) -> Address:
        """Split `text`: ``prefix:rest?key=value`` names a source; ``http(s)://…`` is a plain URL."""
        text = text.strip()
        scheme = text.split(":", 1)[0].lower() if ":" in text else ""
        if scheme in ("http", "https"):
            return Address(text, None, {})
        from newsfetch.errors import InputError

        for info in self.infos:
            if info.prefix and scheme == info.prefix:
                base, _, query = text.partition("?")
                return Address(base, info.source, dict(parse_qsl(query)))
        known = ", ".join(sorted(f"{info.prefix}:" for info in self.infos if info.prefix))
        raise InputError(f"not a feed address (an http(s) URL, or one of {known}; see newsfetch feeds)", where=text)

    def sniffed(self, document: Document) -> FeedSource:
        """The source whose kind `document` is (the listing page when nothing else claims it)."""
        for info in self.infos:
            if info.source.sniffs(document):
                return info.source
        return ListingPage()


@lru_cache(maxsize=1)
def default_feeds() -> FeedRegistry:
    """The registry of built-in and installed feed sources, loaded once per process."""
    return FeedRegistry.with_plugins()
