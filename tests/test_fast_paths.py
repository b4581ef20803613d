"""The shortcuts taken for speed answer exactly as the plain definitions they replace.

Each fast path (newsfetch/timeresolver.py, markdown.py, page.py, parsers/generic/text.py) is compared with the
slow form it stands for, on hand-picked edge cases and on a few thousand random strings (fixed seed) drawn from
the characters that matter to it. benchmarks/extract.py measures what they save.
"""

from __future__ import annotations

import random

import lxml.html
from lxml import etree
import pytest

from newsfetch import markdown, timeresolver
from newsfetch.page import Page, parse_html
from newsfetch.parsers.generic import text as measures
from newsfetch.parsers.generic.text import link_units, text_within, units

RANDOM = random.Random(20261201)


def _random_strings(pieces: list[str], count: int, longest: int) -> list[str]:
    return ["".join(RANDOM.choice(pieces) for _ in range(RANDOM.randint(0, longest))) for _ in range(count)]


# --- script time fields: the key-first search finds the whole pattern's first match ----------------------

_SCRIPT_CASES = [
    'var ct = "1569470460";', "x ct=1569470460", "a.ct=1569470460", "_ct=1569470460 pubDate:\"2019/1/2\"",
    "act=1569470460 ct=1600000000000", "'ct':'2020-01-01 10:00'", "x'ct':1569470460", '"ptime":"2019-01-01"',
    "  \t publish_time : '2020-1-2 3:04:05+08:00'", "ctime=2021-01-01", "xctime=1 ct=1600000000000",
    "é ct=1569470460", "中ct=1569470460", "data.publishTime='2020-01-02' publishTime='2021-03-04'",
    '{"updateTime": "2020-05-06T07:08:09Z", "update_time": 1590000000}', "ct=", "", "ct ct ct=2019-01-01",
]
_SCRIPT_PARTS = (["", "", "x", ".", "_", "é", "中", " ", "\n", "'", '"', "; "],            # before the key
                 ["ct", "ctime", "pubDate", "publish_time", "pub", "updateTime", "update_time", "mtime", "time"],
                 ["", "", "'", '"', " "], [":", "=", " :", "", ";"], ["", " ", "'", '"'],    # quote, separator
                 ["2020-01-02", "2020-1-2 10:11", "2019/01/02T03:04:05+08:00", "1569470460", "1600000000000",
                  "15694", "1999-12-31Z", "x"])                                            # the value


def _script_sources(count: int) -> list[str]:
    """Random runs of key-value-ish snippets, some of them script time fields, some near misses."""
    return ["".join("".join(RANDOM.choice(part) for part in _SCRIPT_PARTS) for _ in range(RANDOM.randint(1, 4)))
            for _ in range(count)]


@pytest.mark.parametrize("pattern", [timeresolver._SCRIPT_PUBLISHED, timeresolver._SCRIPT_MODIFIED])
def test_script_value_is_the_first_match_of_the_whole_pattern(pattern):
    sources = _SCRIPT_CASES + _script_sources(3000)
    found = 0
    for source in sources:
        expected = pattern.search(source)
        got = timeresolver._first_script_value(pattern, source)
        assert (got and (got["key"], got["v"], got.end())) == (expected and (expected["key"], expected["v"],
                                                                              expected.end())), source
        found += expected is not None
    assert 300 < found < len(sources) - 300  # the random strings hold matches and misses alike


# --- Markdown: escaping and tidying skip the regexes only where they change nothing ------------------------

_MD_PIECES = ["a", "中", " ", "  ", "\n", "\t", "\r", "\f", "\u3000", "\u00a0", "\u200b", "\ufeff", "\\", "`", "*",
              "_", "[", "]", "|", "-", "<", ">", "~", "{", ":", "#", "&", "lt;", "$", "%", "img"]


def test_escape_text_matches_the_escaping_regex():
    for text in _random_strings(_MD_PIECES, 3000, 10) + ["", "plain words", "中文。", "{", "&", "$$", "--"]:
        assert markdown.escape_text(text) == markdown._MD_SPECIAL.sub(markdown._escape_match, text), repr(text)


def test_tidy_matches_the_three_regexes():
    def slow(text: str, trim: bool = True) -> str:
        text = markdown._CJK_GAP.sub("", text)
        text = markdown._HTML_SPACE.sub(" ", text)
        return markdown._EDGE_SPACE.sub("", text) if trim else text

    rare_spaces = [chr(code) for code in range(0x110000) if chr(code).isspace() or code in (0x200b, 0xfeff)]
    for text in _random_strings(_MD_PIECES + rare_spaces, 3000, 10) + ["", " ", "\u200b", "中\n文", "a\n b",
                                                                      "\u3000中文。", "a\n", "\x1cb\u2028"]:
        assert markdown._tidy(text) == slow(text), repr(text)
        assert markdown._tidy(text, trim=False) == slow(text, trim=False), repr(text)


