"""Index pages 2, 3 … of an archive made by `newsfetch init`: ``page/<n>/index.html`` with ``layout: home``.

Jekyll's own paginator is a plugin that Debian's jekyll lacks, so the pages are plain files: each holds only
its number, and the `home` layout shows posts ``(n-1)·per_page`` to ``n·per_page`` of ``site.posts``.
``per_page`` is read from ``_config.yml`` (the same key the layout reads). Pages are counted from the post
files; pages beyond the last are removed only when they hold exactly what this module writes. Sites without
``_layouts/home.html`` (not made by `init`) get no pages.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from newsfetch.render import dump_front_matter

from .config import load_config
from .files import read_file, replace_file

DEFAULT_PER_PAGE = 20
_POST_NAME = re.compile(r"\d{4}-\d{2}-\d{2}-.+\.(md|markdown)$")


@dataclass(frozen=True)
class PageOutcome:
    status: str  # "new", "updated", "unchanged" or "removed"
    path: Path


def per_page(archive: Path) -> int:
    """``per_page`` of the archive's ``_config.yml`` (20 when absent or not a positive number)."""
    try:
        config = yaml.safe_load((archive / "_config.yml").read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return DEFAULT_PER_PAGE
    value = config.get("per_page") if isinstance(config, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else DEFAULT_PER_PAGE


def count_posts(posts_dir: Path) -> int:
    """Files Jekyll reads as posts: ``YYYY-MM-DD-name.md`` anywhere under `posts_dir`, dot-files excluded."""
    total = 0
    for _, dirs, files in os.walk(posts_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        total += sum(1 for name in files if _POST_NAME.match(name))
    return total


def page_text(number: int) -> bytes:
    return dump_front_matter({"layout": "home", "title": f"第 {number} 页", "page_number": number}).encode("utf-8")


def write_pagination(archive: str | Path) -> list[PageOutcome]:
    """Write ``page/2/index.html`` … for the posts the archive holds; remove pages it no longer needs."""
    archive = Path(archive).expanduser()
    if not (archive / "_layouts" / "home.html").is_file():
        return []  # not a site made by `newsfetch init`: its index is its own business
    pages = max(1, math.ceil(count_posts(archive / load_config(archive).posts_dir) / per_page(archive)))
    outcomes = []
    for number in range(2, pages + 1):
        path = archive / "page" / str(number) / "index.html"
        data = page_text(number)
        old = read_file(path)  # never through a link (files.UnsafeFile)
        if old != data:
            replace_file(path, data, root=archive)
        outcomes.append(PageOutcome("unchanged" if old == data else "new" if old is None else "updated", path))
    number = pages + 1
    while True:  # pages past the last one, left by a bigger archive or a smaller per_page
        path = archive / "page" / str(number) / "index.html"
        try:
            if path.read_bytes() != page_text(number):
                break  # someone else's file: leave it
        except OSError:
            break
        path.unlink()
        try:
            path.parent.rmdir()
        except OSError:
            pass
        outcomes.append(PageOutcome("removed", path))
        number += 1
    return outcomes
