"""Discovery for cron runs: the article URLs of any feed address (see `newsfetch.feeds`): an RSS/Atom feed, a
sitemap (index, news, gzipped), a JSON list, a listing page, or a named list such as ``eastmoney:roll``.

URLs come out normalized (tracking parameters and fragments removed), deduplicated, in document order.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from newsfetch.feeds import read_feed
from newsfetch.fetch import Fetcher
from newsfetch.tracking import normalize_url


def discover(url: str, fetcher: Fetcher) -> list[str]:
    """The article URLs `url` lists, whatever kind of feed or page it is."""
    seen: set[str] = set()
    found: list[str] = []
    for entry in read_feed(url, fetcher).entries:
        try:
            normalized = normalize_url(entry.url)
        except ValueError:
            continue
        if urlsplit(normalized).scheme in ("http", "https") and normalized not in seen:
            seen.add(normalized)
            found.append(normalized)
    return found
