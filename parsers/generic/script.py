"""Article text that exists only inside a script: `window.__INITIAL_STATE__ = {...}`, `__NEXT_DATA__`,
JSON-LD `articleBody`. Single-page apps ship the body this way and render it in the browser.

`body_from_scripts` returns the longest prose-like string value found in the JSON of the page's scripts
(read by newsfetch.scriptdata, the one reader of script JSON), as an HTML fragment; a string that reads as
program code (JavaScript, CSS) is never a body. `text_in_scripts` tells whether scripts carry much more prose
than the markup (so the parser can say so when it cannot recover it).
"""

from __future__ import annotations

import json
import re
from datetime import datetime, tzinfo

import lxml.html

from newsfetch.dates import parse_iso_datetime
from newsfetch.page import Page
from newsfetch.scriptdata import json_strings

from .text import punctuation, units

_BODY_KEYS = frozenset(("content", "articlebody", "body", "text", "html", "contenthtml", "article_content",
                        "articlecontent", "detail", "maintext", "bodyhtml", "content_html"))
_STRING = re.compile(r'"((?:[^"\\]|\\.){80,})"')
# Marks of program text: a body string full of these is code that happened to sit under a "content" key.
_CODE = re.compile(r"\bfunction\s*\(|=>|\bvar\s+\w+\s*=|\b(?:let|const)\s+\w+\s*=|\breturn\b[^.]{0,40};|"
                   r"\bdocument\.\w+|\bwindow\.\w+|[{};]\s*$|^\s*[.#]?[\w-]+\s*\{[^}]*:[^}]*\}", re.M)


def body_from_scripts(page: Page, *, min_units: float = 20) -> tuple[lxml.html.HtmlElement, dict] | None:
    """The article body carried in a script's JSON as a `<div>`, with the JSON object that holds it (its
    other keys often give the time and author); None when there is none."""
    best: str | None = None
    owner: dict = {}
    best_size = min_units
    for key, value, parent in json_strings(page):
        if key.lower() not in _BODY_KEYS:
            continue
        text = lxml.html.fromstring(f"<div>{value}</div>").text_content() if "<" in value else value
        size = units(text)
        if size > best_size and punctuation(text) >= 1 and not is_code(text):
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


def is_code(text: str) -> bool:
    """Program text rather than prose: code marks on many of its lines, or braces, semicolons and `=` at a
    density prose never has (more than one in 25 visible characters)."""
    lines = [line for line in text.splitlines() if line.strip()] or [text]
    marked = sum(1 for line in lines if _CODE.search(line))
    if marked >= max(2, len(lines) * 0.3):
        return True
    syntax = sum(text.count(c) for c in "{};=")
    return syntax >= 10 and syntax * 25 > len("".join(text.split()))


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
