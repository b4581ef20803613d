"""The one place the stages are composed: read/fetch → decode → route → parse (+clean) → Article."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from . import pager
from .article import Article
from .decode import decode_html, sniff_binary
from .errors import ContentError, InputError
from .fetch import Fetcher, FetchOptions, check_url
from .page import Page
from .registry import Registry, default_registry

_JSON_START = re.compile(r"^\s*[\[{]\s*[\"\[{\]}]")


def extract(html: str | bytes, url: str | None = None, *, headers: Mapping[str, str] | None = None,
            registry: Registry | None = None) -> Article:
    """Parse one page into an Article. Bytes are decoded like a browser would (see `decode`).

    Without `url`, the page's canonical link (or og:url) is used to pick the parser and fill `url`.
    Raises ContentError or ParseError (both NewsfetchError) with the reason.
    """
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    if isinstance(html, bytes):
        html = decode_html(html, headers.get("content-type"), where=url)
    if not html.strip():
        raise ContentError("empty page", where=url)
    if _JSON_START.match(html) and "<" not in html[:200]:
        raise ContentError("not an HTML page (looks like JSON)", where=url)
    page = Page(html=html, url=url, headers=headers)
    if page.url is None:
        page.url = page.canonical_url()
    parser = (registry or default_registry()).parser_for(page)
    try:
        return parser.parse(page)
    except RecursionError:  # the tree is parsed whole (huge_tree); walking a page nested thousands deep is not
        raise ContentError("the page nests its elements too deeply to be read (thousands of levels)",
                           where=url) from None


def fetch(url: str, *, options: FetchOptions = FetchOptions(), fetcher: Fetcher | None = None,
          registry: Registry | None = None, join_pages: bool = True) -> Article:
    """Fetch `url` and extract its article. Raises FetchError, ContentError or ParseError.

    A split article (the parser lists ``more_pages``) gets its following pages fetched with the same client
    and appended; pages that cannot be read stay listed in ``more_pages``. `join_pages=False` skips that.
    """
    url = check_url(url)
    own = fetcher is None
    client = fetcher or Fetcher(options)

    def read(address: str) -> Article:
        response = client.get(address)
        return extract(response.content, response.url, headers=response.headers, registry=registry)

    try:
        article = read(url)
        if join_pages and article.extra.get("more_pages"):
            article = pager.join_pages(article, read)
    finally:
        if own:
            client.close()
    return article


def read_capped(stream: BinaryIO, limit: int, where: str) -> bytes:
    """At most `limit` bytes from `stream`; ContentError (exit 6) when there are more, read no further."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ContentError(f"input too large (over the cap of {limit:,} bytes; see --max-bytes)", where=where)
    return data


def read_file(path: str | Path, *, max_bytes: int | None = None) -> bytes:
    """Read a saved page (at most `max_bytes`); raise InputError with the reason when it cannot be read."""
    path = Path(path)
    try:
        if max_bytes is None:
            data = path.read_bytes()
        else:
            with open(path, "rb") as handle:
                data = read_capped(handle, max_bytes, str(path))
    except FileNotFoundError:
        raise InputError("no such file", where=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", where=str(path)) from None
    except PermissionError:
        raise InputError("permission denied", where=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", where=str(path)) from None
    if what := sniff_binary(data):
        raise InputError(f"not a saved HTML page (looks like {what})", where=str(path))
    return data
