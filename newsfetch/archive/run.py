"""Normalize many posts: find them, normalize each in a worker process, write atomically, report results.

Per-file failures are results, not crashes: a file that cannot be understood is left byte for byte as it
was and comes back as ``failed`` with the reason. The library reports each result to a callback; the CLI
turns them into a progress bar or log lines.
"""

from __future__ import annotations

import difflib
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from newsfetch.errors import ArchiveError, InputError
from newsfetch.output import write_atomic

from .files import UnsafeFile, read_file, replace_file
from .normalize import normalize_bytes
from .post import NotAPost

Status = Literal["changed", "unchanged", "skipped", "failed"]
# Jekyll folders that never hold posts; dot-folders (.git) are skipped too.
_NOT_POSTS = frozenset(("_site", "_layouts", "_includes", "_sass", "_data", "_plugins", "node_modules", "vendor",
                        "assets", "category", ".jekyll-cache"))
_POST_FOLDERS = frozenset(("_posts", "_drafts"))
_SUFFIXES = (".md", ".markdown")
_WRITER_THREADS = 8
_TEMP_FILE = re.compile(r"^\.(.+)\.[A-Za-z0-9_]{8}\.tmp$")  # newsfetch.output.write_atomic's temp names


@dataclass(frozen=True)
class Options:
    """`write`: replace changed files (off for --check, --diff, --dry-run); `diff`: return unified diffs;
    `backup`: folder that receives the original of every file before it is replaced."""

    write: bool = True
    diff: bool = False
    backup: Path | None = None


@dataclass
class FileResult:
    path: str
    status: Status
    reason: str | None = None          # the full message of a skip or failure
    notes: list[str] = field(default_factory=list)
    diff: str | None = None
    slug: str | None = None            # the reason as a slug to count by (bad-post, not-a-post, unreadable, …)


@dataclass(frozen=True)
class Target:
    """A file to normalize; `root` is the folder given on the command line (backups mirror paths below it);
    `found` is True when the file was found by walking a folder (then only posts are touched)."""

    path: str
    root: str
    found: bool


def find_targets(paths: Iterable[str | Path]) -> list[Target]:
    """Files named directly, and the ``.md``/``.markdown`` files inside named folders (sorted)."""
    targets: list[Target] = []
    for given in paths:
        given = Path(given).expanduser()
        if given.is_file():
            targets.append(Target(str(given), str(given.parent), False))
        elif given.is_dir():
            for folder, dirs, files in os.walk(given):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _NOT_POSTS)
                for name in sorted(files):
                    if name.endswith(_SUFFIXES) and not name.startswith("."):
                        targets.append(Target(os.path.join(folder, name), str(given), True))
        else:
            raise InputError("no such file or folder", where=str(given))
    return list({t.path: t for t in targets}.values())


def leftover_temp_files(paths: Iterable[str | Path], *, min_age: float = 600.0) -> list[Path]:
    """Temp files an interrupted atomic write left (``.<name>.<8 chars>.tmp`` beside ``<name>``), older than
    `min_age` seconds — a younger one may belong to a write still in progress (a running batch)."""
    found: list[Path] = []
    now = time.time()
    for given in paths:
        given = Path(given).expanduser()
        folders = os.walk(given) if given.is_dir() else [(str(given.parent), [], [])]
        for folder, dirs, files in folders:
            dirs[:] = [d for d in dirs if not d.startswith(".") and d not in _NOT_POSTS]
            for name in files:
                match = _TEMP_FILE.match(name)
                path = Path(folder) / name
                if match and (Path(folder) / match.group(1)).exists():
                    try:
                        if now - path.stat().st_mtime >= min_age:
                            found.append(path)
                    except FileNotFoundError:
                        continue
    return sorted(found)


