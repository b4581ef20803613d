"""The Article: what a parser extracts from one page, cleaned and ready to render."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Article:
    """One news article, normalized.

    `markdown` is the body as Markdown, `text` the same body as plain text with one paragraph a line.
    `source` is the credited outlet (来源, e.g. 中国新闻网); `site` is the hosting site (e.g. eastmoney).
    `stocks` are normalized codes such as ``600030.SH``, ``01024.HK`` or ``NIO.US``.
    `published` is the publication time, `modified` the last modification the page states (None when it states
    none, or none later than the publication).
    `extra` holds facts a few pages have, e.g. ``{"paywalled": True}`` or ``{"more_pages": [...]}``.
    """

    title: str
    url: str | None = None
    published: datetime | None = None
    modified: datetime | None = None  # the last modification the page states (never the publication)
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    source: str | None = None
    site: str | None = None
    parser: str = "generic"
    parser_version: str = "1"
    section: str | None = None
    original_title: str | None = None
    summary: str | None = None
    image: str | None = None
    stocks: tuple[str, ...] = ()
    markdown: str = ""
    text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: datetimes as ISO 8601, tuples as lists."""
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        data["modified"] = self.modified.isoformat() if self.modified else None
        for key in ("authors", "editors", "stocks"):
            data[key] = list(data[key])
        return data
