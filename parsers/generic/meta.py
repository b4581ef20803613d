"""Time, authors and outlet of any news page, from structured data first, then from what a reader sees.

Visible facts are read from the header region (region.py): the text after the headline, where sites
print ``2021-12-30 18:35 来源：观察者网 作者：张三`` or ``By Jane Doe · December 30, 2021``.
"""

from __future__ import annotations

import re
from datetime import timezone, tzinfo

from lxml import etree

from newsfetch.dates import CHINA_TZ, date_from_url
from newsfetch.page import Page, squash
from newsfetch.timeresolver import Times, resolve_page, states_date

from ..base import split_names
from .region import Header, in_noise
from .text import is_chinese, text_within, tokens, units

_SOURCE_LABEL = re.compile(
    r"(?:(?:文章|本文|稿件|新闻)?来源|稿源|本文来自(?:微信公众号)?)\s*[:：]\s*(?P<v>[^\s|｜/，,。（(）)\]】]{2,30})")
_AUTHOR_LABEL = re.compile(r"(?:^|[\s（(【\[，,。])(?:作者|撰文|文)\s*[:：/｜|]\s*"
                           r"(?P<v>(?:(?!\s*(?:责编|责任编辑|编辑|校对|评论|来源|稿源|时间|发布|阅读|点击)\s*[:：])"
                           r"[^，,。；;）)】\]|｜\n]){2,30})")
_REPORTER = re.compile(
    r"(?:^|[\s（(【\[]|本报|总台|本台|本网|讯)(?:特约)?记者\s*[:：]?\s*"
    r"(?P<v>[\u4e00-\u9fff·]{2,4}(?:[\s、，,]+(?:实习生|通讯员)?\s*[\u4e00-\u9fff·]{2,4})*)(?=$|[\s）)】\]]|报道|摄)")
_BY = re.compile(r"^\s*(?:By|Oleh|Von|Par|Por|Door)\s+(?P<v>[A-Z][^\n|·•]{2,80})", re.I | re.M)
_NAME_JUNK = re.compile(r"\d|@|https?:|www\.|\.com|网$|报$|社$|新闻|台$|中心|公众号|客户端|编辑部|记者$|^(?:出自|来自|转自|摘自|"
                        r"选自|出处)$|^(?:责编|编辑|评论|来源|稿源|"
                        r"校对|阅读|分享|点击|留言|博客|联系记者|发表在|發表在|发表于|作者|简介|作者简介)$|^(?:last )?"
                        r"(?:updated|published|posted)\b|staff|correspondent|"
                        r"writer|reporter|editor|agencies|twitter|facebook|instagram|linkedin|whatsapp|telegram|"
                        r"youtube|"
                        r"weibo|wechat|e-?mail|\brss\b|\bfollow\b|微博|微信|关注|订阅", re.I)
_BYLINE_TAIL = re.compile(r"\s*(?:[-–—•|·]\s*)?(?:\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d|"
                          r"(?<![\u4e00-\u9fff])\d).*$", re.S)
_LATIN_NAME = re.compile(r"^[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}$")
_CJK_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,6}$")
# A Japanese full name, family and given name apart (大渡 美咲, 山田 はな): one person, not two.
_JAPANESE_NAME = re.compile(r"^[\u3040-\u30ff\u4e00-\u9fff]{1,4}[ \u3000][\u3040-\u30ff\u4e00-\u9fff]{1,4}$")
_SPACED_OUT = re.compile(r"^[\u4e00-\u9fff](?:[\s\u3000]+[\u4e00-\u9fff]){1,2}$")
_KANA = re.compile(r"[\u3040-\u30ff]")

# --- time --------------------------------------------------------------------------------------------

def page_times(page: Page, header: Header, chinese: bool) -> Times:
    """The time resolver (newsfetch/timeresolver.py) over the page's metadata, the lines printed around the
    headline (after it, else just before it) and, last, 发表于-style labels anywhere on the page."""
    tz: tzinfo = CHINA_TZ if chinese else timezone.utc
    hint = date_from_url(page.url)
    printed = header.short if states_date(header.short, year_hint=hint) else header.before
    return resolve_page(page, printed, tz, year_hint=hint, labelled=True)


