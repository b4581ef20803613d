"""`newsfetch parsers`: what parsers are installed, for which hosts, from where."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from newsfetch.registry import default_registry

from .app import app


@app.command("parsers")
def parsers_command(
    plain: bool = typer.Option(False, "--plain", help="Tab-separated lines instead of a table."),
) -> None:
    """List every source parser: name, version, valid-from date, hosts and origin."""
    registry = default_registry()  # a plug-in that fails to load is logged once, by the registry
    rows = [(i.name, i.version, i.valid_from.isoformat() if i.valid_from else "-",
             ", ".join(i.hosts) or "(fallback for any site)", i.origin) for i in registry.infos]
    if plain:
        for row in rows:
            typer.echo("\t".join(row))
        return
    table = Table("parser", "version", "valid from", "hosts", "origin")
    for row in rows:
        table.add_row(*row)
    Console().print(table)
