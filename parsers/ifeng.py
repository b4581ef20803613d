"""凤凰网 ifeng.com — `<channel>.ifeng.com/c/<id>` pages (2019 →) and the older `detail_YYYY_MM/DD/<n>_0.shtml` pages.

Facts are in shared/sites/ifeng.md. `/c/` pages carry the article in `var allData = {…}`: `docData` has
title, newsTime, source (empty for ifeng's own articles), author, editorName, breadCrumbdata and the body
as HTML strings in `contentData.contentList`; the rendered markup has build-hashed class names, so the JSON
is read first. The older layout has `h1#artical_topic`, `span.ss01` (time), `span.ss03` (source),
`div#main_content` and pages `_0`, `_1`, … with a `div.pageNum` pager.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import lxml.html

from newsfetch.dates import parse_cn_datetime
from newsfetch.page import Page, squash
from newsfetch.pager import following_pages, set_aside
from newsfetch.scriptdata import object_after_key, script_object

from .base import SiteParser, split_names

# "澎湃新闻记者 段彦超 廖艳" as the first body paragraph: a byline, not text
_REPORTER_LINE = re.compile(r"^[\u4e00-\u9fff]{0,10}记者\s*(?P<names>(?:[\u4e00-\u9fff·]{2,5}\s*){1,4})$")
_PAGE_NUMBER = re.compile(r"_(\d+)\.shtml$")


def _doc(page: Page) -> dict[str, Any]:
    """`allData.docData`, brace-matched after its key (video items repeat the same field names)."""
    data = script_object(page, "allData")
    if data and isinstance(data.get("docData"), dict):
        return data["docData"]
    for script in page.tree.iter("script"):
        if script.text and '"docData"' in script.text:
            return object_after_key(script.text, "docData") or {}
    return {}


class IfengSite(SiteParser):
    """The site: its two layouts share nothing but the hosts and the title suffixes."""

    name = "ifeng"
    site_name = "凤凰网"
    hosts = ("news.ifeng.com", "finance.ifeng.com", "tech.ifeng.com", "ishare.ifeng.com", "i.ifeng.com")
    title_suffixes = (r"_凤凰网\S{0,4}", r"_凤凰网")


class IfengLegacyParser(IfengSite):
    """Older `detail_…_0.shtml` layout: `h1#artical_topic`, `span.ss01`, `span.ss03`, `div#main_content`."""

    version = "1"
    valid_from = None
    selectors = {
        "title": "h1#artical_topic, div.yc_tit h1",
        "body": "div#main_content, div#yc_con_txt",
        "published": "span.ss01, div.yc_tit p span",
        "source": "span.ss03, span[itemprop=publisher] span[itemprop=name], span#source_place",
    }
    noise = ("p.picIntro", "span.picIntro")
    notes = "old detail_*.shtml layout and its pager known from spiders only"

    def accepts(self, page: Page) -> bool:
        return page.select_one(self.selector("body")) is not None

    def source(self, page: Page) -> str | None:
        return super().source(page) or "凤凰网"

    def authors(self, page: Page) -> list[str]:
        return []

    def section(self, page: Page) -> str | None:
        return None

    def body(self, page: Page) -> lxml.html.HtmlElement | None:
        body = super().body(page)
        if body is not None:  # the pager sits in the body: keep it readable for extra(), out of the text
            set_aside(body, "div.pageNum, a#pagenext")
        return body

    def extra(self, page: Page) -> dict[str, Any]:
        """Following pages `…_1.shtml`, `…_2.shtml` of a split article, from its pager."""
        return {"more_pages": following_pages(page, "div.pageNum a, a#pagenext", _PAGE_NUMBER, first=0)}


class IfengParser(IfengSite):
    """`/c/<id>` pages: `allData.docData`, with the React markup as a fallback. A redesign that keeps nothing
    of the older reading: it starts from the site's base."""

    version = "2"
    valid_from = date(2018, 1, 1)
    selectors = {"title": "h1[class^=topic]", "body": "div[class^=main_content] div[class^=text]"}

    def accepts(self, page: Page) -> bool:
        return bool(_doc(page)) or page.select_one(self.selector("body")) is not None

    def title(self, page: Page) -> str | None:
        return squash(_doc(page).get("title") or "") or super().title(page)

    def published(self, page: Page) -> datetime | None:
        return (parse_cn_datetime(_doc(page).get("newsTime"))
                or parse_cn_datetime(page.meta("og:time ", "og:time"))
                or parse_cn_datetime(page.text("p[class^=time] span")))

    def source(self, page: Page) -> str | None:
        source = squash(_doc(page).get("source") or "") or page.text("span[class^=source]")
        if source:
            return source
        # an empty source marks ifeng's own article
        return "凤凰网财经" if page.host.startswith("finance.") else "凤凰网"

    def authors(self, page: Page) -> list[str]:
        # "凤凰网财经 李明": the channel name is not a person
        return [name for name in split_names(_doc(page).get("author")) if not name.startswith("凤凰")]

    def editors(self, page: Page) -> list[str]:
        return split_names(_doc(page).get("editorName"))

    def section(self, page: Page) -> str | None:
        crumbs = [c.get("title") for c in _doc(page).get("breadCrumbdata") or [] if isinstance(c, dict)]
        crumbs = [squash(c) for c in crumbs if c]
        return crumbs[-1] if crumbs else None

    def image(self, page: Page) -> str | None:
        images = [i.get("url") for i in _doc(page).get("imagesInContent") or [] if isinstance(i, dict)]
        return page.absolute(images[0]) if images and images[0] else super().image(page)

    def body(self, page: Page) -> lxml.html.HtmlElement | None:
        parts = (_doc(page).get("contentData") or {}).get("contentList") or []
        html = "".join(p.get("data") or "" for p in parts if isinstance(p, dict) and p.get("type") == "text")
        body = lxml.html.fragment_fromstring(html, create_parent="div") if html.strip() else super().body(page)
        if body is not None:
            _reporter_to_author_line(body)
        return body


def _reporter_to_author_line(body: lxml.html.HtmlElement) -> None:
    """Rewrite a leading "X记者 A B" paragraph as "作者：A B" so the core lifts it into `authors`."""
    for paragraph in body.iter("p"):
        text = squash(paragraph.text_content())
        if not text:
            continue
        if match := _REPORTER_LINE.match(text):
            for child in list(paragraph):
                paragraph.remove(child)
            paragraph.text = "作者：" + squash(match["names"])
        return
