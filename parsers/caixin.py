"""财新 caixin.com — `<channel>.caixin.com/YYYY-MM-DD/<id>.html` (pages `?p2`…), blogs, weekly and `articlev5`.

Facts in shared/sites/caixin.md (≥5 scrapers and a 2026 userscript): `#conTit h1`, hidden Baidu fields
`#pubtime_baidu`, `#source_baidu`, `#author_baidu`, visible `#artInfo`, `.subhead` lead, body
`div#Main_Content_Val` (blogs `#the_content`, app template `#cx-cons`). Paid articles serve only a teaser
with a `.chargeWall` / `#content_msg` box; the rest needs a logged-in API call, so we keep the teaser, say
`paywalled: true`, and never fill in the rest.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import lxml.html

from newsfetch.dates import parse_cn_datetime
from newsfetch.page import Page, squash

from .base import SiteParser, strip_label

_PAGE_HREF = re.compile(r"""href\s*=\s*["']([^"']*\?p(\d+))["']""")
_AUTHOR_SPLIT = re.compile(r"[,，、\s]+")


class CaixinParser(SiteParser):
    """Desktop article template (also blogs and the app `articlev5` template by their body containers)."""

    name = "caixin"
    site_name = "财新网"
    hosts = ("caixin.com",)
    selectors = {
        "title": "#conTit h1, div.cx-app-content-main h1, h1",
        "body": "div#Main_Content_Val, #the_content, #cx-cons, .cx-cons",
        "paywall": ".chargeWall, #chargeWall, #content_msg",
    }
    title_suffixes = (r"[_\-|]\s*财新网.*", r"[_\-|]\s*财新周刊.*")
    noise = (".chargeWall", "#chargeWall", "#content_msg", ".bd_block", ".aitt", ".pip_none", "#pageBtn",
             ".relate-reading", ".xgydBox", ".recommend", ".tuijian", ".qr_code", ".qrcode", ".wx-share",
             ".share", ".share_list", ".copyright", ".bottom_tong_ad", ".renewals", ".multimedia",
             ".hot_word_v2", ".fenghui_code", ".morelink", ".function01", ".icon_key", ".pc-aivoice",
             ".watermark", ".cx-watermark", ".shuiyin", "#cx-promote", "#cx-promotes", ".related-article",
             ".relatarticle", "#cx-comment", ".pc-comment")
    confidence = "medium"
    notes = "From scraper code; paid pages keep only the public teaser (`paywalled: true`); pages `?pN` listed."

    def title(self, page: Page) -> str | None:
        h1 = page.select_one(self.selector("title"))
        if h1 is not None:
            # A `最新` label sometimes sits in the headline element; it is not part of the title.
            parts = [h1.text or ""] + [(c.tail or "") if squash(c.text_content()) == "最新"
                                       else c.text_content() + (c.tail or "") for c in h1]
            title = squash("".join(parts))
            if title:
                return title
        return super().title(page)

    def published(self, page: Page) -> datetime | None:
        return (parse_cn_datetime(page.text("#pubtime_baidu")) or parse_cn_datetime(page.text("#artInfo"))
                or super().published(page))

    def source(self, page: Page) -> str | None:
        return strip_label(page.text("#source_baidu")) or super().source(page)

    def authors(self, page: Page) -> list[str]:
        text = strip_label(page.text("#author_baidu"))
        return [n for n in _AUTHOR_SPLIT.split(text) if n] if text else []

    def summary(self, page: Page) -> str | None:
        return page.text(".article .subhead, .subhead") or super().summary(page)

    def image(self, page: Page) -> str | None:
        img = page.select_one(".media_pic img, .article .media img, #cx-picture img")
        src = (img.get("data-src") or img.get("src")) if img is not None else None
        return page.absolute(src) if src else super().image(page)

    def body(self, page: Page) -> lxml.html.HtmlElement | None:
        body = super().body(page)
        if body is not None:
            for p in list(body.iter("p")):  # `&nbsp;` placeholder paragraphs
                if not squash(p.text_content().replace("\xa0", " ")) and p.find(".//img") is None:
                    p.drop_tree()
        return body

    def extra(self, page: Page) -> dict[str, Any]:
        """Later pages of a multi-page article (`?p2`, `?p3` …) named by the pager."""
        if not page.url:
            return {}
        parts = urlsplit(page.url)
        base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        current = int(m.group(1)) if (m := re.fullmatch(r"p(\d+)", parts.query)) else 1
        numbers = set()
        # From the raw HTML: the pager (`#pageBtn`) sits in the body and is gone once the body is cleaned.
        for match in _PAGE_HREF.finditer(page.html):
            href = match.group(1)
            if href.startswith("?") or parts.path in href:
                numbers.add(int(match.group(2)))
        pages = [f"{base}?p{n}" for n in sorted(numbers) if n > current]
        return {"more_pages": pages} if pages else {}
