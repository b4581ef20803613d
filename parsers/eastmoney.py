"""东方财富 eastmoney.com — articles on every channel host, caifuhao, guba and mobile pages.

Facts used here are in shared/sites/eastmoney.md: `div#ContentBody` holds the body, `.infos .item` the
time and source, and the body carries K-line widgets, stock keytips and an `em_media` source line.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from urllib.parse import parse_qs, urlsplit
from html import escape

import lxml.html

from lxml import etree

from newsfetch import stocks as stock_codes
from newsfetch.article import Article
from newsfetch.clean import CleanResult
from newsfetch.dates import parse_cn_datetime
from newsfetch.page import Page, drop_keeping_tail, squash

from .base import SiteParser, split_names, strip_label

_SOURCE_IN_TEXT = re.compile(r"来源[:：]\s*([^\s　]{2,30})")
# A caifuhao repost credit: "（来源：券商中国的财富号 2019-01-23 05:31） [点击查看原文]".
_CAIFUHAO_CREDIT = re.compile(r"^[（(]来源[:：]\s*(?P<name>.+?)的财富号[^）)]*[）)]\s*(\[点击查看原文\])?$")
# Where each page kind writes its time; the first that parses wins (guba: "发表于 2019-01-24 07:47:30 股吧网页版").
# Archive ids: /a/202112302231746483.html, /news/1611,202112082206703990.html, NewsShare.html?infoCode=NW2021…
_ARTICLE_ID = re.compile(r"(?<!\d)(\d{18})(?!\d)")
_INFO_CODE = re.compile(r"^[A-Za-z]{0,4}(\d{18})$")
_TIME_PLACES = ("div.infos div.item", "div.time-source div.time", "div.zwfbtime", "div.article-meta span.time",
                "div.time")


# --- stock widgets: Eastmoney's quote markup, found in any body ------------------------------------
# Sites repost Eastmoney articles with the widgets inside, and old archives hold them: the clean stage
# runs these rules on every body (SiteParser.body_rules), not only on Eastmoney's pages.

def remove_stock_widgets(body: lxml.html.HtmlElement) -> list[str]:
    """Drop the K-line widgets, quote pictures and keytips from `body`; return the stock codes they marked."""
    found: list[str | None] = []
    # Eastmoney's K-line widget sits between two comments, as siblings.
    for comment in list(body.iter(etree.Comment)):
        if "EM_StockImg_Start" in (comment.text or "") and comment.getparent() is not None:
            widget = []
            for node in comment.itersiblings():
                if node.tag is etree.Comment and "EM_StockImg_End" in (node.text or ""):
                    break
                widget.append(node)
            else:
                continue  # no end marker beside it (cut or re-nested markup): the rules below catch the widget
            for node in widget:
                found.extend(_codes_in(node))
                drop_keeping_tail(node)
    for element in list(body.iter("a", "img", "span")):
        if element.getparent() is None:
            continue
        href = element.get("href")
        code = stock_codes.code_from_eastmoney_href(href) or (
            stock_codes.code_from_data_code(element.get("data-code")) if element.get("data-code") else None)
        classes = element.get("class") or ""
        src = element.get("src") or ""
        if element.tag == "img" and ("webquoteklinepic" in src or "EmImageRemark" in classes
                                     or "quote" in src and "GetPic" in src):
            found.append(code)
            drop_keeping_tail(element)
        elif "EmImageRemark" in classes:
            found.extend([code, *_codes_in(element)])
            drop_keeping_tail(element)
        elif element.tag == "span" and re.match(r"(bk)?quote_", element.get("id") or "") \
                and not squash(element.text_content()):
            drop_keeping_tail(element)
        elif code or "keytip" in classes or "em_stock_key_common" in classes or "infokey" in classes \
                or (href and "quote.eastmoney.com" in href):
            found.append(code)
            if element.getparent() is not None:  # unwrap: the name stays as text
                element.drop_tag()
    return [code for code in found if code]


def _codes_in(element: etree._Element) -> list[str | None]:
    if not isinstance(element.tag, str):
        return []
    codes: list[str | None] = []
    for node in element.iter():
        if isinstance(node.tag, str):
            codes.append(stock_codes.code_from_eastmoney_href(node.get("href")))
            codes.append(stock_codes.code_from_data_code(node.get("data-code")))
    return codes


class EastmoneyLegacyParser(SiteParser):
    """Older layout (`/news/<column>,<id>.html`, 2017–2018): `div.newsContent`, `.time-source`."""

    name = "eastmoney"
    site_name = "东方财富网"
    hosts = ("eastmoney.com",)
    version = "1"
    valid_from = None
    selectors = {
        "title": "div.newsContent h1, h1, div.atitle",
        "body": "div.newsContent div#ContentBody, div#ContentBody.Body, div.Body, article#zwtext",
        "published": "div.time-source div.time, div.time-source .time",
    }
    title_suffixes = (r"_东方财富网", r"_天天基金网", r"_股吧")
    confidence = "medium"
    notes = "/news/<column>,<id>.html layout (2017–18) from scraper code only."
    noise = ("div.ad_context3", "a.toplink", "div.zwothers", "div.sublab", "div.BodyEnd", "div.b-review",
             "p.res-edit", "div.social_bar")
    body_rules = (remove_stock_widgets,)
    # batch --feed takes bodies of Eastmoney list entries from the news-text API by default: it answers the
    # same markup as #ContentBody without the page frame (smaller, and no layout change can break it)
    preferred_via = "api"

    def accepts(self, page: Page) -> bool:
        return page.select_one("div.newsContent, div.time-source, article#zwtext") is not None

    def source(self, page: Page) -> str | None:
        text = page.text("div.time-source div.source, div.time-source .source")
        return strip_label(text) if text else _credited_source(page)

    def published(self, page: Page) -> datetime | None:
        for element in page.select(self.selector("published")):
            value = parse_cn_datetime(element.text_content())
            if value:
                return value
        return super().published(page)

    def authors(self, page: Page) -> list[str]:
        text = page.text("div.time-source span")
        return split_names(text) if text and text.startswith("作者") else []

    def editors(self, page: Page) -> list[str]:
        text = page.text("div.time-source span")
        return split_names(text) if text and re.match(r"(责任)?编辑", text) else []

    def body(self, page: Page) -> lxml.html.HtmlElement | None:
        body = super().body(page)
        if body is not None:
            for paragraph in list(body.iter("p")):
                if _CAIFUHAO_CREDIT.match(squash(paragraph.text_content())):
                    paragraph.getparent().remove(paragraph)  # the credit is the outlet, not text
        return body

    def finish(self, article: Article, page: Page, cleaned: CleanResult) -> Article:
        # 原标题 sits in div.sublab above the body on current pages (the clean stage leaves it there); a
        # 原标题 line in the body, which the clean stage lifted, comes first
        sublab = page.text("div.sublab")
        if sublab and not article.original_title and sublab.startswith("原标题"):
            article = replace(article, original_title=re.sub(r"^原标题\s*[:：]\s*", "", sublab) or None)
        return article

    @classmethod
    def post_id(cls, url: str) -> str | None:
        """The bare 18-digit article id (the existing archives' names), also the ``infoCode`` of share links
        whatever host serves them: ``…/a/202112302231746483.html`` → ``202112302231746483``."""
        parts = urlsplit(url.strip())
        for code in parse_qs(parts.query).get("infoCode", []):
            if match := _INFO_CODE.match(code):
                return match.group(1)
        host = (parts.hostname or "").lower()
        if host == "eastmoney.com" or host.endswith(".eastmoney.com"):
            if match := _ARTICLE_ID.search(parts.path):
                return match.group(1)
        return None

    @classmethod
    def id_aliases(cls, post_id: str) -> tuple[str, ...]:
        """Old archives name an Eastmoney article ``NW`` + its id (the infoCode)."""
        return (f"NW{post_id}",) if re.fullmatch(r"\d{18}", post_id) else ()

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


class EastmoneyParser(EastmoneyLegacyParser):
    """Current layout (2019 →): `div.title`, `div.infos`, `div#ContentBody.txtinfos`; caifuhao, guba, wap."""

    version = "2"
    valid_from = date(2019, 1, 1)
    selectors = {
        "title": ("div.zwinfos > div.title, div.newsContent h1, div.title, div#zwconttbt, h1.article-title, "
                  "div.detail-title, h1"),
        "body": "div#ContentBody, div.article.page-article, div#zwconbody, div#zw_body, article#zwtext, div.txtinfos",
        "published": ", ".join(_TIME_PLACES),
        "editors": "div.res-edit, p.res-edit",
    }
    notes = ("Body widgets from real article bodies (API); the page frame from scrapers (no saved /a/ page); "
             "caifuhao and wap time/source markup unconfirmed.")

    def accepts(self, page: Page) -> bool:
        return page.select_one("div.infos, div.txtinfos, div.article.page-article, div#zwconbody") is not None

    def source(self, page: Page) -> str | None:
        return _credited_source(page)

    def authors(self, page: Page) -> list[str]:
        for element in page.select("div.infos div.item"):
            text = squash(element.text_content())
            if text.startswith("作者"):
                return [strip_label(text)] if strip_label(text) else []
        poster = page.text("div#zwconttbn")  # guba: the account that posted
        return [poster] if poster else []

    def editors(self, page: Page) -> list[str]:
        return split_names(page.text(self.selector("editors")))


def _credited_source(page: Page) -> str | None:
    """The 来源 of the info line, or the caifuhao account; None leaves it to the body's （文章来源：X） line."""
    for element in page.select("div.infos div.item, div.time-source div.source, div.source"):
        text = squash(element.text_content())
        if match := _SOURCE_IN_TEXT.search(text):
            return match.group(1)
    # caifuhao: the account that published the piece is its credited outlet
    return page.text("div.article-meta span.name")
