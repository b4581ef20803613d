"""Safe slugs for categories and file names: pinyin for Chinese, ASCII letters, digits and hyphens only."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_UNSAFE = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=4096)  # called per post with the outlet's name: a few names, ~0.3 ms of pinyin each
def slugify(text: str) -> str:
    """``中国新闻网`` → ``zhongguoxinwenwang``; ``Reuters (UK)`` → ``reuters-uk``.

    Chinese syllables are joined without a separator, as the existing archives do; runs of anything that
    is not a letter or digit become one hyphen, so spaces and parentheses never reach a file name.
    """
    from pypinyin import lazy_pinyin  # loads its phrase dictionary (~0.2 s): only when a slug is needed

    joined = "".join(lazy_pinyin(text))
    ascii_text = unicodedata.normalize("NFKD", joined).encode("ascii", "ignore").decode().lower()
    return _UNSAFE.sub("-", ascii_text).strip("-")
