"""Atomic file writes: a temp file in the same folder, fsync, then rename over the target."""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path


def write_atomic(path: str | Path, data: bytes) -> None:
    """Replace `path` with `data` so that readers see the old or the new file, never a part.

    A symlink is written through (the link stays, its target is replaced). A device or FIFO such as
    ``/dev/stdout`` is written into, not replaced: renaming over it would destroy it.
    """
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        with open(path, "wb") as handle:
            handle.write(data)
        return
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    rename_into_place(path, data, path.stat().st_mode & 0o777 if path.exists() else 0o644)


def rename_into_place(target: Path, data: bytes, mode: int, *, sync_folder: bool = True) -> None:
    """Write `data` to a temp file beside `target`, fsync it, give it `mode`, rename it over `target`, fsync the
    folder. The rename replaces the name: a link put there meanwhile is replaced, not followed.

    ``sync_folder=False`` leaves the folder's fsync to the caller (`sync_folder`), who makes one for many renames
    into the same folder: until then the new name may be lost in a crash, but never points at a partial file."""
    staged = stage_file(target, data, mode)
    try:
        staged.sync()
    except BaseException:
        staged.discard()
        raise
    staged.commit()
    if sync_folder:
        _fsync_dir(target.parent)


@dataclass
class StagedFile:
    """`data` in a temp file beside `target`, not yet fsynced nor renamed: `rename_into_place` in steps, so that
    a writer of many files can fsync them together (on threads: the waits overlap) and rename each after."""

    target: Path
    temp: str
    fd: int
    mode: int

    def sync(self) -> None:
        """Make the temp file's bytes durable (before `commit`, never after: a crash must not leave a partial file
        under the target's name)."""
        os.fsync(self.fd)

    def commit(self) -> None:
        """Give the temp file its mode and rename it over the target; the temp file is removed if that fails."""
        try:
            os.fchmod(self.fd, self.mode)
            os.replace(self.temp, self.target)
        except BaseException:
            self.discard()
            raise
        self._close()

    def discard(self) -> None:
        """Close and remove the temp file, unless it was committed; the target is left as it was."""
        if self.fd < 0:
            return
        self._close()
        try:
            os.unlink(self.temp)
        except FileNotFoundError:
            pass

    def _close(self) -> None:
        fd, self.fd = self.fd, -1   # never closed twice: the number may belong to another file by then
        try:
            os.close(fd)
        except OSError:
            pass


def stage_file(target: Path, data: bytes, mode: int) -> StagedFile:
    """`data` written to a new temp file beside `target` (see `StagedFile`)."""
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    staged = StagedFile(target, temp, fd, mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except BaseException:
        staged.discard()
        raise
    return staged


def sync_folder(folder: Path) -> None:
    """fsync `folder`, making the renames done in it durable (best effort where folders cannot be fsynced)."""
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
