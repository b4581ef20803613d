"""和讯网 hexun.com — `<channel>.hexun.com/YYYY-MM-DD/<id>.html` articles (≈2015 →) and the older
`#pubtime_baidu` / `#source_baidu` template.

Facts are in shared/sites/hexun.md. Current template: `div.articleName h1`, `div.tip.fl` = `span.pr20` (time)
and a link to the original article whose text is the credited outlet, body `div.art_contextBox` (collapsed by
CSS, the full text is there) ending with `（责任编辑： HN666）` and a fade overlay `div.bottomLayer`. Words in
the text may be auto-linked to hexun fund/stock data pages: the words stay, the links go.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import lxml.html

from newsfetch.dates import parse_cn_datetime
from newsfetch.page import Page, squash

from .base import SiteParser, split_names, strip_label

_DATA_PAGES = ("jingzhi.funds.hexun.com", "stockdata.hexun.com", "quote.hexun.com", "data.hexun.com")
_TITLE_SECTION = re.compile(r"-(?P<section>[^-]{1,10}频道)-和讯网$")


class HexunParser(SiteParser):
    """`articleName` + `art_context` template: `div.tip.fl` holds the time and the outlet link."""

    name = "hexun"
    site_name = "和讯网"
    hosts = ("hexun.com",)
    lead_image_from_body = True
    version = "2"
    valid_from = date(2015, 1, 1)
    title = "div.articleName h1, div.art_title h1, h1.art_title, div.art_title"
    body = "div.art_contextBox, div.art_context, div.concent"
    time = "div.tip span.pr20, #pubtime_baidu"
    title_suffixes = (r"-[^-]{1,10}频道-和讯网", r"-和讯网", r"_和讯网")
    noise = ("div.bottomLayer", "div.showall_arrow", "div.showAllImg", "div.showall_img", "div.picAd",
             "div#taboola-below-article-thumbnails", "div.statement")

    def accepts(self, page: Page) -> bool:
        return page.select_one("div.articleName, div.art_contextBox") is not None

    def published(self, page: Page) -> datetime | None:
        return parse_cn_datetime(page.text(self.time)) or super().published(page)

    def outlet(self, page: Page) -> str | None:
        tip = page.select_one("div.tip")
        if tip is None:
            return strip_label(page.text("#source_baidu"))
        link = tip.find(".//a")
        if link is not None and squash(link.text_content()):
            return squash(link.text_content())
        text = squash("".join(tip.itertext()).replace(page.text("div.tip span.pr20") or "", ""))
        return strip_label(text) or None

    def byline(self, page: Page) -> list[str]:
        return split_names(page.text("#author_baidu, #aa_authortitle"))

    def section_name(self, page: Page) -> str | None:
        match = _TITLE_SECTION.search(page.title_tag or "")
        return match["section"] if match else None

    def content(self, page: Page) -> lxml.html.HtmlElement | None:
        body = super().content(page)
        if body is not None:
            for link in list(body.iter("a")):
                if any(host in (link.get("href") or "") for host in _DATA_PAGES):
                    link.drop_tag()
        return body


class HexunLegacyParser(HexunParser):
    """Older template: `.art_title`, `#pubtime_baidu`, `#source_baidu`, `#author_baidu`, `.art_context`."""

    version = "1"
    valid_from = None
    notes = "older #pubtime_baidu template known from a 2019 spider config only"
    title = "div.art_title h1, h1.art_title, .art_title, #artibodyTitle h1"
    body = "div.art_context, div.concent"
    time = "#pubtime_baidu, .author.gray"

    def accepts(self, page: Page) -> bool:
        return page.select_one("#pubtime_baidu, #source_baidu, div.concent") is not None
