"""和讯网 hexun.com — `<channel>.hexun.com/YYYY-MM-DD/<id>.html` articles (≈2015 →) and the older
`#pubtime_baidu` / `#source_baidu` template.

Facts are in shared/sites/hexun.md. Current template: `div.articleName h1`, `div.tip.fl` = `span.pr20` (time)
and a link to the original article whose text is the credited outlet, body `div.art_contextBox` (collapsed by
CSS, the full text is there) ending with `（责任编辑： HN666）` and a fade overlay `div.bottomLayer`. Words in
the text may be auto-linked to hexun fund/stock data pages: the words stay, the links go.
"""

from __future__ import annotations

import re
from datetime import date

import lxml.html

from newsfetch.page import Page, squash

from .base import SiteParser, split_names, strip_label

_DATA_PAGES = ("jingzhi.funds.hexun.com", "stockdata.hexun.com", "quote.hexun.com", "data.hexun.com")
_TITLE_SECTION = re.compile(r"-(?P<section>[^-]{1,10}频道)-和讯网$")


class HexunLegacyParser(SiteParser):
    """Older template: `.art_title`, `#pubtime_baidu`, `#source_baidu`, `#author_baidu`, `.art_context`."""

    name = "hexun"
    site_name = "和讯网"
    hosts = ("hexun.com",)
    version = "1"
    valid_from = None
    selectors = {
        "title": "div.art_title h1, h1.art_title, .art_title, #artibodyTitle h1",
        "body": "div.art_context, div.concent",
        "published": "#pubtime_baidu, .author.gray",
        "image": "div.art_context img",  # no og:image: the body's first picture
    }
    title_suffixes = (r"-[^-]{1,10}频道-和讯网", r"-和讯网", r"_和讯网")
    noise = ("div.bottomLayer", "div.showall_arrow", "div.showAllImg", "div.showall_img", "div.picAd",
             "div#taboola-below-article-thumbnails", "div.statement")
    notes = "older #pubtime_baidu template known from a 2019 spider config only"

    def accepts(self, page: Page) -> bool:
        return page.select_one("#pubtime_baidu, #source_baidu, div.concent") is not None

    def source(self, page: Page) -> str | None:
        tip = page.select_one("div.tip")
        if tip is None:
            return strip_label(page.text("#source_baidu"))
        link = tip.find(".//a")
        if link is not None and squash(link.text_content()):
            return squash(link.text_content())
        text = squash("".join(tip.itertext()).replace(page.text("div.tip span.pr20") or "", ""))
        return strip_label(text) or None

    def authors(self, page: Page) -> list[str]:
        return split_names(page.text("#author_baidu, #aa_authortitle"))

    def section(self, page: Page) -> str | None:
        match = _TITLE_SECTION.search(page.title_tag or "")
        return match["section"] if match else None

    def body(self, page: Page) -> lxml.html.HtmlElement | None:
        body = super().body(page)
        if body is not None:
            for link in list(body.iter("a")):
                if any(host in (link.get("href") or "") for host in _DATA_PAGES):
                    link.drop_tag()
        return body


class HexunParser(HexunLegacyParser):
    """`articleName` + `art_context` template: `div.tip.fl` holds the time and the outlet link."""

    version = "2"
    valid_from = date(2015, 1, 1)
    selectors = {
        "title": "div.articleName h1, div.art_title h1, h1.art_title, div.art_title",
        "body": "div.art_contextBox, div.art_context, div.concent",
        "published": "div.tip span.pr20, #pubtime_baidu",
        "image": "div.art_contextBox img",
    }
    notes = ""

    def accepts(self, page: Page) -> bool:
        return page.select_one("div.articleName, div.art_contextBox") is not None
