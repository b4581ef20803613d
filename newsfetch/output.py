"""Atomic file writes: a temp file in the same folder, fsync, then rename over the target."""

from __future__ import annotations

import os
import stat
import tempfile
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
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
    if sync_folder:
        _fsync_dir(target.parent)


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
