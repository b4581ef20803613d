"""21世纪经济报道 21jingji.com (21经济网 / 21财经) — `www.`/`m.21jingji.com/article/YYYYMMDD/herald/<hash>.html`.

Facts in shared/sites/21jingji.md (RSSHub old and new routes, two scrapers): both layouts put the title in
`div.titleHead h1`. The older one (≈2019–2020) has `div.newsDate`, `div.newsInfo` (source text, author
links), the body in `div.txtContent` with lazy `data-original` images and a `div.editor` line; the later one
(2024 →) writes time, source and authors as `div.author-infos span`s and the body in `div.main_content`,
followed by `div.rela-box` and `div.copyright`.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from newsfetch.dates import parse_cn_datetime
from newsfetch.page import Page, squash

from .base import SiteParser, split_names, strip_label

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\s\d{2}:\d{2}")
_PERSON = re.compile(r"^(?:记者|作者|实习生|通讯员|编辑|责任编辑|见习记者)")
_EDITOR = re.compile(r"(?:责任编辑|编辑)\s*[:：]\s*(.+)")


class Jingji21Site(SiteParser):
    """What both layouts share: the site, the title in `div.titleHead h1`, the suffixes."""

    name = "21jingji"
    site_name = "21经济网"
    hosts = ("21jingji.com",)
    title_suffixes = (r"\s*-\s*21经济网", r"\s*-\s*21财经")
    noise = ("div.rela-box", "div.copyright")  # `div.editor` is left to the clean step, which lifts 编辑：
    confidence = "low"
    notes = "From RSSHub routes and scrapers; which `author-infos` span holds the source is inferred."


class Jingji21LegacyParser(Jingji21Site):
    """Older layout (≈2019–2020): `div.newsDate`, `div.newsInfo`, body `div.txtContent`."""

    version = "1"
    valid_from = None
    selectors = {"title": "div.titleHead h1, h1", "body": "div.txtContent"}

    def accepts(self, page: Page) -> bool:
        return page.select_one("div.titleHead div.newsInfo, div.titleHead div.newsDate") is not None

    def published(self, page: Page) -> datetime | None:
        return parse_cn_datetime(page.text("div.titleHead div.newsDate")) or super().published(page)

    def source(self, page: Page) -> str | None:
        info = page.select_one("div.titleHead div.newsInfo")
        if info is None:
            return None
        # The source is the info block's own text; the author links follow it.
        own = squash(" ".join([info.text or ""] + [c.tail or "" for c in info]))
        return strip_label(own.split(" ")[0]) if own else None

    def authors(self, page: Page) -> list[str]:
        names = [squash(a.text_content()) for a in page.select("div.titleHead div.newsInfo a")]
        return [n for name in names for n in split_names(name)]

    def editors(self, page: Page) -> list[str]:
        match = _EDITOR.search(page.text("div.editor") or "")
        return split_names(match.group(1)) if match else []


class Jingji21Parser(Jingji21Site):
    """Later layout (2024 →): `div.author-infos` spans, body `div.main_content`. It keeps nothing of the
    older reading but the title: it starts from the site's base."""

    version = "2"
    valid_from = date(2024, 1, 1)
    selectors = {"title": "div.titleHead h1, h1", "body": "div.main_content, div.txtContent"}

    def accepts(self, page: Page) -> bool:
        return page.select_one("div.author-infos, div.main_content") is not None

    def _spans(self, page: Page) -> list[str]:
        return [squash(s.text_content()) for s in page.select("div.author-infos span") if squash(s.text_content())]

    def published(self, page: Page) -> datetime | None:
        for text in self._spans(page):
            if _DATE.search(text):
                return parse_cn_datetime(text)
        return super().published(page)

    def source(self, page: Page) -> str | None:
        # Byline order seen in a 2021 copy: date, source, then people; a labelled 来源 span wins.
        rest = [t for t in self._spans(page) if not _DATE.search(t) and not _PERSON.match(t)]
        labelled = [t for t in rest if t.startswith("来源")]
        return strip_label((labelled or rest or [None])[0])

    def authors(self, page: Page) -> list[str]:
        names: list[str] = []
        for text in self._spans(page):
            if _PERSON.match(text) and not text.startswith(("编辑", "责任编辑")):
                names.extend(split_names(text))
        return names

    def editors(self, page: Page) -> list[str]:
        for text in self._spans(page) + [page.text("div.editor") or ""]:
            if match := _EDITOR.search(text):
                return split_names(match.group(1))
        return []
