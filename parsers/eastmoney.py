"""东方财富 eastmoney.com — articles on every channel host, caifuhao, guba and mobile pages.

Facts used here are in shared/sites/eastmoney.md: `div#ContentBody` holds the body, `.infos .item` the
time and source, and the body carries K-line widgets, stock keytips and an `em_media` source line.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from html import escape

import lxml.html

from newsfetch.article import Article
from newsfetch.dates import parse_cn_datetime
from newsfetch.page import Page, squash

from .base import SiteParser, split_names, strip_label

_SOURCE_IN_TEXT = re.compile(r"来源[:：]\s*([^\s　]{2,30})")
# A caifuhao repost credit: "（来源：券商中国的财富号 2019-01-23 05:31） [点击查看原文]".
_CAIFUHAO_CREDIT = re.compile(r"^[（(]来源[:：]\s*(?P<name>.+?)的财富号[^）)]*[）)]\s*(\[点击查看原文\])?$")
# Where each page kind writes its time; the first that parses wins (guba: "发表于 2019-01-24 07:47:30 股吧网页版").
_TIME_PLACES = ("div.infos div.item", "div.time-source div.time", "div.zwfbtime", "div.article-meta span.time",
                "div.time")


class EastmoneyParser(SiteParser):
    """Current layout (2019 →): `div.title`, `div.infos`, `div#ContentBody.txtinfos`; caifuhao, guba, wap."""

    name = "eastmoney"
    site_name = "东方财富网"
    hosts = ("eastmoney.com",)
    version = "2"
    valid_from = date(2019, 1, 1)
    title = ("div.zwinfos > div.title, div.newsContent h1, div.title, div#zwconttbt, h1.article-title, "
             "div.detail-title, h1")
    body = "div#ContentBody, div.article.page-article, div#zwconbody, div#zw_body, article#zwtext, div.txtinfos"
    time = ", ".join(_TIME_PLACES)
    editor = "div.res-edit, p.res-edit"
    title_suffixes = (r"_东方财富网", r"_天天基金网", r"_股吧")
    confidence = "medium"
    notes = ("Body widgets from real article bodies (API); the page frame from scrapers (no saved /a/ page); "
             "caifuhao and wap time/source markup unconfirmed.")
    noise = ("div.ad_context3", "a.toplink", "div.zwothers", "div.sublab", "div.BodyEnd", "div.b-review",
             "p.res-edit", "div.social_bar")
    # batch --feed takes bodies of Eastmoney list entries from the news-text API by default: it answers the
    # same markup as #ContentBody without the page frame (smaller, and no layout change can break it)
    preferred_via = "api"

    def accepts(self, page: Page) -> bool:
        return page.select_one("div.infos, div.txtinfos, div.article.page-article, div#zwconbody") is not None

    def outlet(self, page: Page) -> str | None:
        for element in page.select("div.infos div.item, div.time-source div.source, div.source"):
            text = squash(element.text_content())
            if match := _SOURCE_IN_TEXT.search(text):
                return match.group(1)
        # caifuhao: the account that published the piece is its credited outlet
        return page.text("div.article-meta span.name")  # else the body's （文章来源：X） line is used by the base

    def published(self, page: Page) -> datetime | None:
        for element in page.select(self.time):
            value = parse_cn_datetime(element.text_content())
            if value:
                return value
        return super().published(page)

    def byline(self, page: Page) -> list[str]:
        for element in page.select("div.infos div.item"):
            text = squash(element.text_content())
            if text.startswith("作者"):
                return [strip_label(text)] if strip_label(text) else []
        poster = page.text("div#zwconttbn")  # guba: the account that posted
        return [poster] if poster else []

    def content(self, page: Page) -> lxml.html.HtmlElement | None:
        body = super().content(page)
        if body is not None:
            for paragraph in list(body.iter("p")):
                if _CAIFUHAO_CREDIT.match(squash(paragraph.text_content())):
                    paragraph.getparent().remove(paragraph)  # the credit is the outlet, not text
        return body

    def parse(self, page: Page) -> Article:
        article = super().parse(page)
        # 原标题 sits in div.sublab above the body on current pages
        sublab = page.text("div.sublab")
        if sublab and not article.original_title and sublab.startswith("原标题"):
            article = replace(article, original_title=re.sub(r"^原标题\s*[:：]\s*", "", sublab) or None)
        return article


    def parse_api(self, content: str, *, url: str, title: str | None, published: datetime | None,
                  summary: str | None) -> Article:
        """An Article from the news-text API: `content` is the inner markup of ``#ContentBody`` (widgets and
        placeholders included); title, time and summary come from the list entry.

        The body goes through exactly the rules of a fetched page (it is put where the page has it), so the
        post is the same bytes either way when the page states the same fields.
        """
        holder = (f"<html><head><title>{escape(title or '')}</title></head><body>"
                  f'<div id="ContentBody" class="txtinfos">{content}</div></body></html>')
        article = self.parse(Page(html=holder, url=url))
        return replace(article, title=title or article.title, published=published or article.published,
                       summary=summary or article.summary)


class EastmoneyLegacyParser(EastmoneyParser):
    """Older layout (`/news/<column>,<id>.html`, 2017–2018): `div.newsContent`, `.time-source`."""

    version = "1"
    valid_from = None
    title = "div.newsContent h1, h1, div.atitle"
    body = "div.newsContent div#ContentBody, div#ContentBody.Body, div.Body, article#zwtext"
    time = "div.time-source div.time, div.time-source .time"
    notes = "/news/<column>,<id>.html layout (2017–18) from scraper code only."

    def accepts(self, page: Page) -> bool:
        return page.select_one("div.newsContent, div.time-source, article#zwtext") is not None

    def outlet(self, page: Page) -> str | None:
        text = page.text("div.time-source div.source, div.time-source .source")
        return strip_label(text) if text else super().outlet(page)

    def byline(self, page: Page) -> list[str]:
        text = page.text("div.time-source span")
        return split_names(text) if text and text.startswith("作者") else []

    def editors(self, page: Page) -> list[str]:
        text = page.text("div.time-source span")
        return split_names(text) if text and re.match(r"(责任)?编辑", text) else []
