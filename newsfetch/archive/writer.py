"""Write an Article into a Jekyll archive as ``<posts_dir>/YYYY-MM-DD-<id>.md``.

The id comes from the article's address (`ids.article_id`), the date from its publication time in the
archive's time zone. The same article always lands on the same path: an existing post with the same id
(under any date, or with the old ``NW`` prefix) is updated in place. Unchanged content is not written, so the
file and its mtime stay. Thread-safe: no shared state but the read-only config cache; each write is atomic.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from newsfetch.article import Article
from newsfetch.errors import ArchiveError
from newsfetch.output import write_atomic
from newsfetch.render import render_post

from .config import ArchiveConfig, load_config
from .ids import SAFE_ID, article_id, id_aliases

Status = Literal["new", "updated", "unchanged"]


@dataclass(frozen=True)
class WriteOutcome:
    """What `write_article` did: ``status`` is "new", "updated" or "unchanged"; ``path`` is the post file."""

    status: Status
    path: Path


def post_path(archive: str | Path, article: Article, config: ArchiveConfig | None = None) -> Path:
    """Where `article` belongs in `archive` (an existing post of the same article wins)."""
    config = config or load_config(archive)
    if not article.url:
        raise ArchiveError("the article has no address, so it has no id to name the post by (pass --url)",
                           where=article.title)
    if article.published is None:
        raise ArchiveError("the article has no publication date, so it cannot be named YYYY-MM-DD-<id>.md",
                           where=article.url)
    post_id = article_id(article.url)
    if not SAFE_ID.match(post_id):  # ids are built, never copied, but a wrong id must not become a path
        raise ArchiveError(f"unsafe post id {post_id!r}", where=article.url)
    folder = Path(archive) / config.posts_dir
    published = article.published if article.published.tzinfo else article.published.replace(tzinfo=config.style.tz)
    day = published.astimezone(config.style.tz).strftime("%Y-%m-%d")
    wanted = folder / f"{day}-{post_id}.md"
    if wanted.exists():
        return wanted
    return _existing(folder, post_id) or wanted


def _existing(folder: Path, post_id: str) -> Path | None:
    """A post already holding this article under another date (or an alias id), if any."""
    names = {f"-{alias}.md" for alias in id_aliases(post_id)}
    try:
        entries = os.scandir(folder)
    except FileNotFoundError:
        return None
    with entries:
        matches = sorted(entry.name for entry in entries
                         if len(entry.name) > 11 and entry.name[10:] in names and entry.name[:4].isdigit())
    return folder / matches[0] if matches else None


def write_article(archive: str | Path, article: Article) -> WriteOutcome:
    """Write `article` into `archive`; raises ArchiveError (exit code 8) when it cannot."""
    archive = Path(archive)
    if archive.exists() and not archive.is_dir():
        raise ArchiveError("not a folder", where=str(archive))
    config = load_config(archive)
    path = post_path(archive, article, config)
    data = render_post(article, config.style).encode("utf-8")
    try:
        old = path.read_bytes()
    except FileNotFoundError:
        old = None
    except OSError as exc:
        raise ArchiveError(f"cannot read the existing post ({exc.strerror or exc})", where=str(path)) from None
    if old == data:
        return WriteOutcome("unchanged", path)
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise ArchiveError(f"cannot write the post ({exc.strerror or exc})", where=str(path)) from None
    return WriteOutcome("new" if old is None else "updated", path)
