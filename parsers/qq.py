"""腾讯新闻 qq.com — `new.qq.com/rain/a/<cms_id>` / `/omn/` pages (2020 →) and `<channel>.qq.com/a/<date>/<n>.htm` (≤ 2019).

Facts are in shared/sites/qq.md. The 2020 template has no time or source element in its server HTML: they
live in the inline `window.DATA` object (`pubtime`, `media`, `title`); the body is `div.content-article`
(`div.rich_media_content` on 2025 `news.qq.com/rain/a/` pages). The older `/a/` layout has `span.a_time`,
`span.a_source`, `span.a_catalog`, the body `#Cnt-Main-Article-QQ` and the editor `#QQeditor`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import lxml.html

from newsfetch.clean import image_address
from newsfetch.dates import parse_cn_datetime
from newsfetch.page import Page, squash
from newsfetch.scriptdata import script_object

from .base import SiteParser

_BYLINE = re.compile(r"^(?:《[^》]{1,12}》)?\s*作者\s*[:：]?\s*(?P<name>[\u4e00-\u9fff·]{2,6})$")
_HOSTS = ("new.qq.com", "news.qq.com", "finance.qq.com", "tech.qq.com", "stock.qq.com")


class QQSite(SiteParser):
    """The site: its two templates share nothing but the hosts and the title suffixes."""

    name = "qq"
    site_name = "腾讯网"
    hosts = _HOSTS
    title_suffixes = (r"_腾讯新闻", r"_腾讯网")


class QQLegacyParser(QQSite):
    """`/a/` layout (2016–2019): `#Main-Article-QQ`, `div.a_Info` spans, `#Cnt-Main-Article-QQ`, `#QQeditor`."""

    version = "1"
    valid_from = None
    selectors = {
        "title": "div#Main-Article-QQ div.hd h1, div.qq_article div.hd h1, div#ArticleTit",
        "body": "div#Cnt-Main-Article-QQ, div#ArticleCnt",
        "published": "span.a_time, span.article-time",
        "source": "span.a_source, span.color-a-1",
        "editors": "div#QQeditor, div.qq_editor",
        "section": "span.a_catalog a, span.a_catalog",
    }
    noise = ("div.Introduction", "div#Reading", "div.rv-root-v2", "div#invideocon", "a#backqqcom")

    def accepts(self, page: Page) -> bool:
        return page.select_one("div#Cnt-Main-Article-QQ, div#ArticleCnt") is not None

    def authors(self, page: Page) -> list[str]:
        return []

    def image(self, page: Page) -> str | None:
        image = page.select_one("div#Cnt-Main-Article-QQ img")
        return image_address(image, page.url) if image is not None else super().image(page)

    def body(self, page: Page) -> lxml.html.HtmlElement | None:
        body = super().body(page)
        for paragraph in body.iter("p") if body is not None else ():
            # "《棱镜》作者 周纯": written as a 作者 line so the core lifts it into `authors`
            if match := _BYLINE.match(squash(paragraph.text_content())):
                for child in list(paragraph):
                    paragraph.remove(child)
                paragraph.text = f"作者：{match['name']}"
        return body


class QQParser(QQSite):
    """2020 → template: `window.DATA` metadata, `div.LEFT h1`, `div.content-article`. It reads nothing the
    way the `/a/` layout does: it starts from the site's base."""

    version = "2"
    valid_from = date(2020, 1, 1)
    selectors = {"title": "div.LEFT h1, h1", "body": "div.content-article, div.rich_media_content"}
    noise = ("div#Status", "div.LeftTool", "div#LeftTool")
    notes = "2025 news.qq.com/rain pages (div.rich_media_content) known from a crawler only"

    def accepts(self, page: Page) -> bool:
        return page.select_one(self.selector("body")) is not None

    def data(self, page: Page) -> dict[str, Any]:
        return script_object(page, "DATA") or {}

    def title(self, page: Page) -> str | None:
        return squash(self.data(page).get("title") or "") or super().title(page)

    def published(self, page: Page) -> datetime | None:
        # `apub:time` in <head> is the publishing system's build time, not the article's
        return parse_cn_datetime(self.data(page).get("pubtime"))

    def source(self, page: Page) -> str | None:
        return squash(self.data(page).get("media") or "") or None

    def authors(self, page: Page) -> list[str]:
        return []

    def section(self, page: Page) -> str | None:
        return None  # DATA.catalog1 is an internal slug (social, finance), not a readable section

    def image(self, page: Page) -> str | None:
        image = page.select_one(f"{self.selector('body').split(',')[0]} img, div.rich_media_content img")
        return image_address(image, page.url) if image is not None else super().image(page)
