"""东方财富 eastmoney.com — articles on every channel host, caifuhao, guba and mobile pages.

Facts used here are in shared/sites/eastmoney.md: `div#ContentBody` holds the body, `.infos .item` the
time and source, and the body carries K-line widgets, stock keytips and an `em_media` source line.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from newsfetch.dates import parse_cn_datetime
from newsfetch.page import Page, squash

from .base import SiteParser, strip_label

_SOURCE_IN_TEXT = re.compile(r"来源[:：]\s*([^\s　]{2,30})")


class EastmoneyParser(SiteParser):
    """Current layout (2019 →): `div.title`, `div.infos`, `div#ContentBody.txtinfos`."""

    name = "eastmoney"
    site_name = "东方财富网"
    hosts = ("eastmoney.com",)
    version = "2"
    valid_from = date(2019, 1, 1)
    title = "div.newsContent h1, div.title, div.detail-title, h1"
    body = "div#ContentBody, div.article.page-article, div#zwconbody, div#zw_body, article#zwtext, div.txtinfos"
    time = "div.infos div.item, div.time-source div.time, div.zwfbtime, div.time"
    title_suffixes = (r"_东方财富网", r"_天天基金网", r"_股吧")
    noise = ("div.ad_context3", "a.toplink", "div.zwothers", "div.sublab", "div.BodyEnd", "div.b-review",
             "p.res-edit", "div.social_bar")

    def accepts(self, page: Page) -> bool:
        return page.select_one("div.infos, div.txtinfos, div.article.page-article, div#zwconbody") is not None

    def outlet(self, page: Page) -> str | None:
        for element in page.select("div.infos div.item, div.time-source div.source, div.source"):
            text = squash(element.text_content())
            if match := _SOURCE_IN_TEXT.search(text):
                return match.group(1)
        return None  # the body's （文章来源：X） line is used by the base

    def published(self, page: Page) -> datetime | None:
        for element in page.select("div.infos div.item, div.time-source div.time, div.zwfbtime, div.time"):
            value = parse_cn_datetime(element.text_content())
            if value:
                return value
        return super().published(page)

    def byline(self, page: Page) -> list[str]:
        for element in page.select("div.infos div.item"):
            text = squash(element.text_content())
            if text.startswith("作者"):
                return [strip_label(text)] if strip_label(text) else []
        return []


class EastmoneyLegacyParser(EastmoneyParser):
    """Older layout (`/news/<column>,<id>.html`, 2017–2018): `div.newsContent`, `.time-source`."""

    version = "1"
    valid_from = None
    title = "div.newsContent h1, h1, div.atitle"
    body = "div.newsContent div#ContentBody, div#ContentBody.Body, div.Body, article#zwtext"
    time = "div.time-source div.time, div.time-source .time"

    def accepts(self, page: Page) -> bool:
        return page.select_one("div.newsContent, div.time-source, article#zwtext") is not None

    def outlet(self, page: Page) -> str | None:
        text = page.text("div.time-source div.source, div.time-source .source")
        return strip_label(text) if text else super().outlet(page)

    def editors(self, page: Page) -> list[str]:
        link = page.text("div.time-source span a")
        return [link] if link and not link.startswith(("http", "来源")) else []