# --- generic text measures -----------------------------------------------------------------------------

def test_units_counts_cjk_characters_one_by_one():
    pieces = ["a", "é", "“", "中", "文", "。", "㐀", "豈", " ", "\u3000", "\n", "x y"]
    for text in _random_strings(pieces, 3000, 40) + ["", "中", "a中", "“quoted”", "中文 and English 中文"]:
        cjk = len(measures._CJK.findall(text))
        assert measures._cjk_count(text) == cjk, repr(text)
        assert units(text) == cjk + (len(text) - len(measures._SPACE.findall(text)) - cjk) / 2, repr(text)


def _element_tree(pieces: list[str], count: int) -> list[lxml.html.HtmlElement]:
    """Random nested markup: text, links (some nested), blocks and comments."""
    return [lxml.html.fragment_fromstring("".join(RANDOM.choice(pieces) for _ in range(RANDOM.randint(0, 30))),
                                          create_parent="div") for _ in range(count)]


_MARKUP = ["word ", "中文", " ", "\n", "<a href='/x'>", "</a>", "<p>", "</p>", "<span>", "</span>", "<!-- c -->",
           "<b>", "</b>", "。", "\u3000"]


def test_text_within_is_text_content_up_to_the_cap():
    for element in _element_tree(_MARKUP, 1500):
        full = element.text_content()
        for cap in (0, 12, 20, 100):
            got = text_within(element, cap)
            assert got == (full if units(full) <= cap else None), (lxml.html.tostring(element), cap)


def test_link_units_is_the_sum_over_the_links_nested_or_not():
    nested = 0
    for element in _element_tree(_MARKUP, 1500):
        assert link_units(element) == units("".join(a.text_content() for a in element.iter("a")))
        nested += element.find(".//a//a") is not None
    assert nested > 10  # libxml2 keeps some links inside links: both ways of counting are exercised


def test_link_units_is_the_sum_over_the_links():
    element = lxml.html.fragment_fromstring(
        "<div>Intro <a href='/1'>first  link</a> 中文 <p><a href='/2'>第二个 链接</a> and "
        "<span><a href='/3'> three\n words </a></span></p><a href='/4'></a></div>")
    assert link_units(element) == sum(units(a.text_content()) for a in element.iter("a")) == 14.5


# --- pages ---------------------------------------------------------------------------------------------

def test_parsed_elements_have_lxml_html_classes():
    html = ("<html><body><form><input name=a value=1><select><option>x</select><textarea>t</textarea>"
            "<label>l</label></form><!-- c --><p>x</p></body></html>")
    ours = [type(node) for node in parse_html(html).iter()]
    assert ours == [type(node) for node in lxml.html.document_fromstring(html).iter()]
    assert lxml.html.FormElement in ours and lxml.html.HtmlComment in ours


def test_once_computes_a_value_once_per_page_and_key():
    page = Page(html="<html><body><p>x</p></body></html>")
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert page.once("a", compute) == page.once("a", compute) == 1
    assert page.once("b", compute) == 2
    assert Page(html=page.html).once("a", compute) == 3  # a new page has its own values


def test_block_sizes_are_the_units_of_each_block():
    from newsfetch.parsers.generic import body

    for element in _element_tree(_MARKUP + ["<div>", "</div>", "<li>", "</li>"], 800):
        blocks = {node: 1.0 for node in element.iter() if isinstance(node.tag, str) and RANDOM.random() < 0.6}
        sizes = body._block_sizes(element, blocks)
        assert set(sizes) == set(blocks)
        for node, (text, links) in sizes.items():
            assert (text, links) == (units(node.text_content()), link_units(node)), lxml.html.tostring(node)
        for leaf in element.iter(etree.Element):
            for ancestor, size in body._ancestor_sizes(leaf):
                assert size == units(ancestor.text_content())


def test_western_check_counts_as_the_loop_over_characters_did():
    import re

    from newsfetch import decode

    def slow(data: bytes) -> str | None:
        text = decode._strict(data, "cp1252")
        if text is None:
            return None
        foreign = [match.start() for match in re.finditer(r"[^\x00-\x7f]", text)]
        if not foreign:
            return text
        latin = sum(1 for i in foreign if decode._LATIN_TEXT.match(text[i]))
        runs = sum(1 for i in foreign if i and ord(text[i - 1]) > 127)
        return text if latin >= 0.9 * len(foreign) and runs <= 0.2 * len(foreign) else None

    pieces = [b"a", b" ", b"caf\xe9", b"\xe9", b"\x93quoted\x94", b"\xd6\xd0\xce\xc4", b"\x81", b"\xe2\x80", b"<p>"]
    samples = [b"".join(RANDOM.choice(pieces) for _ in range(RANDOM.randint(0, 30))) for _ in range(3000)]
    verdicts = [decode._western(data) for data in samples]
    assert verdicts == [slow(data) for data in samples]
    assert any(v is None for v in verdicts) and any(v is not None and not v.isascii() for v in verdicts)


