"""`newsfetch archive index DIR`: the category pages of a Jekyll archive (see newsfetch.archive.index)."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from newsfetch.archive.config import load_config
from newsfetch.archive.index import write_category_pages
from newsfetch.archive.pagination import write_pagination

from .app import app, stderr

archive_app = typer.Typer(help="Work on a Jekyll archive as a whole.", no_args_is_help=True)
app.add_typer(archive_app, name="archive")


@archive_app.command("index")
def index_command(
    archive: Path = typer.Argument(..., help="The archive's root folder (holding _posts/)."),
) -> None:
    """Write category/<slug>.html (layout, title, category) for every category the posts use, and the
    index pages page/2/index.html … (per_page in _config.yml).

    Example: newsfetch archive index ~/finews
    """
    archive = archive.expanduser()
    layout = archive / "_layouts" / f"{load_config(archive).category_layout}.html" if archive.is_dir() else None
    if layout is not None and not layout.exists() and _without_theme(archive / "_config.yml"):
        stderr.print(f"newsfetch: warning: {layout} does not exist, so Jekyll will warn about every outlet page "
                     f"(newsfetch init {archive} --force adds it)", markup=False)
    for outcome in write_category_pages(archive):
        stderr.print(f"{outcome.status}: {outcome.path} ({outcome.category}: {outcome.title})", markup=False)
    for page in write_pagination(archive):
        stderr.print(f"{page.status}: {page.path}", markup=False)


def _without_theme(config: Path) -> bool:
    """A Jekyll site whose layouts can only come from its own _layouts/ (no theme named in _config.yml)."""
    try:
        text = config.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return not re.search(r"^(remote_)?theme\s*:", text, re.M)
