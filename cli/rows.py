"""Print a listing's rows for a person (a table) or for a pipe (`--plain`: one tab-separated line a row)."""

from __future__ import annotations

from collections.abc import Sequence

import typer
from rich.console import Console
from rich.table import Table


def show_rows(columns: Sequence[str], rows: Sequence[Sequence[str]], *, plain: bool) -> None:
    """Rows as a rich table, or as tab-separated lines when `plain` (no colours, no wrapping: for cut/awk)."""
    if plain:
        for row in rows:
            typer.echo("\t".join(row))
        return
    table = Table(*columns)
    for row in rows:
        table.add_row(*row)
    Console().print(table)
