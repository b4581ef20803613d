"""`newsfetch archive index DIR`: the category pages of a Jekyll archive (see newsfetch.archive.index)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from newsfetch.archive.index import write_category_pages

from .app import app, stderr
from .options import json_option

archive_app = typer.Typer(help="Work on a Jekyll archive as a whole.", no_args_is_help=True)
app.add_typer(archive_app, name="archive")


@archive_app.command("index")
def index_command(
    archive: Path = typer.Argument(..., metavar="DIR", help="The archive's root folder (holding _posts/)."),
    as_json: bool = json_option("Print what was done as one JSON array on stdout ({status, path, category, title})."),
) -> None:
    """Write category/<slug>.html (layout, title, category) for every category the posts use.

    Examples:

    \b
      newsfetch archive index ~/finews
      newsfetch batch urls.txt --archive ~/finews && newsfetch archive index ~/finews
    """
    outcomes = write_category_pages(archive)
    if as_json:
        typer.echo(json.dumps([{"status": o.status, "path": str(o.path), "category": o.category, "title": o.title}
                               for o in outcomes], ensure_ascii=False, indent=2))
        return
    for outcome in outcomes:
        stderr.print(f"{outcome.status}: {outcome.path} ({outcome.category}: {outcome.title})", markup=False)