# --- people and outlet -------------------------------------------------------------------------------

def byline(page: Page, header: Header, site_names: set[str]) -> list[str]:
    """Author names: JSON-LD persons, `<meta name=author>`, labelled lines, then byline elements."""
    japanese = is_japanese(page)
    names = _jsonld_authors(page)
    seen = visible_authors(header.text, site_names, japanese=japanese)
    if not names:
        names = _clean_names(re.split(r"\s*[;；]\s*", page.meta(*_AUTHOR_META) or "")[0:1], site_names)
        # the byline printed on the page may name more people than the meta tag
        if names and {n.casefold() for n in names} < {n.casefold() for n in seen}:
            names = seen
    if not names:
        names = seen
    if not names:
        for element in _MAY_BE_BYLINE(page.tree):
            if element.get("itemprop") == "author" or element.get("rel") == "author" or \
                    not tokens(element).isdisjoint(_BYLINE_WORDS):
                raw = text_within(element, 60)  # a byline is short: a long block is not read whole
                text = squash(raw) if raw is not None else ""
                # a byline is often a list item or sits in a meta bar: its own tag and links are no furniture
                if text and not in_noise(element.getparent(), links_ok=True):
                    # a link to the author's page names the author (the date printed beside it may be glued on)
                    linked = [squash(a.text_content()) for a in element.iter("a")
                              if _AUTHOR_PAGE.search(a.get("href") or "")]
                    names = _clean_names(linked, site_names) or visible_authors(text, site_names, japanese=japanese) \
                        or _clean_names(_split(text, japanese), site_names)
                    if names:
                        break
    return names


_BYLINE_WORDS = frozenset(("author", "byline", "reporter", "writer", "contributor"))
_AUTHOR_PAGE = re.compile(r"/(?:authors?|autor(?:es|en)?|auteurs?|writers?|columnists?|reporters?|journalists?|"
                          r"contributors?|staff|people|byline)/[^/?#]+/?(?:$|[?#])", re.I)
# the elements the byline search can accept, in page order: without a class or id, only these attributes qualify
_MAY_BE_BYLINE = etree.XPath("//*[@class or @id or @itemprop='author' or @rel='author']")


# Author names declared in <meta>. An academic page's Google Scholar `citation_author` first (there `author` is
# often the publisher). Dublin Core `dc.creator` is not read: on the corpus it names a desk or an agency as often
# as a person (``Washington Post editors``, ``Center for Drug Evaluation and Research``, ``Mac & i``).
_AUTHOR_META = ("citation_author", "citation_authors", "author", "dtk:author", "article:author",
                "article:author_name", "sailthru.author", "parsely-author")


def site_owners(page: Page) -> set[str]:
    """The people a personal site may be named after (casefolded): authors the page marks up as a Person (JSON-LD,
    `itemprop=author` with a Person `itemtype`), who stay authors although the site bears their name. A plain
    `<meta name=author>` is no evidence: news sites fill it with their own name (ABC News on abcnews.go.com)."""
    owners = {name.casefold() for name in _jsonld_authors(page, persons_only=True)}
    for element in page.tree.xpath("//*[@itemprop='author'][substring(@itemtype, string-length(@itemtype) - 6)"
                                   " = '/Person']"):
        named = element.find(".//*[@itemprop='name']")
        text = squash((named if named is not None else element).text_content())
        owners.update(name.casefold() for name in _clean_names(_split(text), set()))
    return owners


def visible_authors(text: str, site_names: set[str], *, japanese: bool = False) -> list[str]:
    """Names from ``作者：X`` / ``文/X`` / ``（记者 X Y）`` / ``By X and Y`` lines."""
    for pattern in (_AUTHOR_LABEL, _REPORTER, _BY):
        for match in pattern.finditer(text):
            names = _clean_names(_split(match["v"], japanese), site_names)
            if names:
                return names
    return []


