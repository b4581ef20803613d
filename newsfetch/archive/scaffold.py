"""`newsfetch init DIR`: a new archive — folder, git repository, ``.gitignore``, ``newsfetch.toml`` and a
minimal Jekyll site (layouts for posts, outlet pages and paginated indexes) that builds without warnings.

The files come from the package's ``site_template/`` folder. Nothing that exists is ever overwritten: a second
`init` of a complete archive does nothing, and ``force=True`` adds only the files missing from a folder that
already holds other things (a hand-made archive, an older init).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from newsfetch.errors import ArchiveError
from newsfetch.output import write_atomic

# package-data globs skip dot-files, so these are stored under plain names and renamed on the way out
_RENAMED = {"gitignore": ".gitignore"}


@dataclass
class InitResult:
    """What `init_archive` did: files `created` and `kept` (relative paths), and whether it ran `git init`."""

    root: Path
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    git_initialized: bool = False
    git_note: str | None = None


def template_files() -> dict[str, bytes]:
    """Relative path in the archive → content, for every file of the scaffold."""
    found: dict[str, bytes] = {}

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name == "__pycache__":
                continue
            name = _RENAMED.get(child.name, child.name) if not prefix else child.name
            if child.is_dir():
                walk(child, f"{prefix}{name}/")
            else:
                found[f"{prefix}{name}"] = child.read_bytes()

    walk(resources.files("newsfetch.archive").joinpath("site_template"), "")
    return found


def init_archive(root: str | Path, *, force: bool = False, git: bool = True) -> InitResult:
    """Create the archive at `root` (see the module docstring); raises ArchiveError (exit code 8).

    A folder that exists and holds anything but ``.git`` and this scaffold's own files is refused unless
    `force`, so that `init` in the wrong folder does not litter it.
    """
    root = Path(root).expanduser()
    if root.exists() and not root.is_dir():
        raise ArchiveError("exists and is not a folder", where=str(root))
    files = template_files()
    if root.is_dir() and not force:
        foreign = sorted(p.name for p in root.iterdir() if p.name != ".git" and p.name not in _top_level(files))
        missing = [rel for rel in files if not (root / rel).exists()]
        if foreign and missing:
            raise ArchiveError(f"the folder is not empty ({', '.join(foreign[:3])}{' …' if len(foreign) > 3 else ''}); "
                               "add --force to add the missing archive files (nothing is overwritten)",
                               where=str(root))
    try:
        root.mkdir(parents=True, exist_ok=True)
        (root / "_posts").mkdir(exist_ok=True)
    except OSError as error:
        raise ArchiveError(f"cannot create the folder ({error.strerror or error})", where=str(root)) from None
    result = InitResult(root)
    for rel, data in files.items():
        target = root / rel
        if target.exists() or target.is_symlink():
            result.kept.append(rel)
            continue
        try:
            write_atomic(target, data)
        except OSError as error:
            raise ArchiveError(f"cannot write {rel} ({error.strerror or error})", where=str(root)) from None
        result.created.append(rel)
    if git:
        result.git_initialized, result.git_note = _git_init(root)
    return result


def _top_level(files: dict[str, bytes]) -> set[str]:
    return {rel.split("/", 1)[0] for rel in files} | {"_posts"}


def _git_init(root: Path) -> tuple[bool, str | None]:
    """`git init` unless `root` is already inside a work tree; git missing is a note, not a failure."""
    try:
        inside = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=root, capture_output=True,
                                text=True, timeout=60)
        if inside.returncode == 0 and inside.stdout.strip() == "true":
            return False, None
        done = subprocess.run(["git", "init", "-q"], cwd=root, capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        return False, "git is not installed: the archive is not a repository (--git-commit needs one)"
    except subprocess.TimeoutExpired:
        raise ArchiveError("git init took too long", where=str(root)) from None
    if done.returncode != 0:
        raise ArchiveError(f"git init failed: {(done.stderr or done.stdout).strip().splitlines()[0]}",
                           where=str(root))
    return True, None


def require_archive(root: str | Path) -> Path:
    """`root` with ``~`` expanded, when it is a folder; else the ArchiveError that says how to make one."""
    path = Path(root).expanduser()
    if not path.exists():
        raise ArchiveError(f"no such archive folder: run `newsfetch init {root}` first", where=str(root))
    if not path.is_dir():
        raise ArchiveError("not a folder", where=str(root))
    return path
