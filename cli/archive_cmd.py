"""`newsfetch archive index DIR`: the category pages of a Jekyll archive (see newsfetch.archive.index)."""

from __future__ import annotations

from pathlib import Path

import typer

from newsfetch.archive.index import write_category_pages
from newsfetch.batch.lock import ArchiveLock
from newsfetch.errors import ArchiveError

from .app import app, stderr

EXIT_SOME_FAILED = 10  # as normalize and batch: some items could not be used

archive_app = typer.Typer(help="Work on a Jekyll archive as a whole.", no_args_is_help=True)
app.add_typer(archive_app, name="archive")


@archive_app.command("index")
def index_command(
    archive: Path = typer.Argument(..., help="The archive's root folder (holding _posts/)."),
    wait: float = typer.Option(0.0, "--wait", min=0.0, help="If another run holds the archive lock, wait this many "
                               "seconds for it (default: exit 12 at once)."),
) -> None:
    """Write category/<slug>.html (layout, title, category) for every category the posts use.

    Posts that cannot be read (broken front matter, a link or FIFO in _posts/) are left out and listed; the
    pages of the others are still written, and the exit code is then 10.

    Example: newsfetch archive index ~/finews
    """
    if not archive.is_dir():
        raise ArchiveError("not a folder", where=str(archive))
    problems: list[str] = []
    with ArchiveLock(archive, wait=wait):
        outcomes = write_category_pages(archive, problems)
    for outcome in outcomes:
        stderr.print(f"{outcome.status}: {outcome.path} ({outcome.category}: {outcome.title})", markup=False)
    for problem in problems:
        stderr.print(f"skipped: {problem}", markup=False)
    if problems:
        raise typer.Exit(EXIT_SOME_FAILED)
