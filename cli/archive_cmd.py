"""`newsfetch archive index DIR`: the category pages of a Jekyll archive (see newsfetch.archive.index)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import typer

from newsfetch.archive.config import load_config
from newsfetch.archive.index import write_category_pages
from newsfetch.archive.pagination import write_pagination

from .app import app, stderr
from .options import json_option

archive_app = typer.Typer(help="Work on a Jekyll archive as a whole.", no_args_is_help=True)
app.add_typer(archive_app, name="archive")


@archive_app.command("index")
def index_command(
    archive: Path = typer.Argument(..., metavar="DIR", help="The archive's root folder (holding _posts/)."),
    as_json: bool = json_option("Print what was done as one JSON array on stdout ({status, path, category, title})."),
) -> None:
    """Write category/<slug>.html (layout, title, category) for every category the posts use, and the
    index pages page/2/index.html … (per_page in _config.yml).

    Examples:

    \b
      newsfetch archive index ~/finews
      newsfetch batch urls.txt --archive ~/finews && newsfetch archive index ~/finews
    """
    archive = archive.expanduser()
    layout = archive / "_layouts" / f"{load_config(archive).category_layout}.html" if archive.is_dir() else None
    if layout is not None and not layout.exists() and _without_theme(archive / "_config.yml"):
        stderr.print(f"newsfetch: warning: {layout} does not exist, so Jekyll will warn about every outlet page "
                     f"(newsfetch init {archive} --force adds it)", markup=False)
    outcomes = write_category_pages(archive)
    pages = write_pagination(archive)
    if as_json:
        typer.echo(json.dumps([{"status": o.status, "path": str(o.path), "category": o.category, "title": o.title}
                               for o in outcomes] + [{"status": p.status, "path": str(p.path)} for p in pages],
                              ensure_ascii=False, indent=2))
        return
    for outcome in outcomes:
        stderr.print(f"{outcome.status}: {outcome.path} ({outcome.category}: {outcome.title})", markup=False)
    for page in pages:
        stderr.print(f"{page.status}: {page.path}", markup=False)


def _without_theme(config: Path) -> bool:
    """A Jekyll site whose layouts can only come from its own _layouts/ (no theme named in _config.yml)."""
    try:
        text = config.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return not re.search(r"^(remote_)?theme\s*:", text, re.M)
