"""Temporary files a killed run left in the posts folder (`write_atomic` temps: `.<name>.<random>.tmp`).

Removed by the next run while it holds the lock, so no live writer can own them; posts themselves are only
ever replaced by rename, so they are never partial.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from newsfetch.archive.config import load_config

_TEMP = re.compile(r"^\..+\.md\.[^.]+\.tmp$")


def remove_stale_temps(archive: str | Path) -> list[str]:
    """Delete `.<post>.md.<random>.tmp` files in the posts folder; return their paths relative to the archive."""
    folder = Path(archive) / load_config(archive).posts_dir
    removed: list[str] = []
    try:
        entries = os.scandir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return removed
    with entries:
        for entry in entries:
            if _TEMP.match(entry.name) and entry.is_file(follow_symlinks=False):
                try:
                    os.unlink(entry.path)
                except FileNotFoundError:
                    continue
                removed.append(str(Path(entry.path).relative_to(archive)))
    return sorted(removed)
