"""Dates and times as news pages write them, parsed into aware datetimes: the one place they are read.

- `parse_iso_datetime` reads machine values (JSON-LD, `<meta>`, `<time datetime>`, script data), including
  the variants pages write (``2024/11/06 21:14:47``, ``2024-11-06T21-14-47Z``);
- `parse_cn_datetime` reads the first Chinese-style date (``2021年12月30日 18:35``, ``2021-12-30 18:35:35``);
- `find_datetime` reads the first date a reader sees in a piece of text, Chinese and English (and Indonesian):
  ``发布时间：12-30 10:20`` (year from the address), ``December 30, 2021 6:35 PM ET``, ``30 Dec 2021 14.12 GMT``,
  ``7:30pm, 30 Dec, 2021``, ``Rabu, 06 Nov 2024 21:14 WIB``;
- `from_epoch` reads Unix timestamps (seconds or milliseconds).

Which of a page's times is its publication time is decided in `timeresolver.py`. Times without a zone are
taken in the `tz` the caller gives.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo

CHINA_TZ = timezone(timedelta(hours=8), "CST")

# 2021年12月30日 18:35[:35] | 2021-12-30 18:35:35 | 2021/12/30 18:35 | 2021.12.30 | 20211230 183535 not supported
_CN_DATETIME = re.compile(
    r"(?P<y>(?:19|20)\d\d)\s*[年\-/.]\s*(?P<m>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?:T|\s)?\s*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})(?:\s*[:：分]\s*(?P<S>\d{1,2}))?"
    r"(?:\.\d+)?\s*(?P<tz>Z|[+-]\d\d:?\d\d)?)?"
)


def parse_cn_datetime(text: str | None, tz: tzinfo = CHINA_TZ) -> datetime | None:
    """The first date (with time if given) in `text`; naive values are taken to be in `tz`."""
    if not text:
        return None
    for match in _CN_DATETIME.finditer(text):
        value = _from_match(match, tz)
        if value is not None:
            return value
    return None


def _from_match(match: re.Match[str], tz: tzinfo) -> datetime | None:
    try:
        value = datetime(
            int(match["y"]), int(match["m"]), int(match["d"]),
            int(match["H"] or 0), int(match["M"] or 0), int(match["S"] or 0),
        )
    except ValueError:
        return None
    zone = match["tz"]
    if zone:
        return datetime.fromisoformat(value.isoformat() + ("+00:00" if zone == "Z" else _colon(zone)))
    return value.replace(tzinfo=tz)


def _colon(zone: str) -> str:
    return zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"


def parse_iso_datetime(text: str | None, tz: tzinfo = CHINA_TZ) -> datetime | None:
    """An ISO 8601 / RFC 3339 value (as in JSON-LD and meta tags); naive values are taken to be in `tz`."""
    if not text:
        return None
    text = _DASHED_CLOCK.sub(r"\1:\2:\3", text.strip())  # 2024-11-06T21-14-47Z (seen on real pages)
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return parse_cn_datetime(text, tz)
    return value if value.tzinfo else value.replace(tzinfo=tz)


_DASHED_CLOCK = re.compile(r"(?<=\dT)(\d\d)-(\d\d)-(\d\d)(?=Z|[+-]\d\d:?\d\d|$)")


def from_epoch(value: str | int | float, tz: tzinfo = CHINA_TZ) -> datetime | None:
    """A Unix timestamp in seconds or milliseconds (``1569470460``, ``1730902487000``), shown in `tz`;
    None for numbers that are no plausible publication time (before 2000 or far in the future)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number >= 10**12:
        number /= 1000
    if not 946_684_800 <= number < 4_102_444_800:  # 2000-01-01 … 2100-01-01
        return None
    return datetime.fromtimestamp(number, timezone.utc).astimezone(tz)


def date_from_url(url: str | None) -> date | None:
    """A publication date written in a URL path (``/2019/0926/``, ``/2019-11-25/``, ``/a/20211230…``)."""
    if not url:
        return None
    path = url.split("?", 1)[0]
    for match in re.finditer(r"(?<!\d)(20\d\d)[/-]?([01]\d)[/-]?([0-3]\d)", path):
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
    return None


def jekyll_date(value: datetime, tz: tzinfo | None = None) -> str:
    """``2021-12-30 18:35:35 +0800``: the form Jekyll reads and the archive has always used."""
    if tz is not None:
        value = value.astimezone(tz)
    return value.strftime("%Y-%m-%d %H:%M:%S %z")


# --- dates as printed on the page -------------------------------------------------------------
_MONTHS = {
    "jan": 1, "january": 1, "januari": 1, "feb": 2, "february": 2, "februari": 2, "mar": 3, "march": 3,
    "maret": 3, "apr": 4, "april": 4, "may": 5, "mei": 5, "jun": 6, "june": 6, "juni": 6, "jul": 7, "july": 7,
    "juli": 7, "aug": 8, "august": 8, "agu": 8, "agustus": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "okt": 10, "oktober": 10, "nov": 11, "november": 11, "dec": 12, "december": 12, "des": 12,
    "desember": 12,
}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = r"(?P<H>\d{1,2})[:.](?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?"
_ZONE = (r"(?P<zone>(?:UTC|GMT)\s*[+-]\d{1,2}(?::?\d\d)?|"
         r"UTC|GMT|BST|EST|EDT|ET|CST|CDT|CT|PST|PDT|PT|HKT|SGT|WIB|WITA|WIT|JST|KST|CET|CEST)")
