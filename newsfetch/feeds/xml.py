"""Feeds in XML: RSS/Atom (read by feedparser) and sitemaps (index, news, gzipped; read by lxml).

Moved from `newsfetch.batch.discover`, which now reads every address through the feed registry.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import datetime, timezone
from urllib.parse import urljoin

import feedparser
import lxml.etree

from newsfetch.errors import ContentError

from .base import Document, FeedContext, FeedEntry, FeedSource

_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_MAX_CHILD_SITEMAPS = 50


def _head(document: Document) -> bytes:
    return document.data[:2000].lstrip().lower()


class RssFeed(FeedSource):
    """RSS 0.9x/1.0/2.0 and Atom, through feedparser: link, title and published time of each entry."""

    name = "rss"
    summary = "RSS or Atom feed"
    examples = ("https://example.com/rss.xml",)

    def sniffs(self, document: Document) -> bool:
        head = _head(document)
        return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head

    def parse(self, document: Document, context: FeedContext) -> Iterator[FeedEntry]:
        feed = feedparser.parse(document.data, response_headers={"content-location": document.url})
        for entry in feed.entries:
            link = entry.get("link") or entry.get("id")
            if link:
                stamp = entry.get("published_parsed") or entry.get("updated_parsed")
                published = datetime.fromtimestamp(calendar.timegm(stamp), timezone.utc) if stamp else None
                yield FeedEntry(urljoin(document.url, link), title=entry.get("title") or None, published=published)


class SitemapFeed(FeedSource):
    """A sitemap (``<urlset>``), a news sitemap, or a sitemap index followed two levels down; ``.xml.gz`` too."""

    name = "sitemap"
    summary = "sitemap, news sitemap or sitemap index, also .xml.gz"
    examples = ("https://example.com/sitemap.xml",)

    def sniffs(self, document: Document) -> bool:
        head = _head(document)
        return b"<urlset" in head or b"<sitemapindex" in head

    def parse(self, document: Document, context: FeedContext) -> Iterator[FeedEntry]:
        for url in _sitemap(document, context, depth=0):
            yield FeedEntry(url)


def _sitemap(document: Document, context: FeedContext, depth: int) -> Iterator[str]:
    data, base = document.data, document.url
    try:
        root = lxml.etree.fromstring(data, parser=lxml.etree.XMLParser(resolve_entities=False, no_network=True,
                                                                        recover=True, huge_tree=False))
    except lxml.etree.XMLSyntaxError as error:
        raise ContentError(f"unreadable sitemap ({error})", where=base) from None
    if root is None:
        raise ContentError("empty sitemap", where=base)
    locs = [(el.text or "").strip() for el in root.iter(f"{_SITEMAP_NS}loc", "loc")]
    if root.tag.endswith("sitemapindex"):
        if depth >= 2:
            return
        for child in locs[:_MAX_CHILD_SITEMAPS]:
            child_document = context.get(urljoin(base, child))
            if SitemapFeed().sniffs(child_document):
                yield from _sitemap(child_document, context, depth + 1)
            else:  # an index may list a feed; read it as whatever it is
                from .registry import default_feeds

                for entry in default_feeds().sniffed(child_document).parse(child_document, context):
                    if isinstance(entry, FeedEntry):
                        yield entry.url
        return
    for loc in locs:
        if loc:
            yield urljoin(base, loc)
