"""Dates as Chinese and international news pages write them, parsed into aware datetimes."""

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
    text = text.strip()
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return parse_cn_datetime(text, tz)
    return value if value.tzinfo else value.replace(tzinfo=tz)


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
