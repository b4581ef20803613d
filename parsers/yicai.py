"""第一财经 yicai.com — `www.yicai.com/news/<id>.html` (and `/vip/news/<id>.html`), UTF-8, server-rendered.

Facts in shared/sites/yicai.md (scraper code only): the 2018–2020 layout has `div.m-text > div.title.f-pr`
with `h1`, `p.f-cb > span` (source/author) and `em` (time), a `.describe1` lead and the body in `div.m-txt`;
the recent layout keeps the body in `#multi-text` / `.multiText`, repeats the `h1` there, and writes the time
only into an inline script `_pb = [...,['actime','YYYY-MM-DD HH:MM'],...]`.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime

from newsfetch.dates import parse_cn_datetime
from newsfetch.page import Page, squash

from .base import SiteParser, split_names, strip_label

_PB = re.compile(r"_pb\s*=\s*(\[.*?\]);", re.S)
_EDITOR = re.compile(r"(?:责编|编辑)\s*[:：]\s*([^\s　|｜]{2,12})")
_AUTHOR_LABEL = re.compile(r"\s*(?:作者[:：]|记者)\s*")


class YicaiSite(SiteParser):
    """What both layouts share: the site and the 责编 line near the body."""

    name = "yicai"
    site_name = "第一财经"
    hosts = ("yicai.com",)
    title_suffixes = (r"[-_|]\s*第一财经", r"[-_|]\s*一财网")
    confidence = "medium"
    notes = "From scraper code only; source and author of the recent layout are not in the markup evidenced."

    def editors(self, page: Page) -> list[str]:
        # A `责编：` text node near the body (2018 config); inside the body the clean step lifts it anyway.
        body = page.select_one(self.selector("body"))
        around = body.getparent() if body is not None and body.getparent() is not None else body
        match = _EDITOR.search(squash(around.text_content())) if around is not None else None
        return split_names(match.group(1)) if match else []


class YicaiLegacyParser(YicaiSite):
    """2018–2020 layout: `div.m-text > div.title.f-pr` (h1, `p.f-cb` span + em), body `div.m-txt`."""

    version = "1"
    valid_from = None
    selectors = {"title": "div.m-text div.title h1, div.m-title h1, h1", "body": "div.m-txt, div.m-text",
                 "summary": ".describe1"}
    noise = (".u-btn6", ".m-smallshare", ".topic-hot", "div.title")

    def accepts(self, page: Page) -> bool:
        return page.select_one("div.m-txt, div.m-title") is not None

    def published(self, page: Page) -> datetime | None:
        return parse_cn_datetime(page.text("div.title p.f-cb em, div.m-title h2")) or super().published(page)

    def _source_author(self, page: Page) -> tuple[str | None, list[str]]:
        """`p.f-cb > span` reads `来源：第一财经 作者：李华` or `第一财经 记者 李华`."""
        text = page.text("div.title p.f-cb span")
        if not text:
            return None, []
        text = strip_label(text) or ""
        parts = _AUTHOR_LABEL.split(text, maxsplit=1) if _AUTHOR_LABEL.search(text) else text.split(" ", 1)
        return (parts[0].strip() or None), split_names(parts[1] if len(parts) > 1 else "")

    def source(self, page: Page) -> str | None:
        return self._source_author(page)[0]

    def authors(self, page: Page) -> list[str]:
        return self._source_author(page)[1]

    def section(self, page: Page) -> str | None:
        crumbs = page.select("div.m-crumb a")
        return squash(crumbs[-1].text_content()) or None if crumbs else None


class YicaiParser(YicaiSite):
    """Recent layout (~2021 →): `#multi-text` body, time from the `_pb` script's `actime`. It keeps nothing
    of the older reading: it starts from the site's base."""

    version = "2"
    valid_from = date(2021, 1, 1)
    selectors = {"title": "div.title h1, h1", "body": "#multi-text, div.multiText, div.m-txt"}
    noise = ("h1", ".u-btn6", ".m-smallshare", ".topic-hot")

    def accepts(self, page: Page) -> bool:
        return page.select_one("#multi-text, div.multiText") is not None

    def published(self, page: Page) -> datetime | None:
        for script in page.tree.iter("script"):
            match = _PB.search(script.text or "")
            if not match:
                continue
            try:
                pairs = json.loads(match.group(1).replace("'", '"'))
            except ValueError:
                continue
            for pair in pairs:
                if isinstance(pair, list) and len(pair) == 2 and pair[0] == "actime":
                    return parse_cn_datetime(str(pair[1]))  # `actime` has no seconds: :00 is implied
        return super().published(page)
