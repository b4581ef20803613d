"""人民网 people.com.cn / people.cn — channel articles `/n1/YYYY/MMDD/c<node>-<id>.html` (pages `-2.html` …).

Facts are in shared/sites/people.md. Two templates: `text_title` + `box01` + `#rwb_zw` (2018–2019 evidence)
and `rm_txt` + `#rm_txt_zw` (scrapers 2023–2026, start date not evidenced). Time and the credited outlet
share one line (`2019年06月15日08:18  来源：<a>人民网-文化频道</a>`); the editor line `(责编：A、B)` closes the
body; `author`/`editor` metas are numeric staff ids, never names. Split articles carry a `div.zdfy` pager.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import lxml.html

from newsfetch.page import Page, squash
from newsfetch.pager import following_pages, set_aside

from .base import SiteParser

_PAGE_NUMBER = re.compile(r"c\d+-\d+-(\d+)\.html$")
_SOURCE = re.compile(r"来源\s*[:：]\s*(\S{2,30})")


class PeopleLegacyParser(SiteParser):
    """`text_title` template: `div.text_title h1`, `div.box01 div.fl`, `div.box_con#rwb_zw`."""

    name = "people"
    site_name = "人民网"
    hosts = ("people.com.cn", "people.cn")
    version = "1"
    valid_from = None
    selectors = {
        "title": "div.text_title h1, div.title h2, div.navBar h2, h1",
        "body": "div#rwb_zw, div.box_con, div.artDet, div#p_content, div#post_content",
        "authors": "div.text_title p.author",
        "image": "div#rwb_zw img",  # no og:image: the body's first picture
    }
    info = "div.box01 div.fl, div.artOri, div.box01"  # time and 来源 share this line
    title_suffixes = (r"--\S{1,12}--人民网", r"--人民网", r"-人民网")
    noise = ("div.box_pic", "div.paper_num", "div#rwb_tjyd", "div.bza", "div#ops_share")

    def accepts(self, page: Page) -> bool:
        return page.select_one("div#rwb_zw, div.box_con, div.artDet, div#p_content, div#post_content") is not None

    def published(self, page: Page) -> datetime | None:
        return page.cn_datetime(page.text(self.info)) or super().published(page)

    def source(self, page: Page) -> str | None:
        line = page.select_one(self.info)
        if line is None:
            return None
        link = line.find(".//a")
        if link is not None and squash(link.text_content()):
            return squash(link.text_content())
        match = _SOURCE.search(squash(line.text_content()))
        return match.group(1) if match else None

    def section(self, page: Page) -> str | None:
        links = [squash(a.text_content()) for a in page.select("#rwb_navpath a, div.route a")]
        links = [text for text in links if text and text != "人民网"]
        return links[-1] if links else None

    def body(self, page: Page) -> lxml.html.HtmlElement | None:
        body = super().body(page)
        if body is not None:
            # the pager sits in the body: out of the text, still readable for extra()
            for element in body.iter("center", "table"):  # the "next page" picture button
                image = element.find(".//img")
                if image is not None and "next_page" in (image.get("src") or ""):
                    element.set("class", (element.get("class") or "") + " nf-pager")
            set_aside(body, "div.zdfy, .nf-pager")
            for link in body.xpath(".//a[.//img]"):  # pictures link to the next page: keep the picture
                link.drop_tag()
            for paragraph in body.iter("p"):  # promo links in red: "点击进入“文艺星青年”>>"
                text = squash(paragraph.text_content())
                if text.startswith("点击进入") and text.endswith(">>"):
                    paragraph.drop_tree()
                    break
        return body

    def extra(self, page: Page) -> dict[str, Any]:
        return {"more_pages": following_pages(page, "div.zdfy a, .nf-pager a", _PAGE_NUMBER)}


class PeopleParser(PeopleLegacyParser):
    """`rm_txt` template: `div.rm_txt h1`, `div.channel` (time | 来源), `#rm_txt_zw`."""

    version = "2"
    valid_from = date(2020, 1, 1)
    selectors = {
        "title": "div.rm_txt h1, div.rm_txt_con h1",
        "body": "div#rm_txt_zw, div.rm_txt_con",
        "authors": "div.rm_txt div.author",
        "image": "div#rm_txt_zw img",
    }
    info = "div.channel div.col-1-1, div.channel, p.sou"
    confidence = "medium"
    notes = "rm_txt template known from scrapers only (no saved page); its start date is a guess"

    def accepts(self, page: Page) -> bool:
        return page.select_one("div#rm_txt_zw, div.rm_txt_con") is not None
