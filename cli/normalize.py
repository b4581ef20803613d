"""`newsfetch normalize PATH...`: clean the posts of an existing archive in place (see newsfetch.archive)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from newsfetch.archive.run import (FileResult, Options, available_cores, find_targets, leftover_temp_files,
                                   normalize_paths)

from .app import app, stderr

EXIT_FAILED = 10     # some files could not be understood (they were left untouched)
EXIT_WOULD_CHANGE = 1  # --check: some files are not normalized yet


@app.command("normalize")
def normalize_command(
    paths: list[Path] = typer.Argument(..., help="Post files, or archive folders (searched for posts)."),
    check: bool = typer.Option(False, "--check", help="Change nothing; list files that would change; exit 1 if any."),
    diff: bool = typer.Option(False, "--diff", help="Print unified diffs of the changes instead of writing them."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Change nothing; list files that would change."),
    backup: Path | None = typer.Option(None, "--backup", file_okay=False,
                                       help="Copy each file here (same relative path) before replacing it."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Worker processes (0: one per core)."),
) -> None:
    """Normalize Jekyll posts in place: HTML bodies become clean Markdown, front matter is rewritten safely.

    Example: newsfetch normalize ~/finews --backup /tmp/finews-backup

    Exit codes: 0 done (or nothing to change); 1 with --check when some file would change; 10 when some files
    could not be understood (they are left byte for byte as they were).
    """
    paths = [path.expanduser() for path in paths]  # `--backup=~/x` and quoted paths reach us unexpanded
    targets = find_targets(paths)
    options = Options(write=not (check or diff or dry_run), diff=diff,
                      backup=backup.expanduser() if backup is not None else None)
    results = _run(targets, options, jobs or available_cores())
    changed = [r for r in results if r.status == "changed"]
    for result in results:
        if result.diff:
            sys.stdout.write(result.diff)
        if (check or dry_run) and result.status == "changed":
            typer.echo(result.path)
    if options.write:  # what a killed earlier run left behind (Jekyll ignores dotfiles, but they are litter)
        for leftover in leftover_temp_files(paths):
            leftover.unlink(missing_ok=True)
            stderr.print(f"removed leftover temp file {leftover}", markup=False)
    _summary(results, written=options.write)
    if any(r.status == "failed" for r in results):
        raise typer.Exit(EXIT_FAILED)
    if check and changed:
        raise typer.Exit(EXIT_WOULD_CHANGE)


def _run(targets: list, options: Options, jobs: int) -> list[FileResult]:
    if stderr.is_terminal:
        columns = (TextColumn("normalize"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=stderr, transient=True) as progress:
            task = progress.add_task("normalize", total=len(targets))

            def advance(result: FileResult) -> None:
                if result.status == "failed":
                    progress.console.print(f"failed: {result.path}: {result.reason}", markup=False)
                progress.advance(task)

            return normalize_paths(targets, options, jobs=jobs, on_result=advance)
    def log(result: FileResult) -> None:  # logs (cron): a line per failure only; the summary line says the rest
        if result.status == "failed":
            stderr.print(f"failed: {result.path}: {result.reason}", markup=False)

    return normalize_paths(targets, options, jobs=jobs, on_result=log)


def _summary(results: list[FileResult], *, written: bool) -> None:
    """One row per outcome with its count and, for skipped and failed, the reasons with their counts."""
    counts = Counter(r.status for r in results)
    reasons: dict[str, Counter] = {"skipped": Counter(), "failed": Counter()}
    notes: Counter = Counter()
    for result in results:
        if result.status in reasons:
            reasons[result.status][result.reason or "?"] += 1
        notes.update(note.split(" (")[0] for note in result.notes)
    if not stderr.is_terminal:  # logs: one line
        stderr.print(summary_line(counts, reasons, notes, written=written), markup=False, soft_wrap=True)
        return
    table = Table("outcome", "files", "reasons", title=None if written else "nothing was written")
    table.add_row("changed" if written else "would change", str(counts["changed"]), "")
    table.add_row("unchanged", str(counts["unchanged"]), "")
    for status in ("skipped", "failed"):
        table.add_row(status, str(counts[status]),
                      "; ".join(f"{n} × {reason}" for reason, n in reasons[status].most_common(5)))
    if notes:  # repairs made, oddities kept: worth a look, not failures
        table.add_row("notes", str(sum(1 for r in results if r.notes)),
                      "; ".join(f"{n} × {note}" for note, n in sorted(notes.items())))
    Console(stderr=True, highlight=False, width=max(100, stderr.width)).print(table)


def summary_line(counts: Counter, reasons: dict[str, Counter], notes: Counter, *, written: bool) -> str:
    """``normalize: 123 files, 120 changed, 1 unchanged, 2 skipped (2 × not a post), 0 failed; notes: …``.

    When nothing is written (--check, --diff, --dry-run) the line says "would change", never "changed".
    """
    def why(status: str) -> str:
        top = reasons[status].most_common(5)
        return f" ({'; '.join(f'{n} × {reason}' for reason, n in top)})" if top else ""

    line = (f"normalize: {sum(counts.values())} files, {counts['changed']} {'changed' if written else 'would change'}, "
            f"{counts['unchanged']} unchanged, {counts['skipped']} skipped{why('skipped')}, "
            f"{counts['failed']} failed{why('failed')}")
    if notes:
        line += "; notes: " + "; ".join(f"{n} × {note}" for note, n in sorted(notes.items()))
    return line + ("" if written else " (nothing was written)")
