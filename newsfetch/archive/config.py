"""The archive's settings: ``newsfetch.toml`` at the archive root, table ``[archive]``.

```toml
[archive]
layout = "post"                 # layout of new posts
timezone = "Asia/Shanghai"      # decides the date in file names and front matter
category = "{source_slug}"      # 中国新闻网 → zhongguoxinwenwang (always a safe slug)
tag = "{source}新闻"
posts_dir = "_posts"
category_layout = "category"    # layout of the pages `newsfetch archive index` writes
subheads = "bold"               # "heading": a bold line alone between paragraphs becomes a ## heading

[outlets]                       # more spellings of one outlet, for categories and tags (newsfetch.outlets)
"证券时报网" = "证券时报"
```

Every key is optional; an unknown key or a bad value is an ArchiveError (exit code 8), not a silent default.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsfetch.errors import ArchiveError
from newsfetch.render import PostStyle

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_NAME = "newsfetch.toml"


@dataclass(frozen=True)
class ArchiveConfig:
    """Settings of one archive; `style` is what the core renderer needs."""

    layout: str = "post"
    timezone: str = "Asia/Shanghai"
    category: str = "{source_slug}"
    tag: str = "{source}新闻"
    posts_dir: str = "_posts"
    category_layout: str = "category"
    subheads: str = "bold"                     # or "heading": see newsfetch.markdown.promote_subheads
    outlets: tuple[tuple[str, str], ...] = ()  # table [outlets]: "spelling" = "the outlet's one name"

    @property
    def style(self) -> PostStyle:
        return PostStyle(layout=self.layout, timezone=self.timezone, category=self.category, tag=self.tag,
                         outlets=self.outlets, subheads=self.subheads)


def load_config(archive: str | Path) -> ArchiveConfig:
    """The config of the archive rooted at `archive` (defaults when it has no ``newsfetch.toml``)."""
    root = Path(archive).expanduser().resolve()
    try:
        stat = (root / CONFIG_NAME).stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = None
    return _load(root, stamp)


@lru_cache(maxsize=64)  # batch writes call this per article: parse once per version of the file
def _load(root: Path, stamp: tuple[int, int] | None) -> ArchiveConfig:
    path = root / CONFIG_NAME
    if stamp is None or not path.is_file():
        return ArchiveConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ArchiveError(f"cannot read the archive config ({exc})", where=str(path)) from None
    table = data.get("archive", {})
    if not isinstance(table, dict):
        raise ArchiveError("[archive] must be a table", where=str(path))
    known = {f.name for f in fields(ArchiveConfig)} - {"outlets"}
    for key, value in table.items():
        if key not in known:
            raise ArchiveError(f"unknown key {key!r} in [archive] (known: {', '.join(sorted(known))})",
                               where=str(path))
        if not isinstance(value, str):
            raise ArchiveError(f"{key} must be a string", where=str(path))
    outlets = data.get("outlets", {})
    if not isinstance(outlets, dict) or not all(isinstance(v, str) and v.strip() for v in outlets.values()):
        raise ArchiveError('[outlets] maps names to names: "证券时报网" = "证券时报"', where=str(path))
    config = ArchiveConfig(**table, outlets=tuple(sorted(outlets.items())))
    try:
        ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ArchiveError(f"unknown time zone {config.timezone!r}", where=str(path)) from None
    if config.subheads not in ("bold", "heading"):
        raise ArchiveError('subheads must be "bold" or "heading"', where=str(path))
    if Path(config.posts_dir).is_absolute() or ".." in Path(config.posts_dir).parts:
        raise ArchiveError("posts_dir must be a folder inside the archive", where=str(path))
    return config
