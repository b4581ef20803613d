"""澎湃新闻 thepaper.cn — desktop jQuery pages (≈2014–2021), old m.thepaper.cn pages, and the Next.js site (≈2022 →).

Facts are in shared/sites/thepaper.md. Desktop: `h1.news_title`, `div.news_about` (first `<p>` = "作者/来源",
second = time), body `div.news_txt` of text runs split by `<br><div class="contheight">`, editor in
`div.news_infor_extra`. Old mobile: `h1.t_newsinfo`, `p.about_news` ×2 (author; time + 来源), body in
`div.news_part`, editor in `div.news_bl`. Next.js: `__NEXT_DATA__` → `props.pageProps.detailData.contentDetail`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import lxml.html

from newsfetch.dates import parse_cn_datetime
from newsfetch.page import Page, squash
from newsfetch.scriptdata import dig, next_data

from .base import SiteParser, split_names

_OUTLET = "澎湃新闻"
_ABOUT_SOURCE = re.compile(r"来源\s*[:：]\s*(\S{2,30})")
_EDITOR = re.compile(r"责任编辑\s*[:：]\s*([^\s，。]+)")
_SUFFIXES = (r"_[^_]{1,20}_澎湃新闻-The Paper", r"_澎湃新闻-The Paper", r"-澎湃新闻")
# "（原题为《是“收割韭菜”还是“回归理性”》）" ends reprinted bodies: the core lifts 原标题 lines
_ORIGINAL_TITLE = re.compile(r"^[（(]\s*原题为?\s*[《“]?(?P<title>.+?)[》”]?\s*[）)]$")


def _credit(text: str | None) -> tuple[list[str], str | None]:
    """``石佳/中国青年报`` → (['石佳'], '中国青年报'); ``澎湃新闻记者 王某`` → (['王某'], None); ``杨卓君/整理`` → (['杨卓君'], None)."""
    text = squash(text)
    if not text:
        return [], None
    if "/" in text:
        people, _, outlet = text.partition("/")
        outlet = outlet.strip()
        if outlet in ("整理", "编译", "文", "图", "编辑") or not outlet:
            return split_names(people), None
        return split_names(people), outlet
    return split_names(re.sub(r"^(?:澎湃新闻)?(?:首席)?(?:记者|实习生|特约记者|研究员)\s*", "", text)), None


def _original_title_line(body: lxml.html.HtmlElement) -> None:
    """Make the closing "（原题为《…》）" run a 原标题 paragraph, which the core lifts into `original_title`.

    The desktop body has no paragraphs: the line is a bare text run after a `<br>`, so it is looked up
    among the text nodes and replaced by a `<p>` of its own.
    """
    for text in body.xpath(".//text()"):
        match = _ORIGINAL_TITLE.match(squash(text))
        if not match:
            continue
        owner = text.getparent()
        paragraph = lxml.html.Element("p")
        paragraph.text = f"原标题：{match['title']}"
        if text.is_tail:
            owner.tail = None
            owner.addnext(paragraph)
        else:
            owner.text = None
            owner.insert(0, paragraph)
        return


class ThepaperSite(SiteParser):
    """The site: the jQuery layouts (desktop, then mobile) form one chain, the Next.js site another."""

    name = "thepaper"
    site_name = "澎湃新闻"
    hosts = ("thepaper.cn",)
    title_suffixes = _SUFFIXES


class ThepaperParser(ThepaperSite):
    """Desktop jQuery layout: `h1.news_title`, `div.news_about`, `div.news_txt`."""

    version = "1"
    valid_from = None
    selectors = {"title": "h1.news_title", "body": "div.news_txt", "section": "div.news_path a:last-child"}
    about = "div.news_about > p"
    editor_box = "div.news_infor_extra"
    noise = ("div.go_to_topic", "div.bottom_word_relation", "div.top_word_relation", "div.news_imgad",
             "div.news_txtad")

    def accepts(self, page: Page) -> bool:
        return page.select_one("h1.news_title, div.news_txt") is not None

    def _about(self, page: Page) -> list[str]:
        return [squash(p.text_content()) for p in page.select(self.about)]

    def authors(self, page: Page) -> list[str]:
        about = self._about(page)
        return _credit(about[0])[0] if about and not parse_cn_datetime(about[0]) else []

    def source(self, page: Page) -> str | None:
        about = self._about(page)
        for line in about:
            if match := _ABOUT_SOURCE.search(line):
                return match.group(1)
        credited = _credit(about[0])[1] if about and not parse_cn_datetime(about[0]) else None
        return credited or _OUTLET

    def published(self, page: Page) -> datetime | None:
        for line in self._about(page):
            if value := parse_cn_datetime(line):
                return value
        return super().published(page)

    def editors(self, page: Page) -> list[str]:
        match = _EDITOR.search(page.text(self.editor_box) or "")
        return [match.group(1)] if match else []

    def section(self, page: Page) -> str | None:
        text = page.text(self.selector("section"))
        return text if text and text != "首页" else None

    def image(self, page: Page) -> str | None:
        image = page.select_one(f"{self.selector('body')} img")
        return super().image(page) or (image.get("src") if image is not None else None)

    def body(self, page: Page) -> lxml.html.HtmlElement | None:
        body = super().body(page)
        if body is not None:
            for caption in body.xpath(".//span[contains(@style, 'color: rgb(128, 128, 128)')]"):
                caption.tag = "p"  # grey caption under a picture: its own paragraph
            _original_title_line(body)
        return body


class ThepaperMobileParser(ThepaperParser):
    """Old m.thepaper.cn layout: `h1.t_newsinfo`, `p.about_news`, `div.news_part`, `div.news_bl`."""

    version = "2"
    valid_from = date(2015, 1, 1)
    selectors = {"title": "h1.t_newsinfo", "body": "div.news_part_father div.news_part",
                 "section": "p.detail-gm a, span.gg-gmcont a"}
    about = "div.news_content p.about_news"
    editor_box = "div.news_bl"
    noise = ThepaperParser.noise + ("div.news_part_all", "div.fxOrdz", "div.news_open_app")

    def accepts(self, page: Page) -> bool:
        return page.select_one("h1.t_newsinfo, div.news_part") is not None


class ThepaperNextParser(ThepaperSite):
    """Next.js site (≈2022 →): `__NEXT_DATA__` → `props.pageProps.detailData.contentDetail`; markup as fallback.
    It reads nothing the way the jQuery layouts do: it starts from the site's base."""

    version = "3"
    valid_from = date(2022, 1, 1)
    confidence = "medium"
    notes = "Next.js layout (2022 →) known from scrapers and RSSHub only, no saved page"
    selectors = {"title": "h1[class*=index_title]", "body": "div[class*=index_cententWrap]"}
    noise = ("[class*=index_animation]", "ul[class*=index_ul]", "[class*=costomComment]")

    def accepts(self, page: Page) -> bool:
        return bool(self._detail(page)) or page.select_one(self.selector("body")) is not None

    def _detail(self, page: Page) -> dict[str, Any]:
        """`contentDetail` of `__NEXT_DATA__`, read once per page (every field asks for it)."""
        cache = page.__dict__.setdefault("_thepaper_detail", {})
        if "detail" not in cache:
            detail = dig(next_data(page), "props", "pageProps", "detailData", "contentDetail")
            cache["detail"] = detail if isinstance(detail, dict) else {}
        return cache["detail"]

    def title(self, page: Page) -> str | None:
        detail = self._detail(page)
        return squash(detail.get("name") or detail.get("shareName") or "") or super().title(page)

    def published(self, page: Page) -> datetime | None:
        detail = self._detail(page)
        return (parse_cn_datetime(detail.get("publishTime")) or parse_cn_datetime(detail.get("pubTime"))
                or parse_cn_datetime(page.text("div[class*=index_left] .ant-space")))

    def authors(self, page: Page) -> list[str]:
        return _credit(self._detail(page).get("author"))[0]

    def source(self, page: Page) -> str | None:
        for item in page.select("div[class*=index_left] .ant-space-item"):
            if match := _ABOUT_SOURCE.search(squash(item.text_content())):
                return match.group(1)
        return _OUTLET

    def editors(self, page: Page) -> list[str]:
        # 责任编辑 and 校对 are sibling blocks with no space between them: read them one by one
        for block in page.select("[class*=index_copyrightBox] div"):
            if block.find(".//div") is None and (match := _EDITOR.search(squash(block.text_content()))):
                return [match.group(1)]
        return []

    def section(self, page: Page) -> str | None:
        node = self._detail(page).get("nodeInfo") or {}
        return squash(node.get("name") or "") or None if isinstance(node, dict) else None

    def image(self, page: Page) -> str | None:
        images = [i.get("src") for i in self._detail(page).get("images") or [] if isinstance(i, dict)]
        return page.absolute(images[0]) if images and images[0] else super().image(page)

    def body(self, page: Page) -> lxml.html.HtmlElement | None:
        html = self._detail(page).get("content") or ""
        if isinstance(html, str) and html.strip() and not html.lstrip().startswith("<video"):
            return lxml.html.fragment_fromstring(html, create_parent="div")
        return super().body(page)

    def page_date(self, page: Page) -> date | None:
        value = self.published(page)
        return value.date() if value else None
