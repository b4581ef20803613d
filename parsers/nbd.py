"""每日经济新闻 nbd.com.cn (每经网) — `www.nbd.com.cn/articles/YYYY-MM-DD/<id>.html`, UTF-8.

Facts in shared/sites/nbd.md (six scrapers, 2018–2026): the `<title>` is empty, the headline is the `h1`;
`div.g-article-top` has `span.source` and `span.time` (older: the spans of `p.u-time`), `div.g-article-abstract`
the 摘要, and the body is `div.g-articl-text` (sic). A `"pubDate": "…"` script value backs the time up. A
`每经头条（nbdtoutiao）——` promo closes some bodies; the copyright block and like button sit after it.
"""

from __future__ import annotations

import re
from datetime import datetime

import lxml.html

from newsfetch.dates import parse_cn_datetime
from newsfetch.page import Page, squash

from .base import SiteParser, split_names

_PUB_DATE = re.compile(r'"pubDate"\s*:\s*"([^"]+)"')
_PROMO = "每经头条（nbdtoutiao）"
# `每经记者 王海慜 每经编辑 赵云` opens bodies on live pages (not in the notes): read from the raw HTML, since
# the line is removed from the tree before the fields are read.
_CREDITS = re.compile(r">\s*每经记者[\s|｜：:]*(?P<authors>[^<]*?)\s*每经编辑[\s|｜：:]*(?P<editors>[^<]*?)\s*<")


class NbdParser(SiteParser):
    """Article pages (one template with small variations since ~2018)."""

    name = "nbd"
    site_name = "每经网"
    hosts = ("nbd.com.cn",)
    selectors = {
        "title": "div.g-article h1, div.g-article-top h1, h1",
        "body": "div.g-articl-text, div.g-article-text",
        "source": "div.g-article-top span.source, p.u-time span.source, .f-source, p.u-time span:first-child",
        "published": "div.g-article-top span.time, p.u-time span.time, span.time, p.u-time span:nth-of-type(2)",
    }
    noise = ("div.articleCopyright", ".articleCopyright", "div.m-article-like")
    confidence = "medium"
    notes = "From scraper code only (six projects agree on the body and time); no saved page."

    def published(self, page: Page) -> datetime | None:
        value = parse_cn_datetime(page.text(self.selector("published")))
        if value:
            return value
        match = _PUB_DATE.search(page.html)
        return parse_cn_datetime(match.group(1)) if match else super().published(page)

    def authors(self, page: Page) -> list[str]:
        match = _CREDITS.search(page.html)
        return split_names(match["authors"]) if match else super().authors(page)

    def editors(self, page: Page) -> list[str]:
        match = _CREDITS.search(page.html)
        return split_names(match["editors"]) if match else []

    def summary(self, page: Page) -> str | None:
        return page.text("div.g-article-abstract p, div.g-article-abstract") or super().summary(page)

    def body(self, page: Page) -> lxml.html.HtmlElement | None:
        body = super().body(page)
        if body is not None:
            _cut_promo(body)
            first = next((p for p in body.iter("p") if squash(p.text_content())), None)
            if first is not None and squash(first.text_content()).startswith("每经记者"):
                first.getparent().remove(first)
        return body


def _cut_promo(body: lxml.html.HtmlElement) -> None:
    """Drop the `每经头条（nbdtoutiao）——` promo and everything after it (scrapers keep only what precedes)."""
    children = list(body)
    for index, child in enumerate(children):
        if squash(child.text_content()).startswith(_PROMO):
            for node in children[index:]:
                body.remove(node)
            return
