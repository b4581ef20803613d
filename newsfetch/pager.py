"""Multi-page articles: the addresses of the following pages, read from a page's pager.

Sites that split articles (people.com.cn `…-2.html`, old ifeng `…_1.shtml`) put the pager inside the body.
A parser moves it out of the body with `set_aside` (so it is not rendered, yet still readable) and lists the
following pages with `following_pages`, which parsers return as ``extra()["more_pages"]``; `join_pages`
appends those pages' bodies when they can be fetched (`pipeline.fetch` does).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import lxml.html

from .article import Article
from .errors import NewsfetchError
from .page import Page, css, hand_tail_back
from .stocks import unique

# A runaway pager (or a loop) must not turn one article into hundreds of requests.
MAX_FOLLOWING_PAGES = 20


def set_aside(body: lxml.html.HtmlElement, selector: str) -> None:
    """Move the elements matching `selector` out of `body` to just after it, keeping them in the page."""
    for element in reversed(css(selector)(body)):
        if element is body:
            continue
        hand_tail_back(element)  # text after the pager stays in the body
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


def join_pages(article: Article, read: Callable[[str], Article], *, limit: int = MAX_FOLLOWING_PAGES) -> Article:
    """`article` with the bodies of its following pages (``extra["more_pages"]``) appended, in order.

    `read` fetches and extracts one address. Pages a page lists that are not yet known are added to the
    queue (pagers often show a window of pages). A page that fails stops the join: it and the pages after
    it stay in ``more_pages``, so the post says what is missing; the error is not raised.
    """
    queue = list(article.extra.get("more_pages") or [])
    if not queue:
        return article
    seen = {article.url, *queue}
    markdown, text = [article.markdown.rstrip("\n")], [article.text.rstrip("\n")]
    stocks = list(article.stocks)
    joined = 0
    while queue and joined < limit:
        try:
            following = read(queue[0])
        except NewsfetchError:
            break
        queue.pop(0)
        joined += 1
        markdown.append(following.markdown.rstrip("\n"))
        text.append(following.text.rstrip("\n"))
        stocks.extend(following.stocks)
        for url in following.extra.get("more_pages") or []:
            if url not in seen:
                seen.add(url)
                queue.append(url)
    extra = {key: value for key, value in article.extra.items() if key != "more_pages"}
    if queue:
        extra["more_pages"] = queue
    return replace(article, markdown="\n\n".join(b for b in markdown if b) + "\n",
                   text="\n".join(t for t in text if t) + "\n", stocks=unique(stocks), extra=extra)
