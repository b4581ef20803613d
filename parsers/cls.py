"""财联社 cls.cn — `www.cls.cn/detail/<id>` articles and telegraphs (Next.js), share links on `api3.cls.cn`.

Facts in shared/sites/cls.md: the current page carries all article data in `<script id="__NEXT_DATA__">` at
`props.pageProps.articleDetail` (title, brief, content HTML, ctime epoch seconds, author.name, images,
column, isFree); the body is never in the markup, so this version parses the JSON. The 2020–21 layout had
the body in `div.detail-content`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import lxml.html

from newsfetch.page import Page, squash
from newsfetch.scriptdata import dig, epoch_time, html_fragment, next_data

from .base import SiteParser, split_names

_SHARE_ID = re.compile(r"/share/article/(\d+)")
_HOUSE = "财联社"


class ClsParser(SiteParser):
    """Next.js layout: everything from `props.pageProps.articleDetail`."""

    name = "cls"
    site_name = "财联社"
    hosts = ("cls.cn",)
    version = "2"
    valid_from = date(2022, 1, 1)  # RSSHub's 2020–21 routes still read div.detail-content
    confidence = "medium"
    notes = "JSON field names from a 2026 fixture and RSSHub; no full saved page; stock tags not evidenced."

    def accepts(self, page: Page) -> bool:
        return bool(self._detail(page))

    def _detail(self, page: Page) -> dict[str, Any]:
        detail = dig(next_data(page), "props", "pageProps", "articleDetail")
        return detail if isinstance(detail, dict) else {}

    def title(self, page: Page) -> str | None:
        detail = self._detail(page)
        # Telegraph-like items may have no title: RSSHub falls back to the brief.
        return squash(detail.get("title")) or squash(detail.get("brief")) or super().title(page)

    def body(self, page: Page) -> lxml.html.HtmlElement | None:
        return html_fragment(self._detail(page).get("content"))

    def published(self, page: Page) -> datetime | None:
        return epoch_time(self._detail(page).get("ctime")) or super().published(page)

    def authors(self, page: Page) -> list[str]:
        name = squash(dig(self._detail(page), "author", "name"))
        return [] if not name or name == _HOUSE else split_names(name)

    def source(self, page: Page) -> str | None:
        # House pieces are signed 财联社 and open with the dateline `财联社7月14日讯`; reposts say nothing.
        detail = self._detail(page)
        name = squash(dig(detail, "author", "name"))
        opening = squash(lxml.html.fromstring(detail["content"]).text_content())[:20] if detail.get("content") else ""
        return _HOUSE if name == _HOUSE or opening.startswith(_HOUSE) else None

    def section(self, page: Page) -> str | None:
        subjects = [squash(s.get("name")) for s in self._detail(page).get("subject") or [] if isinstance(s, dict)]
        return next((s for s in subjects if s), None) or squash(dig(self._detail(page), "column", "columnName")) or None

    def image(self, page: Page) -> str | None:
        images = self._detail(page).get("images") or []
        return page.absolute(images[0]) if images and isinstance(images[0], str) else super().image(page)

    def summary(self, page: Page) -> str | None:
        return squash(self._detail(page).get("brief")) or super().summary(page)

    def extra(self, page: Page) -> dict[str, Any]:
        # `isFree: false` is the site's paid-content flag; the public JSON is kept as it is, nothing added.
        return {"paywalled": True} if self._detail(page).get("isFree") is False else {}

    def url(self, page: Page) -> str | None:
        """Share links expire: name the article by its `/detail/<id>` address."""
        url = page.url or page.canonical_url()
        match = _SHARE_ID.search(url or "")
        ident = match.group(1) if match else self._detail(page).get("id")
        if ident and (match or not url):
            return f"https://www.cls.cn/detail/{ident}"
        return url


class ClsLegacyParser(SiteParser):
    """2020–21 layout: body HTML in `div.detail-content`; the other fields from `<meta>`/JSON-LD defaults."""

    name = "cls"
    site_name = "财联社"
    hosts = ClsParser.hosts
    version = "1"
    selectors = {"body": "div.detail-content"}
    title_suffixes = (r"[-_|]\s*财联社", )
    confidence = "low"
    notes = "2020–21 layout: only the body container (`div.detail-content`) is evidenced."

    def source(self, page: Page) -> str | None:
        body = page.select_one(self.selector("body"))
        opening = squash(body.text_content())[:20] if body is not None else ""
        return _HOUSE if opening.startswith(_HOUSE) else super().source(page)
