"""News lists in JSON or JSONP: find the records, read each into an entry by the field names lists use.

A list API answers either JSON (``{"records": [...]}``, ``{"data": {"list": [...]}}``, a bare array) or the same
wrapped in a JavaScript callback (JSONP: ``cb({...});``). Field names differ by site; the ones read here are
the common ones (``url``/``url_w``/``link``, ``title``, ``showtime``/``date``, ``infoCode``/``code``/``id``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from newsfetch.dates import parse_cn_datetime, parse_iso_datetime
from newsfetch.errors import ContentError

from .base import BadRecord, Document, FeedContext, FeedEntry, FeedSource

_JSONP = re.compile(r"^\s*(?:[\w$.]+\s*\(\s*(?P<call>.*?)\s*\)|(?:var\s+)?[\w$.]+\s*=\s*(?P<var>.*?))\s*;?\s*$", re.S)
_CONTAINERS = ("records", "list", "data", "items", "result", "results", "news", "articles")
URL_KEYS = ("url_w", "url", "uniqueUrl", "link", "href", "art_url")
TITLE_KEYS = ("title",)
TIME_KEYS = ("showtime", "showTime", "date", "pubDate", "publish_time", "publishTime", "time")
ID_KEYS = ("infoCode", "code", "id")
SUMMARY_KEYS = ("digest", "summary", "description")
OUTLET_KEYS = ("mediaName", "source")


def load_json(data: bytes, where: str) -> Any:
    """The value of a JSON or JSONP answer; ContentError when it is neither."""
    text = data.decode("utf-8-sig", "replace").strip()
    if not text:
        raise ContentError("empty answer (no JSON)", where=where)
    if text[0] not in "[{":
        match = _JSONP.match(text)
        if not match:
            raise ContentError("not JSON or JSONP", where=where)
        text = match.group("call") if match.group("call") is not None else match.group("var")
    try:
        return json.loads(text)
    except ValueError as error:
        raise ContentError(f"unreadable JSON ({error.args[0][:60]})", where=where) from None


def records_of(value: Any, depth: int = 0) -> list | None:
    """The list of records in a decoded answer: a list of objects, at the top or under a usual key."""
    if isinstance(value, list):
        return value
    if isinstance(value, Mapping) and depth < 3:
        for key in _CONTAINERS:
            if key in value:
                found = records_of(value[key], depth + 1)
                if found is not None:
                    return found
        if depth > 0 and not value:
            return []
    if value is None and depth > 0:
        return []  # "data": null — an empty page
    return None


def first(record: Mapping, keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return None


def entry_of(record: Any, number: int, where: str) -> FeedEntry | BadRecord:
    """One record as an entry; a record with no address (or not an object) is a BadRecord."""
    if not isinstance(record, Mapping):
        return BadRecord(f"{where}: record {number} is not an object")
    url = first(record, URL_KEYS)
    if not url or not url.lower().startswith(("http://", "https://")):
        return BadRecord(f"{where}: record {number} has no article address")
    when = first(record, TIME_KEYS)
    return FeedEntry(url, title=first(record, TITLE_KEYS), published=parse_iso_datetime(when) or
                     parse_cn_datetime(when), id=first(record, ID_KEYS), summary=first(record, SUMMARY_KEYS),
                     outlet=first(record, OUTLET_KEYS))


def looks_like_json(document: Document) -> bool:
    head = document.data[:200].lstrip()
    return document.content_type.endswith(("json", "javascript")) or head[:1] in (b"{", b"[") or \
        bool(re.match(rb"^[\w$.]+\s*\(\s*[\[{]", head))


class JsonList(FeedSource):
    """A JSON or JSONP news list (a plain URL; sniffed): records with an address and, where stated, title,
    time and id."""

    name = "json"
    summary = "JSON or JSONP news list: records with url/link, title, time, id"
    examples = ("https://example.com/api/news?page=1",)

    def sniffs(self, document: Document) -> bool:
        return looks_like_json(document)

    def parse(self, document: Document, context: FeedContext) -> Iterator[FeedEntry | BadRecord]:
        records = records_of(load_json(document.data, document.url))
        if records is None:
            raise ContentError("no list of records in the JSON", where=document.url)
        for number, record in enumerate(records, 1):
            yield entry_of(record, number, document.url)
