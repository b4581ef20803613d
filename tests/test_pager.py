"""newsfetch.pager: following pages of split articles, pagers moved out of bodies."""

from __future__ import annotations

import re

from newsfetch.page import Page
from newsfetch.pager import following_pages, set_aside

PEOPLE = re.compile(r"c\d+-\d+-(\d+)\.html$")
IFENG = re.compile(r"_(\d+)\.shtml$")


def _page(url: str, pager: str) -> Page:
    return Page(html=f"<html><body><div id='b'><p>text</p>{pager}</div></body></html>", url=url)


def test_people_pages_after_the_current_one_in_order() -> None:
    pager = ("<div class='zdfy'><a href='/n1/2019/0615/c1013-31153719.html'>1</a>"
             "<a href='/n1/2019/0615/c1013-31153719-3.html'>3</a><a href='/n1/2019/0615/c1013-31153719-2.html'>2</a>"
             "<a href='/n1/2019/0615/c1013-99999999-4.html'>other article</a><a href='javascript:void(0)'>x</a></div>")
    first = _page("http://culture.people.com.cn/n1/2019/0615/c1013-31153719.html", pager)
    assert following_pages(first, "div.zdfy a", PEOPLE) == [
        "http://culture.people.com.cn/n1/2019/0615/c1013-31153719-2.html",
        "http://culture.people.com.cn/n1/2019/0615/c1013-31153719-3.html",
    ]
    second = _page("http://culture.people.com.cn/n1/2019/0615/c1013-31153719-2.html", pager)
    assert following_pages(second, "div.zdfy a", PEOPLE) == [
        "http://culture.people.com.cn/n1/2019/0615/c1013-31153719-3.html"]


def test_ifeng_zero_based_pages_and_last_page() -> None:
    pager = "<div class='pageNum'><a href='x_0.shtml'>1</a><a href='x_1.shtml'>2</a></div>"
    assert following_pages(_page("http://tech.ifeng.com/a/x_0.shtml", pager), "div.pageNum a", IFENG, first=0) == [
        "http://tech.ifeng.com/a/x_1.shtml"]
    assert following_pages(_page("http://tech.ifeng.com/a/x_1.shtml", pager), "div.pageNum a", IFENG, first=0) == []


def test_set_aside_keeps_the_pager_in_the_page_but_out_of_the_body() -> None:
    page = _page("http://a/", "<div class='zdfy'><a href='/p-2.html'>2</a></div>tail")
    body = page.select_one("div#b")
    set_aside(body, "div.zdfy")
    assert body.find(".//a") is None and "tail" in body.text_content()
    assert page.select_one("div.zdfy") is not None
