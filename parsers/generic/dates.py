"""Visible publication dates in the forms news pages print them, Chinese and English (and Indonesian).

`find_datetime` reads the first date in a piece of text: ``2021年12月30日 18:35``, ``2021-12-30 18:35:35``,
``发布时间：12-30 10:20`` (year from the address), ``December 30, 2021 6:35 PM ET``, ``30 Dec 2021 14.12 GMT``,
``7:30pm, 30 Dec, 2021``, ``Rabu, 06 Nov 2024 21:14 WIB``. Times without a zone are taken in `tz`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo

from newsfetch.dates import parse_cn_datetime

_MONTHS = {
    "jan": 1, "january": 1, "januari": 1, "feb": 2, "february": 2, "februari": 2, "mar": 3, "march": 3,
    "maret": 3, "apr": 4, "april": 4, "may": 5, "mei": 5, "jun": 6, "june": 6, "juni": 6, "jul": 7, "july": 7,
    "juli": 7, "aug": 8, "august": 8, "agu": 8, "agustus": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "okt": 10, "oktober": 10, "nov": 11, "november": 11, "dec": 12, "december": 12, "des": 12,
    "desember": 12,
}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = r"(?P<H>\d{1,2})[:.](?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?"
_ZONE = r"(?P<zone>UTC|GMT|BST|EST|EDT|ET|CST|CDT|CT|PST|PDT|PT|HKT|SGT|WIB|WITA|WIT|JST|KST|CET|CEST)"
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


def find_datetime(text: str, tz: tzinfo, *, year_hint: date | None = None) -> datetime | None:
    """The first date (with its time when printed) in `text`."""
    if not text:
        return None
    found: list[tuple[int, datetime]] = []
    match = _first_cn(text)
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
    return min(found, key=lambda item: item[0])[1] if found else None


def _first_cn(text: str) -> tuple[int, datetime] | None:
    for match in _CN_START.finditer(text):
        value = parse_cn_datetime(text[match.start():match.start() + 40])
        if value is not None:
            return match.start(), value
    return None


def _english(match: re.Match[str], text: str, tz: tzinfo) -> datetime | None:
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
    zone = (clock["zone"] or "").upper()
    if zone in _ZONE_HOURS:
        return value.replace(tzinfo=timezone(timedelta(hours=_ZONE_HOURS[zone])))
    if zone in _SEASONAL:
        winter, summer = _SEASONAL[zone]
        return value.replace(tzinfo=timezone(timedelta(hours=summer if 4 <= value.month <= 10 else winter)))
    return value.replace(tzinfo=tz)


def has_time(text: str) -> bool:
    """Whether `text` prints a clock time (so a bare meta date can be refined from it)."""
    return bool(re.search(r"\d{1,2}[:：]\d{2}", text))
