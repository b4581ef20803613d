"""上海证券报·中国证券网 cnstock.com — the sub-domain sites (`news,yw-201908-4413224.htm`, GBK) and the
unified `www.cnstock.com/commonDetail/<id>` site (2024 →).

Facts in shared/sites/cnstock.md (scraper code only): the old template has `h1.title`, a `.bullet` line with
`span.timer`, `span.source` and `.author`, and the body in `div#qmt_content_div` followed inside it by
`#fujian` attachments and a 相关阅读 block. The new site's markup was not seen; a 2026 note says it is
Next.js with the article in `__NEXT_DATA__`, so the new version reads that JSON when present, else `h1`/`<meta>`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import lxml.html

from newsfetch.dates import parse_cn_datetime, parse_iso_datetime
from newsfetch.page import Page, squash
from newsfetch.scriptdata import dig, epoch_time, html_fragment, next_data

from .base import SiteParser, split_names, strip_label

_RELATED = "相关阅读"


class CnstockParser(SiteParser):
    """Unified site (`/commonDetail/<id>`, 2024 →): article object from `__NEXT_DATA__`, else the markup."""

    name = "cnstock"
    site_name = "中国证券网"
    hosts = ("cnstock.com",)
    version = "2"
    valid_from = date(2024, 1, 1)
    selectors = {"title": "h1", "body": "article, div.article-content, div.content"}
    title_suffixes = (r"[-_|]\s*中国证券网", r"[-_|]\s*上海证券报")
    confidence = "low"
    notes = ("Old sub-domain template from scraper code; the `commonDetail` site (2024 →) is unverified: "
             "read from `__NEXT_DATA__` by field names, else `h1`/`<meta>`.")

    def accepts(self, page: Page) -> bool:
        return "/commonDetail/" in (page.url or "") or bool(self._detail(page))

    def _detail(self, page: Page) -> dict[str, Any]:
        """The first object under pageProps that has both a title and an HTML content string."""
        return _find_article(dig(next_data(page), "props", "pageProps")) or {}

    def title(self, page: Page) -> str | None:
        return squash(self._detail(page).get("title")) or super().title(page)

    def body(self, page: Page) -> lxml.html.HtmlElement | None:
        detail = self._detail(page)
        return html_fragment(detail.get("content")) if detail else super().body(page)

    def published(self, page: Page) -> datetime | None:
        detail = self._detail(page)
        for key in ("publishTime", "pubTime", "publishDate", "releaseTime", "ctime", "createTime"):
            value = detail.get(key)
            if value is None:
                continue
            when = epoch_time(value) if str(value).strip().isdigit() else parse_iso_datetime(str(value))
            if when:
                return when
        return super().published(page)

    def source(self, page: Page) -> str | None:
        value = self._detail(page).get("source")
        return strip_label(value if isinstance(value, str) else dig(value, "name")) or super().source(page)

    def authors(self, page: Page) -> list[str]:
        value = self._detail(page).get("author")
        return split_names(value) if isinstance(value, str) else super().authors(page)

    def editors(self, page: Page) -> list[str]:
        value = self._detail(page).get("editor")
        return split_names(value) if isinstance(value, str) else []

    def summary(self, page: Page) -> str | None:
        value = self._detail(page).get("summary") or self._detail(page).get("brief")
        return squash(value) if isinstance(value, str) and value.strip() else super().summary(page)


class CnstockLegacyParser(SiteParser):
    """Sub-domain sites (≈2016–2023): `h1.title`, `.bullet` line, body `div#qmt_content_div`."""

    name = "cnstock"
    site_name = "中国证券网"
    hosts = ("cnstock.com",)
    version = "1"
    valid_from = None
    selectors = {
        "title": "div.main-content h1.title, #pager-content > h1, div.main-title h1, h1.title, h1",
        "body": "div#qmt_content_div",
        "published": "span.timer",
        "source": "span.source",
        "authors": "span.author, .bullet .author",
    }
    title_suffixes = CnstockParser.title_suffixes
    noise = ("#fujian",)
    confidence = CnstockParser.confidence
    notes = CnstockParser.notes

    def body(self, page: Page) -> lxml.html.HtmlElement | None:
        body = super().body(page)
        if body is not None:
            _cut_related(body)
        return body

    def authors(self, page: Page) -> list[str]:
        text = page.text(self.selector("authors")) if self.selector("authors") else None
        return split_names(text)

    def published(self, page: Page) -> datetime | None:
        return parse_cn_datetime(page.text(self.selector("published"))) or super().published(page)


def _cut_related(body: lxml.html.HtmlElement) -> None:
    """Drop the 相关阅读 block: from the first child that opens with it to the end of the body."""
    children = list(body)
    for index, child in enumerate(children):
        first = child[0] if len(child) else None
        opening = squash(first.text_content() if first is not None else child.text_content())
        if _RELATED in opening[:12]:
            for node in children[index:]:
                body.remove(node)
            return


def _find_article(data: Any, depth: int = 0) -> dict[str, Any] | None:
    if depth > 6:
        return None
    if isinstance(data, dict):
        if isinstance(data.get("title"), str) and isinstance(data.get("content"), str) and "<" in data["content"]:
            return data
        values = data.values()
    elif isinstance(data, list):
        values = data
    else:
        return None
    for value in values:
        found = _find_article(value, depth + 1)
        if found:
            return found
    return None
