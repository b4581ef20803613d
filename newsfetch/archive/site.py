"""After a run that added posts: refresh the pages of a site made by `newsfetch init` (outlet pages, index pages).

A site counts as made by `init` when it has ``_layouts/home.html``; other sites are left alone (their pages
are their owner's business, and `newsfetch archive index` still writes outlet pages on request).
"""

from __future__ import annotations

from pathlib import Path

from .index import write_category_pages
from .pagination import write_pagination


def is_scaffolded(archive: str | Path) -> bool:
    return (Path(archive) / "_layouts" / "home.html").is_file()


def refresh_site_pages(archive: str | Path) -> tuple[list[Path], list[Path]]:
    """(pages written, pages removed) — only what changed, for `--git-commit` to stage."""
    if not is_scaffolded(archive):
        return [], []
    written = [o.path for o in write_category_pages(archive) if o.status != "unchanged"]
    removed = []
    for page in write_pagination(archive):
        if page.status == "removed":
            removed.append(page.path)
        elif page.status != "unchanged":
            written.append(page.path)
    return written, removed
