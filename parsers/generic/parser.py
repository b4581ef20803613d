"""Generic fallback for any news site without a parser of its own, Chinese or not.

It runs through the pipeline's stages like every parser (newsfetch/pipeline.py): `read_fields` reads title,
time, authors and site from structured data and the text around the headline (meta.py, title.py, region.py) on
the untouched page; `find_body` picks the body by content scoring (body.py); the pipeline cleans and renders it;
`refine` filters the rendered blocks for credit lines and boilerplate (blocks.py) and settles each field from
the page's evidence, the credit lines and any script JSON that held the body.

When the scoring finds no article the parser does not take its word for it: trafilatura and readability-lxml
are asked (fallback.py), then a body that only exists in a script's JSON is read from there (prose only, never
code; what the page shows wins over what its scripts hold), and only when none of them finds prose is the page
refused — `NotAnArticle`
(home, list, video pages) with the reason, or `ParseError` when the text is in scripts newsfetch cannot run.
An article is never returned with an empty body.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timezone, tzinfo
from functools import cache
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from newsfetch.clean import CleanResult
from newsfetch.dates import CHINA_TZ, parse_iso_datetime
from newsfetch.errors import NotAnArticle, ParseError
from newsfetch.page import Page, squash
from newsfetch.timeresolver import Times

from ..base import Block, Fields, FoundBody, SiteParser
from .blocks import filter_blocks
from .body import Body, find_body, prune
from .fallback import fallback_body
from .meta import author_field, byline, clean_names, outlet, page_is_chinese, page_times, publisher, site_owners
from .region import Header, header_region
from .script import body_from_scripts, script_field, script_time, text_in_scripts, time_in_scripts
from .text import link_units, text_within, units
from .title import headline, site_from_title

_STRAY_END = re.compile(r"</(?:html|body)\s*>", re.I)
_HTML_END = re.compile(r"</html", re.I)
_MIN_PROSE = 25          # units of text outside links: a 25-character 快讯, ~50 letters
_VIDEO_PROSE = 60        # units beside a player that make a video page an article: a two-line description
_SHORT_POST = 8         # units outside links in a short post: a headline of a few words and a date line
_SHORT_POST_LINKS = 0.3  # share of a short post's text in links (a tag or two, a photo credit)
_PART = 0.5              # a body with less of the page's prose than this may be one part of the article
_PORTAL_LINKS = 40       # headline links that make a page a portal (home and section pages carry many more)
_PORTAL_BODY = 300       # units a fallback body needs there (~600 letters, 300 characters)
_LONG_TEXT = 5000        # units outside links: 5,000 Chinese characters or ~10,000 letters, a long article
_LIST_PROSE = 500        # units outside links that no home page's teaser column has
_EXCERPT = 200           # units of text per teaser on a list page (a headline's excerpt: a sentence or two)
_SCRIPT_TIME_KEYS = ("publishTime", "publish_time", "pubDate", "pubdate", "pubTime", "ptime", "datePublished",
                     "createTime", "create_time", "publishedAt", "published_at", "ctime", "time")


@dataclass(frozen=True)
class _Facts:
    """What the untouched page says of the article beside its body, once the title is known."""

    site: str | None
    site_names: frozenset[str]   # the site's names, casefolded: never an author, never a credit line's name
    tz: tzinfo                   # the zone of zone-less times
    times: Times
    byline: list[str]
    stamp: str | None            # a time in the page's scripts, read only when nothing else dates the page
    owners: frozenset[str] = frozenset()  # the people a personal site is named after: authors, not outlets


@dataclass(frozen=True)
class _Reading:
    """The generic parser's notes on one page between its hooks (`Fields.state`)."""

    header: Header
    chinese: bool                # as the body scorer sees it: by the page's language and declared headline
    facts: _Facts | None         # None when the page has no headline: the body's first line becomes the title


