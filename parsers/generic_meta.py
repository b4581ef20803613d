"""Title, time, authors and outlet of any news page, from structured data first, then from what a reader sees.

Visible facts are read from the *header region*: the text that follows the headline element, in document
order, up to a few hundred characters, skipping links lists, navigation and blocks marked as related, share
or comment furniture. That is where sites print ``2021-12-30 18:35 来源：观察者网 作者：张三`` or
``By Jane Doe · December 30, 2021``, and it keeps dates of related articles and copyright lines out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo

import lxml.html

from newsfetch.dates import CHINA_TZ, date_from_url, parse_iso_datetime
from newsfetch.page import Page, squash

from .base import split_names, strip_label, strip_site_suffix
from .generic_dates import find_datetime, has_time
from .generic_text import is_chinese, is_negative, is_positive, link_density, tokens, units

_SEPARATORS = re.compile(r"\s+[-–—|｜:]\s+|\s*[_|｜]\s*|\s*——\s*|\s+-\s*|\s*-\s+|"
                         r"(?<=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef”」])-(?=[\u4e00-\u9fff])")
_TITLE_HINT = {"title", "headline", "heading", "biaoti", "dabiaoti", "tit"}
_TITLE_TAGS = ("h1", "h2", "h3", "div", "p", "b", "strong", "font", "td", "span")
_META_TIMES = ("article:published_time", "og:release_date", "pubdate", "publishdate", "publish_date",
               "publishtime", "datepublished", "og:published_time", "article.published", "sailthru.date",
               "parsely-pub-date", "dc.date.issued", "dc.date", "dtk:publishdate", "cse_publish_date",
               "publication_date", "date")
_TIME_LABEL = re.compile(r"(?:发布时间|发表时间|发布日期|更新时间|时间|日期|发布|Published(?: on)?|Posted(?: on)?|"
                         r"Updated)\s*[:：/]?\s*", re.I)
_SOURCE_LABEL = re.compile(
    r"(?:(?:文章|本文|稿件|新闻)?来源|稿源|本文来自(?:微信公众号)?)\s*[:：]\s*(?P<v>[^\s|｜/，,。（(）)\]】]{2,30})")
_AUTHOR_LABEL = re.compile(r"(?:^|[\s（(【\[，,。])(?:作者|撰文|文)\s*[:：/｜|]\s*"
                           r"(?P<v>(?:(?!\s*(?:责编|责任编辑|编辑|校对|评论|来源|稿源|时间|发布|阅读|点击)\s*[:：])"
                           r"[^，,。；;）)】\]|｜\n]){2,30})")
_REPORTER = re.compile(
    r"(?:^|[\s（(【\[]|本报|总台|本台|本网|讯)(?:特约)?记者\s*[:：]?\s*"
    r"(?P<v>[\u4e00-\u9fff·]{2,4}(?:[\s、，,]+(?:实习生|通讯员)?\s*[\u4e00-\u9fff·]{2,4})*)(?=$|[\s）)】\]]|报道|摄)")
_BY = re.compile(r"^\s*(?:By|Oleh)\s+(?P<v>[A-Z][^\n|·•]{2,80})", re.I | re.M)
_NAME_JUNK = re.compile(r"\d|@|https?:|www\.|\.com|网$|报$|社$|新闻|台$|中心|公众号|客户端|编辑部|^(?:责编|编辑|评论|来源|稿源|"
                        r"校对|阅读|分享|点击)$|staff|correspondent|"
                        r"writer|reporter|editor|agencies", re.I)
_LATIN_NAME = re.compile(r"^[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}$")
_CJK_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,6}$")
_NOISE_TAGS = frozenset(("a", "li", "nav", "aside", "footer", "script", "style", "noscript", "select", "option"))


@dataclass
class Header:
    """The text around the headline: all of it, and the short lines only (dates and labels live there)."""

    text: str = ""
    short: str = ""
    before: str = ""   # short blocks just before the headline, for pages that print the date above it
    source: str | None = None  # an element that names the outlet (class source/media, <cite>, nofollow link)


# --- title -------------------------------------------------------------------------------------------

def headline(page: Page) -> tuple[str | None, lxml.html.HtmlElement | None]:
    """The headline as the reader sees it, and the element that shows it (None when only declared)."""
    declared = [value for value in (_jsonld_str(page, "headline"), page.meta("og:title"), page.meta("twitter:title"),
                                    page.title_tag) if value]
    # (whole declared title, the same without the site name): a logo <h1> matches only the first
    keys = [(_key(value), _key(_strip_site(page, value))) for value in declared]
    for element in _title_elements(page):
        text = squash(element.text_content())
        key = _key(text)
        if len(key) >= 4 and any(key in whole and len(key) >= 0.6 * len(bare) for whole, bare in keys):
            return text, element
    sole = _sole_headline(page)
    # the headline was edited after the <title> was written: the reader sees the <h1> (unless the <h1> is the
    # declared title plus a badge such as 最新)
    if sole is not None and not any(bare and bare in _key(sole.text_content()) for _, bare in keys):
        return squash(sole.text_content()), sole
    for value in declared[:-1] if page.title_tag else declared:  # JSON-LD / og:title, minus the site name
        return _strip_site(page, value), None
    if page.title_tag:
        # <title> is "headline - site" or "site - headline": pick the segment the page shows as text.
        segments = sorted(_SEPARATORS.split(page.title_tag), key=len, reverse=True)
        shown = {_key(squash(e.text_content())): e for e in page.tree.iter(*_TITLE_TAGS)
                 if 4 <= len(squash(e.text_content())) <= 200}
        for segment in segments:
            if _key(segment) in shown and len(_key(segment)) >= 4:
                return squash(segment), shown[_key(segment)]
        return _strip_site(page, page.title_tag), None
    for element in _title_elements(page):  # nothing declared at all: the first headline-like element
        text = squash(element.text_content())
        if 4 <= len(text) <= 200:
            return text, element
    return None, None


def _sole_headline(page: Page) -> lxml.html.HtmlElement | None:
    """The page's only `<h1>`, when it reads like a headline (a logo `<h1>` is short or the site's name)."""
    found = [h for h in page.tree.iter("h1") if not _in_noise(h) and squash(h.text_content())]
    if len(found) != 1:
        return None
    text = squash(found[0].text_content())
    site = (page.meta("og:site_name") or "").casefold()
    long_enough = len(text) >= 8 if is_chinese(text) else len(text.split()) >= 4
    return found[0] if long_enough and (not site or site not in text.casefold()) else None


def _title_elements(page: Page) -> list[lxml.html.HtmlElement]:
    found = [h for h in page.tree.iter("h1")]
    for element in page.tree.iter(*_TITLE_TAGS):
        if element.tag != "h1" and not tokens(element).isdisjoint(_TITLE_HINT):
            found.append(element)
    return [e for e in found if not _in_noise(e)][:20]


def _key(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text).casefold()


def _strip_site(page: Page, title: str) -> str:
    title = squash(title)
    for name in (page.meta("og:site_name"), page.meta("application-name")):
        if name and len(title) > len(name) + 4:
            title = re.sub(rf"\s*(?:[-–—|｜_:]|——)\s*{re.escape(name)}\s*$", "", title, flags=re.I)
            title = re.sub(rf"^{re.escape(name)}\s*(?:[-–—|｜_:]|——)\s*", "", title, flags=re.I)
    return strip_site_suffix(title)


def site_from_title(page: Page, title: str | None) -> str | None:
    """The site name a `<title>` carries beside the headline (``…_央广网`` → 央广网)."""
    if not page.title_tag or not title:
        return None
    segments = [s.strip() for s in _SEPARATORS.split(page.title_tag) if s.strip()]
    whole = _key(title)
    rest = [s for s in segments if len(s) <= 30 and _key(s) != whole
            and not (_key(s) in whole and len(_key(s)) > 0.5 * len(whole))]
    return rest[-1] if rest else None


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
    for node in (body if body is not None else page.tree).iter():
        if not started:
            started = node is anchor
            continue
        if not isinstance(node.tag, str) or node.tag in ("script", "style") or node in inside:
            continue
        if source is None and size < 150 and _names_outlet(node):  # only in the lines under the headline
            source = re.sub(r"^\s*稿源\s*[:：]\s*", "", strip_label(squash(node.text_content())) or "") or None
        for piece, owner in ((node.text, node), (node.tail, node.getparent())):
            if not piece or not piece.strip() or owner is None or owner in inside \
                    or _in_noise(owner, links_ok=True):
                continue
            block = _block_of(owner)
            # pieces of one block form one line ("By" <a>Name</a>), blocks are separate lines
            joiner = " " if block is last_block else "\n"
            last_block = block
            full.append(joiner + piece.strip())
            if units(piece) <= 60 and (units(squash(block.text_content())) <= 100 or (
                    owner.tag in _INLINE_TAGS and units(owner.text_content()) <= 60)):
                short.append(joiner + piece.strip())
            size += units(piece)
        if size > limit:
            break
    return Header(text="".join(full).strip(), short="".join(short).strip(), before=_before(anchor), source=source)


_SOURCE_WORDS = frozenset(("source", "media", "from", "origin", "laiyuan", "cite"))


def _names_outlet(element: lxml.html.HtmlElement) -> bool:
    """A short element that names the outlet: `<cite>`, class words source/media/from, `media_name`, or a
    nofollow link in the line under the headline (sites link the original outlet that way)."""
    text = squash(element.text_content())
    if not text or units(text) > 20 or _in_noise(element, links_ok=True) or _DATEISH.search(text) \
            or "|" in text or len(element.findall(".//a")) > 1:
        return False
    if element.tag == "cite" or element.get("data-sudaclick") == "media_name" \
            or not tokens(element).isdisjoint(_SOURCE_WORDS):
        return not _NAME_JUNK_OUTLET.search(text)
    return element.tag == "a" and "nofollow" in (element.get("rel") or "") and units(_block_of(
        element.getparent()).text_content()) <= 100 and not _NAME_JUNK_OUTLET.search(text)


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
            if not isinstance(sibling.tag, str) or _in_noise(sibling):
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


def _in_noise(element: lxml.html.HtmlElement | None, *, links_ok: bool = False) -> bool:
    """Inside a link list, navigation or a block marked as furniture (big blocks are never furniture: a
    page-wide wrapper may be called `content_maincontent_more`)."""
    if element is None:
        return False
    for ancestor in [element, *element.iterancestors()]:
        tag = ancestor.tag
        if tag == "a" and links_ok:
            continue
        if tag in _NOISE_TAGS or (isinstance(tag, str) and is_negative(ancestor)):
            return tag in ("a", "li", "script", "style", "select", "option") or _is_small(ancestor)
    return False


def _is_small(element: lxml.html.HtmlElement) -> bool:
    """Small enough to be furniture (the same rule as the body's pruning: a wrapper whose class also says
    content/article must be very small)."""
    return units(element.text_content()) < (100 if is_positive(element) else 400)


# --- time --------------------------------------------------------------------------------------------

def published(page: Page, header: Header, chinese: bool) -> datetime | None:
    """JSON-LD, then `<meta>`, then `<time datetime>`, then the dates printed near the headline."""
    tz: tzinfo = CHINA_TZ if chinese else timezone.utc
    structured = [_jsonld_str(page, "datePublished"), *(page.meta(name) for name in _META_TIMES)]
    structured += [t.get("datetime") for t in page.tree.iter("time") if t.get("datetime") and not _in_noise(t)][:1]
    date_only = None
    for raw in structured:
        if not raw:
            continue
        value = parse_iso_datetime(raw.replace("/", "-"), tz) if re.match(r"\d{4}", raw.strip()) else None
        if value is None:
            continue
        if has_time(raw):
            return value
        date_only = date_only or value
    visible = _visible_time(page, header, tz)
    if date_only is not None and (visible is None or visible.date() != date_only.date()):
        return date_only
    return visible


def _visible_time(page: Page, header: Header, tz: tzinfo) -> datetime | None:
    return _time_in(page, header.short, tz) or _time_in(page, header.before, tz)


def _time_in(page: Page, text: str, tz: tzinfo) -> datetime | None:
    """A labelled date (发布时间：…) unless an unlabelled one comes first and is more precise."""
    hint = date_from_url(page.url)
    labelled = None
    for label in _TIME_LABEL.finditer(text):
        labelled = find_datetime(text[label.end():label.end() + 60], tz, year_hint=hint)
        if labelled is not None:
            break
    first = find_datetime(text, tz, year_hint=hint)
    if labelled is None or (first is not None and first.time() != labelled.time() and labelled.time().hour == 0
                            and labelled.time().minute == 0):
        return first
    return labelled


# --- people and outlet -------------------------------------------------------------------------------

def byline(page: Page, header: Header, site_names: set[str]) -> list[str]:
    """Author names: JSON-LD persons, `<meta name=author>`, labelled lines, then byline elements."""
    names = _jsonld_authors(page)
    seen = visible_authors(header.text, site_names)
    if not names:
        names = _clean_names(re.split(r"\s*[;；]\s*", page.meta("author", "dtk:author", "article:author",
                                                                   "sailthru.author", "parsely-author") or "")[0:1],
                             site_names)
        # the byline printed on the page may name more people than the meta tag
        if names and {n.casefold() for n in names} < {n.casefold() for n in seen}:
            names = seen
    if not names:
        names = seen
    if not names:
        for element in page.tree.iter():
            if not isinstance(element.tag, str):
                continue
            if element.get("itemprop") == "author" or element.get("rel") == "author" or \
                    not tokens(element).isdisjoint({"author", "byline", "reporter", "writer", "contributor"}):
                text = squash(element.text_content())
                if text and units(text) <= 60 and not _in_noise(element):
                    names = visible_authors(text, site_names) or _clean_names(_split(text), site_names)
                    if names:
                        break
    return names


def visible_authors(text: str, site_names: set[str]) -> list[str]:
    """Names from ``作者：X`` / ``文/X`` / ``（记者 X Y）`` / ``By X and Y`` lines."""
    for pattern in (_AUTHOR_LABEL, _REPORTER, _BY):
        for match in pattern.finditer(text):
            names = _clean_names(_split(match["v"]), site_names)
            if names:
                return names
    return []


def clean_names(text: str, site_names: set[str]) -> list[str]:
    """Names in a free-form byline (``澎湃新闻记者 李四``, ``By A and B``), without outlets and junk."""
    return _clean_names(_split(text), site_names)


def _split(text: str) -> list[str]:
    text = re.sub(r"^\s*(?:By|Oleh)\s+", "", text.strip(), flags=re.I)
    text = re.sub(r",\s*(?:Staff Writer|Reporter|Correspondent|Editor)\b.*$", "", text, flags=re.I)
    if re.search(r"[A-Za-z]", text) and not re.search(r"[\u4e00-\u9fff]", text):
        return [p for p in re.split(r"\s*(?:,|\band\b|&|;)\s*", text) if p]
    return split_names(text)


def _clean_names(candidates: list[str], site_names: set[str]) -> list[str]:
    names = []
    for name in candidates:
        name = squash(name).strip(" ,.;:()（）【】[]-–—·")
        if not name or _NAME_JUNK.search(name) or name.casefold() in site_names:
            continue
        if _CJK_NAME.match(name):
            names.append(name)
        elif _LATIN_NAME.match(name) and len(name) <= 40 and " " in name:
            names.append(name.title() if name.isupper() else name)
    return list(dict.fromkeys(names))


def _jsonld_authors(page: Page) -> list[str]:
    found = []
    for obj in page.jsonld:
        for author in _as_list(obj.get("author")):
            if isinstance(author, dict):
                kind = author.get("@type")
                if isinstance(kind, str) and "Organization" in kind:
                    continue
                found.append(author.get("name") if isinstance(author.get("name"), str) else "")
            elif isinstance(author, str):
                found.append(author)
        if found:
            break
    return _clean_names(found, set())


def outlet(page: Page, header: Header, lifted: str | None) -> str | None:
    """The credited outlet: a 来源 label near the headline or in the body, `<meta>`, then the publisher."""
    for match in _SOURCE_LABEL.finditer(header.short):
        return match["v"]
    if lifted:
        return lifted
    if header.source:
        return header.source
    value = page.meta("source", "article:source", "mediaid")
    if value and units(value) <= 30:
        return value
    return publisher(page)


def publisher(page: Page) -> str | None:
    for obj in page.jsonld:
        pub = obj.get("publisher")
        if isinstance(pub, dict) and isinstance(pub.get("name"), str) and pub["name"].strip():
            return squash(pub["name"])
    return page.meta("og:site_name", "application-name")


# --- helpers -----------------------------------------------------------------------------------------

def _jsonld_str(page: Page, key: str) -> str | None:
    ordered = ([page.jsonld_article()] if page.jsonld_article() else []) + page.jsonld
    for obj in ordered:
        value = obj.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and value.strip():
            return squash(value)
    return None


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def page_is_chinese(page: Page, title: str | None) -> bool:
    lang = (page.tree.get("lang") or "").lower()
    if lang.startswith("zh"):
        return True
    if lang and not lang.startswith("zh") and title and not is_chinese(title):
        return False
    return is_chinese(title or page.title_tag or "")
