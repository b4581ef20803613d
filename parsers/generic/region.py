"""The header region: the text that follows the headline, where sites print the date, source and byline.

It is read in document order, up to a few hundred characters, skipping link lists, navigation and blocks
marked as related, share or comment furniture, so dates of related articles and copyright lines stay out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html

from newsfetch.page import Page, squash

from ..base import strip_label
from .text import is_negative, is_positive, link_density, text_within, tokens, units

_NOISE_TAGS = frozenset(("a", "li", "nav", "aside", "footer", "script", "style", "noscript", "select", "option"))


@dataclass
class Header:
    """The text around the headline: all of it, and the short lines only (dates and labels live there)."""

    text: str = ""
    short: str = ""
    before: str = ""   # short blocks just before the headline, for pages that print the date above it
    source: str | None = None  # an element that names the outlet (class source/media, <cite>, nofollow link)


# --- header region ---------------------------------------------------------------------------------

def header_region(page: Page, anchor: lxml.html.HtmlElement | None, limit: float = 400) -> Header:
    """Text after `anchor` (the headline), or from the start of the page, skipping furniture."""
    full: list[str] = []
    short: list[str] = []
    last_block = None
    source = None
    size = 0.0
    body = page.tree.find("body")
    inside = set(anchor.iter()) if anchor is not None else set()
    started = anchor is None
    # each element's text and tail are read in turn, so one owner and one block come up several times; the
    # page is not edited meanwhile, so what was learnt of them holds
    noisy: dict[lxml.html.HtmlElement, bool] = {}
    small: dict[lxml.html.HtmlElement, bool] = {}
    block_units: dict[lxml.html.HtmlElement, float] = {}
    for node in (body if body is not None else page.tree).iter():
        if not started:
            started = node is anchor
            continue
        if node in inside:
            continue
        if not isinstance(node.tag, str) or node.tag in ("script", "style"):
            # a comment's or a script's own text is unseen, the text after it is not (<!--StartFragment -->2005年1月2日)
            pieces = ((node.tail, node.getparent(), False),)
        else:
            # the text after a <br> starts a line of its own (作者：本报记者 张三<br>正文…)
            pieces = ((node.text, node, False), (node.tail, node.getparent(), node.tag == "br"))
            if source is None and size < 150 and _names_outlet(node, small):  # only in the lines under the headline
                source = re.sub(r"^\s*稿源\s*[:：]\s*", "", strip_label(squash(node.text_content())) or "") or None
        for piece, owner, broken in pieces:
            if not piece or not piece.strip() or owner is None or owner in inside:
                continue
            if owner not in noisy:
                noisy[owner] = in_noise(owner, links_ok=True, small=small)
            if noisy[owner]:
                continue
            block = _block_of(owner)
            # pieces of one block form one line ("By" <a>Name</a>), blocks are separate lines
            joiner = " " if block is last_block and not broken else "\n"
            last_block = block
            full.append(joiner + piece.strip())
            if units(piece) <= 60:
                if block not in block_units:
                    block_units[block] = units(block.text_content())
                if block_units[block] <= 100 or (owner.tag in _INLINE_TAGS and units(owner.text_content()) <= 60):
                    short.append(joiner + piece.strip())
            size += units(piece)
        if size > limit:
            break
    return Header(text="".join(full).strip(), short="".join(short).strip(), before=_before(anchor), source=source)


_SOURCE_WORDS = frozenset(("source", "media", "from", "origin", "laiyuan", "cite"))


def _names_outlet(element: lxml.html.HtmlElement, small: dict[lxml.html.HtmlElement, bool] | None = None) -> bool:
    """A short element that names the outlet: `<cite>`, class words source/media/from, `media_name`, or a
    nofollow link in the line under the headline (sites link the original outlet that way)."""
    # what the element is comes first: most elements under a headline are none of these, and are not read
    marked = element.tag == "cite" or element.get("data-sudaclick") == "media_name" \
        or not tokens(element).isdisjoint(_SOURCE_WORDS)
    if not marked and not (element.tag == "a" and "nofollow" in (element.get("rel") or "")):
        return False
    raw = text_within(element, 20)  # read no further than a name's length (blanks weigh nothing)
    if raw is None:
        return False
    text = squash(raw)
    if not text or in_noise(element, links_ok=True, small=small) or _DATEISH.search(text) \
            or "|" in text or len(element.findall(".//a")) > 1:
        return False
    if marked:
        return not _NAME_JUNK_OUTLET.search(text)
    return units(_block_of(element.getparent()).text_content()) <= 100 and not _NAME_JUNK_OUTLET.search(text)


_DATEISH = re.compile(r"\d{4}[-年/.]\d{1,2}|\d{1,2}:\d{2}")
_NAME_JUNK_OUTLET = re.compile(r"^(?:分享|收藏|评论|举报|打印|字号|登录|注册|关注|原文|查看|阅读|http)|[@#]")


def _before(anchor: lxml.html.HtmlElement | None) -> str:
    """Short, link-poor blocks preceding the headline within its parent and grandparent."""
    lines: list[str] = []
    node = anchor
    for _ in range(2):
        if node is None:
            break
        for sibling in node.itersiblings(preceding=True):
            if not isinstance(sibling.tag, str) or sibling.tag in ("head", "script", "style") or in_noise(sibling):
                continue
            text = squash(sibling.text_content())
            if text and units(text) <= 100 and link_density(sibling) < 0.5:
                lines.append(text)
        node = node.getparent()
    return "\n".join(lines)


_INLINE_TAGS = frozenset(("a", "span", "font", "b", "strong", "em", "i", "time", "small", "label"))


def _block_of(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    for candidate in [element, *element.iterancestors()]:
        if candidate.tag not in _INLINE_TAGS:
            return candidate
    return element


def in_noise(element: lxml.html.HtmlElement | None, *, links_ok: bool = False,
             small: dict[lxml.html.HtmlElement, bool] | None = None) -> bool:
    """Inside a link list, navigation or a block marked as furniture (big blocks are never furniture: a
    page-wide wrapper may be called `content_maincontent_more`). `small`: the size verdicts of furniture
    blocks, kept by a caller that asks of many elements of one unedited page (they share their ancestors)."""
    if element is None:
        return False
    for ancestor in [element, *element.iterancestors()]:
        tag = ancestor.tag
        if tag == "a" and links_ok:
            continue
        if tag in _NOISE_TAGS or (isinstance(tag, str) and is_negative(ancestor)):
            if tag in ("a", "li", "script", "style", "select", "option"):
                return True
            if small is None:
                return _is_small(ancestor)
            if ancestor not in small:
                small[ancestor] = _is_small(ancestor)
            return small[ancestor]
    return False


def _is_small(element: lxml.html.HtmlElement) -> bool:
    """Small enough to be furniture (the same rule as the body's pruning: a wrapper whose class also says
    content/article must be very small)."""
    limit = 100 if is_positive(element) else 400
    text = text_within(element, limit)  # a big wrapper is not read whole to learn that it is big
    return text is not None and units(text) < limit


