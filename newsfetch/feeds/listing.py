"""A listing page as a feed: the links on the same site that look like articles (the last resort of sniffing)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

from newsfetch.errors import ContentError

from .base import Document, FeedContext, FeedEntry, FeedSource

_ARTICLE_PATH = re.compile(r"\d{4,}|/20\d\d[-/]?\d\d|\.s?html?$", re.I)
_NOT_ARTICLE = re.compile(r"/(list|index|tag|tags|category|author|search|login|about)([/_.-]|$)|\.(jpg|png|gif|pdf|"
                          r"css|js|zip)$", re.I)


class ListingPage(FeedSource):
    """Any HTML page: its same-site links whose path looks like an article's (digits, a date, .html)."""

    name = "page"
    summary = "listing page: same-site links that look like articles (what no other source claims)"
    examples = ("https://finance.eastmoney.com/yaowen.html",)

    def sniffs(self, document: Document) -> bool:
        return True

    def parse(self, document: Document, context: FeedContext) -> Iterator[FeedEntry]:
        for link in _listing(document.data, document.url):
            yield FeedEntry(link)


def _listing(data: bytes, base: str) -> Iterator[str]:
    """Links of a listing page that look like articles on the same site."""
    try:
        tree = lxml.html.fromstring(data)
    except (lxml.etree.ParserError, ValueError):
        raise ContentError("not an HTML page", where=base) from None
    site = _site(urlsplit(base).hostname or "")
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        link = urljoin(base, href)
        parts = urlsplit(link)
        if _site(parts.hostname or "") != site or not _ARTICLE_PATH.search(parts.path) or \
                _NOT_ARTICLE.search(parts.path):
            continue
        yield link


def _site(host: str) -> str:
    """The registrable part of a host, roughly: finance.eastmoney.com → eastmoney.com (127.0.0.2 stays whole)."""
    if re.fullmatch(r"[\d.]+", host):
        return host
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in ("com", "net", "org", "gov", "edu") else 2
    return ".".join(labels[-keep:])
