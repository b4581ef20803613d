"""`newsfetch discover URL`: the article URLs of a feed, sitemap or listing page, one a line on stdout."""

from __future__ import annotations

from pathlib import Path

import typer

from newsfetch.batch.discover import discover
from newsfetch.batch.state import State, state_dir
from newsfetch.errors import InputError
from newsfetch.fetch import DEFAULT_TIMEOUT, DEFAULT_USER_AGENT, Fetcher, FetchOptions

from .app import app


@app.command("discover")
def discover_command(
    url: str = typer.Argument(..., help="A feed address: an RSS/Atom feed, a sitemap (index, news, .xml.gz), a "
                              "JSON list, a listing page, or a named list (eastmoney:roll; see newsfetch feeds)."),
    new: bool = typer.Option(False, "--new", help="Only URLs not yet in the archive (needs --archive)."),
    archive: Path | None = typer.Option(None, "--archive", "-a", file_okay=False, help="The archive for --new."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0.1, help="Seconds to wait for the server."),
    user_agent: str = typer.Option(DEFAULT_USER_AGENT, "--user-agent", help="User-Agent header to send."),
) -> None:
    """Print the article URLs a feed, sitemap or listing page links to, one a line.

    Example: newsfetch discover https://example.com/rss.xml --new --archive ~/news | newsfetch batch - --archive ~/news
    """
    if new and archive is None:
        raise InputError("--new needs --archive DIR")
    with Fetcher(FetchOptions(timeout=timeout, user_agent=user_agent)) as fetcher:
        urls = discover(url, fetcher)
    if new and archive is not None and (state_dir(archive) / "state.sqlite").exists():
        state = State(archive, readonly=True)
        try:
            urls = [u for u in urls if not state.known(u)]
        finally:
            state.db.close()
    for link in urls:
        typer.echo(link)
