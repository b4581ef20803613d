"""The archive lock: one writer per archive at a time (cron runs must never overlap).

Every command that writes an archive takes it: `batch`, `normalize`, `url`/`file --archive`, `archive index`.
Without it, a `normalize` rewriting a post from its old content while `batch` writes the new one loses the
update, and the state database (which records the new hash) then skips the URL forever.

An `fcntl.flock` on `.newsfetch/lock`, which holds the owner's pid. The kernel drops a flock when its process
dies, so a lock left by a killed run is free: the next run takes it over (and says whose it was).
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from pathlib import Path

from newsfetch.errors import ArchiveError, LockedError

from .state import state_dir

log = logging.getLogger(__name__)


class ArchiveLock:
    """`with ArchiveLock(archive, wait=0):` — raise LockedError if another live run holds it after `wait` s."""

    def __init__(self, archive: str | Path, *, wait: float = 0.0, poll: float = 0.1,
                 hint: str = "try again later or use --wait SECONDS") -> None:
        self.path = state_dir(archive) / "lock"
        self.wait = wait
        self.hint = hint
        self.poll = poll
        self._fd: int | None = None
        self.stale_pid: int | None = None  # pid written by a dead run whose lock we took over

    def acquire(self) -> None:
        if os.path.islink(self.path.parent):
            raise ArchiveError("the state folder is a symbolic link: not followed", where=str(self.path.parent))
        try:
            if not self.path.parent.is_dir():
                self.path.parent.mkdir(parents=True)
                # run state, not archive content (State writes the same file)
                (self.path.parent / ".gitignore").write_text("# newsfetch run state: not part of the archive\n*\n",
                                                             encoding="utf-8")
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise ArchiveError(f"cannot create the lock file ({error.strerror})", where=str(self.path)) from None
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    owner = _read_pid(fd)
                    os.close(fd)
                    who = f" (pid {owner})" if owner else ""
                    waited = f" after waiting {self.wait:g} s" if self.wait else ""
                    raise LockedError(f"another newsfetch run{who} is working on this archive{waited}; "
                                      + self.hint, where=str(self.path.parent.parent))
                time.sleep(self.poll)
        previous = _read_pid(fd)
        if previous and previous != os.getpid() and not pid_alive(previous):
            self.stale_pid = previous
            log.warning("took over a stale lock left by pid %s (no longer running)", previous)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            try:
                os.ftruncate(self._fd, 0)
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> ArchiveLock:
        self.acquire()
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


def archive_root(path: str | Path) -> Path | None:
    """The archive `path` belongs to: the nearest folder (itself included) holding ``_posts/`` or ``.newsfetch/``.
    None for files outside any archive (a loose folder of posts has nothing to lock)."""
    path = Path(os.path.abspath(path))
    for folder in ([path] if path.is_dir() else []) + list(path.parents):
        if (folder / "_posts").is_dir() or (folder / ".newsfetch").is_dir():
            return folder
    return None


class ArchiveLocks:
    """The locks of several archives (`normalize A B`), taken in a fixed order so two runs cannot deadlock."""

    def __init__(self, roots: list[Path], **options: object) -> None:
        self.locks = [ArchiveLock(root, **options) for root in sorted(set(roots))]  # type: ignore[arg-type]
        self.taken: list[ArchiveLock] = []

    def __enter__(self) -> ArchiveLocks:
        try:
            for lock in self.locks:
                lock.acquire()
                self.taken.append(lock)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        while self.taken:
            self.taken.pop().release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (one owned by another user counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
