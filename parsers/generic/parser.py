"""Generic fallback for any news site without a parser of its own, Chinese or not.

The body is found by content scoring (body.py), cleaned by the core `clean_body`, rendered, and its
blocks filtered for credit lines and boilerplate (blocks.py); title, time, authors and outlet come from
structured data and the text around the headline (meta.py). Pages that hold no article (home and list
pages, video pages) raise `NotAnArticle`; a body that only exists in a script's JSON is read from there.
"""

from __future__ import annotations

import re
from datetime import timezone

import lxml.html

from newsfetch.article import Article
from newsfetch.clean import clean_body
from newsfetch.dates import CHINA_TZ, parse_iso_datetime
from newsfetch.errors import NotAnArticle, ParseError
from newsfetch.markdown import join_blocks, render_blocks
from newsfetch.page import Page, squash
from newsfetch.stocks import unique

from ..base import SiteParser
from .blocks import filter_blocks
from .body import Body, find_body
from .meta import byline, clean_names, outlet, page_is_chinese, publisher, published
from .region import header_region
from .script import body_from_scripts, script_field, script_time, text_in_scripts, time_in_scripts
from .text import link_units, units
from .title import headline, site_from_title

_STRAY_END = re.compile(r"</(?:html|body)\s*>", re.I)
_MIN_PROSE = 25          # units of text outside links: a 25-character 快讯, ~50 letters
_VIDEO_PROSE = 150
_SCRIPT_TIME_KEYS = ("publishTime", "publish_time", "pubDate", "pubdate", "pubTime", "ptime", "datePublished",
                     "createTime", "create_time", "publishedAt", "published_at", "ctime", "time")


class GenericParser(SiteParser):
    """Any site: the best-scoring block of prose is the body."""

    name = "generic"
    hosts = ()
    version = "2"

    def parse(self, page: Page) -> Article:
        page = _repaired(page)
        title, anchor = headline(page)
        if not title:
            raise ParseError("no title found on the page", where=page.url)
        element, scripted, extra = _body_element(page)
        site = publisher(page) or site_from_title(page, title) or page.host or None
        site_names = {name.casefold() for name in (site, page.meta("og:site_name"), site_from_title(page, title))
                      if name}
        cleaned = clean_body(element, base_url=page.url)
        blocks, lifted = filter_blocks(render_blocks(cleaned.body), title=title, site_names=site_names)
        rendered = join_blocks(blocks)
        if not rendered.text.strip() and "body_in_script" not in extra:
            raise ParseError("the article body is empty", where=page.url)

        header = header_region(page, anchor)
        tz = CHINA_TZ if page_is_chinese(page, title) else timezone.utc
        authors = byline(page, header, site_names) or list(dict.fromkeys(lifted.authors + cleaned.authors))
        source = outlet(page, header, cleaned.source or lifted.source) or site_from_title(page, title)
        when = published(page, header, tz == CHINA_TZ)
        if scripted:  # the JSON that carried the body usually carries its facts too
            when = when or script_time(scripted, _SCRIPT_TIME_KEYS, tz)
            writer = script_field(scripted, "author", "authorName", "author_name", "writer")
            authors = authors or (clean_names(writer, site_names) if writer else [])
            source = script_field(scripted, "source", "sourceName", "source_name", "media") or source
        if when is None and (stamp := time_in_scripts(page)):
            when = parse_iso_datetime(stamp, tz)
        # an outlet or portal name in the byline is not an author ("网易", "参考消息")
        known = site_names | ({source.casefold()} if source else set())
        authors = [a for a in authors if not any(name.startswith(a.casefold()) for name in known)]
        return Article(
            title=title,
            url=self.url(page),
            published=when,
            authors=tuple(authors),
            editors=tuple(dict.fromkeys(cleaned.editors + lifted.editors)),
            source=source,
            site=site,
            parser=self.name,
            parser_version=self.version,
            section=page.meta("article:section"),
            original_title=cleaned.original_title,
            summary=self.summary(page),
            image=self.image(page),
            stocks=unique(cleaned.stocks),
            markdown=rendered.markdown,
            text=rendered.text,
            extra=extra,
        )


def _body_element(page: Page) -> tuple[lxml.html.HtmlElement, dict, dict]:
    """The body element, the script JSON object it came from (if any), and the `extra` facts to report.
    Raises NotAnArticle when the page holds no article at all."""
    found = find_body(page.tree)
    if found is not None and _is_article(page, found):
        return found.element, {}, {}
    recovered = body_from_scripts(page)
    if recovered is not None:
        element, scripted = recovered
        return element, scripted, {"body_from_script": True}
    if text_in_scripts(page) >= 200:
        return lxml.html.Element("div"), {}, {"body_in_script": True}
    raise NotAnArticle(_why_not(page, found), where=page.url)


def _repaired(page: Page) -> Page:
    """Re-read a page whose markup goes on after a stray `</html>` (libxml2 drops what follows it)."""
    end = page.html.lower().find("</html")
    if end < 0:
        return page
    rest = page.html[end:].split(">", 1)[-1]
    if "<" not in rest or not re.search(r"<[a-zA-Z]", rest):
        return page
    return Page(html=_STRAY_END.sub("", page.html), url=page.url, headers=page.headers)


def _is_article(page: Page, found: Body) -> bool:
    if found.prose_units < _MIN_PROSE or found.link_share > 0.5:
        return False
    if _is_video_page(page) and found.prose_units < _VIDEO_PROSE:
        return False
    return not _is_list(found.element)


def _is_video_page(page: Page) -> bool:
    kind = (page.meta("og:type") or "").lower()
    return kind.startswith("video") or page.tree.find(".//video") is not None


def _is_list(element: lxml.html.HtmlElement) -> bool:
    """Many links standing alone as blocks (headlines), about as many as the paragraphs: a list page."""
    standalone = 0
    for link in element.iter("a"):
        size = units(squash(link.text_content()))
        if size < 6:
            continue
        block = link.getparent()
        while block is not None and block.tag in ("span", "b", "strong", "em", "i", "font"):
            block = block.getparent()
        if block is not None and units(squash(block.text_content())) <= size * 1.3 + 2:
            standalone += 1
    if standalone < 6:
        return False
    paragraphs = sum(1 for p in element.iter("p", "div", "li", "td")
                     if units(squash(p.text_content())) - link_units(p) >= 40 and not any(
                         isinstance(c.tag, str) and c.tag in ("p", "div", "li", "td") for c in p))
    return standalone >= 0.5 * paragraphs


def _why_not(page: Page, found: Body | None) -> str:
    if _is_video_page(page):
        return "no article on the page: a video page with no article text beside the player"
    if found is None:
        return "no article on the page: no block of prose on the page"
    if found.element is not None and _is_list(found.element):
        return "no article on the page: a list of headlines (home, channel or list page)"
    return (f"no article on the page: no block of prose (the best one has {int(found.prose_units)} characters of text "
            f"outside links, {found.link_share:.0%} of its text in links); a home or list page?")
