"""新华网 xinhuanet.com / news.cn — "xl2017" pages (`…/YYYY-MM/DD/c_<id>.htm`, 2017–2020) and news.cn pages (≈2020 →).

Facts are in shared/sites/xinhuanet.md. xl2017: `div.h-title`, `span.h-time`, `em#source`, body `div#p-detail`
(with an empty 图集 gallery and a like/share bar inside), editor as loose text `责任编辑：…` in
`div.p-tags span.p-jc` after a 【纠错】 link. news.cn: `h1 span.title`, `div.header-time` split over
`span.year`/`span.day`/`span.time`, `div.source`, body `span#detailContent` in `div#detail`, `span.editor`.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import lxml.html

from newsfetch.dates import CHINA_TZ
from newsfetch.page import Page, squash
from newsfetch.pager import set_aside

from .base import SiteParser, split_names, strip_label

_EDITOR = re.compile(r"责任编辑\s*[:：]\s*([^\s【】\[\]]+)")
_DATELINE_AUTHOR = re.compile(r"^新华社[^（(]{0,20}电\s*[（(]\s*(?:记者|通讯员)\s*(?P<names>[^）)]{2,30})[）)]")


class XinhuanetSite(SiteParser):
    """What both templates share: the site, the source and editor lines, the dateline byline."""

    name = "xinhuanet"
    site_name = "新华网"
    hosts = ("xinhuanet.com", "news.cn")
    editor_line = ""  # the element holding 责任编辑, per template
    title_suffixes = (r"-新华网", r"_新华网", r"-新华网客户端")
    noise = ("div.tadd", "div.lb", "div.video-url", "div#articleEdit", "div.pageShare", "div.bookSeclect")

    def source(self, page: Page) -> str | None:
        return strip_label(page.text(self.selector("source"))) or "新华网"

    def editors(self, page: Page) -> list[str]:
        match = _EDITOR.search(page.text(self.editor_line) or "")
        return split_names(match.group(1)) if match else []

    def authors(self, page: Page) -> list[str]:
        # "新华社巴黎12月9日电（记者唐霁）": the reporters are named in the dateline only
        first = page.select_one(f"{self.selector('body').split(',')[0]} p, div#p-detail > p")
        match = _DATELINE_AUTHOR.match(squash(first.text_content())) if first is not None else None
        return split_names(match["names"]) if match else []

    def section(self, page: Page) -> str | None:
        return None

    def page_date(self, page: Page) -> date | None:
        match = re.search(r"/(20\d\d)-(\d\d)/(\d\d)/c_", page.url or "")
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        return super().page_date(page)


class XinhuanetLegacyParser(XinhuanetSite):
    """"xl2017" template: `div.h-title`, `span.h-time`, `em#source`, `div#p-detail`, editor in `span.p-jc`."""

    version = "1"
    valid_from = None
    selectors = {
        "title": "div.h-title, h1#title",
        "body": "div#p-detail",
        "published": "span.h-time",
        "source": "div.h-info em#source, em#source",
        "image": "div#p-detail img",  # no og:image: the body's first picture
    }
    editor_line = "div.p-tags span.p-jc, span.p-jc"

    def accepts(self, page: Page) -> bool:
        return page.select_one("div#p-detail") is not None

    def body(self, page: Page) -> lxml.html.HtmlElement | None:
        body = super().body(page)
        if body is not None:  # saved pages nest the 纠错/责任编辑 bar in the body: keep it readable, out of the text
            set_aside(body, "div.p-tags")
        return body


class XinhuanetParser(XinhuanetSite):
    """news.cn template: `div.head-line span.title`, `div.header-time`, `div.source`, `div#detail`. Its time
    is read its own way and its body has no editor bar: it starts from the site's base."""

    version = "2"
    valid_from = date(2020, 6, 1)
    selectors = {
        "title": "div.head-line span.title, h1 span.title",
        "body": "span#detailContent, div#detail",
        "source": "div.head-line div.source, div.source",
        "image": "span#detailContent img",
    }
    editor_line = "span.editor, div.editor"
    confidence = "medium"
    notes = "news.cn template known from scrapers only (nesting inferred); 2024 …/c.html pages assumed alike"

    def accepts(self, page: Page) -> bool:
        return page.select_one("span#detailContent, div#detail") is not None

    def published(self, page: Page) -> datetime | None:
        year = page.text("div.header-time span.year")
        day = page.text("div.header-time span.day")          # "12/17"
        clock = page.text("div.header-time span.time") or "00:00:00"
        if year and day and (match := re.match(r"(\d{1,2})/(\d{1,2})", day)):
            hms = [int(x) for x in re.findall(r"\d+", clock)[:3]] + [0, 0, 0]
            try:
                return datetime(int(year), int(match[1]), int(match[2]), *hms[:3], tzinfo=CHINA_TZ)
            except ValueError:
                pass
        return super().published(page)
