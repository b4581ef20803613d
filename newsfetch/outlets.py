"""One name per outlet, for categories and tags: ``澎湃新闻-The Paper`` → ``澎湃新闻``, ``每经网`` → ``每日经济新闻``.

The page's own spelling stays in the post's ``source:``; only the names that group posts (categories, tags,
outlet pages) go through here, so that one outlet is one category whatever the spelling. The rules, in order:

1. Unicode NFKC: full-width letters, digits, hyphens and spaces become their plain forms (``人民网－人民日报`` and
   ``人民网-人民日报`` are one name); runs of spaces become one.
2. A Chinese name followed by a separator (``-``, ``_``, ``|``) and a name in Latin letters only is the same name
   twice: the Latin part goes (``澎湃新闻-The Paper`` → ``澎湃新闻``, ``财新网 | Caixin`` → ``财新网``).
3. The alias table: a few well-known second names of one outlet (its website's name, its short name), plus
   whatever the archive's ``newsfetch.toml`` adds under ``[outlets]`` (``"证券时报网" = "证券时报"``); the
   archive's entries win.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

# Second names of one outlet → the name it goes by. Only names the outlet itself uses for the same newsroom.
BUILTIN_ALIASES: dict[str, str] = {
    "每经网": "每日经济新闻",            # nbd.com.cn, the site of 每日经济新闻
    "中国证券报·中证网": "中国证券报",    # cs.com.cn signs its articles so
    "中证网": "中国证券报",
    "证券时报网": "证券时报",            # stcn.com, the site of 证券时报
    "The Paper": "澎湃新闻",             # thepaper.cn's English name, alone
    "澎湃新闻网": "澎湃新闻",            # as ifeng.com credits it
}

_SPACES = re.compile(r"\s+")
_LATIN_TWIN = re.compile(r"^(?P<name>.*[\u3400-\u9fff].*?)\s*[-_|]\s*[A-Za-z][A-Za-z .&'’]*$")


def outlet_name(raw: str, aliases: Mapping[str, str] | None = None) -> str:
    """The outlet's one name (see the module docstring); an empty or blank name stays empty."""
    name = _SPACES.sub(" ", unicodedata.normalize("NFKC", raw)).strip()
    twin = _LATIN_TWIN.match(name)
    if twin:
        name = twin.group("name").strip()
    table = {**BUILTIN_ALIASES, **_normalized(aliases or {})}
    return table.get(name, name)


def _normalized(aliases: Mapping[str, str]) -> dict[str, str]:
    # the user's keys are matched after rule 1, so "人民网－人民日报" in the file matches either hyphen
    return {_SPACES.sub(" ", unicodedata.normalize("NFKC", k)).strip(): v for k, v in aliases.items()}
