"""Tracking in links and images: query parameters and pixels that only serve analytics."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|spm|scm|from|fromsource|source_from|share_token|share_from|sharefrom|fr|_hsenc|_hsmi|"
    r"fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|igshid|ref_src|ref_url|wt\.mc_id|cmpid|"
    r"tt_from|utm|sharetype|share_medium|isappinstalled|wxfrom|wx_header|clicktime|enterid|"
    r"subscene|sessionid|ascene|devicetype|nettype|abtest_cookie|pass_ticket|"
    r"xtrack|ncid|ocid|sr_share|vd_source|ivk_sa|spm_id_from)$",
    re.I,
)
_PIXEL_HOSTS = re.compile(
    r"(google-analytics\.com|googletagmanager\.com|doubleclick\.net|hm\.baidu\.com|cnzz\.com|"
    r"scorecardresearch\.com|facebook\.com/tr|stat\.|stats\.|analytics\.|beacon\.|pixel\.|"
    r"/pixel(\.gif|\.png)?|/beacon|/track(ing)?\.gif|1x1\.gif|spacer\.gif|blank\.gif)",
    re.I,
)


def strip_tracking(url: str) -> str:
    """`url` without tracking parameters and with no empty query; other parameters keep their order."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.query:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAMS.match(k)]
    if len(kept) == len(parse_qsl(parts.query, keep_blank_values=True)):
        return url  # nothing removed: keep the exact original spelling
    return urlunsplit(parts._replace(query=urlencode(kept, doseq=True)))


def is_tracking_pixel(src: str | None, width: str | None = None, height: str | None = None) -> bool:
    """True for analytics pixels: a known tracker address, or an image declared 0–1 px wide or high."""
    if src and _PIXEL_HOSTS.search(src):
        return True
    for size in (width, height):
        if size and re.fullmatch(r"\s*[01](px)?\s*", size):
            return True
    return False


def normalize_url(url: str) -> str:
    """The identity of a URL: no tracking parameters, no fragment, no ``user:pass@``, lower-case scheme and host.

    Credentials are never part of an article's identity, and this form is what is stored and printed."""
    parts = urlsplit(strip_tracking(url.strip()))
    return urlunsplit((parts.scheme.lower(), _without_userinfo(parts.netloc).lower(), parts.path or "/", parts.query,
                       ""))


def without_credentials(url: str) -> str:
    """`url` less a ``user:pass@`` part (nothing else changes): a URL fit to store in a post."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=_without_userinfo(parts.netloc)))


def _without_userinfo(netloc: str) -> str:
    return netloc.rsplit("@", 1)[-1]
