"""Page: a decoded HTML document with its address, and the small lookups parsers need."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, lru_cache
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from .dates import parse_cn_datetime
from .errors import ContentError

_T = TypeVar("_T")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_PARSERS = threading.local()  # an lxml parser must not be used by two threads at once (batch parses in threads)


def _element_classes() -> etree.ElementNamespaceClassLookup:
    """lxml.html's element classes (HtmlElement; FormElement for <form>, …) chosen by lxml's C code, not by
    `lxml.html.HtmlElementClassLookup.lookup`: that is a Python call for every element Python touches, thousands
    per page on the generic parser's walks. libxml2's HTML parser lower-cases tag names, so the lookup by name
    gives each element the class lxml.html gives it."""
    lookup = etree.ElementNamespaceClassLookup(etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity))
    lookup.get_namespace(None).update(lxml.html.HtmlElementClassLookup._default_element_classes)
    return lookup


_ELEMENT_CLASSES = _element_classes()


def html_parser() -> lxml.html.HTMLParser:
    """This thread's HTML parser, with huge_tree (see `parse_html`)."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = lxml.html.HTMLParser(huge_tree=True)
        parser.set_element_class_lookup(_ELEMENT_CLASSES)
    return parser


@lru_cache(maxsize=1024)
def css(selector: str) -> CSSSelector:
    """A compiled CSS selector, cached: parsers reuse the same few dozen on every page."""
    return CSSSelector(selector, translator="html")


def parse_html(html: str, *, where: str | None = None) -> lxml.html.HtmlElement:
    """Parse a whole document with libxml2's forgiving HTML parser."""
    html = _XML_DECLARATION.sub("", html, count=1)
    try:
        # huge_tree: without it libxml2 stops nesting at depth 256 and silently drops the rest of the page,
        # and refuses a text node over 10 MB
        root = lxml.html.document_fromstring(html, parser=html_parser())
    except (etree.ParserError, ValueError) as exc:
        raise ContentError(f"not parseable as HTML ({exc})", where=where) from None
    if root is None:
        raise ContentError("not parseable as HTML", where=where)
    return root


def squash(text: str | None) -> str:
    """Collapse whitespace runs (ideographic spaces included) into one ASCII space and trim."""
    # str.split() splits on exactly what \s matches (str.isspace), about 5x faster than a regex sub
    return " ".join(text.split()) if text else ""


def hand_tail_back(element: etree._Element) -> None:
    """Give `element`'s tail text to the node before it, so that moving or removing `element` keeps the text."""
    tail = element.tail
    if not tail:
        return
    previous, parent = element.getprevious(), element.getparent()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    elif parent is not None:
        parent.text = (parent.text or "") + tail
    element.tail = None


def drop_keeping_tail(element: etree._Element) -> None:
    """Remove `element` but keep its tail text in place (a whitespace tail too: it may be the space between words)."""
    parent = element.getparent()
    if parent is None:
        return
    hand_tail_back(element)
    parent.remove(element)


