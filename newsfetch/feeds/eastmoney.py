"""Eastmoney's own news lists as feeds (``eastmoney:roll``, ``eastmoney:column/1207``) and its news-text API.

Facts from shared/sites/eastmoney.md, "News-text API": the roll list answers ``records[]`` with ``title``,
``digest``, ``id``, ``url_w``, ``showtime`` and ``infoCode`` (``NW`` + the 18-digit article id); the column list
is ``getNewsByColumns`` (columns such as 1207 财经早餐, 297, 298); the text API answers JSON whose ``content`` is
the inner markup of the article page's ``#ContentBody``. Lists are newest first and article ids start with
the publication date, so a run pages until the newest id the previous run saw (its mark) and stops there.

The endpoints are URL templates, overridable with environment variables (tests point them at 127.0.0.1):
``NEWSFETCH_EASTMONEY_ROLL_URL`` (``{page}``, ``{size}``), ``NEWSFETCH_EASTMONEY_COLUMN_URL`` (``{column}``,
``{page}``, ``{size}``) and ``NEWSFETCH_EASTMONEY_TEXT_URL`` (``{id}``). The page parameter names of the two
lists are not in the notes (``page_index`` is what the column API's own pages send; ``page`` for the roll list
is a guess): change the templates if Eastmoney answers otherwise.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from newsfetch.article import Article
from newsfetch.dates import CHINA_TZ
from newsfetch.errors import ContentError, InputError
from newsfetch.fetch import Fetcher
from newsfetch.parsers.eastmoney import EastmoneyParser

from .base import BadRecord, Document, FeedContext, FeedEntry, FeedSource
from .jsonlist import entry_of, load_json, looks_like_json, records_of

ROLL_URL = "http://183.136.162.242/web/webapi?type=102&count={size}&newsid=1&page={page}"
COLUMN_URL = ("https://np-listapi.eastmoney.com/comm/web/getNewsByColumns?client=web&biz=web_news_col"
              "&column={column}&order=1&needInteractData=0&page_index={page}&page_size={size}"
              "&fields=code,showTime,title,mediaName,summary,url,uniqueUrl&types=1,20")
TEXT_URL = "http://choicewzp1.eastmoney.com/NewsData/GetNewsText.do?id={id}"
PAGE_SIZE = 50
MAX_PAGES = 20          # a run that finds no mark (cron off for long) stops here; a backfill may ask for more
_ARTICLE_ID = re.compile(r"(?<!\d)(\d{18})(?!\d)")
_INFO_CODE = re.compile(r"^[A-Z]{0,4}\d{18}$")


def endpoint(kind: str) -> str:
    """The URL template of `kind` (roll, column, text): the environment's, else Eastmoney's."""
    default = {"roll": ROLL_URL, "column": COLUMN_URL, "text": TEXT_URL}[kind]
    return os.environ.get(f"NEWSFETCH_EASTMONEY_{kind.upper()}_URL") or default


def order_key(entry: FeedEntry) -> int | None:
    """The 18-digit article id as a number (it starts with the date: newer is larger), from id or address."""
    for text in (entry.id or "", entry.url):
        if match := _ARTICLE_ID.search(text):
            return int(match.group(1))
    return None


def eastmoney_entry(record: Any, number: int, where: str) -> FeedEntry | BadRecord:
    """A list record as an entry whose id is the ``infoCode`` (``NW…``), the name of the archive's posts."""
    entry = entry_of(record, number, where)
    if isinstance(entry, BadRecord):
        return entry
    code = str(record.get("infoCode") or "").strip()
    if not _INFO_CODE.match(code):
        digits = _ARTICLE_ID.search(str(record.get("code") or "")) or _ARTICLE_ID.search(entry.url)
        code = f"NW{digits.group(1)}" if digits else ""
    if not code:
        return BadRecord(f"{where}: record {number} has no infoCode or article id")
    return FeedEntry(entry.url, title=entry.title, published=entry.published, id=code, summary=entry.summary,
                     outlet=entry.outlet, body_source=EastmoneyLists.name)


