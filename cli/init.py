"""`newsfetch init DIR`: a new archive ready for `batch --archive DIR` and `jekyll build` (newsfetch.archive.scaffold)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from newsfetch.archive.scaffold import init_archive

from .app import app, stderr
from .options import json_option


@app.command("init")
def init_command(
    folder: Path = typer.Argument(..., metavar="DIR", help="The archive folder to create (or complete, with --force)."),
    force: bool = typer.Option(False, "--force", help="Add the missing files to a folder that holds other things; "
                               "existing files are never overwritten."),
    git: bool = typer.Option(True, "--git/--no-git", help="Run git init unless the folder is inside a repository."),
    as_json: bool = json_option("Print what was done as one JSON object on stdout ({root, created, kept, git})."),
) -> None:
    """Create an archive: the folder, a git repository, .gitignore, a commented newsfetch.toml and a Jekyll site.

    Examples:

    \b
      newsfetch init ~/news
      newsfetch init ~/old-archive --force
    """
    result = init_archive(folder, force=force, git=git)
    if as_json:
        typer.echo(json.dumps({"root": str(result.root), "created": [str(p) for p in result.created],
                               "kept": [str(p) for p in result.kept], "git": result.git_initialized,
                               "warning": result.git_note}, ensure_ascii=False, indent=2))
        return
    for rel in result.created:
        stderr.print(f"new: {result.root / rel}", markup=False)
    if result.git_initialized:
        stderr.print(f"git: initialized a repository in {result.root}", markup=False)
    if result.git_note:
        stderr.print(f"newsfetch: warning: {result.git_note}", markup=False)
    if not result.created:
        stderr.print(f"{result.root}: already an archive, nothing to add", markup=False)
    else:
        stderr.print(f"{result.root}: {len(result.created)} files added, {len(result.kept)} kept; next: "
                     f"newsfetch batch urls.txt --archive {result.root}", markup=False)