class GenericParser(SiteParser):
    """Any site: the best-scoring block of prose is the body."""

    name = "generic"
    hosts = ()
    version = "2"
    min_body_chars = 0  # `refine` refuses an empty body itself, once credit lines and boilerplate are gone

    def prepare(self, page: Page) -> Page:
        return _repaired(page)

    def read_fields(self, page: Page) -> Fields:
        title, anchor = headline(page)
        header = header_region(page, anchor)
        chinese = page_is_chinese(page, title)
        facts = _facts(page, title, header, chinese) if title else None
        return Fields(
            title=title,
            url=self.url(page),
            published=facts.times.published if facts else None,
            modified=None,
            authors=facts.byline if facts else [],
            editors=[],
            source=None,
            section=page.meta("article:section"),
            summary=self.summary(page),
            image=self.image(page),
            extra={},
            paywalled=False,
            site=facts.site if facts else None,
            state=_Reading(header=header, chinese=chinese, facts=facts),
        )

    def find_body(self, page: Page, fields: Fields) -> FoundBody:
        element, scripted, extra = _body_element(page, fields.state.chinese, fields.title)
        return FoundBody(element, extra=extra, origin=scripted)

    def refine(self, page: Page, fields: Fields, body: FoundBody, cleaned: CleanResult,
               blocks: list[Block]) -> tuple[Fields, list[Block]]:
        """Credit lines and boilerplate out of the blocks (what they name lifted), then each field from the
        page's evidence first, the body's credit lines next, and the script JSON that held the body, if any."""
        reading: _Reading = fields.state
        title, facts = fields.title, reading.facts
        from_body = not title or facts is None
        if from_body:
            # no headline anywhere (no <title>, <h1> or declared title): the body's first short line is one
            title = _first_line(blocks)
            if not title:
                raise ParseError("no title found on the page", where=page.url)
            facts = _facts(page, title, reading.header)
        filtered, lifted = filter_blocks(blocks, title=title, site_names=set(facts.site_names))
        if from_body and not any(plain.strip() for _, plain in filtered):
            # the title was read from the body's only text (a page of one paragraph): that text is the body too
            filtered, lifted = filter_blocks(blocks, title=None, site_names=set(facts.site_names))
        blocks = filtered
        cleaned.original_title = cleaned.original_title or lifted.original_title   # a <br> line the clean stage kept
        if not any(plain.strip() for _, plain in blocks):
            raise ParseError("the article body is empty once credit lines and boilerplate are removed",
                             where=page.url)
        authors = facts.byline or list(dict.fromkeys(lifted.authors + cleaned.authors)) or \
            author_field(page, set(facts.site_names))
        source = outlet(page, reading.header, cleaned.source or lifted.source) or site_from_title(page, title)
        when = facts.times.published
        if body.origin:  # the JSON that carried the body usually carries its facts too
            scripted = body.origin
            when = when or script_time(scripted, _SCRIPT_TIME_KEYS, facts.tz)
            writer = script_field(scripted, "author", "authorName", "author_name", "writer")
            authors = authors or (clean_names(writer, set(facts.site_names)) if writer else [])
            source = script_field(scripted, "source", "sourceName", "source_name", "media") or source
        if when is None and facts.stamp:
            when = parse_iso_datetime(facts.stamp, facts.tz)
        # an outlet or portal name in the byline is not an author ("网易", "参考消息")
        known = (facts.site_names | ({source.casefold()} if source else set())) - facts.owners
        authors = [a for a in authors if not any(name.startswith(a.casefold()) for name in known)]
        return replace(
            fields, title=title, published=when,
            modified=facts.times.modified if when == facts.times.published else None,
            authors=authors, editors=list(dict.fromkeys(cleaned.editors + lifted.editors)), source=source,
            site=facts.site), blocks


