"""Category pages: ``category/<slug>.html`` with layout, title and category, as the old scripts wrote them.

The title of a category's page is the tag its posts carry most often (``zhongguoxinwenwang`` →
``中国新闻网新闻``, ``emnews`` → ``东财滚动新闻``), else the category itself. File names are safe slugs:
``Reuters (UK)`` → ``reuters-uk.html``, while the page's ``category:`` keeps the exact value so the layout
can still look up ``site.categories[page.category]``. Jekyll splits a string of categories on spaces, so
that is how they are counted here too.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsfetch.errors import ArchiveError
from newsfetch.render import dump_front_matter
from newsfetch.slugs import slugify

from .config import load_config
from .files import UnsafeFile, read_file, replace_file
from .post import decode, parse_front, split


@dataclass(frozen=True)
class IndexOutcome:
    status: str  # "new", "updated" or "unchanged"
    path: Path
    category: str
    title: str


def categories_of(front: dict[str, Any]) -> list[str]:
    """Jekyll's reading: a list as is, a string split on whitespace; ``category:`` counts too."""
    found: list[str] = []
    for key in ("categories", "category"):
        value = front.get(key)
        if isinstance(value, str):
            found.extend(value.split())
        elif isinstance(value, list):
            found.extend(str(item) for item in value if item not in (None, ""))
    return list(dict.fromkeys(found))


def _tags_of(front: dict[str, Any]) -> list[str]:
    value = front.get("tags")
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [str(item) for item in value if item not in (None, "")]
    return []


def collect(posts_dir: Path, problems: list[str] | None = None) -> dict[str, Counter]:
    """category → Counter of the tags its posts carry (every readable post under `posts_dir`).

    A post that cannot be read or understood (a link, a FIFO, broken YAML) is left out; `problems` receives
    one ``path: reason`` line for each.
    """
    tags: dict[str, Counter] = defaultdict(Counter)
    for folder, dirs, files in os.walk(posts_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.endswith((".md", ".markdown")):
                continue
            path = Path(folder) / name
            try:
                data = read_file(path)  # never follows a link, never blocks on a FIFO
                if data is None:
                    continue
                front_text, _ = split(decode(data))
                front = parse_front(front_text, [], None)
            except (ArchiveError, OSError) as error:
                if problems is not None:  # unreadable posts are normalize's business: left out, reported
                    problems.append(f"{path}: {getattr(error, 'message', None) or error}")
                continue
            for category in categories_of(front):
                tags[category].update(_tags_of(front))
    return tags


def write_category_pages(archive: str | Path, problems: list[str] | None = None) -> list[IndexOutcome]:
    """Write one page per category found in the archive's posts; unchanged pages are not rewritten.

    Posts that cannot be read are left out and reported into `problems` (see `collect`).
    """
    archive = Path(archive).expanduser()
    if not archive.is_dir():
        raise ArchiveError("not a folder", where=str(archive))
    config = load_config(archive)
    outcomes = []
    for category, tags in sorted(collect(archive / config.posts_dir, problems).items()):
        slug = slugify(category)
        if not slug:
            continue
        # most common tag; ties go to the alphabetically first, so the result does not depend on file order
        title = min(tags.items(), key=lambda item: (-item[1], item[0]))[0] if tags else category
        path = archive / "category" / f"{slug}.html"
        data = dump_front_matter({"layout": config.category_layout, "title": title,
                                  "category": category}).encode("utf-8")
        try:
            old = read_file(path)
            if old != data:
                replace_file(path, data, root=archive)
        except UnsafeFile as error:  # a link or read-only page: reported, the other pages still written
            if problems is not None:
                problems.append(f"{path}: {error.message}")
            continue
        outcomes.append(IndexOutcome("unchanged" if old == data else "new" if old is None else "updated",
                                     path, category, title))
    return outcomes
