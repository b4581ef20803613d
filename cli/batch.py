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
from newsfetch.archive.writer import write_article
from newsfetch.article import Article
from newsfetch.batch.cleanup import remove_stale_temps
from newsfetch.batch.config import load_batch_config
from newsfetch.batch.events import ItemDone, Queued, Retrying, Summary
from newsfetch.archive.site import refresh_site_pages
from newsfetch.batch.gitcommit import RunChanges, commit_archive
from newsfetch.batch.lock import ArchiveLock
from newsfetch.batch.politeness import HostPolicy
from newsfetch.batch.retry import RetryPolicy
from newsfetch.batch.runner import BatchOptions, run_batch
from newsfetch.batch.state import State
from newsfetch.batch.urls import read_list
from newsfetch.errors import InputError, NewsfetchError
from newsfetch.feeds.batch import retry_entries, retry_source, run_feeds
from newsfetch.fetch import DEFAULT_TIMEOUT, DEFAULT_USER_AGENT, FetchOptions
from newsfetch.images import ImageStore

from .app import app, stderr
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
    archive: Path | None = typer.Option(None, "--archive", "-a", help="The Jekyll archive to write posts into.",
                                        file_okay=False),
    concurrency: int | None = typer.Option(None, "--concurrency", "-c", min=1, help="Requests in flight in all [8]."),
    per_host: int | None = typer.Option(None, "--per-host", min=1, help="Requests in flight per server [2]."),
    rate: float | None = typer.Option(None, "--rate", min=0.0, help="Requests per second per server; 0: no cap [1]."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0.1, help="Seconds to wait for a server."),
    retries: int = typer.Option(3, "--retries", min=0, help="Retries of timeouts, connection errors, 408, 429, 5xx."),
    backoff: float = typer.Option(1.0, "--backoff", min=0.0, help="Seconds before the first retry; doubles each time."),
    user_agent: str = typer.Option(DEFAULT_USER_AGENT, "--user-agent", help="User-Agent header to send."),
    refresh: bool = typer.Option(False, "--refresh", help="Fetch again URLs already in the archive."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Fetch again the URLs that failed before."),
    ignore_robots: bool = typer.Option(False, "--ignore-robots", help="Do not read or obey robots.txt."),
    wait: float = typer.Option(0.0, "--wait", min=0.0, help="If another run holds the archive, wait this many "
                               "seconds for it instead of exiting with code 12."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress, no per-URL lines, no summary."),
    log_format: LogFormat = typer.Option(LogFormat.text, "--log-format", help="text, or json: one JSON object a line."),
    git_commit: bool = typer.Option(False, "--git-commit", help="Commit the archive's changes in its git repository."),
    images: Images = typer.Option(Images.remote, "--images", help="remote: keep image links; local: copy each "
                                  "article's images into assets/images/ and link those."),
    summary_style: SummaryStyle = typer.Option(SummaryStyle.auto, "--summary", help="How the run ends: auto (a "
                                               "table on a terminal, one line in logs), table, or line."),
    export_failures: Path | None = typer.Option(None, "--export-failures", dir_okay=False,
                                                help="Write every failed URL as JSON lines to this file (- : stdout)."),
    feeds: list[str] | None = typer.Option(None, "--feed", help="Read this feed and fetch what it lists (repeatable):"
                                           " a URL (RSS/Atom, sitemap, JSON list) or a named list such as "
                                           "eastmoney:roll (see newsfetch feeds). A feed that cannot be read "
                                           "exits 13; the others are still fetched."),
    via: Via | None = typer.Option(None, "--via", help="Bodies of list entries from the page or the site's text "
                                   "API [default: what the site's parser prefers; Eastmoney: api]."),
) -> None:
    """Fetch many articles into an archive: per-server limits, retries, robots.txt, resumable state, a lock.

    Examples:

      newsfetch batch urls.txt --archive ~/news

      newsfetch discover https://example.com/feed.xml --new --archive ~/news | newsfetch batch - --archive ~/news --git-commit

      newsfetch batch --feed eastmoney:roll --archive ~/news --git-commit

      newsfetch batch --retry-failed ~/news
    """
    if retry_failed and archive is None and url_list:
        archive, url_list = Path(url_list).expanduser(), None
    if archive is None:
        raise InputError("--archive DIR is required")
    if feeds and (url_list or retry_failed):
        raise InputError("give --feed, a LIST of URLs, or --retry-failed (one of them)")
    if not feeds and retry_failed == bool(url_list):
        raise InputError("give a LIST of URLs, or --retry-failed (not both)" if url_list else
                         "give a LIST of URLs (a file, or - for stdin), or --retry-failed")
    archive = require_archive(archive)
    config = load_batch_config(archive)
    default = HostPolicy.from_rate(per_host or config.per_host or 2,
                                   rate if rate is not None else (config.rate if config.rate is not None else 1.0))
    options = BatchOptions(
        concurrency=concurrency or config.concurrency or 8,
        host_policy=default,
        host_overrides={} if per_host is not None or rate is not None else config.hosts,
        refresh=refresh,
        retry_failed=retry_failed,
        respect_robots=not ignore_robots,
        retry=RetryPolicy(attempts=retries + 1, base=backoff),
        fetch=FetchOptions(timeout=timeout, user_agent=user_agent),
    )
    lines = _open_list(url_list) if url_list else None
    reporter = _reporter(quiet, log_format, summary_style)
    with ArchiveLock(archive, wait=wait) as lock:
        if lock.stale_pid:
            reporter.note(f"took over the lock of a run that died (pid {lock.stale_pid})")
        for leftover in remove_stale_temps(archive):
            reporter.note(f"removed {leftover}, a temporary file left by a killed run")
        state = State(archive)
        code = 0
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
                    fed = run_feeds(feeds, archive, options, state=state, via=via.value if via else None,
                                    on_event=on_event, on_note=reporter.note, writer=writer)
                    summary, code = fed.summary, fed.exit_code
                else:
                    entries = read_list(lines) if lines is not None else \
                        retry_entries(state, via.value if via else None)
                    summary = run_batch(entries, archive, options, on_event=on_event, state=state,
                                        source=retry_source(state, via.value if via else None), writer=writer)
            if store is not None:
                changes.pages.update(store.written)
                reporter.note(store.summary())
            if summary.new or summary.updated:  # a post may bring a new outlet, or another index page
                written, removed = refresh_site_pages(archive)
                changes.pages.update(written)
                changes.removed.update(removed)
            reporter.summary(summary)
            if export_failures is not None:
                _export(state, export_failures)
        finally:
            state.close()
            if lines is not None and url_list != "-":
                lines.close()
        code = code or summary.exit_code
        if git_commit:
            try:
                result = commit_archive(archive, changes)
                reporter.note(f"git: {result.message}" + (f" ({result.revision})" if result.revision else ""))
            except NewsfetchError as error:
                stderr.print(f"newsfetch: error: {error} (the posts are written; commit them by hand)", markup=False)
                code = code or error.exit_code
    raise typer.Exit(code)


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


def _export(state: State, target: Path) -> None:
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
            print(f"failed {event.url}: {event.reason or 'failed'}{tries}", file=sys.stderr, flush=True)

    def note(self, text: str) -> None:
        print(f"newsfetch: {text}", file=sys.stderr, flush=True)

    def summary(self, summary: Summary) -> None:
        print(summary_line(summary), file=sys.stderr, flush=True)
        if self.table:
            summary_table(summary)


def summary_line(summary: Summary) -> str:
    """``newsfetch batch: 3 new, 0 updated, 1 unchanged, 0 skipped, 2 failed (HTTP 404 2) in 1.2 s``."""
    def reasons(counts: Counter) -> str:
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return f" ({', '.join(f'{reason} {n}' for reason, n in top)})" if top else ""

    return (f"newsfetch batch: {summary.new} new, {summary.updated} updated, {summary.unchanged} unchanged, "
            f"{summary.total_skipped} skipped{reasons(summary.skipped)}, {summary.total_failed} failed"
            f"{reasons(summary.failed)} in {summary.elapsed:.1f} s")


def summary_table(summary: Summary) -> None:
    """The outcome table (terminals, or `--summary table`)."""
    table = Table("outcome", "count", title=f"newsfetch batch: {summary.elapsed:.1f} s")
    for name in ("new", "updated", "unchanged"):
        table.add_row(name, str(getattr(summary, name)))
    table.add_row("skipped", str(summary.total_skipped))
    for reason, count in sorted(summary.skipped.items()):
        table.add_row(f"  {reason}", str(count))
    table.add_row("failed", str(summary.total_failed))
    for reason, count in sorted(summary.failed.items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row(f"  {reason}", str(count))
    Console(stderr=True, highlight=False, width=max(60, Console(stderr=True).width)).print(table)


class _Json(_Quiet):
    """One JSON object a line on stderr: machine-readable logs."""

    def _write(self, data: dict) -> None:
        print(json.dumps({"time": round(time.time(), 3), **data}, ensure_ascii=False), file=sys.stderr, flush=True)

    def event(self, event: object) -> None:
        if isinstance(event, ItemDone):
            self._write({"event": "item", "url": event.url, "host": event.host, "status": event.status,
                         "reason": event.reason, "path": event.path, "attempts": event.attempts})
        elif isinstance(event, Retrying):
            self._write({"event": "retry", "url": event.url, "host": event.host, "attempt": event.attempt,
                         "delay": round(event.delay, 3), "reason": event.reason})

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
                self.progress.console.print(f"failed {event.url}: {event.reason}", markup=False)
            rate = self.finished / max(1e-6, time.monotonic() - self.started)
            top = " ".join(f"{host} {count}" for host, count in self.hosts.most_common(3))
            more = f" +{len(self.hosts) - 3} hosts" if len(self.hosts) > 3 else ""
            self.progress.update(self.task, completed=self.finished, rate=f"{rate:.1f}/s", hosts=top + more)

    def note(self, text: str) -> None:
        self.console.print(f"newsfetch: {text}", markup=False)

    def summary(self, summary: Summary) -> None:
        summary_table(summary)


def _reporter(quiet: bool, log_format: LogFormat, style: SummaryStyle = SummaryStyle.auto) -> _Quiet:
    if quiet:
        return _Quiet()
    if log_format is LogFormat.json:
        return _Json()
    if sys.stderr.isatty():
        return _Bar() if style is not SummaryStyle.line else _BarWithLine()
    return _Lines(table=style is SummaryStyle.table)


class _BarWithLine(_Bar):
    def summary(self, summary: Summary) -> None:
        self.console.print(summary_line(summary), markup=False)