def _facts(page: Page, title: str, header: Header, chinese: bool | None = None) -> _Facts:
    """The site, the times and the byline, which all depend on the title (the site is told apart from it).
    `chinese`: `page_is_chinese(page, title)` where the caller has it already."""
    in_title = site_from_title(page, title)
    site = publisher(page) or in_title or page.host or None
    site_names = frozenset(name.casefold() for name in (site, page.meta("og:site_name"), in_title) if name)
    chinese = page_is_chinese(page, title) if chinese is None else chinese
    times = page_times(page, header, chinese)
    owners = frozenset(site_owners(page))  # a personal site's name is its owner's: an author, not an outlet
    return _Facts(site=site, site_names=site_names, tz=CHINA_TZ if chinese else timezone.utc, times=times,
                  byline=byline(page, header, set(site_names - owners)),
                  stamp=time_in_scripts(page) if times.published is None else None, owners=owners)


def _body_element(page: Page, chinese: bool,
                  title: str | None = None) -> tuple[lxml.html.HtmlElement, dict, dict]:
    """The body element, the script JSON object it came from (if any), and the `extra` facts to report.

    Our scoring first; when it finds no article: the fallback extractors on the static HTML, then the body in
    script JSON. Raises ParseError when the text is only in scripts, NotAnArticle when the page has none."""
    found = find_body(page.tree)
    # whether our block is a list of headlines is asked up to five times below, of an element that nothing edits
    # before a body is returned: answered once (on the big pages that reach the fallbacks it is a long count)
    listed = cache(lambda: found is not None and _is_list(found.element))
    if found is not None and _is_article(page, found, listed):
        if found.prose_share < _PART and (second := fallback_body(page, chinese)) is not None \
                and _completes(found.element, second[0]):
            # our block holds a small part of the page's prose, and another extractor's body holds it and more
            return second[0], {}, {"body_from": second[1]}
        return found.element, {}, {}
    teasers = found is not None and listed() and _alternates(found.element)
    if found is not None and not teasers and found.link_share <= 0.5 and found.prose_units >= _LONG_TEXT \
            and not _is_video_page(page):
        # a long text amid link boxes (an encyclopedia entry, a long feature) that is no column of teasers: an
        # article a second opinion cannot better, so neither library is asked (on the labelled sets they were
        # asked on two such pages, 0.3 s each, and neither body was kept)
        return _without_trailing_links(found.element), {}, {}
    if not _is_video_page(page) or found is None or found.prose_units >= _VIDEO_PROSE:
        second = fallback_body(page, chinese)
        # a column of teasers read as prose is still a list: blocks that repeat the page's headline links, or
        # the text of the teaser list our scorer found
        if second is not None and not _is_list(second[0]) and not _repeats_headlines(page, second[0]) \
                and not (teasers and _mostly_within(second[0], found.element)
                         and not _in_one_run(second[0], found.element)) \
                and not _few_lines_of_a_portal(page, second[0]):
            element, tool = second
            return element, {}, {"body_from": tool}
    if found is not None and not teasers and listed() and found.link_share <= 0.5 \
            and (found.prose_units >= _LIST_PROSE or _one_text(found.element)) and not _is_video_page(page):
        # many links, but not headline-and-excerpt teasers, and much prose or one text in a row: an article
        # with link boxes
        return _without_trailing_links(found.element), {}, {}
    if found is not None and not teasers and found.prose_units >= _MIN_PROSE and _declares_article(page):
        # the page says it is an article and has prose, only amid many links: believe it
        return found.element, {}, {}
    if found is not None and _short_post(page, found, title, listed):
        # a photo post or a title-and-byline page: little text, but its own headline and no link list
        return found.element, {}, {}
    if (pictures := _photo_post(page)) is not None:
        return pictures, {}, {}
    # what the page shows wins over what its scripts hold: the body in script JSON only when the static HTML
    # has no article (a page rendered in the browser)
    if (recovered := body_from_scripts(page)) is not None:
        element, scripted = recovered
        return element, scripted, {"body_from_script": True}
    if (in_scripts := text_in_scripts(page)) >= 200 and in_scripts >= 2 * _visible_units(page):
        raise ParseError("the article text is only in the page's scripts, in a form newsfetch cannot read "
                         "(a page rendered in the browser)", where=page.url)
    if (bare := _bare_page(page)) is not None:
        return bare, {}, {}
    raise NotAnArticle(_why_not(page, found, listed), where=page.url)


