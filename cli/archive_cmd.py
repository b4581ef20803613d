"""`newsfetch archive index DIR`: the category pages of a Jekyll archive (see newsfetch.archive.index)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import typer

from newsfetch.archive.config import load_config
from newsfetch.archive.index import write_category_pages
from newsfetch.archive.pagination import write_pagination
from newsfetch.batch.lock import ArchiveLock
from newsfetch.errors import ArchiveError, UsageError

from .app import app, stderr
from .options import json_option, lock_wait_option

EXIT_SOME_FAILED = 10  # as normalize and batch: some items could not be used

archive_app = typer.Typer(help="Work on a Jekyll archive as a whole.", no_args_is_help=True)
app.add_typer(archive_app, name="archive")


@archive_app.command("index")
def index_command(
    archive: Path = typer.Argument(..., metavar="DIR", help="The archive's root folder (holding _posts/)."),
    as_json: bool = json_option("Print what was done as one JSON array on stdout ({status, path, category, title})."),
    wait: float = lock_wait_option(),
) -> None:
    """Write category/<slug>.html (layout, title, category) for every category the posts use, and the
    index pages page/2/index.html … (per_page in _config.yml).

    Posts that cannot be read (broken front matter, a link or FIFO in _posts/) are left out and listed; the
    pages of the others are still written, and the exit code is then 10.

    Examples:

    \b
      newsfetch archive index ~/finews
      newsfetch batch urls.txt --archive ~/finews && newsfetch archive index ~/finews
    """
    if wait < 0:
        raise UsageError(f"--wait {wait:g}: must be at least 0")
    archive = archive.expanduser()
    if not archive.is_dir():
        raise ArchiveError("not a folder", where=str(archive))
    layout = archive / "_layouts" / f"{load_config(archive).category_layout}.html"
    if not layout.exists() and _without_theme(archive / "_config.yml"):
        stderr.print(f"newsfetch: warning: {layout} does not exist, so Jekyll will warn about every outlet page "
                     f"(newsfetch init {archive} --force adds it)", markup=False)
    problems: list[str] = []
    with ArchiveLock(archive, wait=wait):  # the lock every archive writer takes
        outcomes = write_category_pages(archive, problems)
        pages = write_pagination(archive)
    for problem in problems:
        stderr.print(f"skipped: {problem}", markup=False)
    if as_json:
        typer.echo(json.dumps([{"status": o.status, "path": str(o.path), "category": o.category, "title": o.title}
                               for o in outcomes] + [{"status": p.status, "path": str(p.path)} for p in pages],
                              ensure_ascii=False, indent=2))
        if problems:
            raise typer.Exit(EXIT_SOME_FAILED)
        return
    for outcome in outcomes:
        stderr.print(f"{outcome.status}: {outcome.path} ({outcome.category}: {outcome.title})", markup=False)
    for page in pages:
        stderr.print(f"{page.status}: {page.path}", markup=False)
    for problem in problems:
        stderr.print(f"skipped: {problem}", markup=False)
    if problems:
        raise typer.Exit(EXIT_SOME_FAILED)


def _without_theme(config: Path) -> bool:
    """A Jekyll site whose layouts can only come from its own _layouts/ (no theme named in _config.yml)."""
    try:
        text = config.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return not re.search(r"^(remote_)?theme\s*:", text, re.M)
