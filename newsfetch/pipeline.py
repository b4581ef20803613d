"""The one place the stages are composed: fetch → decode → route → parse fields → clean → markdown → Article →
join pages.

Every way in goes through here: `newsfetch url` (`fetch`), `newsfetch file` (`extract`), the batch workers and
any other crawler (`article_from_page`, which takes the bytes, address and headers a client got, and a callable
that reads a following page). A site parser reads the fields from the untouched page and picks the body element
(stage parse); the pipeline cleans that body with the parser's noise (clean), renders it (markdown) and builds
the Article with the parser's after-clean hooks, `refine`, `stocks` and `finish` (`read_article`), the generic
parser included. `newsfetch normalize`, which starts from HTML fragments of old posts, runs the
clean and markdown stages alone (`clean`, `to_markdown`). Each stage logs its time at INFO (`newsfetch
--verbose`), logger ``newsfetch.pipeline``.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import lxml.html

from . import pager
from .article import Article
from .clean import CleanResult, clean_body
from .decode import decode_html, sniff_binary
from .errors import ContentError, InputError, ParseError
from .fetch import Fetcher, FetchOptions, Response, check_url
from .markdown import Rendered, join_blocks, render, render_blocks
from .page import Page
from .parsers.base import Fields, FoundBody, SiteParser
from .registry import Registry, default_registry
from .stocks import unique

log = logging.getLogger(__name__)

STAGES = ("fetch", "decode", "route", "parse", "clean", "markdown", "article", "join")
"""The stage names, in order, as `--verbose` logs them."""

ReadPage = Callable[[str], Response]
"""Reads one following page of a split article: address → the client's response (raises NewsfetchError)."""

_JSON_START = re.compile(r"^\s*[\[{]\s*[\"\[{\]}]")


@contextmanager
def stage(name: str, where: str | None) -> Iterator[None]:
    """Time one stage of one page and log it (only when INFO is on: the clock costs nothing otherwise)."""
    if not log.isEnabledFor(logging.INFO):
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        log.info("%-6s %7.1f ms  %s", name, (time.perf_counter() - started) * 1000, where or "-")


def decode(content: str | bytes, url: str | None, headers: Mapping[str, str]) -> Page:
    """Stage decode: bytes → text (like a browser would, see `newsfetch.decode`) → a Page; refuse non-HTML."""
    with stage("decode", url):
        html = decode_html(content, headers.get("content-type"), where=url) if isinstance(content, bytes) \
            else content
        if not html.strip():
            raise ContentError("empty page", where=url, reason="empty")
        if _JSON_START.match(html) and "<" not in html[:200]:
            raise ContentError("not an HTML page (looks like JSON)", where=url, reason="not-html")
        page = Page(html=html, url=url, headers=headers)
        if page.url is None:
            page.url = page.canonical_url()
        return page


def parse(page: Page, registry: Registry | None = None) -> Article:
    """Stage route (pick the page's parser), then the stages that turn the page into an Article."""
    with stage("route", page.url):
        parser = (registry or default_registry()).parser_for(page)
    try:
        if type(parser).parse is SiteParser.parse:
            return read_article(parser, page)
        with stage("parse", page.url):  # a plug-in that overrides `parse` runs all of it in one stage
            return parser.parse(page)
    except RecursionError:  # the tree is parsed whole (huge_tree); walking one nested thousands deep is not
        raise ContentError("the page nests its elements too deeply to be read (thousands of levels)",
                           where=page.url, reason="too-deep") from None


def read_article(parser: SiteParser, page: Page) -> Article:
    """Stages parse (the fields from the untouched page, then the body element), clean, markdown and article."""
    with stage("parse", page.url):
        page = parser.prepare(page)
        fields = parser.read_fields(page)
        body = parser.find_body(page, fields)
        if body is None:
            raise ParseError("no article body found on the page", where=page.url)
    cleaned = clean(body.element, base_url=page.url, noise=parser.noise, where=page.url)
    with stage("markdown", page.url):
        fields, blocks = parser.refine(page, fields, body, cleaned, render_blocks(cleaned.body))
        rendered = join_blocks(blocks)
    with stage("article", page.url):
        return assemble(parser, page, fields, body, cleaned, rendered)