_EN_DATES = (
    re.compile(rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
)
_TIME_NEAR = re.compile(rf"{_TIME}(?:\s*{_ZONE})?", re.I)
_ZONE_HOURS = {"UTC": 0, "GMT": 0, "BST": 1, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "PST": -8, "PDT": -7,
               "HKT": 8, "SGT": 8, "WIB": 7, "WITA": 8, "WIT": 9, "JST": 9, "KST": 9, "CET": 1, "CEST": 2}
_SEASONAL = {"ET": (-5, -4), "CT": (-6, -5), "PT": (-8, -7)}  # (winter, summer) in the US
# 12-30 10:20 / 12月30日 10:20 / 12/30 10:20: a date without a year, only trusted with a time beside it.
_CN_START = re.compile(r"(?:19|20)\d\d\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}")
_NO_YEAR = re.compile(r"(?<![\d年/.-])(?P<m>\d{1,2})\s*[-/月]\s*(?P<d>\d{1,2})\s*日?\s+(?P<H>\d{1,2})[:：](?P<M>\d{2})")


def find_datetime(text: str, tz: tzinfo | None, *, year_hint: date | None = None) -> datetime | None:
    """The first date (with its time when printed) in `text`; None as `tz` leaves zone-less values naive."""
    found = find_datetime_at(text, tz, year_hint=year_hint)
    return found[1] if found else None


def find_datetime_at(text: str, tz: tzinfo | None, *, year_hint: date | None = None) -> tuple[int, datetime] | None:
    """(position, value) of the first date printed in `text`."""
    if not text:
        return None
    found: list[tuple[int, datetime]] = []
    match = _first_cn(text, tz)
    if match is not None:
        found.append(match)
    for pattern in _EN_DATES:
        for en in pattern.finditer(text):
            value = _english(en, text, tz)
            if value is not None:
                found.append((en.start(), value))
                break
    if year_hint is not None:
        for loose in _NO_YEAR.finditer(text):
            try:
                value = datetime(year_hint.year, int(loose["m"]), int(loose["d"]), int(loose["H"]), int(loose["M"]))
            except ValueError:
                continue
            found.append((loose.start(), value.replace(tzinfo=tz)))
            break
    return min(found, key=lambda item: item[0]) if found else None


def _first_cn(text: str, tz: tzinfo | None) -> tuple[int, datetime] | None:
    for match in _CN_START.finditer(text):
        value = parse_cn_datetime(text[match.start():match.start() + 40], tz)  # type: ignore[arg-type]
        if value is not None:
            return match.start(), value
    return None


def _english(match: re.Match[str], text: str, tz: tzinfo | None) -> datetime | None:
    try:
        day = date(int(match["y"]), _MONTHS[match["mon"].lower().rstrip(".")], int(match["d"]))
    except (ValueError, KeyError):
        return None
    # The time is printed just after the date ("Dec 30 2021 8:48 AM EST") or just before ("7:30pm, 30 Dec").
    after = _TIME_NEAR.match(text[match.end():match.end() + 24].lstrip(" ,·|-–—at"))
    before = None
    if after is None:
        window = text[max(0, match.start() - 24):match.start()]
        candidates = list(_TIME_NEAR.finditer(window))
        before = candidates[-1] if candidates else None
    clock = after or before
    if clock is None:
        return datetime(day.year, day.month, day.day, tzinfo=tz)
    hour = int(clock["H"])
    ampm = (clock["ampm"] or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        value = datetime(day.year, day.month, day.day, hour, int(clock["M"]), int(clock["S"] or 0))
    except ValueError:
        return datetime(day.year, day.month, day.day, tzinfo=tz)
    zone = (clock["zone"] or "").upper().replace(" ", "")
    if offset := re.fullmatch(r"(?:UTC|GMT)([+-])(\d{1,2})(?::?(\d\d))?", zone):  # GMT+8, UTC-05:00
        sign = 1 if offset[1] == "+" else -1
        return value.replace(tzinfo=timezone(sign * timedelta(hours=int(offset[2]), minutes=int(offset[3] or 0))))
    if zone in _ZONE_HOURS:
        return value.replace(tzinfo=timezone(timedelta(hours=_ZONE_HOURS[zone])))
    if zone in _SEASONAL:
        winter, summer = _SEASONAL[zone]
        return value.replace(tzinfo=timezone(timedelta(hours=summer if 4 <= value.month <= 10 else winter)))
    return value.replace(tzinfo=tz)


def has_time(text: str) -> bool:
    """Whether `text` prints a clock time (so a bare meta date can be refined from it)."""
    return bool(re.search(r"\d{1,2}[:：]\d{2}", text))