_FIRST_SENTENCE = re.compile(r".+?(?:[。！？]|[.!?](?=\s|$))")
_VISIBLE_TEXT = etree.XPath("//body//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]")


def _visible_units(page: Page) -> float:
    """Units of the text a reader sees on the page (script and style text left out)."""
    return sum(units(text) for text in _VISIBLE_TEXT(page.tree))


# a server's error page: its <title> or <h1> is a status code or an error phrase, and at most the site's name
_ERROR_WORDS = (r"error|(?:page |file )?not found|forbidden|access denied|bad request|unauthorized|gone|"
                r"(?:service )?unavailable|bad gateway|gateway time-?out|internal server error")
_ERROR_PAGE = re.compile(rf"^\W*(?:[45]\d\d\b\s*[-:–]?\s*(?:{_ERROR_WORDS})?|{_ERROR_WORDS}|页面不存在|页面未找到|"
                         r"(?:访问)?出错了?|无法访问)\W*(?:[|–—-].*)?$", re.I)


def _is_error_page(page: Page) -> bool:
    """The page's <title> or <h1> says it is a server's error page ("404 Not Found", "ERROR | Example")."""
    return any(_ERROR_PAGE.match(squash(node.text_content())) for node in page.tree.iter("title", "h1"))


def _bare_page(page: Page) -> lxml.html.HtmlElement | None:
    """A page that is nothing but its text — no link to another page, no player — is one document, however
    short: its visible text is the body (a note, a snippet). None when the page links anywhere or shows no text;
    a home, list or error page always links somewhere (or says nothing)."""
    root = page.tree.find("body")
    if root is None or _is_video_page(page) or any(_goes_somewhere(link) for link in root.iter("a")):
        return None
    if _is_error_page(page):
        return None  # a server's error page ("502 Bad Gateway", "ERROR") links nowhere either
    body = copy.deepcopy(root)
    prune(body)
    if not squash(body.text_content()):
        return None
    body.tag = "div"
    return body


def _goes_somewhere(link: lxml.html.HtmlElement) -> bool:
    """A link to a page (not `javascript:`, not an anchor on this page, not a mail address)."""
    href = (link.get("href") or "").strip().lower()
    return bool(href) and not href.startswith(("javascript:", "#", "mailto:", "tel:"))


def _first_line(blocks: list[tuple[str, str]]) -> str | None:
    """A page without any title: its first short block, else the first sentence of its first block."""
    texts = [squash(plain) for markdown, plain in blocks if not markdown.startswith("![") and squash(plain)]
    for text in texts[:3]:
        if 2 <= units(text) <= 60:
            return text
    if not texts:
        return None
    sentence = _FIRST_SENTENCE.match(texts[0])
    first = sentence.group(0).strip() if sentence else texts[0]
    return first if units(first) <= 100 else first[:120].rsplit(" ", 1)[0] + "…"


def _repaired(page: Page) -> Page:
    """Re-read a page whose markup goes on after a stray `</html>` (libxml2 drops what follows it)."""
    # searched in the page itself: a position found in `html.lower()` can be off where lowercasing lengthens a
    # character (İ → i̇), and lowering a whole page costs a copy of it
    end = _HTML_END.search(page.html)
    if end is None:
        return page
    rest = page.html[end.start():].split(">", 1)[-1]
    if "<" not in rest or not re.search(r"<[a-zA-Z]", rest):
        return page
    return Page(html=_STRAY_END.sub("", page.html), url=page.url, headers=page.headers)


