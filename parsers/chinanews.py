"""中国新闻网 chinanews.com(.cn) — article pages of the current and the older layout.

See shared/sites/chinanews.md: the body is `div.left_zw` in both layouts; time and source sit in
`div.content_left_time` (current) or `div.left-t` (older), the editor in `div.adEditor` inside the body.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from newsfetch.page import Page, squash

from .base import SiteParser, split_names

_AFTER_SOURCE = re.compile(r"来源[:：]\s*([^\s　]{2,30})")
_EDITOR = re.compile(r"编辑[:：]\s*([^】\]\s]+)")
_ARTICLE_ID = re.compile(r"/(\d{6,8})\.s?html?$")  # /cj/2021/12-30/9641234.shtml


class ChinanewsLegacyParser(SiteParser):
    """Older layout (2019 and before): `div#cont_1_1_2 > h1`, `div.left-t`, `div.left_zw`."""

    name = "chinanews"
    site_name = "中国新闻网"
    hosts = ("chinanews.com", "chinanews.com.cn")
    version = "1"
    valid_from = None
    selectors = {
        "title": "div#cont_1_1_2 h1, div.content h1, h1",
        "body": "div.left_zw",
        "published": "div.left-t, #pubtime_baidu",
    }
    meta_line = "div.left-t"  # time, 来源 and 作者 share this line
    title_suffixes = (r"-中新网", r"—中新网", r"_中新网", r"-中国新闻网")
    confidence = "medium"
    notes = "From scraper code and a fixture shaped after a real page; no saved article page."
    noise = ("div.adInContent", "#function_code_page", "div.adEditor", "div.left_name", "div.content_editor")

    def accepts(self, page: Page) -> bool:
        return page.select_one("div.left-t") is not None

    def source(self, page: Page) -> str | None:
        line = page.select_one(self.meta_line)
        if line is not None:
            link = line.find(".//a")
            if link is not None and squash(link.text_content()) not in ("", "参与互动"):
                return squash(link.text_content())
            if match := _AFTER_SOURCE.search(squash(line.text_content())):
                return match.group(1)
        source = page.text("#source_baidu")
        return _AFTER_SOURCE.search(source).group(1) if source and _AFTER_SOURCE.search(source) else None

    @classmethod
    def post_id(cls, url: str) -> str | None:
        """``…/cj/2021/12-30/9641234.shtml`` → ``chinanews-9641234``."""
        parts = urlsplit(url.strip())
        if (parts.hostname or "").lower().endswith(("chinanews.com", "chinanews.com.cn")):
            if match := _ARTICLE_ID.search(parts.path):
                return f"chinanews-{match.group(1)}"
        return None

    def authors(self, page: Page) -> list[str]:
        author = page.text("#author_baidu")
        if author:
            return split_names(author)
        line = page.text(self.meta_line) or ""
        match = re.search(r"作者[:：]\s*([^\s　]+)", line)
        return [match.group(1)] if match else []

    def editors(self, page: Page) -> list[str]:
        for selector in ("div.adEditor", "#editor_baidu", "div.left_name", "div.content_editor"):
            text = page.text(selector)
            if text and (match := _EDITOR.search(text)):
                return split_names(match.group(1))
        return []


class ChinanewsParser(ChinanewsLegacyParser):
    """Current layout: `h1.content_left_title`, `div.content_left_time`, `div.left_zw`."""

    version = "2"
    valid_from = date(2020, 1, 1)
    selectors = {
        **ChinanewsLegacyParser.selectors,
        "title": "h1.content_left_title, div.content_maincontent_more h1, div.title0, div.content h1",
        "published": "#pubtime_baidu, div.content_left_time, div.meta",
    }
    meta_line = "div.content_left_time, div.meta"

    def accepts(self, page: Page) -> bool:
        return page.select_one("div.content_left_time, h1.content_left_title") is not None
