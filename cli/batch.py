"""`newsfetch batch`: many URLs into an archive, politely and resumably, with progress and a summary."""

from __future__ import annotations

import io
import json
import sys
import time
from collections import Counter
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from newsfetch.archive.scaffold import require_archive
from newsfetch.archive.site import refresh_site_pages
from newsfetch.archive.writer import write_article
from newsfetch.article import Article
from newsfetch.batch.cleanup import remove_stale_temps
from newsfetch.batch.config import batch_options
from newsfetch.batch.events import ItemDone, Queued, Retrying, Summary
from newsfetch.batch.gitcommit import RunChanges, commit_archive
from newsfetch.batch.lock import ArchiveLock
from newsfetch.batch.runner import BatchOptions, run_batch
from newsfetch.batch.state import State
from newsfetch.batch.urls import read_list
from newsfetch.errors import ExitStatus, InputError, NewsfetchError, UsageError
from newsfetch.feeds.batch import retry_entries, retry_source, run_feeds
from newsfetch.images import ImageStore

from .app import app, printable, stderr
from .options import (archive_option, backoff_option, export_failures_option, fetch_settings, git_commit_option,
                      ignore_robots_option, json_option, lock_wait_option, per_host_option, rate_option, refresh_option,
                      retries_option, retry_failed_option, setting_help, timeout_option, user_agent_option)
from .single import Images


class LogFormat(str, Enum):
    text = "text"
    json = "json"


class SummaryStyle(str, Enum):
    auto = "auto"    # the table on a terminal, one line otherwise
    table = "table"
    line = "line"


class Via(str, Enum):
    page = "page"
    api = "api"


@app.command("batch")
def batch_command(
    url_list: str | None = typer.Argument(None, metavar="LIST", help="File of URLs, one a line (# comments), or - "
                                          "for stdin. With --retry-failed: the archive folder."),
    archive: Path | None = archive_option("The Jekyll archive to write posts into (its newsfetch.toml applies)."),
    concurrency: int | None = typer.Option(None, "--concurrency", "-c", metavar="N",
                                           help=setting_help("batch.concurrency")),
    per_host: int | None = per_host_option(),
    rate: float | None = rate_option(),
    timeout: float | None = timeout_option(),
    retries: int | None = retries_option(),
    backoff: float | None = backoff_option(),
    max_retry_after: float | None = typer.Option(None, "--max-retry-after", metavar="SECONDS",
                                                 help=setting_help("batch.max_retry_after")),
    user_agent: str | None = user_agent_option(),
    refresh: bool = refresh_option(),
    retry_failed: bool = retry_failed_option(),
    ignore_robots: bool = ignore_robots_option(),
    wait: float = lock_wait_option(),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress, no per-URL lines, no summary."),
    as_json: bool = json_option("Log one JSON object a line (each URL, each retry, the summary) instead of text."),
    log_format: LogFormat = typer.Option(LogFormat.text, "--log-format", hidden=True,
                                         help="text or json (old spelling of --json)."),
    git_commit: bool = git_commit_option("run"),
    images: Images = typer.Option(Images.remote, "--images", help="remote: keep image links; local: copy each "
                                  "article's images into assets/images/ and link those."),
    summary_style: SummaryStyle = typer.Option(SummaryStyle.auto, "--summary", help="How the run ends: auto (a "
                                               "table on a terminal, one line in logs), table, or line."),
    export_failures: Path | None = export_failures_option(),
    feeds: list[str] | None = typer.Option(None, "--feed", metavar="FEED",
                                           help="Read this feed and fetch what it lists (repeatable):"
                                           " a URL (RSS/Atom, sitemap, JSON list) or a named list such as "
                                           "eastmoney:roll (see newsfetch feeds). A feed that cannot be read "
                                           "exits 13; the others are still fetched."),
    via: Via | None = typer.Option(None, "--via", metavar="page|api", help="Bodies of list entries from the page "
                                   "or the site's text API [default: what the site's parser prefers; Eastmoney: "
                                   "api]."),
) -> None:
    """Fetch many articles into an archive: per-server limits, retries, robots.txt, resumable state, a lock.

    Examples:

    \b
      newsfetch batch urls.txt --archive ~/news
      newsfetch discover https://example.com/feed.xml --new --archive ~/news | newsfetch batch - --archive ~/news --git-commit
      newsfetch batch --feed eastmoney:roll --archive ~/news --git-commit
      newsfetch batch --retry-failed ~/news
    """
    if retry_failed and archive is None and url_list:
        archive, url_list = Path(url_list).expanduser(), None
    if archive is None:
        raise UsageError("--archive DIR is required")
    if feeds and (url_list or retry_failed):
        raise UsageError("give --feed, a LIST of URLs, or --retry-failed (one of them)")
    if not feeds and retry_failed == bool(url_list):
        raise UsageError("give a LIST of URLs, or --retry-failed (not both)" if url_list else
                         "give a LIST of URLs (a file, or - for stdin), or --retry-failed")
    archive = require_archive(archive)
    settings = fetch_settings(archive, concurrency=concurrency, per_host=per_host, rate=rate, retries=retries,
                              backoff=backoff, max_retry_after=max_retry_after, timeout=timeout, user_agent=user_agent)
    options = batch_options(settings, refresh=refresh, retry_failed=retry_failed, respect_robots=not ignore_robots)
    reporter = _reporter(quiet, as_json or log_format is LogFormat.json, summary_style)
    raise typer.Exit(_run(archive, url_list, feeds or [], via.value if via else None, options, reporter, wait=wait,
                          git_commit=git_commit, export_failures=export_failures, images=images))


