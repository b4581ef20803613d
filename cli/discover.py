"""`newsfetch discover URL`: the article URLs of a feed, sitemap or listing page, one a line on stdout."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from newsfetch.batch.discover import discover
from newsfetch.batch.state import State, state_dir
from newsfetch.errors import UsageError
from newsfetch.fetch import Fetcher
from newsfetch.settings import fetch_options

from .app import app
from .options import archive_option, effective, json_option, timeout_option, user_agent_option


@app.command("discover")
def discover_command(
    url: str = typer.Argument(..., metavar="FEED", help="A feed address: an RSS/Atom feed, a sitemap (index, news, "
                              ".xml.gz), a JSON list, a listing page, or a named list (eastmoney:roll; see "
                              "newsfetch feeds)."),
    new: bool = typer.Option(False, "--new", help="Only URLs not yet in the archive (needs --archive)."),
    archive: Path | None = archive_option("The archive for --new (its newsfetch.toml applies)."),
    as_json: bool = json_option("Print the URLs as one JSON array instead of one a line."),
    timeout: float | None = timeout_option(),
    user_agent: str | None = user_agent_option(),
) -> None:
    """Print the article URLs a feed, sitemap or listing page links to, one a line.

    Examples:

    \b
      newsfetch discover https://example.com/sitemap.xml
      newsfetch discover https://example.com/rss.xml --new --archive ~/news | newsfetch batch - --archive ~/news
    """
    if new and archive is None:
        raise UsageError("--new needs --archive DIR")
    settings = effective(archive, {"fetch.timeout": timeout, "fetch.user_agent": user_agent})
    with Fetcher(fetch_options(settings)) as fetcher:
        urls = discover(url, fetcher)
    if new and archive is not None and (state_dir(archive) / "state.sqlite").exists():
        state = State(archive, readonly=True)
        try:
            urls = [u for u in urls if not state.known(u)]
        finally:
            state.db.close()
    if as_json:
        typer.echo(json.dumps(urls, ensure_ascii=False, indent=2))
        return
    for link in urls:
        typer.echo(link)
