"""Article address → the id in a post's file name (``_posts/YYYY-MM-DD-<id>.md``).

The source's own id where its parser knows one (`SiteParser.post_id`, e.g. Eastmoney's 18 digits in
parsers/eastmoney.py), else a short stable hash of the normalized address. Ids are made of ASCII letters,
digits and hyphens only, so nothing taken from a page can reach outside the posts folder.
"""

from __future__ import annotations

import hashlib
import re

from newsfetch.registry import default_registry
from newsfetch.tracking import normalize_url

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")


def article_id(url: str) -> str:
    """``https://finance.eastmoney.com/a/202112302231746483.html`` → ``202112302231746483``.

    A site's own id as its parser gives it (Eastmoney: the bare 18 digits the existing archives use, also for
    ``infoCode`` share links on any host; 中国新闻网: ``chinanews-9641234``); any other address ``u-`` + 12 hex
    digits of the SHA-1 of its normalized form (no tracking parameters, no fragment). A site id that is not
    a safe file name is not used.
    """
    own = default_registry().post_id(url)
    if own and SAFE_ID.match(own):
        return own
    digest = hashlib.sha1(normalize_url(url).encode("utf-8")).hexdigest()[:12]
    return f"u-{digest}"


def id_aliases(post_id: str) -> tuple[str, ...]:
    """Names the same article may already have in an old archive (``NW`` + Eastmoney id), `post_id` first."""
    return default_registry().id_aliases(post_id)
