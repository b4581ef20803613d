"""`newsfetch normalize PATH...`: clean the posts of an existing archive in place (see newsfetch.archive)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from newsfetch.archive.run import (FileResult, Options, available_cores, find_targets, leftover_temp_files,
                                   normalize_paths)
from newsfetch.batch.lock import ArchiveLocks, archive_root

from newsfetch.errors import ExitStatus
from newsfetch.settings import CONFIG_NAME, load_settings
from newsfetch.stats import Tally

from .app import app, stderr
from .options import effective, json_option, lock_wait_option, setting_help


@app.command("normalize")
def normalize_command(
    paths: list[Path] = typer.Argument(..., metavar="PATH", help="Post files, or archive folders (searched for "
                                       "posts; their newsfetch.toml applies)."),
    check: bool = typer.Option(False, "--check", help="Change nothing; list files that would change; exit 9 if any."),
    diff: bool = typer.Option(False, "--diff", help="Print unified diffs of the changes instead of writing them."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Change nothing; list files that would change."),
    backup: Path | None = typer.Option(None, "--backup", file_okay=False, metavar="DIR",
                                       help="Copy each file here (same relative path) before replacing it."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", metavar="N", help=setting_help("normalize.jobs")),
    as_json: bool = json_option("Print the summary (counts, reasons, failed files) as one JSON object on stdout."),
    wait: float = lock_wait_option(),
) -> None:
    """Normalize Jekyll posts in place: HTML bodies become clean Markdown, front matter is rewritten safely.

    Examples:

    \b
      newsfetch normalize ~/finews --backup /tmp/finews-backup
      newsfetch normalize ~/finews --check

    Exit codes: 0 done (or nothing to change); 9 with --check when some file would change; 10 when some files
    could not be understood (they are left byte for byte as they were); 12 when another run holds the archive.
    Links, FIFOs and read-only posts are skipped and reported, never followed or replaced.
    """
    paths = [path.expanduser() for path in paths]  # `--backup=~/x` and quoted paths reach us unexpanded
    archives = [path for path in paths if path.is_dir() and (path / CONFIG_NAME).is_file()]
    for archive in archives[1:]:
        load_settings(archive)  # a broken newsfetch.toml anywhere is reported, not skipped
    settings = effective(archives[0] if archives else None, {"normalize.jobs": jobs})
    targets = find_targets(paths)
    options = Options(write=not (check or diff or dry_run), diff=diff,
                      backup=backup.expanduser() if backup is not None else None)
    # writing takes the archive lock, as batch does: the two must not rewrite the same post at once
    roots = [root for root in map(archive_root, paths) if root is not None] if options.write else []
    with ArchiveLocks(roots, wait=wait):
        results = _run(targets, options, settings["normalize.jobs"] or available_cores())
    changed = [r for r in results if r.status == "changed"]
    for result in results:
        if result.diff:
            sys.stdout.write(result.diff)
        if (check or dry_run) and result.status == "changed" and not as_json:
            typer.echo(result.path)
    if options.write:  # what a killed earlier run left behind (Jekyll ignores dotfiles, but they are litter)
        for leftover in leftover_temp_files(paths):
            leftover.unlink(missing_ok=True)
            stderr.print(f"removed leftover temp file {leftover}", markup=False)
    tally = _tally(results)
    if as_json:
        typer.echo(json.dumps(_summary_data(tally, results), ensure_ascii=False, indent=2))
    else:
        _summary(tally, results, written=options.write)
    if any(r.status == "failed" for r in results):
        raise typer.Exit(ExitStatus.SOME_FAILED)
    if check and changed:
        raise typer.Exit(ExitStatus.WOULD_CHANGE)


def _run(targets: list, options: Options, jobs: int) -> list[FileResult]:
    if stderr.is_terminal:
        columns = (TextColumn("normalize"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=stderr, transient=True) as progress:
            task = progress.add_task("normalize", total=len(targets))

            def advance(result: FileResult) -> None:
                if result.status == "failed" or result.slug == "unsafe-file":
                    progress.console.print(f"{result.status}: {result.path}: {result.reason}", markup=False)
                progress.advance(task)

            return normalize_paths(targets, options, jobs=jobs, on_result=advance)
    def log(result: FileResult) -> None:  # logs (cron): a line per failure only; the summary line says the rest
        # ... and per link, FIFO or read-only post left alone: someone put it there, the owner should know
        if result.status == "failed" or result.slug == "unsafe-file":
            stderr.print(f"{result.status}: {result.path}: {result.reason}", markup=False)

    return normalize_paths(targets, options, jobs=jobs, on_result=log)


def _tally(results: list[FileResult]) -> Tally:
    tally = Tally()
    for result in results:
        if result.status in ("skipped", "failed"):
            tally.add(result.status, result.slug or result.reason or "?", result.reason)
        else:
            tally.add(result.status)
    return tally


def _summary_data(tally: Tally, results: list[FileResult]) -> dict:
    return {**{status: tally.count(status) for status in ("changed", "unchanged")},
            **{status: dict(tally.by_reason(status)) for status in ("skipped", "failed")},
            "messages": tally.messages,
            "changed_files": [r.path for r in results if r.status == "changed"],
            "failures": [{"path": r.path, "reason": r.slug, "message": r.reason} for r in results
                         if r.status == "failed"]}


def _summary(tally: Tally, results: list[FileResult], *, written: bool) -> None:
    """One row per outcome with its count and, for skipped and failed, the reasons with their counts."""
    notes: Counter = Counter()
    for result in results:
        notes.update(note.split(" (")[0] for note in result.notes)
    if not stderr.is_terminal:  # logs: one line
        stderr.print(summary_line(tally, notes, written=written), markup=False, soft_wrap=True)
        return
    table = Table("outcome", "files", "reasons", title=None if written else "nothing was written")
    table.add_row("changed" if written else "would change", str(tally.count("changed")), "")
    table.add_row("unchanged", str(tally.count("unchanged")), "")
    for status in ("skipped", "failed"):
        table.add_row(status, str(tally.count(status)), "; ".join(
            f"{n} × {reason} (e.g. {tally.messages[reason]})" if tally.messages.get(reason, reason) != reason
            else f"{n} × {reason}" for reason, n in tally.by_reason(status).most_common()))
    if notes:  # repairs made, oddities kept: worth a look, not failures
        table.add_row("notes", str(sum(1 for r in results if r.notes)),
                      "; ".join(f"{n} × {note}" for note, n in sorted(notes.items())))
    Console(stderr=True, highlight=False, width=max(100, stderr.width)).print(table)


def summary_line(tally: Tally, notes: Counter, *, written: bool) -> str:
    """``normalize: 123 files, 120 changed, 1 unchanged, 2 skipped (2 × not a post), 0 failed; notes: …``.

    When nothing is written (--check, --diff, --dry-run) the line says "would change", never "changed".
    """
    def why(status: str) -> str:
        top = tally.by_reason(status).most_common(5)
        return f" ({'; '.join(f'{n} × {reason}' for reason, n in top)})" if top else ""

    total = tally.count("changed", "unchanged", "skipped", "failed")
    line = (f"normalize: {total} files, {tally.count('changed')} {'changed' if written else 'would change'}, "
            f"{tally.count('unchanged')} unchanged, {tally.count('skipped')} skipped{why('skipped')}, "
            f"{tally.count('failed')} failed{why('failed')}")
    if notes:
        line += "; notes: " + "; ".join(f"{n} × {note}" for note, n in sorted(notes.items()))
    return line + ("" if written else " (nothing was written)")
