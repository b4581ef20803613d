"""Second opinions on the body, asked only when the generic parser's own scoring finds no article.

Measured on the real labelled sets (benchmarks/quality.py): on the pages our scorer refused, trafilatura
recovers the body best on English and European pages (F1 0.97 on Readability's refused pages, 0.65 on
Dragnet's) and readability-lxml on Chinese ones (0.87 against trafilatura's 0.49 on zh-web), while on the
pages our scorer accepts it is as good as both or more precise. So the two libraries are asked in that order
— readability-lxml first on a Chinese page — and what they return must still read as an article:
paragraphs of sentences, not a column of headlines (`reads_as_article`). Both are imported only when needed.
"""

from __future__ import annotations

import logging
import re

import lxml.html
from lxml import etree

from newsfetch.page import Page, squash

from .text import punctuation, units

_SENTENCE_END = re.compile(r"[。！？.!?…][\"'”’」』）)]*\s*$|[。！？][^。！？]{0,40}$")
_MIN_PROSE = 60           # units in sentence paragraphs: a short news brief of ~120 letters or 60 characters
_PARAGRAPH = 50           # a paragraph of prose has at least this many units (≈ 18 English words, 50 characters)

log = logging.getLogger(__name__)
# Their per-page notes ("discarding data: …") are decisions this module already weighs; under the CLI's
# WARNING level they would be a second, confusing line on stderr beside newsfetch's own message.
for _name in ("trafilatura", "readability", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.ERROR)


def fallback_body(page: Page, chinese: bool) -> tuple[lxml.html.HtmlElement, str] | None:
    """The body another extractor finds on `page`, with the extractor's name; None when neither finds prose."""
    order = (_readability, _trafilatura) if chinese else (_trafilatura, _readability)
    for extractor in order:
        try:
            element = extractor(page)
        except Exception as exc:  # a library failing on a page is a refusal of that library, not of ours
            log.debug("fallback %s failed on %s: %s", extractor.__name__, page.url, exc)
            continue
        if element is not None and reads_as_article(element):
            return element, extractor.__name__.strip("_")
    return None


def reads_as_article(element: lxml.html.HtmlElement) -> bool:
    """Prose, not a list: at least `_MIN_PROSE` units in paragraphs that hold sentences, and those paragraphs
    at least half of the text (a home page's teasers are headlines with a line each)."""
    total = 0.0
    prose = 0.0
    for block in _blocks(element):
        size = units(block)
        total += size
        if size >= _PARAGRAPH and punctuation(block) >= 1 and _SENTENCE_END.search(block):
            prose += size
    return prose >= _MIN_PROSE and prose >= 0.5 * total


def _blocks(element: lxml.html.HtmlElement) -> list[str]:
    """Text of the leaf blocks (paragraphs, list items, headings, lines between <br>)."""
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    found = []
    for node in element.iter("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "dd", "div"):
        if any(isinstance(child.tag, str) and child.tag in ("p", "li", "div", "ul", "ol", "table", "blockquote")
               for child in node):
            continue
        found.extend(line for line in (squash(x) for x in node.text_content().split("\n")) if line)
    return found


def _trafilatura(page: Page) -> lxml.html.HtmlElement | None:
    import trafilatura

    # comments are not the article (trafilatura's default keeps them). fast: without trafilatura's own second
    # opinions (its readability port, jusText) — readability-lxml is ours, and this call is already the fallback;
    # measured on the labelled sets: half trafilatura's time on the pages that ask it, F1 level or higher
    html = trafilatura.extract(page.html, url=page.url, output_format="html", include_comments=False, fast=True,
                               include_tables=True, include_images=True, include_links=True)
    if not html:
        return None
    body = lxml.html.document_fromstring(html).find("body")
    if body is None:
        return None
    body.tag = "div"
    return body


def _readability(page: Page) -> lxml.html.HtmlElement | None:
    from readability import Document

    summary = Document(page.html, url=page.url).summary(html_partial=True)
    if not summary or not summary.strip():
        return None
    element = lxml.html.fragment_fromstring(summary, create_parent="div")
    for node in list(element.iter(etree.Comment)):
        node.getparent().remove(node)
    return element
