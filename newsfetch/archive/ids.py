"""Article address → the id in a post's file name (``_posts/YYYY-MM-DD-<id>.md``).

The source's own id where it has one, else a short stable hash of the normalized address. Ids are made of
ASCII letters, digits and hyphens only, so nothing taken from a page can reach outside the posts folder.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qs, urlsplit

from newsfetch.tracking import normalize_url

# Eastmoney: /a/202112302231746483.html, /news/1611,202112082206703990.html, NewsShare.html?infoCode=NW2021…
_EASTMONEY_ID = re.compile(r"(?<!\d)(\d{18})(?!\d)")
_INFO_CODE = re.compile(r"^[A-Za-z]{0,4}(\d{18})$")
# 中国新闻网: /cj/2021/12-30/9641234.shtml
_CHINANEWS_ID = re.compile(r"/(\d{6,8})\.s?html?$")
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")


def article_id(url: str) -> str:
    """``https://finance.eastmoney.com/a/202112302231746483.html`` → ``202112302231746483``.

    Eastmoney ids (also the ``infoCode`` of share links, whatever host serves them) keep the bare 18 digits
    the existing archives use; 中国新闻网 gives ``chinanews-9641234``; any other address ``u-`` + 12 hex
    digits of the SHA-1 of its normalized form (no tracking parameters, no fragment).
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    for code in parse_qs(parts.query).get("infoCode", []):
        if match := _INFO_CODE.match(code):
            return match.group(1)
    if host == "eastmoney.com" or host.endswith(".eastmoney.com"):
        if match := _EASTMONEY_ID.search(parts.path):
            return match.group(1)
    if host.endswith(("chinanews.com", "chinanews.com.cn")):
        if match := _CHINANEWS_ID.search(parts.path):
            return f"chinanews-{match.group(1)}"
    digest = hashlib.sha1(normalize_url(url).encode("utf-8")).hexdigest()[:12]
    return f"u-{digest}"


def id_aliases(post_id: str) -> tuple[str, ...]:
    """Names the same article may already have in an old archive (``NW`` + Eastmoney id)."""
    if re.fullmatch(r"\d{18}", post_id):
        return (post_id, f"NW{post_id}")
    return (post_id,)