def _is_article(page: Page, found: Body, listed: Callable[[], bool]) -> bool:
    """Our block reads as an article: prose enough, few links, no video page's caption, not a list (`listed`:
    `_is_list(found.element)`, computed once per page)."""
    if found.prose_units < _MIN_PROSE or found.link_share > 0.5:
        return False
    if _is_video_page(page) and found.prose_units < _VIDEO_PROSE:
        return False
    return not listed()


def _short_post(page: Page, found: Body, title: str | None, listed: Callable[[], bool]) -> bool:
    """A short article (a photo post, a title-and-byline page): the page has a headline, and its best block is
    a few lines with few links, not a list."""
    if not title or found.prose_units < _SHORT_POST or found.link_share > _SHORT_POST_LINKS:
        return False
    return not _is_video_page(page) and not listed() and not _is_error_page(page)


_HEADINGS = ("h1", "h2", "h3", "h4")
_PICTURE_SIDE = 100      # pixels: a picture declared smaller than this on a side is an icon, a button or a pixel
_CAPTION = 100           # units of text a photo post holds beside its pictures (a caption, a date, a byline)


def _photo_post(page: Page) -> lxml.html.HtmlElement | None:
    """A photo post: under a heading that is (part of) the page's <title>, pictures, a few short lines and no
    headline links (a blog post that is one photo). The body is what follows the heading in its block, without
    furniture; None when the page has no such heading."""
    if _is_video_page(page):
        return None
    title = _key(page.title_tag or "")
    for heading in page.tree.iter(*_HEADINGS):
        key = _key(squash(heading.text_content()))
        if len(key) < 4 or key not in title or heading.getparent() is None or _links_home(heading) \
                or any(a.tag in ("nav", "aside", "footer", "li", "a") for a in heading.iterancestors()):
            continue  # (a class word is no guide here: blogs call the post's own box a `widget`)
        post = lxml.html.Element("div")
        for sibling in heading.itersiblings():
            if isinstance(sibling.tag, str) and (sibling.tag in _HEADINGS or sibling.find(".//h1") is not None
                                                 or sibling.find(".//h2") is not None):
                break  # the next post or section
            post.append(copy.deepcopy(sibling))
        prune(post)
        pictures = [img for img in post.iter("img") if _is_picture(img)]
        text = units(squash(post.text_content()))
        headlines = sum(1 for a in post.iter("a") if _is_headline_link(a))
        if pictures and headlines == 0 and text - link_units(post) <= _CAPTION:
            return post
    return None


def _links_home(heading: lxml.html.HtmlElement) -> bool:
    """The heading links to the site's front page: it is the site's name (a blog's title), not a post's."""
    for link in heading.iter("a"):
        parts = urlsplit(link.get("href") or "")
        if parts.path in ("", "/") and not parts.query and (parts.netloc or parts.path):
            return True
    return False


def _is_picture(img: lxml.html.HtmlElement) -> bool:
    """An image shown as content: a source, and no declared side under `_PICTURE_SIDE` pixels."""
    if not img.get("src"):
        return False
    for side in (img.get("width"), img.get("height")):
        if side and side.strip().rstrip("px").isdigit() and int(side.strip().rstrip("px")) < _PICTURE_SIDE:
            return False
    return True


def _declares_article(page: Page) -> bool:
    """og:type article or a JSON-LD Article/NewsArticle/BlogPosting object."""
    return (page.meta("og:type") or "").lower() == "article" or page.jsonld_article() is not None


def _is_video_page(page: Page) -> bool:
    # asked up to five times per page, each a search of the whole untouched tree: answered once per page
    return page.once("generic video page", lambda: (page.meta("og:type") or "").lower().startswith("video")
                     or page.tree.find(".//video") is not None)


def _is_list(element: lxml.html.HtmlElement) -> bool:
    """Many links standing alone as blocks (headlines), about as many as the paragraphs: a list page."""
    standalone = sum(1 for link in element.iter("a") if _is_headline_link(link))
    if standalone < 6:
        return False
    # leaf blocks first (a cheap test), then their text outside links
    paragraphs = sum(1 for p in element.iter("p", "div", "li", "td")
                     if not any(isinstance(c.tag, str) and c.tag in ("p", "div", "li", "td") for c in p)
                     and units(squash(p.text_content())) - link_units(p) >= 40)
    return standalone >= 0.5 * paragraphs


