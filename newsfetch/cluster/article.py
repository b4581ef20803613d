"""The one call into the newsfetch pipeline: a fetched page (and its following pages) → Article.

Scrapy downloads; this module does what ``pipeline.fetch`` does after the download: extract (decode, route,
parse, clean) and join the pages of a split article (`pager.join_pages`). Following pages are downloaded by
Scrapy too, under the cluster's politeness: `assemble` raises `NeedPage` for the first one it has not got yet,
and the spider calls it again once it has.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from newsfetch import pager
from newsfetch.article import Article
from newsfetch.errors import FetchError
from newsfetch.pipeline import extract
from newsfetch.registry import Registry


@dataclass(frozen=True)
class Page:
    """One downloaded page: its final URL, body and headers (lower-case names), or the error that stopped it."""

    url: str
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    error: str | None = None


class NeedPage(Exception):  # noqa: N818 (a signal, not an error) — deliberately not a NewsfetchError
    """`assemble` needs this following page before it can finish the article."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def assemble(first: Page, following: Mapping[str, Page], *, registry: Registry | None = None) -> Article:
    """The article of `first`, with the pages it lists appended from `following` (see `pager.join_pages`)."""
    article = extract(first.body, first.url, headers=first.headers, registry=registry)
    if not article.extra.get("more_pages"):
        return article

    def read(address: str) -> Article:
        page = following.get(address)
        if page is None:
            raise NeedPage(address)
        if page.error is not None:
            raise FetchError(page.error, where=address)
        return extract(page.body, page.url, headers=page.headers, registry=registry)

    return pager.join_pages(article, read)
