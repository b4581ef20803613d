"""新浪 sina — finance/news/tech.sina.com.cn articles (desktop 2017→, older desktop) and sina.cn mobile pages.

Facts are in shared/sites/sina.md: `h1.main-title`, `div.date-source` (time + credited outlet), body
`#artibody` (finance) or `#article` (news) with the editor line inside; stocks are marked
`<span id="usstock_JPM">` next to a `<span id="quote_JPM">` price slot that a browser fills in.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import lxml.html

from newsfetch.clean import CleanResult
from newsfetch.dates import parse_iso_datetime
from newsfetch.page import Page, squash
from newsfetch.stocks import prefixed_code

from .base import SiteParser, strip_label

# <span id="usstock_JPM">, <span id="stock_sh600000">, <span id="hkstock_00700">
_STOCK_ID = re.compile(r"^(?P<market>us|hk)?stock_(?P<code>[A-Za-z0-9.]+)$")
_CREDIT_LINE = re.compile(r"^原创[:：]\s*\S.{0,40}$")
_SINA_TITLES = (r"_新浪财经_新浪网", r"_新浪新闻", r"_新浪科技_新浪网", r"_新浪网", r"_手机新浪网", r"\|新浪财经")


def sina_stock(span_id: str | None) -> str | None:
    """``usstock_JPM`` → ``JPM.US``; ``stock_sh600000`` → ``600000.SH``; ``hkstock_00700`` → ``00700.HK``."""
    match = _STOCK_ID.match(span_id or "")
    if not match:
        return None
    market, code = match["market"], match["code"]
    return prefixed_code(f"{market}{code}" if market else code)


class SinaLegacyParser(SiteParser):
    """Desktop layout before 2017: `h1#artibodyTitle`, `.time-source` (time text + source link), `#artibody`."""

    name = "sina"
    site_name = "新浪网"
    hosts = ("finance.sina.com.cn", "news.sina.com.cn", "tech.sina.com.cn", "chuangye.sina.com.cn")
    version = "1"
    valid_from = None
    selectors = {
        "title": "h1#artibodyTitle, h1#main_title",
        "body": "div#artibody",
        "published": "span#pub_date, .time-source",
        "source": "span#media_name, .time-source span, span[data-sudaclick=media_name]",
    }
    title_suffixes = _SINA_TITLES
    # the editor line (p.article-editor / p.show_author) is inside the body: the core lifts it into `editors`
    noise = ("span[id^=quote_]", "div.video-2017", "ins.sinaads", "div.img_wrapper span.img_descr",
             "div.xb_new_finance_app", "div.otherContent_01", "span#_function_code_page")
    notes = "pre-2017 layout known from tutorials and spiders only"

    def accepts(self, page: Page) -> bool:
        return page.select_one("h1#artibodyTitle, h1#main_title, .time-source, span#pub_date") is not None

    def published(self, page: Page) -> datetime | None:
        # the visible time has no seconds; the meta tag has them and the zone
        return parse_iso_datetime(page.meta("article:published_time")) or super().published(page)

    def body(self, page: Page) -> lxml.html.HtmlElement | None:
        body = super().body(page)
        if body is not None:  # quote-page links around company names: keep the name, drop the link
            for link in body.xpath(".//a[contains(@href, 'stock.finance.sina.com.cn') or "
                                   "contains(@href, '/realstock/company/')]"):
                link.drop_tag()
            for paragraph in body.iter("p"):  # "原创： 路闻卓立编译 人民币交易与研究": a WeChat credit line
                if _CREDIT_LINE.match(squash(paragraph.text_content())):
                    paragraph.drop_tree()
        return body

    def url(self, page: Page) -> str | None:
        # the article id is in the path; queries are view/tracking flags (vt, cid, node_id, isfromsina…)
        url = super().url(page)
        return url.split("?", 1)[0].split("#", 1)[0] if url else None

    def authors(self, page: Page) -> list[str]:
        # article:author is the credited outlet (参考消息), not a person; bylines come from body lines.
        return []

    def stocks(self, page: Page, cleaned: CleanResult) -> list[str]:
        codes = [sina_stock(span.get("id")) for span in cleaned.body.iter("span")]
        return [code for code in codes if code] + cleaned.stocks


class SinaParser(SinaLegacyParser):
    """Desktop layout 2017 →: `h1.main-title`, `div.date-source`, `#artibody` / `#article`."""

    version = "2"
    valid_from = date(2017, 1, 1)
    selectors = {
        "title": "h1.main-title",
        "body": "div#artibody, div#article",
        "published": "div.date-source span.date",
        "source": "div.date-source .source",
        "section": "div.channel-path a",
    }
    notes = ""

    def accepts(self, page: Page) -> bool:
        return page.select_one("h1.main-title, div.date-source") is not None


class SinaMobileParser(SinaParser):
    """Mobile pages (news.sina.cn / finance.sina.cn): `article.art_box`, `time.art_time` with `cite.art_cite`."""

    version = "3"
    valid_from = date(2018, 1, 1)
    hosts = ("news.sina.cn", "finance.sina.cn", "tech.sina.cn")
    notes = "mobile sina.cn layout known from scrapers only (no saved page)"
    selectors = {
        "title": "h1.art_tit_h1",
        "body": "section.art_content, section.art_pic_card",
        "published": "time.art_time",
        "source": "cite.art_cite",
    }
    noise = SinaParser.noise + ("div.art_video_box", "div.art_video", "div.weibo_info", "div.look_sub",
                                "div.j_article_wbreco", "section.look_sub")

    def accepts(self, page: Page) -> bool:
        return page.select_one("article.art_box, h1.art_tit_h1") is not None

    def source(self, page: Page) -> str | None:
        return strip_label(page.text(self.selector("source")))
