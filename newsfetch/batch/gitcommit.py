"""`--git-commit`: commit exactly the files a run wrote or removed, with a message counting them by outlet.

Only those paths are staged and committed (``git commit --only``), so whatever else is in the repository —
a built ``_site/``, the user's own edits, staged or not, untracked files — stays as it was. The run's state
(``.newsfetch/``) is per machine and never committed.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from newsfetch.archive.config import load_config
from newsfetch.archive.post import decode, parse_front, split
from newsfetch.errors import ArchiveError, NewsfetchError
from newsfetch.images import IMAGES_DIR
from newsfetch.outlets import outlet_name

from .events import ItemDone


@dataclass(frozen=True)
class CommitResult:
    committed: bool
    message: str
    revision: str | None = None


@dataclass
class RunChanges:
    """The files one run changed in the archive at `root`: posts by status ("new"/"updated"), and other pages
    written or removed."""

    root: Path
    posts: dict[Path, str] = field(default_factory=dict)
    pages: set[Path] = field(default_factory=set)
    removed: set[Path] = field(default_factory=set)

    def record(self, event: object) -> None:
        """Use as (part of) the batch runner's `on_event`: remembers the post of every new or updated item."""
        if isinstance(event, ItemDone) and event.status in ("new", "updated") and event.path:
            path = self.root / event.path  # events name posts relative to the archive
            if self.posts.get(path) != "new":  # new, then updated in the same run (a redirect twin): still new
                self.posts[path] = event.status

    @property
    def paths(self) -> list[Path]:
        return sorted(set(self.posts) | self.pages | self.removed)


def commit_message(new: int, updated: int, *, pages: int = 0, images: int = 0, outlets: Counter | None = None) -> str:
    """``newsfetch: 3 posts new, 1 post updated``, then one line per outlet (most posts first) in the body."""
    def count(n: int, word: str) -> str:
        return f"{n} {word}" if n == 1 else f"{n} {word}s"

    parts = [f"{count(new, 'post')} new" if new else "", f"{count(updated, 'post')} updated" if updated else "",
             count(pages, "site page") if pages else "", count(images, "image") if images else ""]
    subject = "newsfetch: " + (", ".join(p for p in parts if p) or "archive changes")
    if not outlets:
        return subject
    lines = [f"{outlet}: {n}" for outlet, n in sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))]
    return subject + "\n\n" + "\n".join(lines) + "\n"


def outlet_of(post: Path, aliases: dict[str, str] | None = None) -> str:
    """The outlet's one name (`newsfetch.outlets`) from the post's ``source``, or "unknown source"."""
    try:
        front_text, _ = split(decode(post.read_bytes()))
        source = parse_front(front_text, [], None).get("source")
    except (NewsfetchError, OSError):
        return "unknown source"
    name = outlet_name(str(source), aliases) if source else ""
    return name or "unknown source"


def commit_archive(archive: str | Path, changes: RunChanges) -> CommitResult:
    """Stage and commit the paths in `changes` (nothing else); nothing changed → no commit.

    Raises ArchiveError with git's own message when git fails; the posts on disk are untouched either way.
    """
    folder = Path(archive).expanduser().resolve()
    top = Path(_git(folder, "rev-parse", "--show-toplevel").strip())
    present = [p for p in changes.paths if p.exists()]
    gone = [p for p in changes.paths if not p.exists()]
    if present:
        _git(folder, "add", "--pathspec-from-file=-", "--pathspec-file-nul", stdin=_nul(present))
    if gone:  # removed files that git knows: stage their removal (untracked ones are simply forgotten)
        _git(folder, "rm", "-q", "--cached", "--ignore-unmatch", "--pathspec-from-file=-", "--pathspec-file-nul",
             stdin=_nul(gone))
    ours = {p.resolve() for p in changes.paths}
    # what is staged now, less what the user staged: only our paths go into the commit
    staged = [top / name for name in _git(folder, "diff", "--cached", "--name-only", "-z").split("\0")
              if name and (top / name).resolve() in ours] if ours else []
    if not staged:
        return CommitResult(False, "nothing to commit")
    staged_set = {p.resolve() for p in staged}
    posts = {p: s for p, s in changes.posts.items() if p.resolve() in staged_set}
    statuses = Counter(posts.values())
    aliases = dict(load_config(folder).outlets)
    outlets = Counter(outlet_of(p, aliases) for p in posts)
    images = sum(1 for p in staged if p.resolve().is_relative_to((folder / IMAGES_DIR).resolve()))
    message = commit_message(statuses["new"], statuses["updated"], pages=len(staged) - len(posts) - images,
                             images=images, outlets=outlets)
    _git(folder, "commit", "-q", "--only", "-m", message, "--pathspec-from-file=-", "--pathspec-file-nul",
         stdin=_nul(staged))
    revision = _git(folder, "rev-parse", "--short", "HEAD").strip()
    return CommitResult(True, message.split("\n", 1)[0], revision)


def _nul(paths: list[Path]) -> str:
    return "\0".join(str(p.resolve()) for p in paths)


def _git(folder: Path, *args: str, stdin: str | None = None) -> str:
    # --literal-pathspecs: a file name with `*` or `:(` in it names that file, not a pattern
    try:
        done = subprocess.run(["git", "--literal-pathspecs", *args], cwd=folder, capture_output=True, text=True,
                              timeout=300, input=stdin)
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
