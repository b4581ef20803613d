"""Helpers for pages whose article lives in a script's JSON (Next.js ``__NEXT_DATA__``), not in the markup."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import lxml.html

from newsfetch.dates import CHINA_TZ
from newsfetch.page import Page


def next_data(page: Page) -> dict[str, Any]:
    """The parsed ``<script id="__NEXT_DATA__">`` object, or {} when absent or broken."""
    for script in page.tree.iter("script"):
        if script.get("id") == "__NEXT_DATA__" and script.text:
            try:
                data = json.loads(script.text)
            except ValueError:
                return {}
            return data if isinstance(data, dict) else {}
    return {}


def dig(data: Any, *path: str) -> Any:
    """``dig(d, "props", "pageProps")``: the nested value, or None where a step is missing."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


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
