"""Generic fallback for any news site: metadata from JSON-LD/OpenGraph/<meta>, body by content scoring."""

from __future__ import annotations

import re

import lxml.html

from newsfetch.page import Page, squash

from .base import SiteParser, strip_site_suffix

_CANDIDATES = ("article", "main", "section", "div", "td")
_PUNCTUATION = re.compile(r"[，。！？；：、,.!?;:]")
_UNLIKELY = re.compile(r"comment|footer|header|nav|menu|sidebar|side|related|recommend|share|ad-|banner|"
                       r"copyright|hot|rank|list", re.I)
_LIKELY = re.compile(r"article|content|body|text|post|story|main|detail|zw|left_zw", re.I)


class GenericParser(SiteParser):
    """Any site: the densest block of prose wins."""

    name = "generic"
    hosts = ()
    version = "1"
    title = "h1"

    def headline(self, page: Page) -> str | None:
        # An <h1> is trusted only when the page's own title agrees with it; logos live in <h1> too.
        h1 = page.text("h1")
        declared = page.meta("og:title") or page.title_tag or ""
        if h1 and (h1 in declared or len(h1) >= 8 and not declared):
            return h1
        return _declared_title(page) or h1

    def content(self, page: Page) -> lxml.html.HtmlElement | None:
        best, best_score = None, 0.0
        for element in page.tree.iter(*_CANDIDATES):
            score = _score(element)
            if score > best_score:
                best, best_score = element, score
        return best


def _declared_title(page: Page) -> str | None:
    article = page.jsonld_article() or {}
    text = article.get("headline") if isinstance(article.get("headline"), str) else None
    text = text or page.meta("og:title", "twitter:title") or page.title_tag
    return strip_site_suffix(text) if text else None


def _score(element: lxml.html.HtmlElement) -> float:
    paragraphs = [child for child in element if isinstance(child.tag, str) and child.tag in ("p", "br", "div")]
    if not paragraphs and not (element.text or "").strip():
        return 0.0
    text = squash(element.text_content())
    if len(text) < 40:
        return 0.0
    direct = squash(" ".join([element.text or ""] + [
        (child.text_content() if child.tag == "p" else "") + (child.tail or "") for child in element
        if isinstance(child.tag, str)]))
    link_text = sum(len(squash(a.text_content())) for a in element.iter("a"))
    link_density = link_text / max(len(text), 1)
    score = len(direct) + 20 * len(_PUNCTUATION.findall(direct))
    marker = f"{element.get('class') or ''} {element.get('id') or ''}"
    if _UNLIKELY.search(marker):
        score *= 0.3
    if _LIKELY.search(marker):
        score *= 1.5
    return score * (1 - link_density) ** 2