# A field of its own labelled 作者 (a table cell, a span of the credit row: ``作者：宋怡 杨志华``): its whole text is
# the label and the names.
_AUTHOR_FIELDS = etree.XPath("//*[self::td or self::span or self::div or self::p or self::font or self::em or "
                             "self::strong or self::b][text()[contains(., '作者')]]")
_AUTHOR_FIELD = re.compile(r"^(?:作者|撰文|撰稿)\s*[:：]\s*"
                           r"(?P<v>[\u4e00-\u9fff·]{2,4}(?:[\s、，,]+[\u4e00-\u9fff·]{2,4}){0,5})$")


def author_field(page: Page, site_names: set[str]) -> list[str]:
    """Names of the first field labelled 作者 outside link lists and furniture: what a page that prints no byline
    near its headline may print in its credit row, after the text."""
    for element in _AUTHOR_FIELDS(page.tree):
        text = squash(element.text_content())
        if len(text) <= 40 and (match := _AUTHOR_FIELD.match(text)) and not in_noise(element):
            if names := _clean_names(_split(match["v"]), site_names):
                return names
    return []


def clean_names(text: str, site_names: set[str]) -> list[str]:
    """Names in a free-form byline (``澎湃新闻记者 李四``, ``By A and B``), without outlets and junk."""
    return _clean_names(_split(text), site_names)


def is_japanese(page: Page) -> bool:
    """A Japanese page (declared, or kana in its title): there a space inside a CJK name is no separator."""
    return (page.tree.get("lang") or "").lower().startswith("ja") or bool(_KANA.search(page.title_tag or ""))


def _split(text: str, japanese: bool = False) -> list[str]:
    text = re.sub(r"^\s*(?:By|Oleh|Von|Par|Por|Door)\s+", "", text.strip(), flags=re.I)
    if japanese and _JAPANESE_NAME.match(squash(text)):
        return [squash(text).replace("\u3000", " ")]
    if _SPACED_OUT.match(text):  # one spaced-out name (赵  培), not single characters
        return [text]
    text = re.sub(r",\s*(?:Staff Writer|Reporter|Correspondent|Editor)\b.*$", "", text, flags=re.I)
    # a byline line goes on with the date or the reading time ("Dan Goodin - Apr 16, 2015", "James Akinaka • 8h")
    text = _BYLINE_TAIL.sub("", text)
    if re.search(r"[A-Za-z]", text) and not re.search(r"[\u4e00-\u9fff]", text):
        return [p for p in re.split(r"\s*(?:,|\band\b|&|;)\s*", text) if p]
    return split_names(text)


def _clean_names(candidates: list[str], site_names: set[str]) -> list[str]:
    names = []
    for name in candidates:
        name = squash(name).strip(" ,.;:()（）【】[]-–—·•|")
        if _SPACED_OUT.match(name):  # 赵  培: a two-character name padded to the width of three, one person
            name = re.sub(r"\s+", "", name)
        if not name or _NAME_JUNK.search(name) or name.casefold() in site_names:
            continue
        if _CJK_NAME.match(name) or _JAPANESE_NAME.match(name):
            names.append(name)
        elif _LATIN_NAME.match(name) and len(name) <= 40 and " " in name:
            names.append(name.title() if name.isupper() else name)
    return list(dict.fromkeys(names))


def _jsonld_authors(page: Page, *, persons_only: bool = False) -> list[str]:
    found = []
    for obj in page.jsonld:
        for author in _as_list(obj.get("author")):
            if isinstance(author, dict):
                kind = author.get("@type")
                if (isinstance(kind, str) and "Organization" in kind) or (persons_only and kind != "Person"):
                    continue
                found.append(author.get("name") if isinstance(author.get("name"), str) else "")
            elif isinstance(author, str) and not persons_only:
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
    if is_chinese(title or page.title_tag or ""):
        return True
    # no language declared and a title mostly in Latin letters ("某某 | blog.example.com"): the page's own text says
    body = page.tree.find("body")
    return not lang and body is not None and is_chinese(squash(body.text_content())[:3000])
