"""Discovery for cron runs: the article URLs of an RSS/Atom feed, a sitemap (index, news, gzipped) or a listing page.

Feeds are read by feedparser, sitemaps and HTML by lxml; nothing is parsed by hand. URLs come out normalized
(tracking parameters and fragments removed), deduplicated, in document order.
"""

from __future__ import annotations

import zlib
import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.etree
import lxml.html

from newsfetch.errors import ContentError
from newsfetch.fetch import Fetcher, Response
from newsfetch.tracking import normalize_url

_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_MAX_CHILD_SITEMAPS = 50
_ARTICLE_PATH = re.compile(r"\d{4,}|/20\d\d[-/]?\d\d|\.s?html?$", re.I)
_NOT_ARTICLE = re.compile(r"/(list|index|tag|tags|category|author|search|login|about)([/_.-]|$)|\.(jpg|png|gif|pdf|"
                          r"css|js|zip)$", re.I)


def discover(url: str, fetcher: Fetcher) -> list[str]:
    """The article URLs `url` lists, whatever kind of page it is."""
    seen: set[str] = set()
    found: list[str] = []
    for link in _links(fetcher.get(url, accept_any=True), fetcher, depth=0):
        try:
            normalized = normalize_url(link)
        except ValueError:
            continue
        if urlsplit(normalized).scheme in ("http", "https") and normalized not in seen:
            seen.add(normalized)
            found.append(normalized)
    return found


def _links(response: Response, fetcher: Fetcher, depth: int) -> Iterator[str]:
    data = response.content
    if data[:2] == b"\x1f\x8b":  # a .xml.gz sitemap served as a file, not as Content-Encoding
        data = gunzip_capped(data, fetcher.options.max_bytes, response.url)
    head = data[:2000].lstrip().lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        yield from _sitemap(data, response.url, fetcher, depth)
        return
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        feed = feedparser.parse(data, response_headers={"content-location": response.url})
        for entry in feed.entries:
            link = entry.get("link") or entry.get("id")
            if link:
                yield urljoin(response.url, link)
        return
    yield from _listing(data, response.url)


def gunzip_capped(data: bytes, limit: int, where: str) -> bytes:
    """`data` decompressed, stopping at `limit` bytes: a 2 MB gzip bomb would otherwise inflate to gigabytes."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip framing
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error:
        raise ContentError("corrupt gzip data", where=where) from None
    if len(out) > limit:
        raise ContentError(f"gzip data inflates past the cap of {limit:,} bytes (a decompression bomb?)",
                           where=where)
    if not inflater.eof:
        raise ContentError("corrupt gzip data (truncated)", where=where)
    return out


def _sitemap(data: bytes, base: str, fetcher: Fetcher, depth: int) -> Iterator[str]:
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
            yield from _links(fetcher.get(urljoin(base, child), accept_any=True), fetcher, depth + 1)
        return
    for loc in locs:
        if loc:
            yield urljoin(base, loc)


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
