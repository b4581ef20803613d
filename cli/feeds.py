"""`newsfetch feeds`: the feed sources batch --feed and discover can read, their addresses, and origin."""

from __future__ import annotations

import json

import typer

from newsfetch.feeds import FeedSource, default_feeds

from .app import app, stderr
from .options import json_option
from .rows import show_rows


@app.command("feeds")
def feeds_command(
    plain: bool = typer.Option(False, "--plain", help="Tab-separated lines instead of a table."),
    as_json: bool = json_option("Print the feed sources as one JSON array ({feed, address, examples, reads, "
                                "origin})."),
) -> None:
    """List every feed source: name, the addresses it reads, what it is, and origin.

    Examples:

    \b
      newsfetch feeds
      newsfetch batch --feed eastmoney:roll --archive ~/news
    """
    registry = default_feeds()
    for problem in registry.problems:
        stderr.print(f"newsfetch: warning: {problem}", markup=False)
    rows = [(i.name, _addresses(i.prefix, i.source), ", ".join(i.examples), i.summary, i.origin)
            for i in registry.infos]
    if as_json:
        keys = ("feed", "address", "examples", "reads", "origin")
        typer.echo(json.dumps([dict(zip(keys, row)) for row in rows], ensure_ascii=False, indent=2))
        return
    show_rows(("feed", "address", "examples", "reads", "origin"), rows, plain=plain)


def _addresses(prefix: str | None, source: FeedSource) -> str:
    sniffed = type(source).sniffs is not FeedSource.sniffs
    named = f"{prefix}:…" if prefix else ""
    return " or ".join(part for part in (named, "URL (sniffed)" if sniffed else "") if part)