def _headed_list_by_every_descendant(element: lxml.html.HtmlElement) -> bool:
    """The plain definition `body._is_headed_list` stands for: the first descendant with text, at any depth."""
    from newsfetch.parsers.generic import body

    if element.tag not in ("div", "section", "ul", "ol", "table", "td", "dl"):
        return False
    for child in element.iter():
        if child is element or not isinstance(child.tag, str):
            continue
        short = text_within(child, 12)
        if short is None:
            return False
        if text := " ".join(short.split()):
            return bool(body._RELATED_HEAD.match(text))
    return False


def test_headed_list_reads_the_first_child_with_text():
    from newsfetch.parsers.generic import body

    pieces = _MARKUP + ["<div>", "</div>", "<ul>", "</ul>", "<li>", "</li>", "<img src=x>", "相关阅读", "Related",
                        "More on this", "<h3>", "</h3>", "<section>", "</section>"]
    found = 0
    for element in _element_tree(pieces, 1500):
        for node in element.iter(etree.Element):
            expected = _headed_list_by_every_descendant(node)
            assert body._is_headed_list(node) == expected, lxml.html.tostring(node)
            found += expected
    assert found > 20  # the related-heading case is exercised, not only the refusals


def test_negative_words_is_is_negative():
    for marker in ["", " ", "-", "related-posts", "post content", "hotList", "sidebarLeft", "a b c", "RelatedItems",
                   "x_comment_y", "shareBar", "main", "ad", "adx", "newsletter-box", "navbar"]:
        for attribute in ("class", "id"):
            element = lxml.html.fragment_fromstring(f"<div {attribute}='{marker}'>x</div>")
            words = measures.tokens(element)
            assert bool(words and measures.negative_words(words)) == measures.is_negative(element), marker


def test_metadata_lines_without_a_mark_are_never_lifted():
    from newsfetch import clean

    patterns = (clean._SOURCE_LINE, clean._EDITOR_LINE, clean._ORIGINAL_TITLE_LINE, clean._AUTHOR_LINE)
    pieces = ["来源", "责任编辑", "编辑", "原标题", "作者", "文", "：", ":", "/", "|", "｜", " ", "（", "）", "张三",
              "新华社", "x", "【", "】"]
    for text in _random_strings(pieces, 4000, 8):
        marked = clean._LABEL_MARK.search(text) is not None
        parts = [p for p in clean._PART_SPLIT.split(text) if p]
        if not marked:  # the shortcut's claim: no part of such a line matches any line pattern
            assert not any(pattern.match(part) for part in parts for pattern in patterns), text
            assert not clean._lift_line(text, clean.CleanResult(body=lxml.html.fragment_fromstring("<div></div>")))


def test_furniture_verdicts_kept_for_a_walk_answer_as_the_climb_each_time():
    from newsfetch.parsers.generic import body

    pieces = _MARKUP + ["<div>", "</div>", "<aside>", "</aside>", "<footer>", "</footer>", "<h1>", "</h1>",
                        "<div class='sidebar'>", "<div class='sidebar post-content'>", "<section id='comments'>",
                        "</section>"]
    furniture = 0
    for element in _element_tree(pieces, 800):
        known: dict = {}
        for node in element.iter(etree.Element):
            expected = body._in_furniture(node)
            assert body._in_furniture(node, known) == expected, lxml.html.tostring(node)
            furniture += expected
    assert furniture > 50


def _page_text_by_a_stack(root: lxml.html.HtmlElement) -> str:
    """The plain walk `timeresolver._page_text` stands for: text, children, then tail; unseen subtrees left out."""
    parts: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            parts.append(node.tail or "")
            continue
        stack.append((node, True))
        if isinstance(node.tag, str) and node.tag not in timeresolver._UNSEEN:
            parts.append(node.text or "")
            stack.extend((child, False) for child in reversed(node))
    return " ".join(" ".join(part for part in parts if part).split())


def test_page_text_walks_as_the_stack_did():
    pieces = _MARKUP + ["<script>var a = '发布时间：2020-01-01';</script>", "<style>p{}</style>", "发布时间：",
                        "<noscript>n</noscript>", "<div>", "</div>", "<title>t</title>", "2021-12-30", "<?pi x?>"]
    for element in _element_tree(pieces, 1500):
        page = Page(html="<html><body></body></html>")
        page.__dict__["tree"] = element  # the walk reads page.tree only
        assert timeresolver._page_text(page) == _page_text_by_a_stack(element), lxml.html.tostring(element)
