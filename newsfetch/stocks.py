"""Stock codes as Chinese financial sites write them, normalized to ``CODE.MARKET``.

Eastmoney writes ``<market>.<code>`` (``1.600030``, ``116.01024``, ``106.NIO``) in quote links and
``code|market|n`` in its K-line widget; other sites write exchange prefixes (``sh600000``, ``hk00700``,
``gb_aapl``). Everything ends up as ``600030.SH``, ``01024.HK``, ``NIO.US``; boards and futures are not stocks.
"""

from __future__ import annotations

import re

# Eastmoney market ids (see shared/sites/eastmoney.md, "Market prefixes").
_EASTMONEY_MARKETS = {"0": "SZ", "1": "SH", "116": "HK", "128": "HK", "105": "US", "106": "US", "107": "US",
                      "155": "UK"}
_PREFIXES = {"sh": "SH", "sz": "SZ", "bj": "BJ", "hk": "HK", "us": "US", "gb_": "US", "gb": "US"}

_EM_UNIFY = re.compile(r"quote\.eastmoney\.com/unify/r/(\d+)\.([A-Za-z0-9_.]+?)(?:[/?#]|$)")
_EM_CLASSIC = re.compile(r"quote\.eastmoney\.com/(?:[a-z]+/)?(sh|sz|bj|hk|us)([A-Za-z0-9.]+?)\.html", re.I)
_EM_MARKET_PATH = re.compile(r"quote\.eastmoney\.com/(hk|us)/([A-Za-z0-9.]+?)\.html", re.I)  # /hk/00700.html
_PREFIXED = re.compile(r"^(gb_|sh|sz|bj|hk|us|gb)([A-Za-z0-9.]+)$", re.I)


def eastmoney_code(market: str, code: str) -> str | None:
    """``('1', '600030')`` → ``600030.SH``; boards (90), futures and unknown markets → None."""
    suffix = _EASTMONEY_MARKETS.get(market.strip())
    code = code.strip().upper()
    if not suffix or not code:
        return None
    if suffix == "SZ" and re.fullmatch(r"(?:8[3-9]|4[3-9]|92)\d{4}", code):
        suffix = "BJ"  # 北交所 stocks are listed under Eastmoney's market 0
    return f"{code}.{suffix}"


def prefixed_code(value: str) -> str | None:
    """``sh600000`` → ``600000.SH``, ``hk00700`` → ``00700.HK``, ``gb_aapl`` → ``AAPL.US``."""
    match = _PREFIXED.match(value.strip())
    if not match:
        return None
    return f"{match.group(2).upper()}.{_PREFIXES[match.group(1).lower()]}"


def code_from_eastmoney_href(href: str | None) -> str | None:
    """The stock an Eastmoney quote link points at, if it is a stock."""
    if not href:
        return None
    if match := _EM_UNIFY.search(href):
        return eastmoney_code(match.group(1), match.group(2))
    if match := _EM_MARKET_PATH.search(href) or _EM_CLASSIC.search(href):
        return f"{match.group(2).upper()}.{_PREFIXES[match.group(1).lower()]}"
    return None


def code_from_data_code(value: str | None) -> str | None:
    """Eastmoney ``data-code``: ``1,600030`` (market,code), ``01024|116|5`` (code|market|n), guba ``601818,1,1``."""
    if not value:
        return None
    value = value.strip()
    if value.upper().startswith("K "):
        value = value[2:]
    if "|" in value:
        parts = value.split("|")
        return eastmoney_code(parts[1], parts[0]) if len(parts) >= 2 else None
    parts = value.split(",")
    if len(parts) == 2:
        return eastmoney_code(parts[0], parts[1])
    if len(parts) == 3:  # guba puts the code first and numbers markets its own way (1 SH, 2 SZ)
        market = {"1": "1", "2": "0"}.get(parts[1].strip())
        return eastmoney_code(market, parts[0]) if market else None
    return None


def unique(codes: list[str | None]) -> tuple[str, ...]:
    """Codes in first-seen order, without repeats or blanks."""
    return tuple(dict.fromkeys(code for code in codes if code))
