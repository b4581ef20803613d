"""Read and replace archive files without following links, blocking on FIFOs or leaving the archive.

Post names are predictable (``YYYY-MM-DD-<id>.md``), and an archive is a git repository anybody may send
commits to: a symlink named like a post must never redirect a write (or a read) elsewhere, a FIFO must not
hang a cron job, and a read-only post is the owner saying "leave it". So every post is checked with `lstat`,
opened with ``O_NOFOLLOW | O_NONBLOCK``, and replaced by renaming a temp file over it (a rename replaces
the name, never what a link points to). The folder a post is written to must resolve inside the archive.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from newsfetch.errors import ArchiveError
from newsfetch.output import StagedFile, rename_into_place, stage_file

# A post or category page is a few KB; a file this size in _posts/ is not one (and would be read whole).
MAX_POST_BYTES = 32 * 1024 * 1024


class UnsafeFile(ArchiveError):
    """A symlink, FIFO, device or folder where a post should be, or a read-only post: left alone (a skip)."""

    default_reason = "unsafe-file"


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_regular(path: str | Path) -> os.stat_result | None:
    """The `lstat` of `path` when it is a regular file, None when nothing is there; UnsafeFile otherwise."""
    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFile(f"{_kind(info.st_mode)}, not a post file: left alone (never followed)", where=str(path))
    return info


def read_file(path: str | Path, *, limit: int = MAX_POST_BYTES) -> bytes | None:
    """The bytes of the regular file `path`, None if it does not exist; UnsafeFile for anything else there.

    ``O_NOFOLLOW`` closes the gap between the `lstat` and the open (a link swapped in meanwhile fails the open);
    ``O_NONBLOCK`` keeps a FIFO swapped in from blocking the open.
    """
    if check_regular(path) is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UnsafeFile("a symbolic link, not a post file: left alone (never followed)", where=str(path)) from None
        raise ArchiveError(f"cannot read ({error.strerror or error})", where=str(path)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(f"{_kind(info.st_mode)}, not a post file: left alone", where=str(path))
        if info.st_size > limit:
            raise ArchiveError(f"{info.st_size} bytes, over the {limit}-byte cap for a post: left alone",
                               where=str(path))
        chunks = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            size += len(chunk)
            if size > limit:  # grew while we read
                raise ArchiveError(f"over the {limit}-byte cap for a post: left alone", where=str(path))
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def inside(path: str | Path, root: str | Path) -> Path:
    """`path` with its folder resolved, after checking the folder is `root` or below it (links resolved)."""
    path = Path(path)
    folder = Path(os.path.realpath(path.parent))
    base = Path(os.path.realpath(root))
    if folder != base and base not in folder.parents:
        raise UnsafeFile(f"resolves outside the archive ({folder}): not written", where=str(path))
    return folder / path.name


def replace_file(path: str | Path, data: bytes, *, root: str | Path, sync_folder: bool = True) -> None:
    """Atomically make `path` (inside `root`) hold `data`: a temp file beside it, fsync, rename over it.

    Refused (UnsafeFile) when `path` is a link, FIFO, device or folder, or a read-only file, or when its folder
    resolves outside `root`. The mode of a replaced file is kept. `sync_folder`: see `output.rename_into_place`.
    """
    target, mode = _writable(path, root)
    rename_into_place(target, data, mode, sync_folder=sync_folder)


def stage_replace(path: str | Path, data: bytes, *, root: str | Path) -> StagedFile:
    """`replace_file` up to the fsync: the same checks, `data` in a temp file beside `path`; the caller syncs and
    commits it (`output.StagedFile`)."""
    target, mode = _writable(path, root)
    return stage_file(target, data, mode)


def _writable(path: str | Path, root: str | Path) -> tuple[Path, int]:
    """`path` resolved inside `root`, its folder made, and the mode its replacement gets; UnsafeFile if refused."""
    target = inside(path, root)
    info = check_regular(target)
    if info is not None and not info.st_mode & stat.S_IWUSR:
        raise UnsafeFile("read-only file: reported, not replaced", where=str(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    inside(target, root)  # mkdir may have met a link planted meanwhile
    return target, (info.st_mode & 0o777) if info is not None else 0o644