def _is_headline_link(link: lxml.html.HtmlElement) -> bool:
    """A link that stands alone as a block (a headline), not a link inside a sentence."""
    size = units(squash(link.text_content()))
    if size < 6:
        return False
    block = link.getparent()
    while block is not None and block.tag in ("span", "b", "strong", "em", "i", "font"):
        block = block.getparent()
    # (the block's text is read no further than that bound: a link's parent may be a page-wide wrapper)
    return block is not None and text_within(block, size * 1.3 + 2) is not None


def _repeats_headlines(page: Page, element: lxml.html.HtmlElement) -> bool:
    """Blocks of `element` that are the text of a headline link on the page, in number: a list page."""
    headlines = {_key(squash(a.text_content())) for a in page.tree.iter("a") if _is_headline_link(a)}
    blocks = [_key(squash(b.text_content())) for b in element.iter("p", "li", "h2", "h3", "h4", "div")
              if not any(isinstance(c.tag, str) and c.tag in ("p", "li", "div") for c in b)]
    blocks = [b for b in blocks if b]
    repeated = sum(1 for block in blocks if block in headlines)
    return repeated >= 4 and repeated >= 0.25 * len(blocks)


def _completes(ours: lxml.html.HtmlElement, theirs: lxml.html.HtmlElement) -> bool:
    """`theirs` holds most of our body and is at least half as long again: the rest of the same article."""
    size = units(squash(ours.text_content()))
    return units(squash(theirs.text_content())) >= 1.5 * size and _mostly_within(ours, theirs)


def _few_lines_of_a_portal(page: Page, element: lxml.html.HtmlElement) -> bool:
    """A short text on a page full of headline links: a portal's teasers or blurb, not its article. (A short
    article on such a page is read by our own scorer; this judges only a fallback's body.)"""
    if units(squash(element.text_content())) >= _PORTAL_BODY:
        return False
    return sum(1 for a in page.tree.iter("a") if _is_headline_link(a)) >= _PORTAL_LINKS


def _mostly_within(element: lxml.html.HtmlElement, container: lxml.html.HtmlElement) -> bool:
    """Most of `element`'s text (by weight of its blocks) is found in `container`'s text."""
    inside = _key(squash(container.text_content()))
    total = found = 0.0
    for block in element.iter("p", "li", "h2", "h3", "h4", "div", "td"):
        if any(isinstance(c.tag, str) and c.tag in ("p", "li", "div", "td") for c in block):
            continue
        text = squash(block.text_content())
        size = units(text)
        total += size
        found += size if text and _key(text) in inside else 0
    return total > 0 and found >= 0.5 * total


def _key(text: str) -> str:
    return "".join(text.split()).casefold()


def _alternates(element: lxml.html.HtmlElement) -> bool:
    """Headline links and short excerpts take turns (a list page's teasers), rather than the paragraphs of one
    text followed by a box of links (an article with its related headlines) or long sections under links
    (an encyclopedia article)."""
    sequence = []
    for node in element.iter("a", "p", "div", "li", "td", "dd"):
        if node.tag == "a":
            if _is_headline_link(node) and (not sequence or sequence[-1] != "H"):
                sequence.append("H")
        elif not any(isinstance(c.tag, str) and c.tag in ("p", "div", "li", "td", "dd") for c in node):
            text = squash(node.text_content())
            if units(text) - link_units(node) >= 25 and (not sequence or sequence[-1] != "P"):
                sequence.append("P")
    turns = sum(1 for a, b in zip(sequence, sequence[1:]) if a == "H" and b == "P")
    prose = units(squash(element.text_content())) - link_units(element)
    return turns >= 4 and turns >= 0.5 * sequence.count("P") and prose < _EXCERPT * turns


