"""网易 163.com — www.163.com/<channel>/article/<ID>.html (2020 →) and <sub>.163.com/YY/MMDD/HH/<ID>.html (≤ 2019).

Facts are in shared/sites/netease.md: the time and the credited outlet share one line (`2019-09-07 13:43:45　来源:
<a>证券市场红周刊</a>`); the editor is `责任编辑：杨倩_NF4425` (name + staff code); `p.otitle` holds the 原标题.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime

import lxml.html

from newsfetch.article import Article
from newsfetch.clean import CleanResult, image_address
from newsfetch.dates import parse_cn_datetime, parse_iso_datetime
from newsfetch.page import Page, squash

from .base import SiteParser

_SOURCE = re.compile(r"来源\s*[:：]\s*(\S{2,30})")
_STAFF_CODE = re.compile(r"_[A-Z]{1,4}\d{2,8}$")   # 雷晓_NB26578 → 雷晓
_OLD_URL_DATE = re.compile(r"163\.com/(?:\w+/)?(\d\d)/(\d\d)(\d\d)/\d\d/[A-Z0-9]{16}")


class NeteaseLegacyParser(SiteParser):
    """Layout up to 2019: `div.post_content_main h1`, `div.post_time_source`, `div#endText` with `div.ep-source`."""

    name = "netease"
    site_name = "网易"
    hosts = ("163.com",)
    version = "1"
    valid_from = None
    selectors = {"title": "div.post_content_main h1, h1#h1title, h1", "body": "div#endText"}
    info = "div.post_time_source, div.ep-time-soure, div.ep-info"  # time and 来源 share this line
    title_suffixes = (r"_网易\S{0,6}",)
    noise = ("div.post_top", "div[style*='height: 0px']", "div.at_item",
             "div.post_topshare_wrap", "div.post_next_page")

    def accepts(self, page: Page) -> bool:
        return page.select_one("div#endText") is not None and page.select_one(self.info) is not None

    def published(self, page: Page) -> datetime | None:
        return (parse_iso_datetime(page.meta("article:published_time"))
                or parse_cn_datetime(page.tree.get("data-publishtime"))
                or parse_cn_datetime(page.text(self.info)))

    def source(self, page: Page) -> str | None:
        line = page.select_one(self.info)
        if line is None:
            return None
        link = line.find(".//a")
        text = squash(link.text_content()) if link is not None else ""
        if text and text != "举报":
            return text
        match = _SOURCE.search(squash(line.text_content()))
        return match.group(1) if match else None

    def authors(self, page: Page) -> list[str]:
        return []  # article:author is always 网易

    def editors(self, page: Page) -> list[str]:
        text = page.text("div.post_author, span.ep-editor")
        match = re.search(r"责任编辑\s*[:：]\s*(\S+)", text or "")
        return [match.group(1)] if match else []

    def section(self, page: Page) -> str | None:
        return _crumb(page)

    def image(self, page: Page) -> str | None:
        # og:image is the 163 logo on 2025 pages: the first picture of the body is the real one
        image = page.select_one(f"{self.selector('body')} img")
        return image_address(image, page.url) if image is not None else None

    def body(self, page: Page) -> lxml.html.HtmlElement | None:
        body = super().body(page)
        if body is not None:  # keyword and 百科 links around words inside sentences: keep the words
            for link in body.xpath(".//a[contains(@href, '/keywords/') or contains(@href, '163.com/baike/')]"):
                link.drop_tag()
        return body

    def finish(self, article: Article, page: Page, cleaned: CleanResult) -> Article:
        # editors come as name + staff code, from the page and from the body's 责任编辑 line
        names = tuple(dict.fromkeys(_STAFF_CODE.sub("", name) for name in article.editors))
        return dataclasses.replace(article, editors=names)

    def page_date(self, page: Page) -> date | None:
        match = _OLD_URL_DATE.search(page.url or "")
        if match:
            return date(2000 + int(match[1]), int(match[2]), int(match[3]))
        value = self.published(page)
        return value.date() if value else None


class NeteaseParser(NeteaseLegacyParser):
    """The "post2020" template: `h1.post_title`, `div.post_info`, `div.post_body`, `div.post_author`."""

    version = "2"
    valid_from = date(2020, 1, 1)
    selectors = {"title": "h1.post_title", "body": "div.post_body"}
    info = "div.post_info"

    def accepts(self, page: Page) -> bool:
        return page.select_one("h1.post_title, div.post_info") is not None

    def section(self, page: Page) -> str | None:
        return page.tree.get("data-category") or super().section(page)


def _crumb(page: Page) -> str | None:
    """The last channel link of the breadcrumb (网易首页 > 财经频道 > 正文 → 财经频道)."""
    links = [squash(a.text_content()) for a in page.select("div.post_crumb a")]
    links = [text for text in links if text and text != "网易首页"]
    return links[-1] if links else None
