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


class StcnParser(SiteParser):
    """Current site: `div.detail-title`, `div.detail-info` spans, `div.detail-content`."""

    name = "stcn"
    site_name = "证券时报网"
    hosts = ("stcn.com",)
    lead_image_from_body = True
    version = "2"
    valid_from = date(2022, 1, 1)
    title = "div.detail-title, h1.detail-title"
    body = "div.detail-content"
    info = "div.detail-info span"
    section = None
    title_suffixes = (r"_证券时报网", r"-证券时报网", r"_证券时报")
    noise = ("div.detail-content-tags", "div.fenxiang", "div.shenming", "div.tuijian", "div.social-bar")
    confidence = "medium"
    notes = "current www.stcn.com/article/detail template known from scrapers only"

    def accepts(self, page: Page) -> bool:
        return page.select_one("div.detail-content") is not None

    def _labelled(self, page: Page) -> dict[str, str]:
        fields: dict[str, str] = {}
        for span in page.select(self.info):
            if match := _LABELLED.match(squash(span.text_content())):
                fields.setdefault(match[1], match[2].strip())
        return fields

    def published(self, page: Page) -> datetime | None:
        for span in reversed(page.select(self.info)):
            if value := parse_cn_datetime(span.text_content()):
                return value
        return super().published(page)

    def outlet(self, page: Page) -> str | None:
        return self._labelled(page).get("来源") or "证券时报网"

    def byline(self, page: Page) -> list[str]:
        return split_names(self._labelled(page).get("作者"))

    def editors(self, page: Page) -> list[str]:
        fields = self._labelled(page)
        return split_names(fields.get("责任编辑") or fields.get("编辑"))


class StcnLegacyParser(StcnParser):
    """"2018stcn" template on sub-hosts: `div.intal_tit > h2`, `div.info`, `div.txt_con#ctrlfscont`."""

    version = "1"
    valid_from = None
    title = "div.intal_tit > h2, div.intal_tit h1"
    body = "div.txt_con, div.text1"
    info = "div.intal_tit div.info span, div.info span"
    section = "div.website a:last-child"
    confidence = "high"
    notes = ""

    def accepts(self, page: Page) -> bool:
        return page.select_one("div.intal_tit, div.txt_con") is not None

    def published(self, page: Page) -> datetime | None:
        # "2019-09-26 12:11" is the text before the spans
        return parse_cn_datetime(page.own_text("div.intal_tit div.info, div.info")) or SiteParser.published(self, page)

    def section_name(self, page: Page) -> str | None:
        return strip_label(page.text(self.section))
