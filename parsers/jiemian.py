"""界面新闻 jiemian.com — `www.jiemian.com/article/<id>.html` (and `m.jiemian.com`), UTF-8, server-rendered.

Facts in shared/sites/jiemian.md (scraper code 2021–2026): `div.article-header` (h1 + lead `p`),
`div.article-info` with `span.author` links, a `span[data-article-publish-time]` holding epoch seconds and a
`来源：` text, the lead image in `div.article-img`, the body in `div.article-content`, and VIP masks
(`.vip-mask`, `.article-vip`, `.jm-mask-vip`) on paid articles.
"""

from __future__ import annotations

import re
from datetime import datetime

import lxml.html
from newsfetch.dates import parse_cn_datetime
from newsfetch.page import Page, squash
from newsfetch.scriptdata import epoch_time

from .base import SiteParser

_SOURCE = re.compile(r"来源\s*[:：]\s*([^\s　|｜]{2,30})")
_BYLINE = re.compile(r"^界面新闻(?:记者|编辑|实习记者|特约撰稿)?\s*[|｜]\s*\S")
_PAYWALL = ".vip-mask, .article-vip, .jm-mask-vip"


class JiemianParser(SiteParser):
    """Current layout (2018 →)."""

    name = "jiemian"
    site_name = "界面新闻"
    hosts = ("jiemian.com",)
    selectors = {
        "title": "div.article-header h1, h1",
        "body": "div.article-content, div.article-main, div.article-view",
        "section": "div.meta-container a, .meta-container a",
        "paywall": _PAYWALL,
    }
    title_suffixes = (r"\s*\|\s*界面新闻",)
    noise = (_PAYWALL,)
    confidence = "medium"
    notes = "From scraper code only; the order of the info-bar elements is not confirmed by a saved page."

    def published(self, page: Page) -> datetime | None:
        span = page.select_one("span[data-article-publish-time]")
        if span is not None:
            value = epoch_time(span.get("data-article-publish-time")) or parse_cn_datetime(span.text_content())
            if value:
                return value
        return super().published(page) or parse_cn_datetime(page.text("div.article-info"))

    def source(self, page: Page) -> str | None:
        match = _SOURCE.search(page.text("div.article-info") or "")
        return match.group(1) if match else None

    def authors(self, page: Page) -> list[str]:
        span = page.select_one("div.article-info span.author, span.author")
        if span is None:
            return []
        names = [squash(a.text_content()) for a in span.iter("a")] or [squash(span.text_content())]
        return list(dict.fromkeys(n for n in names if n))

    def _title_parts(self, page: Page) -> list[str]:
        """`<title>` reads `<headline> | <column>|界面新闻` (a 2026 pipeline test): [headline, column]."""
        parts = [squash(p) for p in (page.title_tag or "").split("|")]
        return parts[:-1] if len(parts) >= 3 and parts[-1] == "界面新闻" and all(parts[:-1]) else []

    def title(self, page: Page) -> str | None:
        if page.select_one(self.selector("title")) is None and self._title_parts(page):
            return " | ".join(self._title_parts(page)[:-1])
        return super().title(page)

    def section(self, page: Page) -> str | None:
        parts = self._title_parts(page)
        return parts[-1] if parts else super().section(page)

    def summary(self, page: Page) -> str | None:
        return page.text("div.article-header p") or super().summary(page)

    def image(self, page: Page) -> str | None:
        img = page.select_one("div.article-img img")
        src = img.get("data-original") or img.get("src") if img is not None else None
        return page.absolute(src) if src else super().image(page)

    def body(self, page: Page) -> lxml.html.HtmlElement | None:
        body = super().body(page)
        if body is not None:
            _drop_byline_line(body)
        return body


def _drop_byline_line(body: lxml.html.HtmlElement) -> None:
    """The body may open with `界面新闻记者 | 张三 李四` (live pages; not in the notes): authors are a field."""
    first = next((p for p in body.iter("p") if squash(p.text_content())), None)
    if first is not None and _BYLINE.match(squash(first.text_content())):
        first.getparent().remove(first)