class EastmoneyLists(FeedSource):
    """The roll list and the column lists, paged to the last seen id; bodies from the news-text API."""

    name = "eastmoney"
    summary = ("Eastmoney news lists: roll (latest news) and column/<id> (getNewsByColumns); also a plain URL "
               "answering such a list")
    prefix = "eastmoney"
    examples = ("eastmoney:roll", "eastmoney:column/1207", "eastmoney:roll?day=2026-08-19")
    preferred_via = EastmoneyParser.preferred_via

    def sniffs(self, document: Document) -> bool:
        """A plain URL answering an Eastmoney-shaped list (records with ``infoCode`` or ``url_w``)."""
        if not looks_like_json(document):
            return False
        try:
            records = records_of(load_json(document.data, document.url))
        except ContentError:
            return False
        return bool(records) and isinstance(records[0], Mapping) and \
            any(key in records[0] for key in ("infoCode", "url_w"))

    def parse(self, document: Document, context: FeedContext) -> Iterator[FeedEntry | BadRecord]:
        records = records_of(load_json(document.data, document.url)) or []
        for number, record in enumerate(records, 1):
            yield eastmoney_entry(record, number, document.url)

    def read(self, address: str, context: FeedContext) -> Iterator[FeedEntry | BadRecord]:
        kind = address.split(":", 1)[1]
        if kind == "roll":
            template = endpoint("roll")
        elif match := re.fullmatch(r"column/(\d{1,6})", kind):
            template = endpoint("column").replace("{column}", match.group(1))
        else:
            raise InputError("unknown Eastmoney list (use eastmoney:roll or eastmoney:column/<id>)", where=address)
        size = _int_option(context.options, "size", PAGE_SIZE, address)
        day = _day_option(context.options, address)
        backfill = day is not None
        pages = _int_option(context.options, "pages", 1 if context.mark is None and not backfill else MAX_PAGES,
                            address)
        mark = None if backfill else (int(context.mark) if context.mark and context.mark.isdigit() else None)
        newest = mark
        seen: set[str] = set()
        for page in range(1, pages + 1):
            url = template.replace("{page}", str(page)).replace("{size}", str(size))
            document = context.get(url)
            records = records_of(load_json(document.data, document.url))
            if records is None:
                raise ContentError("no list of records in the answer", where=document.url)
            reached_mark = reached_day = False
            for number, record in enumerate(records, 1):
                entry = eastmoney_entry(record, number, document.url)
                if isinstance(entry, BadRecord):
                    yield entry
                    continue
                key = order_key(entry)
                if mark is not None and key is not None and key <= mark:
                    reached_mark = True  # seen by an earlier run, and so is everything after it
                    continue
                if day is not None and entry.published is not None:
                    published = entry.published.astimezone(CHINA_TZ).date()
                    if published < day:
                        reached_day = True
                    if published != day:
                        continue
                if key is not None and not backfill:
                    newest = max(newest or key, key)
                if entry.url not in seen:
                    seen.add(entry.url)
                    yield entry
            if reached_mark or reached_day or len(records) < size:
                break
        if newest is not None:
            context.new_mark = str(newest)

    def body(self, entry: FeedEntry, fetcher: Fetcher) -> Article:
        """The article from the news-text API: the body from ``content``, the other fields from the list."""
        url = self.body_url(entry)
        response = fetcher.get(url, accept_any=True)
        value = load_json(response.content, url)
        content = _content(value)
        if not content:
            raise ContentError("the news-text API gave no content", where=url)
        return EastmoneyParser().parse_api(content, url=entry.url, title=entry.title, published=entry.published,
                                           summary=entry.summary)

    def body_url(self, entry: FeedEntry) -> str:
        return endpoint("text").replace("{id}", entry.id or "")


def _content(value: Any) -> str | None:
    for holder in (value, value.get("data") if isinstance(value, Mapping) else None):
        if isinstance(holder, Mapping) and isinstance(holder.get("content"), str) and holder["content"].strip():
            return holder["content"]
    return None


def _int_option(options: Mapping[str, str], key: str, default: int, address: str) -> int:
    if key not in options:
        return default
    value = options[key]
    if not value.isdigit() or not 1 <= int(value) <= 1000:
        raise InputError(f"{key}= takes a number from 1 to 1000", where=address)
    return int(value)


def _day_option(options: Mapping[str, str], address: str) -> date | None:
    if "day" not in options:
        return None
    try:
        return date.fromisoformat(options["day"])
    except ValueError:
        raise InputError("day= takes a date, YYYY-MM-DD", where=address) from None