def open_state(archive: Path, lock: ArchiveLock, reporter: _Quiet) -> State:
    """Under the archive lock: say whose dead run's lock was taken over, remove its temporary files, open the state."""
    if lock.stale_pid:
        reporter.note(f"took over the lock of a run that died (pid {lock.stale_pid})")
    for leftover in remove_stale_temps(archive):
        reporter.note(f"removed {leftover}, a temporary file left by a killed run")
    return State(archive)


def refresh_pages(archive: Path, summary: Summary, changes: RunChanges) -> None:
    """After a run that wrote posts, the archive's outlet and index pages (a post may bring a new outlet)."""
    if summary.new or summary.updated:
        written, removed = refresh_site_pages(archive)
        changes.pages.update(written)
        changes.removed.update(removed)


def _run(archive: Path, url_list: str | None, feeds: list[str], via: str | None, options: BatchOptions,
         reporter: _Quiet, *, wait: float, git_commit: bool, export_failures: Path | None,
         images: Images = Images.remote) -> ExitStatus:
    """Run the batch under the archive lock: the feeds, the list or the earlier failures; then git and the export."""
    lines = _open_list(url_list) if url_list else None
    with ArchiveLock(archive, wait=wait) as lock:
        state = open_state(archive, lock, reporter)
        code = ExitStatus.OK
        try:
            changes = RunChanges(archive)

            def on_event(event: object) -> None:
                changes.record(event)
                reporter.event(event)

            store = ImageStore(archive, options.fetch) if images is Images.local else None

            def writer(folder: Path, article: Article, *, post_id: str | None = None) -> object:
                return write_article(folder, store.localize(article) if store else article, post_id=post_id)

            with reporter:
                if feeds:
                    fed = run_feeds(feeds, archive, options, state=state, via=via, on_event=on_event,
                                    on_note=reporter.note, writer=writer)
                    summary, code = fed.summary, fed.exit_code
                else:
                    entries = read_list(lines) if lines is not None else retry_entries(state, via)
                    summary = run_batch(entries, archive, options, on_event=on_event, state=state,
                                        source=retry_source(state, via), writer=writer)
            if store is not None:
                changes.pages.update(store.written)
                reporter.note(store.summary())
            refresh_pages(archive, summary, changes)
            reporter.summary(summary)
            if export_failures is not None:
                export_failed_urls(state, export_failures)
        finally:
            state.close()
            if lines is not None and url_list != "-":
                lines.close()
        code = code or summary.exit_code
        if git_commit:
            code = code or commit_run(archive, changes, reporter)
    return code


def commit_run(archive: Path, changes: RunChanges, reporter: _Quiet) -> ExitStatus:
    """Commit what this run wrote; a git failure is one line and its exit status (the posts stay written)."""
    try:
        result = commit_archive(archive, changes)
    except NewsfetchError as error:
        stderr.print(f"newsfetch: error: {error} (the posts are written; commit them by hand)", markup=False)
        return error.exit_status
    reporter.note(f"git: {result.message}" + (f" ({result.revision})" if result.revision else ""))
    return ExitStatus.OK


