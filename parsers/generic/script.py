"""Article text that exists only inside a script: `window.__INITIAL_STATE__ = {...}`, `__NEXT_DATA__`,
JSON-LD `articleBody`. Single-page apps ship the body this way and render it in the browser.

`body_from_scripts` returns the longest prose-like string value found in the JSON of the page's scripts,
as an HTML fragment; `text_in_scripts` tells whether scripts carry much more prose than the markup (so the
parser can say so when it cannot recover it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, tzinfo

import lxml.html

from newsfetch.dates import parse_iso_datetime
from newsfetch.page import Page

from .text import punctuation, units

_BODY_KEYS = frozenset(("content", "articlebody", "body", "text", "html", "contenthtml", "article_content",
                        "articlecontent", "detail", "maintext", "bodyhtml", "content_html"))
_STRING = re.compile(r'"((?:[^"\\]|\\.){80,})"')
_JSON_START = re.compile(r"=\s*(?=[{\[])")


def body_from_scripts(page: Page, *, min_units: float = 20) -> tuple[lxml.html.HtmlElement, dict] | None:
    """The article body carried in a script's JSON as a `<div>`, with the JSON object that holds it (its
    other keys often give the time and author); None when there is none."""
    best: str | None = None
    owner: dict = {}
    best_size = min_units
    for key, value, parent in _strings(page):
        if key.lower() not in _BODY_KEYS:
            continue
        text = lxml.html.fromstring(f"<div>{value}</div>").text_content() if "<" in value else value
        size = units(text)
        if size > best_size and punctuation(text) >= 1:
            best, best_size, owner = value, size, parent
    if best is None:
        return None
    if "<" in best:
        return lxml.html.fromstring(f"<div>{best}</div>"), owner
    wrapper = lxml.html.Element("div")
    for line in best.splitlines():
        if line.strip():
            paragraph = lxml.html.Element("p")
            paragraph.text = line.strip()
            wrapper.append(paragraph)
    return wrapper, owner


def script_field(owner: dict, *keys: str) -> str | None:
    """The first string among `keys` of the JSON object that held the body."""
    for key in keys:
        value = owner.get(key)
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def text_in_scripts(page: Page) -> float:
    """Units of prose-like string literals in the page's scripts (encoded or not)."""
    total = 0.0
    for script in page.tree.iter("script"):
        for match in _STRING.finditer(script.text or ""):
            try:
                value = json.loads(f'"{match.group(1)}"')
            except ValueError:
                continue
            if punctuation(value) >= 3:
                total += units(re.sub(r"<[^>]+>", "", value))
    return total


_TIME_FIELD = re.compile(r'"(?:pubtime|pubTime|publishTime|publish_time|pubDate|ptime|newsTime|datePublished)"\s*:\s*'
                         r'"(?P<v>(?:19|20)\d\d-\d\d-\d\d[ T]\d\d:\d\d(?::\d\d)?[^"]{0,10})"')


def script_time(owner: dict, keys: tuple[str, ...], tz: tzinfo) -> datetime | None:
    """A time field of the JSON object that held the body: a date string or epoch seconds/milliseconds."""
    for key in keys:
        value = owner.get(key)
        if isinstance(value, str) and value.strip():
            parsed = parse_iso_datetime(value.strip(), tz)
            if parsed is not None:
                return parsed
        elif isinstance(value, int) and not isinstance(value, bool) and 10**9 <= value < 10**13:
            seconds = value / 1000 if value >= 10**12 else value
            return datetime.fromtimestamp(seconds, tz)
    return None


def time_in_scripts(page: Page) -> str | None:
    """A publication time a script states (``"pubtime": "2020-11-30 21:48:28"`` in `window.DATA`)."""
    for script in page.tree.iter("script"):
        if match := _TIME_FIELD.search(script.text or ""):
            return match["v"]
    return None


def _strings(page: Page) -> Iterator[tuple[str, str, dict]]:
    for script in page.tree.iter("script"):
        source = (script.text or "").strip()
        if not source or (script.get("type") or "").lower() not in ("", "text/javascript", "application/json",
                                                                        "application/ld+json"):
            continue
        for data in _json_values(source):
            yield from _walk(data)


def _json_values(source: str) -> Iterator[object]:
    decoder = json.JSONDecoder()
    if source[0] in "{[":
        try:
            yield json.loads(source.rstrip(";"))
            return
        except ValueError:
            pass
    for match in _JSON_START.finditer(source):
        try:
            value, _ = decoder.raw_decode(source, match.end())
        except ValueError:
            continue
        yield value


def _walk(data: object, key: str = "", parent: dict | None = None) -> Iterator[tuple[str, str, dict]]:
    if isinstance(data, dict):
        for name, value in data.items():
            yield from _walk(value, str(name), data)
    elif isinstance(data, list):
        for item in data:
            yield from _walk(item, key, parent)
    elif isinstance(data, str) and len(data) >= 40:
        yield key, data, parent or {}
