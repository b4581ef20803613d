"""JSON that pages carry in inline scripts, read one way for every parser.

Pages put their article's metadata — or the whole body — in script JSON: ``var allData = {…};`` and
``window.DATA = {…}`` (ifeng, qq), Next.js ``<script id="__NEXT_DATA__">`` (thepaper, cls, cnstock),
``window.__INITIAL_STATE__ = {…}`` and JSON-LD (single-page apps the generic parser reads). A regex up to
the first ``}`` breaks on nested objects and on braces inside strings, so every value here is read by the json
module's own decoder from where it starts (``raw_decode``), which stops at the value's real end. Anything that
is not valid JSON gives None (or is skipped).

- `script_object(page, name)`: the object assigned to `name`;
- `next_data(page)`, `dig(data, *path)`: the Next.js payload and a safe walk into it;
- `script_values(page)`: every JSON value the page's scripts hold (whole JSON scripts and ``= {…}``
  assignments), read once per page;
- `json_strings(page)`: every string value in them with its key and the object holding it;
- `html_fragment`, `epoch_time`: the two conversions site parsers need for what they find there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import lxml.html

from .dates import CHINA_TZ
from .page import Page

_DECODER = json.JSONDecoder()
_ASSIGNED = re.compile(r"=\s*(?=[{\[])")
_JSON_TYPES = ("", "text/javascript", "application/javascript", "application/json", "application/ld+json")


def script_object(page: Page, name: str) -> dict[str, Any] | None:
    """The object assigned to `name` (``var name =``, ``window.name =``, ``name =``) in an inline script.

    Parsers ask for the same object once per field; it is read once per page and kept on the page.
    """
    cache = page.__dict__.setdefault("_script_objects", {})
    if name not in cache:
        cache[name] = _find_object(page, name)
    return cache[name]


def _find_object(page: Page, name: str) -> dict[str, Any] | None:
    assignment = re.compile(r"(?:\bvar\s+|\blet\s+|\bconst\s+|\bwindow\.|\b)" + re.escape(name) + r"\s*=\s*(?=\{)")
    for script in page.tree.iter("script"):
        text = script.text or ""
        if name not in text:
            continue
        for match in assignment.finditer(text):
            value = _value_at(text, match.end())
            if isinstance(value, dict):
                return value
    return None


def object_after_key(text: str, key: str) -> dict[str, Any] | None:
    """The object value of the first ``"key": {…}`` in `text` (e.g. ``docData`` inside a larger blob)."""
    match = re.search(r'"' + re.escape(key) + r'"\s*:\s*(?=\{)', text)
    value = _value_at(text, match.end()) if match else None
    return value if isinstance(value, dict) else None


def next_data(page: Page) -> dict[str, Any]:
    """The parsed ``<script id="__NEXT_DATA__">`` object, or {} when absent or broken."""
    for script in page.tree.iter("script"):
        if script.get("id") == "__NEXT_DATA__" and script.text:
            value = _value_at(script.text, 0)
            return value if isinstance(value, dict) else {}
    return {}


def dig(data: Any, *path: str) -> Any:
    """``dig(d, "props", "pageProps")``: the nested value, or None where a step is missing."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def script_values(page: Page) -> list[Any]:
    """Every JSON value in the page's inline scripts: a script that is JSON as a whole, else each value
    assigned with ``= {…}`` / ``= […]``. Read once per page and kept on it."""
    cached = page.__dict__.get("_script_values")
    if cached is None:
        cached = [value for script in page.tree.iter("script") for value in _values_in(script)]
        page.__dict__["_script_values"] = cached
    return cached


def json_strings(page: Page, *, min_length: int = 40) -> Iterator[tuple[str, str, dict]]:
    """(key, string value, the object holding it) for every string of at least `min_length` characters."""
    for value in script_values(page):
        yield from _walk(value, min_length)


def html_fragment(html: str | None) -> lxml.html.HtmlElement | None:
    """An HTML string from JSON as one `<div>` element, ready for clean_body."""
    if not html or not html.strip():
        return None
    return lxml.html.fragment_fromstring(html, create_parent="div")


def epoch_time(value: Any) -> datetime | None:
    """Epoch seconds (int or digit string; milliseconds tolerated) → an aware Beijing-time datetime."""
    try:
        seconds = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    if seconds > 10**11:  # milliseconds
        seconds //= 1000
    return datetime.fromtimestamp(seconds, CHINA_TZ) if seconds > 0 else None


# --- reading ----------------------------------------------------------------------------------------------

def _value_at(text: str, start: int) -> Any:
    """The JSON value starting at `start` (after leading space), or None when it is not valid JSON."""
    while start < len(text) and text[start].isspace():
        start += 1
    try:
        value, _ = _DECODER.raw_decode(text, start)
    except ValueError:
        return None
    return value


def _values_in(script: lxml.html.HtmlElement) -> Iterator[Any]:
    source = (script.text or "").strip()
    if not source or (script.get("type") or "").lower() not in _JSON_TYPES:
        return
    if source[0] in "{[":
        value = _value_at(source, 0)
        if value is not None:
            yield value
            return
    for match in _ASSIGNED.finditer(source):
        value = _value_at(source, match.end())
        if value is not None:
            yield value


def _walk(data: Any, min_length: int, key: str = "", parent: dict | None = None) -> Iterator[tuple[str, str, dict]]:
    if isinstance(data, dict):
        for name, value in data.items():
            yield from _walk(value, min_length, str(name), data)
    elif isinstance(data, list):
        for item in data:
            yield from _walk(item, min_length, key, parent)
    elif isinstance(data, str) and len(data) >= min_length:
        yield key, data, parent or {}
