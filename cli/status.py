"""`newsfetch status DIR`: where the batch runs of an archive stand (counts, failure reasons, last runs)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from newsfetch.batch.state import State
from newsfetch.errors import InputError

from .app import app
from .options import json_option


@app.command("status")
def status_command(
    archive: Path | None = typer.Argument(None, metavar="DIR", help="The archive folder.", file_okay=False),
    as_json: bool = json_option("Print the status as one JSON object."),
    redis_url: str | None = typer.Option(None, "--redis", metavar="URL", help="Show a crawl's counts from its Redis instead."),
    name: str = typer.Option("crawl", "--name", metavar="NAME", help="With --redis: the crawl's name."),
) -> None:
    """Summarize the batch state of an archive: URLs by status, failures by reason, the last runs.

    Examples:

    \b
      newsfetch status ~/news
      newsfetch status ~/news --json
      newsfetch status --redis redis://127.0.0.1:6379/0      # a crawl's counts
    """
    if redis_url is not None:
        from .crawl import print_cluster_status

        print_cluster_status(redis_url, name, as_json)
        return
    if archive is None:
        raise InputError("give the archive folder, or --redis URL for a crawl")
    state = State(archive, readonly=True)
    try:
        data = {"urls": state.counts(), "failed": state.reasons("failed"), "skipped": state.reasons("skipped"),
                "messages": state.reason_messages("failed"), "runs": state.last_runs()}
    finally:
        state.db.close()
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console = Console(highlight=False)
    table = Table("status", "URLs", "for example", title=f"newsfetch status: {archive}")
    for status, count in sorted(data["urls"].items()):
        table.add_row(status, str(count), "")
        reasons = data["failed"] if status == "failed" else data["skipped"] if status == "skipped" else {}
        for reason, n in reasons.items():
            table.add_row(f"  {reason}", str(n), data["messages"].get(reason, "") if status == "failed" else "")
    console.print(table)
    for run in data["runs"]:
        started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(run["started"]))
        if run["finished"] is None:
            console.print(f"run {run['id']} (pid {run['pid']}) started {started}: did not finish (killed or running)",
                          markup=False)
            continue
        s = run["summary"] or {}
        console.print(f"run {run['id']} started {started}, {run['finished'] - run['started']:.1f} s: "
                      f"{s.get('new', 0)} new, {s.get('updated', 0)} updated, {s.get('unchanged', 0)} unchanged, "
                      f"{sum((s.get('skipped') or {}).values())} skipped, {sum((s.get('failed') or {}).values())} failed",
                      markup=False)
