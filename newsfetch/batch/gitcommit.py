"""`--git-commit`: commit what a run changed in the archive's git repository, with a counting message."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from newsfetch.errors import ArchiveError


@dataclass(frozen=True)
class CommitResult:
    committed: bool
    message: str
    revision: str | None = None


def commit_message(new: int, updated: int) -> str:
    def posts(n: int) -> str:
        return f"{n} post" if n == 1 else f"{n} posts"

    parts = [f"{posts(new)} new" if new else "", f"{posts(updated)} updated" if updated else ""]
    return "newsfetch: " + (", ".join(p for p in parts if p) or "archive changes")


def commit_archive(archive: str | Path, *, new: int, updated: int) -> CommitResult:
    """Stage every change under `archive` and commit it; nothing staged → no commit.

    Raises ArchiveError with git's own message when git fails; the posts on disk are untouched either way.
    """
    folder = Path(archive).resolve()
    _git(folder, "rev-parse", "--show-toplevel")
    _git(folder, "add", "-A", "--", ".")
    staged = subprocess.run(["git", "diff", "--cached", "--quiet", "--", "."], cwd=folder,
                            capture_output=True, text=True)
    if staged.returncode == 0:
        return CommitResult(False, "nothing to commit")
    if staged.returncode != 1:
        raise ArchiveError(f"git diff failed: {_first_line(staged.stderr)}", where=str(folder))
    message = commit_message(new, updated)
    _git(folder, "commit", "-q", "-m", message, "--", ".")
    revision = _git(folder, "rev-parse", "--short", "HEAD").strip()
    return CommitResult(True, message, revision)


def _git(folder: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=300)
    except FileNotFoundError:
        raise ArchiveError("git is not installed", where=str(folder)) from None
    except subprocess.TimeoutExpired:
        raise ArchiveError(f"git {args[0]} took too long", where=str(folder)) from None
    if done.returncode != 0:
        raise ArchiveError(f"git {args[0]} failed: {_first_line(done.stderr or done.stdout)}", where=str(folder))
    return done.stdout


def _first_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[0] if lines else "no message"
