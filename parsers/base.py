"""SiteParser: the shared base every source parser builds on.

A parser names its hosts and the CSS selectors of its fields; the base supplies the sensible defaults
(JSON-LD, OpenGraph, `<meta>`, visible Chinese date and source patterns) and the one way an `Article` is
assembled, so a site module states only what differs. Override a method only where a selector cannot say it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, ClassVar

import lxml.html

from newsfetch.article import Article
from newsfetch.clean import CleanResult, clean_body
from newsfetch.dates import CHINA_TZ, date_from_url
from newsfetch.errors import ParseError
from newsfetch.markdown import render
from newsfetch.page import Page, squash
from newsfetch.stocks import unique
from newsfetch.timeresolver import Times, resolve_page

# "_新浪财经_新浪网", "-中新网", " | 新华网", "—— 澎湃新闻": the site's name after the headline.
_TITLE_TAIL = re.compile(r"\s*(?:[_|｜]|[-–—]{1,2}|::)\s*(?P<tail>[^_|｜\-–—]{1,24})$")
_SITE_WORDS = re.compile(
    r"(网|報|报|新闻|社|财经|频道|在线|日报|时报|周刊|客户端|头条|资讯|中心|平台|门户|\.com|\.cn|\.net|"
    r"News|NEWS|Times|Post|Journal|Reuters|BBC|CNN|Online|Daily|Herald|Tribune|Guardian|detik)", re.I)
_LABEL = re.compile(r"^\s*(?:文章|本文|稿件)?(?:来源|作者|记者|责任编辑|编辑|出处)\s*[:：]\s*")
_NAME_SPLIT = re.compile(r"[\s\u3000、,，;；/|｜]+")
_LATIN_NAME_SPLIT = re.compile(r"\s*(?:[,;/|｜、，；]|\band\b|&)\s*")
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
_NAME_NOISE = re.compile(r"^(?:记者|作者|编辑|责任编辑|实习生|通讯员|文|图|摄|本报记者|本报|报道)[:：/]?")


def split_names(text: str | None) -> list[str]:
    """``记者 张三 李四`` / ``作者：张三、李四`` → ``['张三', '李四']``."""
    if not text:
        return []
    text = _LABEL.sub("", squash(text))
    # Latin names have spaces inside them ("Dana Whitfield"): split those on commas and "and" only.
    splitter = _NAME_SPLIT if _CJK_CHAR.search(text) else _LATIN_NAME_SPLIT
    names = []
    for part in splitter.split(text):
        part = _NAME_NOISE.sub("", part).strip("()（）【】[]:：")
        if part and not _NAME_NOISE.fullmatch(part) and len(part) <= 30:
            names.append(part)
    return list(dict.fromkeys(names))


def strip_label(text: str | None) -> str | None:
    """``来源：中国新闻网`` → ``中国新闻网``; None for blank input."""
    if not text:
        return None
    value = _LABEL.sub("", squash(text)).strip()
    return value or None


def strip_site_suffix(title: str, suffixes: tuple[str, ...] = (), *, generic: bool = True) -> str:
    """Remove the site names titles carry (``_新浪财经_新浪网``, ``-中新网``, ``| 新华网``).

    `suffixes` are the site's own patterns; `generic` also drops trailing segments that look like a site
    or channel name, never a part of the headline such as ``HFO-1234yf``.
    """
    title = squash(title)
    for suffix in suffixes:
        title = re.sub(suffix + r"\s*$", "", title).strip()
    while generic and (match := _TITLE_TAIL.search(title)):
        head = title[:match.start()].strip()
        if len(head) < 4 or not _SITE_WORDS.search(match["tail"]):
            break
        title = head
    return title


class SiteParser:
    """Base of all parsers. Subclasses set `name`, `hosts` and selectors; see parsers/stcn.py."""

    name: ClassVar[str] = ""
    hosts: ClassVar[tuple[str, ...]] = ()      # a host serves its sub-hosts too
    site_name: ClassVar[str | None] = None     # the hosting site as readers know it (e.g. 东方财富网)
    version: ClassVar[str] = "1"
    valid_from: ClassVar[date | None] = None   # layout versions: first publication date this one reads
    title: ClassVar[str | None] = None         # CSS selectors; "a, b" means: try a, then b
    body: ClassVar[str | None] = None
    time: ClassVar[str | None] = None
    source: ClassVar[str | None] = None
    author: ClassVar[str | None] = None
    editor: ClassVar[str | None] = None
    section: ClassVar[str | None] = None
    noise: ClassVar[tuple[str, ...]] = ()      # the site's own furniture inside the body
    paywall: ClassVar[str | None] = None       # markers of a paid page: present → extra {"paywalled": True}
    title_suffixes: ClassVar[tuple[str, ...]] = ()  # regexes removed from the end of titles
    min_body_chars: ClassVar[int] = 20
    lead_image_from_body: ClassVar[bool] = False  # no og:image: take the body's first picture
    confidence: ClassVar[str] = "high"         # how well the selectors are evidenced (README sites table)
    notes: ClassVar[str] = ""                  # one line on what is weak or unconfirmed, for the same table

    # --- layout versions ----------------------------------------------------------------------
    def accepts(self, page: Page) -> bool:
        """Whether this version can read `page` (its body container is there)."""
        return self.body is None or page.select_one(self.body) is not None

    # --- the fields, each overridable -----------------------------------------------------------
    def headline(self, page: Page) -> str | None:
        text = page.text(self.title) if self.title else None
        if text:  # a headline element carries no site name, except where the site says so
            return strip_site_suffix(text, self.title_suffixes, generic=False)
        article = page.jsonld_article() or {}
        text = _str(article.get("headline")) or page.meta("og:title", "twitter:title") or page.title_tag
        return strip_site_suffix(text, self.title_suffixes) if text else None

    def published(self, page: Page) -> datetime | None:
        return self.times(page).published

    def modified(self, page: Page) -> datetime | None:
        """The last modification the page states (`last_modified_at`); never the publication time."""
        return self.times(page).modified

    def times(self, page: Page) -> Times:
        """The time resolver over the page's metadata and the text of this site's time element (`time`)."""
        printed = page.text(self.time) if self.time else None
        return resolve_page(page, printed, CHINA_TZ, year_hint=date_from_url(page.url))

    def outlet(self, page: Page) -> str | None:
        if self.source:
            element = page.select_one(self.source)
            if element is not None:
                link = element.find(".//a")
                text = strip_label(link.text_content() if link is not None and squash(link.text_content())
                                   else element.text_content())
                if text:
                    return text
        return page.meta("source", "article:source", "mediaid") or None

    def byline(self, page: Page) -> list[str]:
        if self.author:
            return split_names(page.text(self.author))
        article = page.jsonld_article() or {}
        names = [_str(a.get("name")) if isinstance(a, dict) else _str(a) for a in _as_list(article.get("author"))]
        names = [n for n in names if n] or split_names(page.meta("author", "article:author"))
        return [n for n in names if not n.startswith("http")]

    def editors(self, page: Page) -> list[str]:
        return split_names(page.text(self.editor)) if self.editor else []

    def section_name(self, page: Page) -> str | None:
        if self.section:
            return page.text(self.section)
        return page.meta("article:section")

    def lead_image(self, page: Page) -> str | None:
        declared = page.absolute(page.meta("og:image", "twitter:image"))
        if declared or not (self.lead_image_from_body and self.body):
            return declared
        image = page.select_one(f"{self.body.split(',')[0]} img")
        return image.get("src") if image is not None else None

    def summary(self, page: Page) -> str | None:
        return page.meta("description", "og:description")

    def content(self, page: Page) -> lxml.html.HtmlElement | None:
        """The element holding the article body."""
        return page.select_one(self.body)

    def extra(self, page: Page) -> dict[str, Any]:
        """Facts only some pages have (paywall, more pages); rendered after the standard fields."""
        return {}

    def url_of(self, page: Page) -> str | None:
        return page.url or page.canonical_url()

    # --- assembly ---------------------------------------------------------------------------------
    def parse(self, page: Page) -> Article:
        """Build the Article; raise ParseError naming what is missing."""
        # Read before cleaning: the paywall box often sits inside the body and is noise there.
        paywalled = bool(self.paywall) and page.select_one(self.paywall) is not None
        body = self.content(page)
        if body is None:
            raise ParseError("no article body found on the page", where=page.url)
        cleaned = clean_body(body, base_url=page.url, noise=self.noise)
        rendered = render(cleaned.body)
        if len(rendered.text.strip()) < self.min_body_chars and "![" not in rendered.markdown:
            raise ParseError("the article body is empty", where=page.url)
        title = self.headline(page)
        if not title:
            raise ParseError("no title found on the page", where=page.url)
        return Article(
            title=title,
            url=self.url_of(page),
            published=self.published(page),
            modified=self.modified(page),
            authors=tuple(self.byline(page) or cleaned.authors),
            editors=tuple(dict.fromkeys(self.editors(page) + cleaned.editors)),
            source=self.outlet(page) or cleaned.source,
            site=self.site_name or self.name,
            parser=self.name,
            parser_version=self.version,
            section=self.section_name(page),
            original_title=cleaned.original_title,
            summary=self.summary(page),
            image=self.lead_image(page),
            stocks=unique(self.stock_codes(page, cleaned)),
            markdown=rendered.markdown,
            text=rendered.text,
            extra={**self.extra(page), **({"paywalled": True} if paywalled else {})},
        )

    def stock_codes(self, page: Page, cleaned: CleanResult) -> list[str]:
        """Stocks the article is about: by default those marked in the body."""
        return cleaned.stocks

    def page_date(self, page: Page) -> date | None:
        """The publication date as far as the address tells, for choosing a layout version."""
        return date_from_url(page.url)


def _str(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return squash(value) if isinstance(value, str) and value.strip() else None


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
