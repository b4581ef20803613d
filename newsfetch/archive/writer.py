"""Write an Article into a Jekyll archive as ``<posts_dir>/YYYY-MM-DD-<id>.md``.

The id comes from the article's address (`ids.article_id`), the date from its publication time in the
archive's time zone. The same article always lands on the same path: an existing post with the same id
(under any date, or with the old ``NW`` prefix) is updated in place. Unchanged content is not written, so the
file and its mtime stay. Thread-safe: no shared state but the read-only config cache; each write is atomic.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from newsfetch import output
from newsfetch.article import Article
from newsfetch.errors import ArchiveError
from newsfetch.output import StagedFile
from newsfetch.render import PostStyle, render_post

from .config import ArchiveConfig, load_config
from .files import read_file, stage_replace
from .ids import SAFE_ID, article_id, id_aliases

Status = Literal["new", "updated", "unchanged"]


@dataclass(frozen=True)
class WriteOutcome:
    """What `write_article` did: ``status`` is "new", "updated" or "unchanged"; ``path`` is the post file."""

    status: Status
    path: Path


def post_path(archive: str | Path, article: Article, config: ArchiveConfig | None = None, *,
              post_id: str | None = None) -> Path:
    """Where `article` belongs in `archive` (an existing post of the same article wins). `post_id` is the
    id a feed stated (Eastmoney's ``infoCode``, ``NW…``): it names a new post instead of the address's id."""
    archive = Path(archive).expanduser()
    config = config or load_config(archive)
    if not article.url:
        raise ArchiveError("the article has no address, so it has no id to name the post by (pass --url)",
                           where=article.title, reason="no-url")
    if article.published is None:
        raise ArchiveError("the article has no publication date, so it cannot be named YYYY-MM-DD-<id>.md",
                           where=article.url, reason="no-date")
    address_id = article_id(article.url)
    post_id = post_id or address_id
    if not SAFE_ID.match(post_id):  # ids are built, never copied, but a wrong id must not become a path
        raise ArchiveError(f"unsafe post id {post_id!r}", where=article.url)
    folder = Path(archive) / config.posts_dir
    published = article.published if article.published.tzinfo else article.published.replace(tzinfo=config.style.tz)
    day = published.astimezone(config.style.tz).strftime("%Y-%m-%d")
    wanted = folder / f"{day}-{post_id}.md"
    if os.path.lexists(wanted):  # a link there is this post's name too: the write refuses it, never follows it
        return wanted
    return _existing(folder, post_id) or (_existing(folder, address_id) if address_id != post_id else None) \
        or wanted


@dataclass
class _PostIndex:
    """Post file names of one folder by id, so a backfill does not list the folder once a post.

    It is rebuilt when the folder's mtime is not the one this process last saw (someone else wrote
    there); this process's own writes are added as they happen. A post another program adds within the same
    clock tick (a few ms) as one of ours is missed; batch runs hold the archive lock, so that is a manual race.
    """

    mtime_ns: int = -1
    by_id: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refresh(self, folder: Path) -> None:
        try:
            mtime_ns = folder.stat().st_mtime_ns
        except FileNotFoundError:
            self.mtime_ns, self.by_id = -1, {}
            return
        if mtime_ns == self.mtime_ns:
            return
        by_id: dict[str, str] = {}
        with os.scandir(folder) as entries:
            for entry in entries:
                self._add(by_id, entry.name)
        self.mtime_ns, self.by_id = mtime_ns, by_id

    def remember(self, folder: Path, name: str) -> None:
        if self.mtime_ns == -1:
            return  # never listed: the next lookup lists the folder anyway
        self._add(self.by_id, name)
        self.mtime_ns = folder.stat().st_mtime_ns

    @staticmethod
    def _add(by_id: dict[str, str], name: str) -> None:
        if len(name) > 14 and name[:4].isdigit() and name[10] == "-" and name.endswith(".md"):
            post_id = name[11:-3]
            if post_id not in by_id or name < by_id[post_id]:  # the earliest date wins, as sorted() did
                by_id[post_id] = name


_INDEXES: dict[Path, _PostIndex] = {}
_INDEXES_GUARD = threading.Lock()


def _index(folder: Path) -> _PostIndex:
    with _INDEXES_GUARD:
        return _INDEXES.setdefault(folder.resolve(), _PostIndex())


def _existing(folder: Path, post_id: str) -> Path | None:
    """A post already holding this article under another date (or an alias id), if any."""
    index = _index(folder)
    with index.lock:
        index.refresh(folder)
        names = sorted(index.by_id[alias] for alias in id_aliases(post_id) if alias in index.by_id)
    return folder / names[0] if names else None


def post_bytes(article: Article, style: PostStyle) -> bytes:
    """The bytes of `article`'s post in an archive of this style: what `write_article` writes (and what a crawl
    worker renders ahead of the writer, so that the one archive writer only has to place them)."""
    return render_post(article, style).encode("utf-8")


def write_article(archive: str | Path, article: Article, *, post_id: str | None = None) -> WriteOutcome:
    """Write `article` into `archive` (``~`` expanded); raises ArchiveError (exit code 8) when it cannot.
    `post_id`: see `post_path`.

    Never writes through a link, into a FIFO or device, over a read-only post or outside `archive`
    (`files.UnsafeFile`). Callers that run beside other writers hold the archive lock (`batch.lock`).
    """
    archive = Path(archive).expanduser()
    if archive.exists() and not archive.is_dir():
        raise ArchiveError("not a folder", where=str(archive))
    config = load_config(archive)
    path = post_path(archive, article, config, post_id=post_id)
    return place_post(archive, path, post_bytes(article, config.style))


def place_post(archive: Path, path: Path, data: bytes, *, sync_folder: bool = True) -> WriteOutcome:
    """Make the post at `path` (from `post_path`) hold `data`, atomically; unchanged content is not rewritten.

    With ``sync_folder=False`` the post's folder is not fsynced after the rename: the caller does it once for
    many posts (`output.sync_folder`) before it reports any of them written. The temp file is fsynced before
    the rename either way, so a crash never leaves a partial post."""
    staged = stage_post(archive, path, data)
    if isinstance(staged, WriteOutcome):
        return staged
    sync_post(staged)
    outcome = finish_post(staged)
    if sync_folder:
        output.sync_folder(path.parent)
    return outcome


@dataclass
class StagedPost:
    """A post's new bytes in a temp file beside it (`stage_post`), to be fsynced and then renamed into place
    (`finish_post`): a writer of many posts fsyncs them together."""

    path: Path
    file: StagedFile
    new: bool


def stage_post(archive: Path, path: Path, data: bytes) -> WriteOutcome | StagedPost:
    """`place_post` up to the fsync: "unchanged" when the post already holds `data`, else its staged file."""
    old = read_file(path)  # UnsafeFile (an ArchiveError) for a link, FIFO, device or folder there
    if old == data:
        return WriteOutcome("unchanged", path)
    try:
        # UnsafeFile for a read-only post or a folder outside the archive
        file = stage_replace(path, data, root=archive)
    except OSError as exc:
        raise _cannot_write(exc, path) from None
    return StagedPost(path, file, new=old is None)


def sync_post(post: StagedPost) -> None:
    """fsync a staged post's temp file (before `finish_post`); ArchiveError, the temp file removed, if it fails."""
    try:
        post.file.sync()
    except OSError as exc:
        post.file.discard()
        raise _cannot_write(exc, post.path) from None


def finish_post(post: StagedPost) -> WriteOutcome:
    """Rename a staged post, fsynced already, into place (its folder's fsync is the caller's)."""
    try:
        post.file.commit()
    except OSError as exc:
        raise _cannot_write(exc, post.path) from None
    if post.new:
        index = _index(post.path.parent)
        with index.lock:
            index.remember(post.path.parent, post.path.name)
    return WriteOutcome("new" if post.new else "updated", post.path)


def _cannot_write(exc: OSError, path: Path) -> ArchiveError:
    return ArchiveError(f"cannot write the post ({exc.strerror or exc})", where=str(path))