@dataclass
class Page:
    """An HTML page as the parsers see it: the helper API for parser authors (see README "Adding a parser").

    Selectors are CSS; ``"a, b"`` means try `a`, then `b` (the first alternative that matches wins, not the
    first element in document order). Text helpers squash whitespace and return None rather than "".
    """

    html: str
    url: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    _memo: dict[Hashable, object] = field(default_factory=dict, init=False, repr=False, compare=False)

    @cached_property
    def tree(self) -> lxml.html.HtmlElement:
        """The parsed document (lxml), parsed on first use; raises ContentError when it cannot be."""
        return parse_html(self.html, where=self.url)

    @cached_property
    def host(self) -> str:
        """The host of `url` (``finance.ifeng.com``), or "" without one."""
        return (urlsplit(self.url).hostname or "") if self.url else ""

    def once(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """`compute()`, computed once per page and `key`: for a value several hooks derive from the untouched page
        (the time resolver's answer serves both `published` and `modified`). Not for values of an edited tree."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    # --- selection -------------------------------------------------------------------------
    def select(self, selector: str, root: etree._Element | None = None) -> list[lxml.html.HtmlElement]:
        """Every element matching `selector` in document order, under `root` (default: the whole page)."""
        return css(selector)(self.tree if root is None else root)

    def select_one(self, selector: str | None, root: etree._Element | None = None) -> lxml.html.HtmlElement | None:
        """The first element matching any of the comma-separated alternatives, in their order."""
        if not selector:
            return None
        for alternative in _split_selector(selector):
            found = self.select(alternative, root)
            if found:
                return found[0]
        return None

    def text(self, selector: str | None) -> str | None:
        """Squashed text of the first match, or None when nothing matches or it is blank."""
        element = self.select_one(selector)
        if element is None:
            return None
        return squash(element.text_content()) or None

    def own_text(self, selector: str | None) -> str | None:
        """Text of the first match without its children's text (e.g. a date before source links)."""
        element = self.select_one(selector)
        if element is None:
            return None
        parts = [element.text or ""] + [child.tail or "" for child in element]
        return squash(" ".join(parts)) or None

    def meta(self, *names: str) -> str | None:
        """Content of the first `<meta name|property|itemprop=…>` among `names` that is set."""
        for name in names:
            value = self._meta.get(name.lower())
            if value:
                return value
        return None

    @cached_property
    def _meta(self) -> dict[str, str]:
        """`<meta>` contents by lower-cased name/property/itemprop, the first of each name kept. A `property`
        may list several space-separated names (``property="og:title twitter:title"``, RDFa): each is declared."""
        found: dict[str, str] = {}
        for element in self.tree.iter("meta"):
            key = element.get("property") or element.get("name") or element.get("itemprop")
            content = element.get("content")
            if not key or not content:
                continue
            for name in key.lower().split() if " " in key.strip() else (key.lower(),):
                if name not in found:
                    found[name] = squash(content)
        return found

    @cached_property
    def jsonld(self) -> list[dict]:
        """Every JSON-LD object on the page, with @graph lists flattened; broken blocks are skipped."""
        objects: list[dict] = []
        for script in self.tree.iter("script"):
            if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
                continue
            try:
                # some pages wrap the block in CDATA or an HTML comment, which JSON does not allow
                data = json.loads(_JSONLD_WRAPPER.sub("", script.text).strip().rstrip(";"))
            except ValueError:
                continue
            objects.extend(_flatten_jsonld(data))
        return objects

    def jsonld_article(self) -> dict | None:
        """The first JSON-LD object typed as an article."""
        for obj in self.jsonld:
            kinds = obj.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and k.endswith(("Article", "NewsArticle", "BlogPosting", "Report"))
                   for k in kinds):
                return obj
        return None

    @cached_property
    def title_tag(self) -> str | None:
        """The `<title>` text, site name and all."""
        element = self.tree.find(".//title")
        return squash(element.text_content()) if element is not None else None

    def canonical_url(self) -> str | None:
        """`<link rel=canonical>` or og:url, made absolute."""
        for link in self.tree.iter("link"):
            if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
                return self.absolute(link.get("href"))
        og = self.meta("og:url")
        return self.absolute(og) if og else None

    def absolute(self, href: str | None) -> str | None:
        """`href` resolved against the page's address (``//host/x`` gets the page's scheme)."""
        if not href:
            return None
        href = href.strip()
        if href.startswith("//"):
            scheme = urlsplit(self.url).scheme if self.url else "https"
            return f"{scheme or 'https'}:{href}"
        return urljoin(self.url, href) if self.url else href

    def cn_datetime(self, text: str | None) -> datetime | None:
        """The first date and time in `text` (``2019年06月15日08:18``, ``2021-12-30 18:35``), China time."""
        return parse_cn_datetime(text)


_JSONLD_WRAPPER = re.compile(r"^\s*(?:<!\[CDATA\[|<!--)|(?:\]\]>|-->)\s*$")


def _split_selector(selector: str) -> Iterator[str]:
    """Split ``a, b`` into alternatives tried in order (CSS itself would return document order)."""
    depth = 0
    start = 0
    for index, char in enumerate(selector):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            yield selector[start:index].strip()
            start = index + 1
    yield selector[start:].strip()


def _flatten_jsonld(data: object) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten_jsonld(item)
    elif isinstance(data, dict):
        if isinstance(data.get("@graph"), list):
            yield from _flatten_jsonld(data["@graph"])
        else:
            yield data
