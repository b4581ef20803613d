"""JSON objects that pages assign in inline scripts (``var allData = {…};``, ``window.DATA = {…}``).

Some sites (ifeng, qq) put the article's metadata — or the whole body — in such an object. A regex up to
the first ``}`` breaks on nested objects and on braces inside strings, so the object is cut out by matching
braces outside string literals, then read by the json module. Anything that is not valid JSON gives None.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .page import Page


def script_object(page: Page, name: str) -> dict[str, Any] | None:
    """The object assigned to `name` (``var name =``, ``window.name =``, ``name =``) in an inline script.

    Parsers ask for the same object once per field; it is read once per page and kept on the page.
    """
    cache = page.__dict__.setdefault("_script_objects", {})
    if name not in cache:
        cache[name] = _find_object(page, name)
    return cache[name]


def _find_object(page: Page, name: str) -> dict[str, Any] | None:
    assignment = re.compile(r"(?:\bvar\s+|\bwindow\.|\b)" + re.escape(name) + r"\s*=\s*(?=\{)")
    for script in page.tree.iter("script"):
        text = script.text or ""
        if name not in text:
            continue
        for match in assignment.finditer(text):
            value = _json_object_at(text, match.end())
            if value is not None:
                return value
    return None


def object_after_key(text: str, key: str) -> dict[str, Any] | None:
    """The object value of the first ``"key": {…}`` in `text` (e.g. ``docData`` inside a larger blob)."""
    match = re.search(r'"' + re.escape(key) + r'"\s*:\s*(?=\{)', text)
    return _json_object_at(text, match.end()) if match else None


def _json_object_at(text: str, start: int) -> dict[str, Any] | None:
    end = _matching_brace(text, start)
    if end is None:
        return None
    try:
        value = json.loads(text[start:end + 1])
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _matching_brace(text: str, start: int) -> int | None:
    """Index of the ``}`` closing the ``{`` at `start`, skipping braces inside string literals."""
    depth = 0
    quote: str | None = None
    index = start
    length = len(text)
    while index < length:
        char = text[index]
        if quote:
            if char == "\\":
                index += 2
                continue
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None
