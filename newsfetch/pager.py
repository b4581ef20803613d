"""Multi-page articles: the addresses of the following pages, read from a page's pager.

Sites that split articles (people.com.cn `…-2.html`, old ifeng `…_1.shtml`) put the pager inside the body.
A parser moves it out of the body with `set_aside` (so it is not rendered, yet still readable) and lists the
following pages with `following_pages`, which parsers return as ``extra()["more_pages"]``.
"""

from __future__ import annotations

import re

import lxml.html

from .page import Page, css


def set_aside(body: lxml.html.HtmlElement, selector: str) -> None:
    """Move the elements matching `selector` out of `body` to just after it, keeping them in the page."""
    for element in reversed(css(selector)(body)):
        if element is body:
            continue
        if element.tail:  # text after the pager stays in the body
            previous, parent = element.getprevious(), element.getparent()
            if previous is not None:
                previous.tail = (previous.tail or "") + element.tail
            else:
                parent.text = (parent.text or "") + element.tail
        element.tail = None
        body.addnext(element)


def following_pages(page: Page, links: str, number: re.Pattern[str], first: int = 1) -> list[str]:
    """Absolute addresses of the pages after this one, in page order, from the links matching `links`.

    `number` finds the page number in an address (group 1); an address without one is page `first`.
    Only links to the same article (same address once the number is removed) are kept.
    """
    if not page.url:
        return []

    def page_of(url: str) -> tuple[str, int]:
        match = number.search(url)
        if not match:
            return url, first
        return url[:match.start(1)] + url[match.end(1):], int(match.group(1))

    article, current = page_of(page.url.split("#", 1)[0])
    found: dict[int, str] = {}
    for link in page.select(links):
        href = page.absolute(link.get("href"))
        if not href or href.lower().startswith("javascript:"):
            continue
        href = href.split("#", 1)[0]
        same, index = page_of(href)
        if index > current and (same == article or _strip_suffix(same) == _strip_suffix(article)):
            found.setdefault(index, href)
    return [found[index] for index in sorted(found)]


def _strip_suffix(url: str) -> str:
    """The address with any leftover page separator (``-``/``_`` before the extension) removed."""
    return re.sub(r"[-_](?=\.s?html?$)", "", url)