def assemble(parser: SiteParser, page: Page, fields: Fields, body: FoundBody, cleaned: CleanResult,
             rendered: Rendered) -> Article:
    """The one way an Article is built: the fields as the parser's `refine` settled them, the body's facts,
    then the parser's `stocks` and `finish` hooks."""
    if len(rendered.text.strip()) < parser.min_body_chars and "![" not in rendered.markdown:
        raise ParseError("the article body is empty", where=page.url)
    if not fields.title:
        raise ParseError("no title found on the page", where=page.url)
    article = Article(
        title=fields.title,
        url=fields.url,
        published=fields.published,
        modified=fields.modified,
        authors=tuple(fields.authors),
        editors=tuple(fields.editors),
        source=fields.source,
        site=fields.site,
        parser=parser.name,
        parser_version=parser.version,
        section=fields.section,
        original_title=cleaned.original_title,
        summary=fields.summary,
        image=fields.image,
        stocks=unique(parser.stocks(page, cleaned)),
        markdown=rendered.markdown,
        text=rendered.text,
        extra={**fields.extra, **body.extra, **({"paywalled": True} if fields.paywalled else {})},
    )
    return parser.finish(article, page, cleaned)


def clean(body: lxml.html.HtmlElement, *, base_url: str | None = None, noise: Iterable[str] = (),
          where: str | None = None) -> CleanResult:
    """Stage clean: tracking, widgets and furniture (`noise`: the site's own selectors) out of `body`, in place;
    the fields it lifts are returned."""
    with stage("clean", where or base_url):
        return clean_body(body, base_url=base_url, noise=noise)


def to_markdown(body: lxml.html.HtmlElement, *, where: str | None = None) -> Rendered:
    """Stage markdown: a cleaned body → Markdown and plain text."""
    with stage("markdown", where):
        return render(body)


def extract(html: str | bytes, url: str | None = None, *, headers: Mapping[str, str] | None = None,
            registry: Registry | None = None) -> Article:
    """Parse one page into an Article. Bytes are decoded like a browser would (see `decode`).

    Without `url`, the page's canonical link (or og:url) is used to pick the parser and fill `url`.
    Following pages of a split article are not read (they stay in ``extra["more_pages"]``).
    Raises ContentError or ParseError (both NewsfetchError) with the reason.
    """
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    return parse(decode(html, url, headers), registry)


def article_from_page(content: str | bytes, url: str | None, headers: Mapping[str, str] | None = None, *,
                      read_page: ReadPage | None = None, registry: Registry | None = None) -> Article:
    """The pipeline after the fetch, for any client: one page's bytes → the whole Article.

    `read_page` fetches a following page of a split article (the caller decides how politely); without it the
    following pages stay listed in ``extra["more_pages"]``. A following page that fails stops the join and
    stays listed (see `pager.join_pages`); only the first page's errors are raised.
    """
    article = extract(content, url, headers=headers, registry=registry)
    if read_page is None or not article.extra.get("more_pages"):
        return article

    def read(address: str) -> Article:
        with stage("fetch", address):
            response = read_page(address)
        return extract(response.content, response.url, headers=response.headers, registry=registry)

    with stage("join", article.url):
        return pager.join_pages(article, read)


def fetch(url: str, *, options: FetchOptions = FetchOptions(), fetcher: Fetcher | None = None,
          registry: Registry | None = None, join_pages: bool = True) -> Article:
    """Fetch `url` and extract its article. Raises FetchError, ContentError or ParseError.

    A split article (the parser lists ``more_pages``) gets its following pages fetched with the same client
    and appended; pages that cannot be read stay listed in ``more_pages``. `join_pages=False` skips that.
    """
    url = check_url(url)
    own = fetcher is None
    client = fetcher or Fetcher(options)
    try:
        with stage("fetch", url):
            response = client.get(url)
        return article_from_page(response.content, response.url, response.headers,
                                 read_page=client.get if join_pages else None, registry=registry)
    finally:
        if own:
            client.close()


def read_capped(stream: BinaryIO, limit: int, where: str) -> bytes:
    """At most `limit` bytes from `stream`; ContentError (exit 6) when there are more, read no further."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ContentError(f"input too large (over the cap of {limit:,} bytes; see --max-bytes)", where=where,
                           reason="too-large")
    return data


def read_file(path: str | Path, *, max_bytes: int | None = None) -> bytes:
    """Read a saved page (at most `max_bytes`); raise InputError with the reason when it cannot be read."""
    path = Path(path)
    try:
        with stage("fetch", str(path)):  # a saved page's fetch is the read
            if max_bytes is None:
                data = path.read_bytes()
            else:
                with open(path, "rb") as handle:
                    data = read_capped(handle, max_bytes, str(path))
    except FileNotFoundError:
        raise InputError("no such file", where=str(path), reason="no-such-file") from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", where=str(path), reason="is-a-directory") from None
    except PermissionError:
        raise InputError("permission denied", where=str(path), reason="permission-denied") from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", where=str(path)) from None
    if what := sniff_binary(data):
        raise InputError(f"not a saved HTML page (looks like {what})", where=str(path), reason="not-html")
    return data