_RUN_PARAGRAPH = 25      # units outside links that make a block a paragraph of a run (a sentence)
_ONE_TEXT = 150          # units of prose in a row that no teaser has (~300 letters in three paragraphs)


def _runs(element: lxml.html.HtmlElement) -> list[tuple[str, int, float]]:
    """The texts between headline links, in order: (text key, paragraphs, units outside links) per run."""
    runs: list[tuple[str, int, float]] = []
    keys: list[str] = []
    count, size = 0, 0.0
    for node in element.iter("a", *_LEAF_BLOCKS):
        if node.tag == "a":
            if _is_headline_link(node) and keys:
                runs.append(("".join(keys), count, size))
                keys, count, size = [], 0, 0.0
            continue
        if any(isinstance(c.tag, str) and c.tag in _LEAF_BLOCKS for c in node):
            continue
        text = squash(node.text_content())
        own = units(text) - link_units(node)
        if own >= _RUN_PARAGRAPH:
            keys.append(_key(text))
            count += 1
            size += own
    if keys:
        runs.append(("".join(keys), count, size))
    return runs


def _one_text(element: lxml.html.HtmlElement) -> bool:
    """Nearly all of the prose is one run of paragraphs with no headline link between them — an article with
    its boxes of related links before or after it, not a list page's excerpts."""
    runs = _runs(element)
    if not runs:
        return False
    _, count, size = max(runs, key=lambda run: run[2])
    return count >= 3 and size >= _ONE_TEXT and size >= 0.8 * sum(run[2] for run in runs)


def _without_trailing_links(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """`element` (a detached copy) without the headline links after its last paragraph, nor the short heading
    over them: an article's "You might like:" box."""
    leaves = [node for node in element.iter(*_LEAF_BLOCKS)
              if not any(isinstance(c.tag, str) and c.tag in _LEAF_BLOCKS for c in node)]
    last = max((i for i, node in enumerate(leaves) if units(squash(node.text_content())) - link_units(node)
                >= _RUN_PARAGRAPH), default=None)
    if last is None:
        return element
    for node in leaves[last + 1:]:
        text = squash(node.text_content())
        headline = any(_is_headline_link(a) for a in node.iter("a")) and units(text) <= 1.3 * link_units(node) + 2
        if (headline or (node.tag in _HEADINGS[1:] and units(text) <= 12 and not link_units(node))) \
                and node.getparent() is not None:
            node.drop_tree()
    return element


def _in_one_run(element: lxml.html.HtmlElement, container: lxml.html.HtmlElement) -> bool:
    """Most of `element`'s text (by weight of its blocks) lies in one run of `container`'s paragraphs, a run of
    several paragraphs: the article that `container`'s teaser list surrounds, not excerpts gathered from it."""
    runs = [key for key, count, _ in _runs(container) if count >= 2]
    weights = [0.0] * len(runs)
    total = 0.0
    for block in element.iter(*_LEAF_BLOCKS):
        if any(isinstance(c.tag, str) and c.tag in _LEAF_BLOCKS for c in block):
            continue
        text = squash(block.text_content())
        size = units(text)
        total += size
        key = _key(text)
        for index, run in enumerate(runs):
            if key and key in run:
                weights[index] += size
                break
    return bool(runs) and total > 0 and max(weights) >= 0.7 * total


_LEAF_BLOCKS = ("p", "div", "li", "td", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote")


def _why_not(page: Page, found: Body | None, listed: Callable[[], bool]) -> str:
    if _is_video_page(page):
        return "no article on the page: a video page with no article text beside the player"
    if found is None:
        return "no article on the page: no block of prose on the page"
    if found.element is not None and listed():
        return "no article on the page: a list of headlines (home, channel or list page)"
    return (f"no article on the page: no block of prose (the best one has {int(found.prose_units)} characters of text "
            f"outside links, {found.link_share:.0%} of its text in links); a home or list page?")
