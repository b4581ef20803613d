"""证券时报网 stcn.com — `<sub>.stcn.com/YYYY/MMDD/<id>.shtml` pages ("2018stcn" template) and the unified
`www.stcn.com/article/detail/<id>.html` site (current).

Facts are in shared/sites/stcn.md. Old template: title `div.intal_tit > h2`, `div.info` = time text then
`<span>来源：…</span><span>作者：…</span>`, body `div.txt_con`, then the share bar `div.fenxiang`, the
disclaimer `div.shenming` and 为你推荐 `div.tuijian` (outside the body). Current site (from scrapers):
`div.detail-title`, `div.detail-info span` (author first, time last), body `div.detail-content`.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from newsfetch.dates import parse_cn_datetime
from newsfetch.page import Page, squash

from .base import SiteParser, split_names, strip_label

_LABELLED = re.compile(r"^(来源|作者|编辑|责任编辑)\s*[:：]\s*(.+)$")


class StcnSite(SiteParser):
    """What both templates share: the site, its labelled 来源/作者/编辑 spans, the furniture after the body."""

    name = "stcn"
    site_name = "证券时报网"
    hosts = ("stcn.com",)
    info = ""  # the spans holding the labelled fields, per template
    title_suffixes = (r"_证券时报网", r"-证券时报网", r"_证券时报")
    noise = ("div.detail-content-tags", "div.fenxiang", "div.shenming", "div.tuijian", "div.social-bar")

    def _labelled(self, page: Page) -> dict[str, str]:
        fields: dict[str, str] = {}
        for span in page.select(self.info):
            if match := _LABELLED.match(squash(span.text_content())):
                fields.setdefault(match[1], match[2].strip())
        return fields

    def source(self, page: Page) -> str | None:
        return self._labelled(page).get("来源") or "证券时报网"

    def authors(self, page: Page) -> list[str]:
        return split_names(self._labelled(page).get("作者"))

    def editors(self, page: Page) -> list[str]:
        fields = self._labelled(page)
        return split_names(fields.get("责任编辑") or fields.get("编辑"))


class StcnLegacyParser(StcnSite):
    """"2018stcn" template on sub-hosts: `div.intal_tit > h2`, `div.info`, `div.txt_con#ctrlfscont`."""

    version = "1"
    valid_from = None
    selectors = {
        "title": "div.intal_tit > h2, div.intal_tit h1",
        "body": "div.txt_con, div.text1",
        "section": "div.website a:last-child",
        "image": "div.txt_con img",  # no og:image: the body's first picture
    }
    info = "div.intal_tit div.info span, div.info span"

    def accepts(self, page: Page) -> bool:
        return page.select_one("div.intal_tit, div.txt_con") is not None

    def published(self, page: Page) -> datetime | None:
        # "2019-09-26 12:11" is the text before the spans
        return parse_cn_datetime(page.own_text("div.intal_tit div.info, div.info")) or super().published(page)

    def section(self, page: Page) -> str | None:
        return strip_label(super().section(page))


class StcnParser(StcnSite):
    """Current site: `div.detail-title`, `div.detail-info` spans, `div.detail-content`. Its time and section
    are read differently from the 2018 template's: it starts from the site's base."""

    version = "2"
    valid_from = date(2022, 1, 1)
    selectors = {
        "title": "div.detail-title, h1.detail-title",
        "body": "div.detail-content",
        "image": "div.detail-content img",
    }
    info = "div.detail-info span"
    confidence = "medium"
    notes = "current www.stcn.com/article/detail template known from scrapers only"

    def accepts(self, page: Page) -> bool:
        return page.select_one("div.detail-content") is not None

    def published(self, page: Page) -> datetime | None:
        for span in reversed(page.select(self.info)):
            if value := parse_cn_datetime(span.text_content()):
                return value
        return super().published(page)
