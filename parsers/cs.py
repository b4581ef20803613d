"""中国证券报·中证网 cs.com.cn — TRS article pages (`…/YYYYMM/tYYYYMMDD_<id>.html`), GBK or UTF-8.

Facts in shared/sites/cs.md (scraper code only, no saved page): the newer layout has
`article.cont_article` with `header h1`, `div.artc_info` (a `time`, then `em` author and `em` source) and the
body in the `section` that follows; the older TRS layout keeps the body in `div.Custom_UnionStyle` or
`div.article-t` and writes `来源：` in `div.info`. Inline styles and the pager script sit in the body.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from newsfetch.dates import parse_cn_datetime
from newsfetch.page import Page, squash

from .base import SiteParser, split_names, strip_label

_SOURCE = re.compile(r"来源[:：]\s*([^\s　]{2,30}?)(?:\s|分享到|$)")
_AUTHOR = re.compile(r"(?:作者|记者)[:：]?\s*([^\s　]{2,30})")


class CsSite(SiteParser):
    """What both layouts share: the site, its hosts and its title suffixes."""

    name = "cs"
    site_name = "中国证券报·中证网"
    hosts = ("cs.com.cn",)
    title_suffixes = (r"[-_]\s*中证网", r"[-_]\s*中国证券报")


class CsLegacyParser(CsSite):
    """Older TRS layout: body `div.Custom_UnionStyle` / `div.article-t`, `来源：` in `div.info`."""

    version = "1"
    valid_from = None
    selectors = {"title": "div.title h1, div.article h1, h1, div.title", "body": "div.article-t, div.Custom_UnionStyle"}
    info = "div.info, div.artc_info, div.Dtext.z_content"  # time, 来源 and 作者 share this line
    noise = ("div.page", "#pageBtn")
    confidence = "medium"
    notes = "From scraper code only (RSSHub, spiders); author/source order in `artc_info` is inferred."

    def accepts(self, page: Page) -> bool:
        return page.select_one("div.Custom_UnionStyle, div.article-t") is not None

    def published(self, page: Page) -> datetime | None:
        return parse_cn_datetime(page.text(self.info)) or super().published(page)

    def authors(self, page: Page) -> list[str]:
        match = _AUTHOR.search(page.text(self.info) or "")
        return split_names(match.group(1)) if match else []

    def source(self, page: Page) -> str | None:
        match = _SOURCE.search((page.text(self.info) or "") + " ")
        return match.group(1) if match else None


class CsParser(CsSite):
    """Newer layout (known after Dec 2018): `article.cont_article`, `div.artc_info`, body `section`.
    A redesign that keeps nothing of the older reading: it starts from the site's base."""

    version = "2"
    valid_from = date(2019, 1, 1)
    selectors = {"title": "article.cont_article header h1, article.cont_article h1, h1",
                 "body": "article.cont_article > section"}
    noise = ("div.artc_route", "div.page", "#pageBtn")
    confidence = "medium"
    notes = "From scraper code only (RSSHub, spiders); author/source order in `artc_info` is inferred."

    def accepts(self, page: Page) -> bool:
        return page.select_one("article.cont_article, div.artc_info") is not None

    def published(self, page: Page) -> datetime | None:
        element = page.select_one("div.artc_info time")
        if element is not None:
            value = parse_cn_datetime(element.get("datetime")) or parse_cn_datetime(element.text_content())
            if value:
                return value
        return parse_cn_datetime(page.text("div.artc_info")) or super().published(page)

    def _ems(self, page: Page) -> list[str]:
        return [squash(em.text_content()) for em in page.select("div.artc_info em")]

    def authors(self, page: Page) -> list[str]:
        ems = self._ems(page)
        # First `em` is the author (RSSHub), second the source (a 2022 scraper); a lone 来源 em is no author.
        if ems and not ems[0].startswith("来源"):
            return split_names(ems[0])
        return []

    def source(self, page: Page) -> str | None:
        for text in self._ems(page):
            if text.startswith("来源"):
                return strip_label(text)
        ems = self._ems(page)
        return strip_label(ems[1]) if len(ems) > 1 else None

    def section(self, page: Page) -> str | None:
        crumbs = page.select("div.artc_route div a")[1:]  # the first crumb is the home page
        if crumbs:
            return squash(crumbs[-1].get("title") or crumbs[-1].text_content()) or None
        return super().section(page)