def _open_list(url_list: str):
    if url_list == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    path = Path(url_list).expanduser()
    try:
        return path.open(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise InputError("no such file", where=url_list) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a list of URLs", where=url_list) from None
    except OSError as error:
        raise InputError(f"cannot read the list ({error.strerror})", where=url_list) from None


def export_failed_urls(state: State, target: Path) -> None:
    """The archive's failed URLs (state table) as JSON lines, into `target` or standard output for ``-``."""
    out = sys.stdout if str(target) == "-" else target.expanduser().open("w", encoding="utf-8")
    try:
        for row in state.failures():
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()


# ---- reporting: the library sends events; these render them


class _Quiet:
    def __enter__(self):
        return self

    def __exit__(self, *_: object) -> None:
        pass

    def event(self, event: object) -> None:
        pass

    def note(self, text: str) -> None:
        pass

    def summary(self, summary: Summary) -> None:
        pass


class _Lines(_Quiet):
    """Logs (cron, not a terminal): one line per failed URL, notes, and a one-line summary; the table on request."""

    def __init__(self, table: bool = False) -> None:
        self.table = table

    def event(self, event: object) -> None:
        if isinstance(event, ItemDone) and event.status == "failed":
            tries = f" ({event.attempts} attempts)" if event.attempts > 1 else ""
            print(printable(f"failed {event.url}: {_why(event.reason, event.message) or 'failed'}{tries}"),
                  file=sys.stderr, flush=True)

    def note(self, text: str) -> None:
        print(f"newsfetch: {text}", file=sys.stderr, flush=True)

    def summary(self, summary: Summary) -> None:
        print(summary_line(summary), file=sys.stderr, flush=True)
        if self.table:
            summary_table(summary)


def summary_line(summary: Summary) -> str:
    """``newsfetch batch: 3 new, 0 updated, 1 unchanged, 0 skipped, 2 failed (http-404 2) in 1.2 s``."""
    def reasons(counts: Counter) -> str:
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return f" ({', '.join(f'{reason} {n}' for reason, n in top)})" if top else ""

    return (f"newsfetch batch: {summary.new} new, {summary.updated} updated, {summary.unchanged} unchanged, "
            f"{summary.total_skipped} skipped{reasons(summary.skipped)}, {summary.total_failed} failed"
            f"{reasons(summary.failed)} in {summary.elapsed:.1f} s")


def summary_table(summary: Summary) -> None:
    """The outcome table (terminals, or `--summary table`), with an example message per failure reason."""
    table = Table("outcome", "count", "for example", title=f"newsfetch batch: {summary.elapsed:.1f} s")
    for name in ("new", "updated", "unchanged"):
        table.add_row(name, str(getattr(summary, name)), "")
    table.add_row("skipped", str(summary.total_skipped), "")
    for reason, count in sorted(summary.skipped.items()):
        table.add_row(f"  {reason}", str(count), "")
    table.add_row("failed", str(summary.total_failed), "")
    for reason, count in sorted(summary.failed.items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row(f"  {reason}", str(count), summary.messages.get(reason, ""))
    Console(stderr=True, highlight=False, width=max(60, Console(stderr=True).width)).print(table)


class _Json(_Quiet):
    """One JSON object a line on stderr: machine-readable logs."""

    def _write(self, data: dict) -> None:
        print(json.dumps({"time": round(time.time(), 3), **data}, ensure_ascii=False), file=sys.stderr, flush=True)

    def event(self, event: object) -> None:
        if isinstance(event, ItemDone):
            self._write({"event": "item", "url": event.url, "host": event.host, "status": event.status,
                         "reason": event.reason, "message": event.message, "path": event.path,
                         "attempts": event.attempts})
        elif isinstance(event, Retrying):
            self._write({"event": "retry", "url": event.url, "host": event.host, "attempt": event.attempt,
                         "delay": round(event.delay, 3), "reason": event.reason, "message": event.message})

    def note(self, text: str) -> None:
        self._write({"event": "note", "message": text})

    def summary(self, summary: Summary) -> None:
        self._write({"event": "summary", **summary.to_dict()})


class _Bar(_Lines):
    """A rich progress bar with rate, ETA and per-host counts (interactive terminals)."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True, highlight=False)
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                                 TextColumn("{task.fields[hosts]}"), console=self.console, transient=False)
        self.task = self.progress.add_task("fetching", total=None, rate="", hosts="")
        self.hosts: Counter = Counter()
        self.finished = 0
        self.started = time.monotonic()

    def __enter__(self):
        self.progress.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.progress.stop()

    def event(self, event: object) -> None:
        if isinstance(event, Queued):
            self.progress.update(self.task, total=event.total if event.done else max(event.total, self.finished))
        elif isinstance(event, ItemDone):
            self.finished += 1
            if event.host:
                self.hosts[event.host] += 1
            if event.status == "failed":
                self.progress.console.print(printable(f"failed {event.url}: {_why(event.reason, event.message)}"),
                                            markup=False)
            rate = self.finished / max(1e-6, time.monotonic() - self.started)
            top = " ".join(f"{host} {count}" for host, count in self.hosts.most_common(3))
            more = f" +{len(self.hosts) - 3} hosts" if len(self.hosts) > 3 else ""
            self.progress.update(self.task, completed=self.finished, rate=f"{rate:.1f}/s", hosts=top + more)

    def note(self, text: str) -> None:
        self.console.print(f"newsfetch: {text}", markup=False)

    def summary(self, summary: Summary) -> None:
        summary_table(summary)


class _BarWithLine(_Bar):
    def summary(self, summary: Summary) -> None:
        self.console.print(summary_line(summary), markup=False)


def _why(reason: str | None, message: str | None) -> str:
    """`reason` slug and, when there is one, the full message: ``http-404 (HTTP 404 Not Found)``."""
    return f"{reason} ({message})" if message and reason else reason or message or ""


def _reporter(quiet: bool, as_json: bool, style: SummaryStyle = SummaryStyle.auto) -> _Quiet:
    if quiet:
        return _Quiet()
    if as_json:
        return _Json()
    if sys.stderr.isatty():
        return _Bar() if style is not SummaryStyle.line else _BarWithLine()
    return _Lines(table=style is SummaryStyle.table)