def normalize_file(target: Target, options: Options = Options()) -> FileResult:
    """Normalize one file according to `options`; never raises for a problem with the file itself."""
    path = Path(target.path)
    try:
        old = read_file(path)  # never follows a link, never blocks on a FIFO
    except UnsafeFile as exc:
        return FileResult(target.path, "skipped", exc.message, slug=exc.reason)
    except ArchiveError as exc:
        return FileResult(target.path, "failed", exc.message, slug=exc.reason)
    except OSError as exc:
        return FileResult(target.path, "failed", f"cannot read ({exc.strerror or exc})", slug="unreadable")
    if old is None:
        return FileResult(target.path, "skipped", "gone before it was read", slug="unreadable")
    try:
        # Found by walking a folder: only posts (in _posts/ or with layout post), never pages like index.md.
        layouts = None if not target.found or _POST_FOLDERS.intersection(path.parts) else ("post",)
        result = normalize_bytes(old, path.name, target.path, layouts=layouts)
    except NotAPost as exc:
        return FileResult(target.path, "skipped", exc.message, slug=exc.reason)
    except ArchiveError as exc:
        return FileResult(target.path, "failed", exc.message, slug=exc.reason)
    except Exception as exc:  # a bug in one post must not stop thousands of others: report it, go on
        return FileResult(target.path, "failed", f"internal error: {type(exc).__name__}: {exc}", slug="internal-error")
    if result.data == old:
        return FileResult(target.path, "unchanged", notes=result.notes)
    diff = _diff(old, result.data, target.path) if options.diff else None
    if options.write:
        try:
            if options.backup is not None:
                write_atomic(options.backup / os.path.relpath(path, target.root), old)
            replace_file(path, result.data, root=target.root)
        except UnsafeFile as exc:  # read-only, or replaced by a link since it was read
            return FileResult(target.path, "skipped", exc.message, slug=exc.reason)
        except OSError as exc:
            return FileResult(target.path, "failed", f"cannot write ({exc.strerror or exc})", slug="unwritable")
    return FileResult(target.path, "changed", notes=result.notes, diff=diff)


def _diff(old: bytes, new: bytes, name: str) -> str:
    before = old.decode("utf-8", "replace").splitlines(keepends=True)
    after = new.decode("utf-8").splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, f"a/{name}", f"b/{name}"))


def _run_chunk(targets: list[Target], options: Options) -> list[FileResult]:
    return list(_each(targets, options))


def _each(targets: list[Target], options: Options) -> Iterator[FileResult]:
    """Results in order. A few threads per process: the work is CPU-bound (GIL), but each atomic write waits on
    fsync, and concurrent fsyncs share journal commits — 1 thread writes ~160 files/s here, 8 threads ~1,700."""
    if not options.write and options.backup is None:  # nothing waits on the disk: threads would only contend
        yield from (normalize_file(target, options) for target in targets)
        return
    with ThreadPoolExecutor(max_workers=_WRITER_THREADS) as threads:
        yield from threads.map(lambda target: normalize_file(target, options), targets)


def _die_with_parent(parent: int) -> None:
    """Pool initializer: a worker exits as soon as its parent is gone. A `kill -9` of normalize gives the pool no
    chance to stop its workers, which would otherwise go on rewriting posts with nobody collecting the results."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def available_cores() -> int:
    """Cores this process may use (respects taskset and container CPU sets where the OS tells)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def normalize_paths(targets: list[Target], options: Options = Options(), *, jobs: int | None = None,
                    on_result: Callable[[FileResult], None] | None = None) -> list[FileResult]:
    """Normalize `targets` on `jobs` processes (default: all cores); results sorted by path.

    `on_result` is called in this process for each result as it arrives (for progress display).
    """
    jobs = max(1, jobs or available_cores())
    results: list[FileResult] = []
    if jobs == 1 or len(targets) < 50:  # a pool costs more than it saves on a handful of files
        for result in _each(targets, options):
            results.append(result)
            if on_result:
                on_result(result)
    else:
        size = max(1, min(200, len(targets) // (jobs * 8)))
        chunks = [targets[i:i + size] for i in range(0, len(targets), size)]
        with ProcessPoolExecutor(max_workers=jobs, initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
            futures = [pool.submit(_run_chunk, chunk, options) for chunk in chunks]
            for future in as_completed(futures):
                for result in future.result():
                    results.append(result)
                    if on_result:
                        on_result(result)
    return sorted(results, key=lambda r: r.path)
