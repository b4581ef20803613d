"""Measures of text that work for Chinese and for space-separated languages alike.

Word counts mean nothing in Chinese, so the generic parser weighs text in *units*: one unit per CJK
character, half a unit per other visible character (an English word of five letters and a space is three
units, about what a Chinese word of two characters is worth). Punctuation density tells prose from menus.
"""

from __future__ import annotations

import re
from functools import lru_cache

import lxml.html
from lxml import etree

from newsfetch.page import squash

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_PUNCT = re.compile(r"[，。！？；：、,.!?;:]")
_SPACE = re.compile(r"\s")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_TOKEN_SPLIT = re.compile(r"[^A-Za-z0-9]+")

# Class/id tokens of page furniture. A token is a whole word of the class or id, split at -, _ and camelCase
# (`hotList` → hot, list), so `shadow` or `header-image` inside an article are judged on their own words.
NEGATIVE = frozenset("""
    comment comments reply footer foot nav navbar navigation menu menubar sidebar side aside widget widgets
    related relate relevant recommend recommended tuijian share sharing sharedaddy social fenxiang bshare
    jiathis ad ads advert adverts advertisement adsense banner breadcrumb breadcrumbs crumbs crumb copyright
    hot rank ranking ranklist popular mostread login signin signup register subscribe subscription
    newsletter promo sponsor sponsored tag tags keyword keywords pager pagination toolbar topbar masthead
    modal popup cookie onward river xgxw xgyd xgwz rdph dibu statement disclaimer shengming liability
    epic contributions qrcode erweima ewm download app more next prev previous outbrain taboola zbtool
    video player
""".split())
POSITIVE = re.compile(r"article|content|body|text|post|story|entry|detail|main|zw|para|rich|markup", re.I)


def units(text: str) -> float:
    """Text weight: CJK characters count 1, other non-space characters 0.5."""
    # the parser's hottest function: str.split drops exactly the characters \s matches, and ASCII text (most
    # of a Western page) needs no CJK count at all
    visible = len("".join(text.split()))
    if text.isascii():
        return visible / 2
    cjk = _cjk_count(text)
    return cjk + (visible - cjk) / 2


def _cjk_count(text: str) -> int:
    """How many CJK characters `text` holds."""
    # Counted in runs (a few matches per Chinese sentence instead of one per character), from the first CJK
    # character on: the search for a first one is fast where there is none (a Western text with curly quotes),
    # where the run pattern is slow.
    first = _CJK.search(text)
    return sum(map(len, _CJK_RUN.findall(text, first.start()))) if first else 0


def text_within(element: lxml.html.HtmlElement, cap: float) -> str | None:
    """`element.text_content()` where it weighs at most `cap` units, else None: read piece by piece and no further
    than the cap, so that asking whether a page-wide wrapper is short does not join all of its text."""
    pieces: list[str] = []  # the text nodes text_content() joins, in the same order
    weight = 0.0            # units of pieces[:weighed]
    weighed = 0
    fresh = 0               # characters of the pieces read since
    for piece in element.itertext():
        pieces.append(piece)
        if piece.isspace():
            continue  # a blank piece weighs nothing (pages indent with many): `units` skips what isspace() accepts
        fresh += len(piece)
        # a piece weighs no more units than it has characters: weigh the fresh ones (units add up piece by piece)
        # only once they could take the text past the cap, not one by one
        if weight + fresh > cap:
            weight += units("".join(pieces[weighed:]))
            if weight > cap:
                return None
            weighed, fresh = len(pieces), 0
    return "".join(pieces)


def punctuation(text: str) -> int:
    return len(_PUNCT.findall(text))


def cjk_ratio(text: str) -> float:
    visible = len(text) - len(_SPACE.findall(text))
    return _cjk_count(text) / visible if visible else 0.0


def is_chinese(text: str) -> bool:
    return cjk_ratio(text) >= 0.3


def tokens(element: lxml.html.HtmlElement) -> frozenset[str]:
    """Lower-case words of an element's class and id."""
    name, ident = element.get("class"), element.get("id")
    if not name and not ident:
        return _NO_WORDS   # most elements have neither
    return _marker_tokens(f"{name or ''} {ident or ''}")


_NO_WORDS: frozenset[str] = frozenset()


@lru_cache(maxsize=4096)
def _marker_tokens(marker: str) -> frozenset[str]:
    # pages repeat the same few hundred class names
    return frozenset(t.lower() for t in _TOKEN_SPLIT.split(_CAMEL.sub(" ", marker)) if t)


def marker(element: lxml.html.HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


_NEGATIVE_PREFIX = re.compile(r"^(?:related|recommend|comment|share|sidebar|footer|copyright|advert|breadcrumb|"
                              r"newsletter|subscri|sponsor|popular|ranking|hotnews|hotlist)")


def is_negative(element: lxml.html.HtmlElement) -> bool:
    marker = f"{element.get('class') or ''} {element.get('id') or ''}"
    return marker != " " and _negative_marker(marker)


@lru_cache(maxsize=4096)
def _negative_marker(marker: str) -> bool:
    # decided once per class-and-id string (the scorers ask of every element; pages repeat their class names)
    return negative_words(_marker_tokens(marker))


@lru_cache(maxsize=4096)
def negative_words(words: frozenset[str]) -> bool:
    """`is_negative` of an element whose `tokens` are `words` (for a caller that has read them already)."""
    return not words.isdisjoint(NEGATIVE) or any(_NEGATIVE_PREFIX.match(word) for word in words)


def is_positive(element: lxml.html.HtmlElement) -> bool:
    return _positive_marker(marker(element))


@lru_cache(maxsize=4096)
def _positive_marker(marker: str) -> bool:
    return bool(POSITIVE.search(marker))


# The text nodes inside links, gathered by libxml2 in one query (not a Python loop calling text_content() on
# each link). Where links nest, `link_units` counts an inner link's text once per link around it, as the sum
# over links it defines does; the query would count each text node once, so nested links take the loop.
_LINK_TEXTS = etree.XPath("descendant-or-self::a//text()", smart_strings=False)
_NESTED_LINKS = etree.XPath("boolean(descendant-or-self::a//a)")


def link_units(element: lxml.html.HtmlElement) -> float:
    """Units of the text of every link in `element` (itself included), summed link by link."""
    # one `units` over the links' texts joined: the same sum (units add up character by character), one call
    if next(element.iter("a"), None) is None:
        return 0.0  # most blocks hold no link: no query at all
    if _NESTED_LINKS(element):
        return units("".join([a.text_content() for a in element.iter("a")]))
    return units("".join(_LINK_TEXTS(element)))


def link_density(element: lxml.html.HtmlElement, total: float | None = None, links: float | None = None) -> float:
    """Share of the element's text in links; `total` and `links`: its `units` and `link_units`, where known."""
    total = units(element.text_content()) if total is None else total
    return min((link_units(element) if links is None else links) / total, 1.0) if total else 0.0


def text_of(element: lxml.html.HtmlElement) -> str:
    return squash(element.text_content())
