"""SiteParser: the parser contract every source parser (built-in or plug-in) follows.

A parser names its hosts and, per field, a CSS selector; the base supplies the sensible defaults (JSON-LD,
OpenGraph, `<meta>`, visible Chinese date and source patterns), so a site module states only what differs.

**What a parser does, and what the pipeline does.** The parse stage gives the parser the page (`prepare`, for
a parser that must repair markup first), calls every field hook on the untouched page (`read_fields`), then
`find_body` to pick the body element (by default the `body` hook's; a site may edit it there). The pipeline then
cleans that body with the parser's `noise` (stage clean) and renders it into blocks (stage markdown); `refine`
settles the fields now that the body is known (by default: a field the page states wins over the line the clean
stage lifted from the body; the generic parser also drops credit lines from the blocks there), and
`newsfetch.pipeline.assemble` builds the `Article` the one way. Two hooks run after that, with the clean stage's
`CleanResult`: `stocks` (codes from the cleaned widgets) and `finish` (post-processing of the assembled Article,
e.g. Eastmoney's 原标题 in div.sublab). `parse` runs all of this for a caller that holds a parser.

**One name per field.** Each `Article` field a parser reads has one hook named after the field: the
selector ``selectors["source"]`` and the method ``source(page)`` both fill ``Article.source``. Set the
selector when CSS says it; override the method (calling ``super().source(page)`` for the default, which
reads the selector) only where CSS cannot. The field hooks are `FIELDS`; `body` (the element holding the
text) and `paywall` (a marker of a paid page) take selectors too.

**Layout versions** of one site share `name` and form a chain, oldest first: a newer version subclasses the
version whose reading it keeps and overrides what its redesign changed (``selectors = {**Older.selectors,
"title": …}``), with the next `version` and a later `valid_from`. Where a redesign keeps nothing of the older
reading, both subclass a site base class (``QQSite``: name, hosts, title suffixes; no version of its own, not
registered) instead of one undoing the other. No version subclasses a newer one or calls past its parent.
The registry checks the dates and the direction when it is built. A page is read by the newest version whose
`valid_from` is not after the address's date and that `accepts` it.

**Site knowledge stays in the site's module**: `noise` (furniture inside the body), `body_rules` (widget
rules the clean stage runs on every body, since sites syndicate each other's markup) and `post_id` (the
site's own article id for archive file names, with `id_aliases` for the names older archives used).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, ClassVar

import lxml.html

from newsfetch.article import Article
from newsfetch.clean import BodyRule, CleanResult, image_address
from newsfetch.dates import CHINA_TZ, date_from_url
from newsfetch.page import Page, squash
from newsfetch.timeresolver import Times, resolve_page

# "_新浪财经_新浪网", "-中新网", " | 新华网", "—— 澎湃新闻": the site's name after the headline.
_TITLE_TAIL = re.compile(r"\s*(?:[_|｜]|[-–—]{1,2}|::)\s*(?P<tail>[^_|｜\-–—]{1,24})$")
_SITE_WORDS = re.compile(
    r"(网|報|报|新闻|社|财经|频道|在线|日报|时报|周刊|客户端|头条|资讯|中心|平台|门户|\.com|\.cn|\.net|"
    r"News|NEWS|Times|Post|Journal|Reuters|BBC|CNN|Online|Daily|Herald|Tribune|Guardian|detik)", re.I)
_LABEL = re.compile(r"^\s*(?:文章|本文|稿件)?(?:来源|作者|记者|责任编辑|编辑|出处)\s*[:：]\s*")
_NAME_SPLIT = re.compile(r"[\s\u3000、,，;；/|｜]+")
_LATIN_NAME_SPLIT = re.compile(r"\s*(?:[,;/|｜、，；]|\band\b|&)\s*")
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
_NAME_NOISE = re.compile(r"^(?:记者|作者|编辑|责任编辑|实习生|通讯员|文|图|摄|本报记者|本报|报道)[:：/]?")


def split_names(text: str | None) -> list[str]:
    """``记者 张三 李四`` / ``作者：张三、李四`` → ``['张三', '李四']``."""
    if not text:
        return []
    text = _LABEL.sub("", squash(text))
    # Latin names have spaces inside them ("Dana Whitfield"): split those on commas and "and" only.
    splitter = _NAME_SPLIT if _CJK_CHAR.search(text) else _LATIN_NAME_SPLIT
    names = []
    for part in splitter.split(text):
        part = _NAME_NOISE.sub("", part).strip("()（）【】[]:：")
        if part and not _NAME_NOISE.fullmatch(part) and len(part) <= 30:
            names.append(part)
    return list(dict.fromkeys(names))


def strip_label(text: str | None) -> str | None:
    """``来源：中国新闻网`` → ``中国新闻网``; None for blank input."""
    if not text:
        return None
    value = _LABEL.sub("", squash(text)).strip()
    return value or None


def strip_site_suffix(title: str, suffixes: tuple[str, ...] = (), *, generic: bool = True) -> str:
    """Remove the site names titles carry (``_新浪财经_新浪网``, ``-中新网``, ``| 新华网``).

    `suffixes` are the site's own patterns; `generic` also drops trailing segments that look like a site
    or channel name, never a part of the headline such as ``HFO-1234yf``.
    """
    title = squash(title)
    for suffix in suffixes:
        title = re.sub(suffix + r"\s*$", "", title).strip()
    while generic and (match := _TITLE_TAIL.search(title)):
        head = title[:match.start()].strip()
        if len(head) < 4 or not _SITE_WORDS.search(match["tail"]):
            break
        title = head
    return title


# The Article fields a parser reads from the page, each through the hook of the same name.
FIELDS: tuple[str, ...] = ("title", "published", "source", "authors", "editors", "section", "summary", "image",
                           "stocks")


class SiteParser:
    """Base of all parsers. Subclasses set `name`, `hosts` and `selectors`; see parsers/hexun.py (a chain)."""

    name: ClassVar[str] = ""
    hosts: ClassVar[tuple[str, ...]] = ()      # a host serves its sub-hosts too
    site_name: ClassVar[str | None] = None     # the hosting site as readers know it (e.g. 东方财富网)
    version: ClassVar[str] = "1"
    valid_from: ClassVar[date | None] = None   # layout versions: first publication date this one reads
    # CSS selectors by field name (newsfetch.registry.SELECTOR_NAMES: FIELDS but stocks, and body, paywall;
    # an unknown name is a registry problem); "a, b" means: try a, then b. `image` is the
    # picture taken when the page declares no og:image; `paywall` marks a paid page (extra.paywalled).
    selectors: ClassVar[Mapping[str, str]] = {}
    noise: ClassVar[tuple[str, ...]] = ()      # the site's own furniture inside the body
    body_rules: ClassVar[tuple[BodyRule, ...]] = ()  # the site's widget rules, run on every body (see clean.py)
    title_suffixes: ClassVar[tuple[str, ...]] = ()  # regexes removed from the end of titles
    min_body_chars: ClassVar[int] = 20
    confidence: ClassVar[str] = "high"         # how well the selectors are evidenced (README sites table)
    notes: ClassVar[str] = ""                  # one line on what is weak or unconfirmed, for the same table

    def selector(self, field: str) -> str | None:
        """The CSS selector set for `field`, or None."""
        return self.selectors.get(field)

    # --- layout versions ----------------------------------------------------------------------
    def accepts(self, page: Page) -> bool:
        """Whether this version can read `page` (by default: its body container is there)."""
        body = self.selector("body")
        return body is None or page.select_one(body) is not None

    def page_date(self, page: Page) -> date | None:
        """The publication date as far as the address tells, for choosing a layout version."""
        return date_from_url(page.url)

    # --- the fields, one hook each, named after the Article field ------------------------------
    def title(self, page: Page) -> str | None:
        """The headline, without the site name sites append to `<title>`."""
        text = page.text(self.selector("title"))
        if text:  # a headline element carries no site name, except where the site says so
            return strip_site_suffix(text, self.title_suffixes, generic=False)
        article = page.jsonld_article() or {}
        text = _str(article.get("headline")) or page.meta("og:title", "twitter:title") or page.title_tag
        return strip_site_suffix(text, self.title_suffixes) if text else None

    def published(self, page: Page) -> datetime | None:
        """The publication time: the time resolver (newsfetch/timeresolver.py) over the selector's text (the
        time printed under the headline), JSON-LD, `<meta>`, `<time>` and script data."""
        return self.times(page).published

    def modified(self, page: Page) -> datetime | None:
        """The last modification the page states (`last_modified_at`); never the publication time."""
        return self.times(page).modified

    def times(self, page: Page) -> Times:
        """The time resolver over the page's metadata and the text of this site's time element."""
        selector = self.selector("published")

        def resolve() -> Times:
            printed = page.text(selector) if selector else None
            return resolve_page(page, printed, CHINA_TZ, year_hint=date_from_url(page.url))
        # `published` and `modified` both ask, on the untouched page: resolve it once
        return page.once(("SiteParser.times", selector, page.url), resolve)

    def source(self, page: Page) -> str | None:
        """The credited outlet (来源): the selector's text or its link's, without the label; else `<meta>`.
        None leaves it to the body's 来源 line."""
        element = page.select_one(self.selector("source"))
        if element is not None:
            link = element.find(".//a")
            text = strip_label(link.text_content() if link is not None and squash(link.text_content())
                               else element.text_content())
            if text:
                return text
        return page.meta("source", "article:source", "mediaid") or None

    def authors(self, page: Page) -> list[str]:
        """Author names: the selector's text split into names, else JSON-LD and `<meta name=author>`."""
        if self.selector("authors"):
            return split_names(page.text(self.selector("authors")))
        article = page.jsonld_article() or {}
        names = [_str(a.get("name")) if isinstance(a, dict) else _str(a) for a in _as_list(article.get("author"))]
        names = [n for n in names if n] or split_names(page.meta("author", "article:author"))
        return [n for n in names if not n.startswith("http")]

    def editors(self, page: Page) -> list[str]:
        """Editor names (责任编辑) from the selector; the body's 责任编辑 lines are added to these."""
        return split_names(page.text(self.selector("editors"))) if self.selector("editors") else []

    def section(self, page: Page) -> str | None:
        """The site's section (channel) name."""
        if self.selector("section"):
            return page.text(self.selector("section"))
        return page.meta("article:section")

    def summary(self, page: Page) -> str | None:
        """The standfirst: the selector's text, else the description `<meta>`."""
        return page.text(self.selector("summary")) or page.meta("description", "og:description")

    def image(self, page: Page) -> str | None:
        """The lead picture: og:image, else the `src` of the selector's image."""
        declared = page.absolute(page.meta("og:image", "twitter:image"))
        if declared or not self.selector("image"):
            return declared
        image = page.select_one(self.selector("image"))
        return image_address(image, page.url) if image is not None else None

    def stocks(self, page: Page, cleaned: CleanResult) -> list[str]:
        """Stocks the article is about: by default those the clean stage found marked in the body."""
        return cleaned.stocks

    def body(self, page: Page) -> lxml.html.HtmlElement | None:
        """The element holding the article body (it is cleaned and rendered after this)."""
        return page.select_one(self.selector("body"))

    def url(self, page: Page) -> str | None:
        """The article's address."""
        return page.url or page.canonical_url()

    def extra(self, page: Page) -> dict[str, Any]:
        """Facts only some pages have (paywall, more pages); rendered after the standard fields."""
        return {}

    # --- archive ids ------------------------------------------------------------------------------
    @classmethod
    def post_id(cls, url: str) -> str | None:
        """The site's own id of the article at `url`, for archive file names; None: not one of its
        addresses. It is asked about every address (a site's share links may be served by other hosts)."""
        return None

    @classmethod
    def id_aliases(cls, post_id: str) -> tuple[str, ...]:
        """Other names the article `post_id` may have in older archives (beside `post_id` itself)."""
        return ()

    # --- after the clean stage ---------------------------------------------------------------------
    def finish(self, article: Article, page: Page, cleaned: CleanResult) -> Article:
        """Post-process the assembled Article (default: as it is). The one hook that runs after the clean
        stage besides `stocks`: for what only the cleaned body tells or a rule over page and body values
        together. `page`'s body is cleaned by then: read the untouched page in a field hook instead."""
        return article

    # --- the parse stage --------------------------------------------------------------------------
    def prepare(self, page: Page) -> Page:
        """The page the other hooks read (default: `page` itself; a parser may re-read broken markup)."""
        return page

    def find_body(self, page: Page, fields: Fields) -> FoundBody | None:
        """The body element and what is known of where it came from (default: the `body` hook's element)."""
        element = self.body(page)
        return FoundBody(element) if element is not None else None

    def refine(self, page: Page, fields: Fields, body: FoundBody, cleaned: CleanResult,
               blocks: list[Block]) -> tuple[Fields, list[Block]]:
        """The fields and the rendered blocks once the body is known. Default: a field the page states wins
        over the line the clean stage lifted from the body (authors, source; editors are merged); the blocks
        stay as they are. `page`'s body is cleaned by then: read the untouched page in a field hook."""
        return replace(fields, authors=fields.authors or cleaned.authors,
                       editors=list(dict.fromkeys(fields.editors + cleaned.editors)),
                       source=fields.source or cleaned.source), blocks

    def read_fields(self, page: Page) -> Fields:
        """Every field hook over the untouched page (before `body` and the clean stage edit the tree)."""
        return Fields(
            title=self.title(page),
            url=self.url(page),
            published=self.published(page),
            modified=self.modified(page),
            authors=self.authors(page),
            editors=self.editors(page),
            source=self.source(page),
            section=self.section(page),
            summary=self.summary(page),
            image=self.image(page),
            extra=self.extra(page),
            # the paywall box often sits inside the body and is noise there
            paywalled=page.select_one(self.selector("paywall")) is not None,
            site=self.site_name or self.name,
        )

    def parse(self, page: Page) -> Article:
        """The Article of `page` through the pipeline's stages after route (parse fields, clean, markdown,
        Article; see `newsfetch.pipeline.read_article`); raise ParseError naming what is missing."""
        from newsfetch.pipeline import read_article  # the pipeline imports this module

        return read_article(self, page)


@dataclass(frozen=True)
class Fields:
    """What the field hooks read from the untouched page; the pipeline fills in the rest from the body."""

    title: str | None
    url: str | None
    published: datetime | None
    modified: datetime | None
    authors: list[str]
    editors: list[str]
    source: str | None
    section: str | None
    summary: str | None
    image: str | None
    extra: dict[str, Any]
    paywalled: bool
    site: str | None = None  # the hosting site (by default the parser's `site_name` or `name`)
    state: Any = None        # the parser's own notes on this page, for its later hooks (`find_body`, `refine`)


Block = tuple[str, str]
"""One rendered block of the body: its Markdown and its plain text (`newsfetch.markdown.render_blocks`)."""


@dataclass(frozen=True)
class FoundBody:
    """The element a parser picked as the body, with the facts to report about it (``Article.extra``) and,
    for the parser's own `refine`, what it came from (e.g. the script JSON object that held the text)."""

    element: lxml.html.HtmlElement
    extra: Mapping[str, Any] = field(default_factory=dict)
    origin: Any = None


def _str(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return squash(value) if isinstance(value, str) and value.strip() else None


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
