"""Branches of the group-B site parsers that the fixture pairs do not reach: layout versions chosen against the
URL's date, JSON fallbacks, share links, pagination and paywalls. Pages are the fixtures, edited in memory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfetch import ParseError, extract
from newsfetch.page import Page
from newsfetch.parsers.cls import ClsLegacyParser, ClsParser

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _page(name: str) -> str:
    raw = (FIXTURES / name).read_bytes()
    return raw.decode("gb18030" if b"charset=gb" in raw[:600] else "utf-8")


def test_cs_old_layout_under_a_new_date_is_still_read_by_the_old_version() -> None:
    html = _page("cs/old-2014.html")
    article = extract(html, "https://www.cs.com.cn/ssgs/gsxw/202103/t20210315_6147000.html")
    assert (article.parser, article.parser_version) == ("cs", "1")
    assert article.source == "中国证券报" and article.authors == ("周璐璐",)
    assert "font-size" not in article.markdown and "currentPage" not in article.markdown


def test_21jingji_version_follows_the_date_in_the_address() -> None:
    new = extract(_page("21jingji/herald-2025.html"),
                  "https://www.21jingji.com/article/20250924/herald/b9e88cebffa743d247b8aec434413559.html")
    old = extract(_page("21jingji/mobile-2019.html"),
                  "https://m.21jingji.com/article/20191108/herald/3f2b1c9a8d7e6f5a4b3c2d1e0f9a8b7c.html")
    assert (new.parser_version, old.parser_version) == ("2", "1")
    assert "相关阅读" not in new.markdown and "知识产权" not in new.markdown


def test_cls_share_link_is_named_by_its_detail_address_and_a_titleless_item_uses_the_brief() -> None:
    article = extract(_page("cls/telegraph-share.html"), "https://api3.cls.cn/share/article/2036118?os=web&sv=7.7.5")
    assert article.url == "https://www.cls.cn/detail/2036118"
    assert article.title.startswith("财联社6月13日电")
    assert article.published.isoformat() == "2025-06-13T11:00:00+08:00"
    assert article.extra == {"paywalled": True} and article.authors == ("王晨",) and article.source == "财联社"


def test_cls_declines_a_page_without_article_data() -> None:
    html = _page("cls/detail-2026.html").replace('"articleDetail"', '"somethingElse"')
    page = Page(html=html, url="https://www.cls.cn/detail/2425210")
    assert not ClsParser().accepts(page) and not ClsLegacyParser().accepts(page)
    with pytest.raises(ParseError):
        ClsParser().parse(page)


def test_cnstock_common_detail_without_next_data_falls_back_to_the_markup() -> None:
    html = ("<html><head><title>沪指收涨-中国证券网</title>"
            "<meta property='article:published_time' content='2025-07-22T15:05:00+08:00'></head>"
            "<body><h1>沪指收涨0.6%</h1><article><p>7月22日，A股三大指数集体收涨，沪指涨0.6%，成交额放大。</p>"
            "</article></body></html>")
    article = extract(html, "https://www.cnstock.com/commonDetail/790841")
    assert (article.parser, article.parser_version, article.title) == ("cnstock", "2", "沪指收涨0.6%")
    assert article.published.isoformat() == "2025-07-22T15:05:00+08:00"


def test_cnstock_related_reading_and_attachments_are_cut() -> None:
    html = _page("cnstock/news-2019.html").encode("gb18030")
    article = extract(html, "http://news.cnstock.com/news,yw-201908-4413224.htm")
    assert "相关阅读" not in article.markdown and "附件" not in article.markdown and "M2" not in article.markdown


def test_caixin_second_page_lists_only_the_pages_after_it() -> None:
    url = "https://companies.caixin.com/2023-05-08/102051234.html"
    article = extract(_page("caixin/free-multipage-2023.html"), url + "?p2")
    assert article.extra == {"more_pages": [url + "?p3"]}


def test_caixin_paywall_keeps_the_public_teaser_only() -> None:
    article = extract(_page("caixin/paywalled-2026.html"), "https://weekly.caixin.com/2026-07-11/102345678.html")
    assert article.extra == {"paywalled": True}
    assert "订阅" not in article.markdown and "付费" not in article.markdown
    assert article.title == "地方债务化解进入深水区"  # the `最新` label is not part of it
    free = extract(_page("caixin/free-multipage-2023.html"), "https://companies.caixin.com/2023-05-08/102051234.html")
    assert "paywalled" not in free.extra


def test_nbd_time_falls_back_to_the_pubdate_script() -> None:
    html = _page("nbd/article-2023.html").replace('<span class="time">2023-02-17 20:11:04</span>', "")
    article = extract(html, "https://www.nbd.com.cn/articles/2023-02-17/2674072.html")
    assert article.published.isoformat() == "2023-02-17T20:11:04+08:00"
    assert "nbdtoutiao" not in article.markdown and "稿酬" not in article.markdown


def test_yicai_recent_layout_reads_the_time_from_the_pb_script_only() -> None:
    html = _page("yicai/news-2024.html")
    url = "https://www.yicai.com/news/102034567.html"
    assert extract(html, url).published.isoformat() == "2024-11-15T16:42:00+08:00"
    without = html.replace("['actime','2024-11-15 16:42'],", "")
    assert extract(without, url).published is None


def test_jiemian_epoch_time_byline_and_vip_mask() -> None:
    article = extract(_page("jiemian/vip-2026.html"), "https://m.jiemian.com/article/14880171.html")
    assert article.published.isoformat() == "2026-03-02T18:05:00+08:00"
    assert article.extra == {"paywalled": True} and "开通VIP" not in article.markdown
    free = extract(_page("jiemian/article-2025.html"), "https://www.jiemian.com/article/13124567.html")
    assert free.authors == ("马悦然", "席菁华") and "界面新闻记者" not in free.markdown and not free.extra


def test_jiemian_title_tag_gives_headline_and_column_when_the_header_is_missing() -> None:
    html = _page("jiemian/vip-2026.html").replace('<div class="article-header">', '<div class="x">').replace(
        "<h1>", "<h2>").replace("</h1>", "</h2>")
    article = extract(html, "https://www.jiemian.com/article/14880171.html")
    assert (article.title, article.section) == ("“实时估值”隐秘复活，暗藏开户、会员付费全套生意", "基市乱象追踪⑩")
