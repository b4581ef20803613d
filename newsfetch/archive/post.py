"""Read a post as the old archive scripts wrote it: tolerant of CRLF/LF mixes, a missing final newline,
broken front matter and odd dates, strict about what it cannot understand (`PostError`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import yaml

from newsfetch.errors import ArchiveError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster
_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(---|\.\.\.)[ \t]*$")
_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(?P<value>.*?))?[ \t]*$")
_ITEM_LINE = re.compile(r"^[ \t]+-[ \t]+(?P<value>.*?)[ \t]*$")
# Dates Jekyll reads: 2021-12-30, 2021-12-30 18:35:35, with optional fraction and zone (+0800, +08:00, Z).
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
                   r"(?:\s*(?:Z|[+-](\d{2}):?(\d{2})))?$")
_NAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")
_NAME_ID_DATE = re.compile(r"(?<!\d)(20\d\d)([01]\d)([0-3]\d)\d{10}(?!\d)")  # Eastmoney ids start YYYYMMDD


class PostError(ArchiveError):
    """The file is a post but cannot be understood; it is left as it is."""

    default_reason = "bad-post"


class NotAPost(ArchiveError):
    """The file has no front matter: not a post (skipped, not failed)."""

    default_reason = "not-a-post"


@dataclass
class Post:
    """A post split into its front matter (ordered mapping) and body (LF line endings)."""

    front: dict[str, Any]
    body: str
    notes: list[str] = field(default_factory=list)  # what was repaired or is worth a look


def decode(data: bytes, where: str | None = None) -> str:
    """UTF-8 (with or without BOM), line endings unified to LF."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PostError(f"not UTF-8 text (byte {exc.start})", where=where) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split(text: str, where: str | None = None) -> tuple[str, str]:
    """(front matter text, body); NotAPost without a leading ``---``, PostError if it is never closed."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        raise NotAPost("no front matter", where=where)
    for index in range(1, len(lines)):
        if _CLOSE.match(lines[index]):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:])
    raise PostError("the front matter is never closed (no second ---)", where=where)


def read_post(data: bytes, name: str, where: str | None = None, *, layouts: tuple[str, ...] | None = None) -> Post:
    """Parse a post; `name` (the file name) supplies a date the front matter lacks or garbled.

    With `layouts`, a file whose ``layout`` is none of them is NotAPost (pages such as ``index.md``).
    """
    front_text, body = split(decode(data, where), where)
    notes: list[str] = []
    front = parse_front(front_text, notes, where)
    if layouts is not None and front.get("layout") not in layouts:
        raise NotAPost(f"not a post (layout: {front.get('layout')})", where=where)
    _check_date(front, name, notes, where)
    if "title" in front and (front["title"] is None or str(front["title"]).strip() == ""):
        notes.append("empty title (kept)")
    return Post(front=front, body=body, notes=notes)


def load_yaml(text: str, where: str | None = None) -> Any:
    """YAML from a post, refusing aliases: a 525-byte front matter of nested ``*alias`` references expands to
    gigabytes when loaded, and no post needs them. Raises yaml.YAMLError (bad YAML) or PostError (aliases)."""
    if "*" in text:  # only then can there be an alias; scanning costs about as much as loading
        if any(isinstance(token, yaml.AliasToken) for token in yaml.scan(text, Loader=_Loader)):
            raise PostError("the front matter uses YAML aliases (*name): refused (an alias bomb takes gigabytes)",
                            where=where)
    try:
        return yaml.load(text, Loader=_Loader)
    except (ValueError, OverflowError) as exc:  # an impossible date (2021-13-45) or time zone (+99:99)
        raise yaml.YAMLError(f"unreadable value: {exc}") from None
    except RecursionError:
        raise PostError("the front matter nests too deeply", where=where) from None


def parse_front(text: str, notes: list[str], where: str | None) -> dict[str, Any]:
    try:
        data = load_yaml(text, where) if text.strip() else {}
    except yaml.YAMLError as exc:
        data = _parse_lines(text, where, exc)
        notes.append("front matter repaired: " + _first_line(exc))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PostError("the front matter is not a mapping of keys to values", where=where)
    return {str(key): value for key, value in data.items()}


def _parse_lines(text: str, where: str | None, error: yaml.YAMLError) -> dict[str, Any]:
    """Fallback for the broken YAML old scripts glued together: ``key: value`` lines (and ``- item`` lists).

    A double-quoted value with stray inner quotes (``title: "他说"好""``) is taken literally between the
    outer quotes; any line that is neither form means the file is not understood.
    """
    data: dict[str, Any] = {}
    last: str | None = None
    for line in text.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if (item := _ITEM_LINE.match(line)) and last is not None:
            if not isinstance(data[last], list):
                data[last] = [] if data[last] in (None, "") else [data[last]]
            data[last].append(_value(item["value"]))
            continue
        match = _KEY_LINE.match(line)
        if not match:
            raise PostError(f"front matter is not YAML ({_first_line(error)})", where=where)
        last = match["key"]
        data[last] = _value(match["value"] or "")
    return data


def _value(raw: str) -> Any:
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        inner = raw[1:-1]
        try:
            loaded = load_yaml(raw)
            if isinstance(loaded, str):
                return loaded
        except yaml.YAMLError:
            pass
        return inner
    try:
        return load_yaml(raw) if raw else None
    except yaml.YAMLError:
        return raw


def _first_line(error: Exception) -> str:
    return str(error).strip().split("\n")[0]


def _check_date(front: dict[str, Any], name: str, notes: list[str], where: str | None) -> None:
    """Keep a readable date as written; repair a missing or garbled one from the file name, else fail."""
    value = front.get("date")
    if isinstance(value, (datetime, date)):
        return
    if isinstance(value, str) and _possible_date(value.strip()):
        front["date"] = value.strip()
        return
    day = date_from_name(name)
    if day is None:
        what = "no date" if value in (None, "") else f"unreadable date {value!r}"
        raise PostError(f"{what}, and the file name has none either", where=where)
    front["date"] = day
    notes.append(f"date taken from the file name ({day.isoformat()})")


def _possible_date(text: str) -> bool:
    """A date Jekyll reads that exists: 2021-13-45 or a +99:99 offset has the shape but would fail the build."""
    match = _DATE.match(text)
    if not match:
        return False
    year, month, day, hour, minute, second, zone_hours, zone_minutes = (int(g) if g else 0 for g in match.groups())
    try:
        datetime(year, month, day, hour, minute, second)
    except ValueError:
        return False
    return zone_hours < 24 and zone_minutes < 60


def date_from_name(name: str) -> date | None:
    """``2021-12-30-NW….md`` → 2021-12-30; ``-202205262391921712.md`` → 2022-05-26 (Eastmoney id)."""
    for pattern in (_NAME_DATE, _NAME_ID_DATE):
        if match := pattern.search(name):
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                continue
    return None
