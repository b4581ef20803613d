"""`newsfetch crawl` and `newsfetch worker`: distributed crawling over Redis (the `scrapy` extra).

Scrapy, scrapy-redis and redis are imported only inside the commands, so the rest of the CLI (and
`newsfetch --help`) works without the extra.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from newsfetch.batch.cleanup import remove_stale_temps
from newsfetch.batch.config import load_batch_config
from newsfetch.batch.events import ItemDone, Summary
from newsfetch.archive.scaffold import require_archive
from newsfetch.archive.site import refresh_site_pages
from newsfetch.batch.gitcommit import RunChanges, commit_archive
from newsfetch.batch.lock import ArchiveLock
from newsfetch.batch.state import State
from newsfetch.batch.urls import host_key, read_list
from newsfetch.errors import InputError, NewsfetchError
from newsfetch.fetch import DEFAULT_TIMEOUT, DEFAULT_USER_AGENT

from .app import app, stderr
from .batch import LogFormat, _open_list, _reporter

_EXTRA = "the cluster commands need the scrapy extra: pip install 'newsfetch[scrapy]'"


def _require_extra() -> None:
    try:
        import redis  # noqa: F401
        import scrapy  # noqa: F401
        import scrapy_redis  # noqa: F401
    except ImportError as error:
        raise InputError(f"{_EXTRA} ({error.name} is missing)") from None


@app.command("crawl")
def crawl_command(
    url_list: str = typer.Argument(..., metavar="LIST", help="File of URLs, one a line (# comments), or - for stdin."),
    archive: Path = typer.Option(..., "--archive", "-a", help="The Jekyll archive to write posts into.",
                                 file_okay=False),
    redis_url: str = typer.Option(..., "--redis", help="The crawl's Redis, e.g. redis://10.0.0.5:6379/0."),
    workers: int = typer.Option(2, "--workers", "-w", min=0, help="Worker processes to run here (0: only the "
                                "writer; workers join with `newsfetch worker`)."),
    name: str = typer.Option("crawl", "--name", help="The crawl's name (its keys in Redis); one crawl per name."),
    concurrency: int = typer.Option(8, "--concurrency", "-c", min=1, help="Requests in flight per worker."),
    per_host: int | None = typer.Option(None, "--per-host", min=1, help="Requests in flight per server, all "
                                        "workers together [2]."),
    rate: float | None = typer.Option(None, "--rate", min=0.0, help="Requests per second per server, all workers "
                                      "together; 0: no cap [1]."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0.1, help="Seconds to wait for a server."),
    retries: int = typer.Option(3, "--retries", min=0, help="Retries of timeouts, connection errors, 408, 429, 5xx."),
    backoff: float = typer.Option(1.0, "--backoff", min=0.0, help="Seconds before the first retry; doubles each time."),
    user_agent: str = typer.Option(DEFAULT_USER_AGENT, "--user-agent", help="User-Agent header to send."),
    refresh: bool = typer.Option(False, "--refresh", help="Fetch again URLs already in the archive."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Fetch again the URLs that failed before."),
    ignore_robots: bool = typer.Option(False, "--ignore-robots", help="Do not read or obey robots.txt."),
    lease: float = typer.Option(60.0, "--lease", min=0.5, help="Seconds after which a URL taken by a worker that "
                                "stopped answering (killed, cut off) is given to another."),
    wait: float = typer.Option(0.0, "--wait", min=0.0, help="If another run holds the archive, wait this many "
                               "seconds for it instead of exiting with code 12."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No per-URL lines, no summary."),
    log_format: LogFormat = typer.Option(LogFormat.text, "--log-format", help="text, or json: one JSON object a line."),
    git_commit: bool = typer.Option(False, "--git-commit", help="Commit the archive's changes in its git repository."),
) -> None:
    """Crawl a list with workers sharing one Redis queue; this process writes the archive. Returns when done.

    Exit codes as batch: 0, 10 some URLs failed, 11 all failed, 12 archive or crawl busy.

    Examples:

      newsfetch crawl urls.txt --archive ~/news --redis redis://127.0.0.1:6379/0 --workers 4

      newsfetch worker --redis redis://10.0.0.5:6379/0      # on another machine: join the crawl
    """
    _require_extra()
    from newsfetch.cluster.connection import connect
    from newsfetch.cluster.coordinator import Crawl, CrawlRun
    from newsfetch.cluster.settings import CrawlSettings

    archive = require_archive(archive)
    config = load_batch_config(archive)
    overrides = {} if per_host is not None or rate is not None else config.hosts
    rate_value = rate if rate is not None else (config.rate if config.rate is not None else 1.0)
    settings = CrawlSettings(
        per_host=per_host or config.per_host or 2, interval=1.0 / rate_value if rate_value else 0.0,
        host_overrides={host: (p.max_in_flight, p.min_interval) for host, p in overrides.items()},
        respect_robots=not ignore_robots, attempts=retries + 1, backoff=backoff, timeout=timeout,
        user_agent=user_agent, lease=lease, concurrency=concurrency)
    lines = _open_list(url_list)
    client = connect(redis_url)
    reporter = _reporter(quiet, log_format)
    changes = RunChanges(archive)   # what --git-commit stages, as in batch

    def on_item(status: str, url: str, detail: str) -> None:
        done = status in ("new", "updated", "unchanged")
        event = ItemDone(url, host_key(url), status, reason=None if done else detail, path=detail if done else None)
        changes.record(event)
        reporter.event(event)

    with ArchiveLock(archive, wait=wait) as lock:
        if lock.stale_pid:
            reporter.note(f"took over the lock of a run that died (pid {lock.stale_pid})")
        for leftover in remove_stale_temps(archive):
            reporter.note(f"removed {leftover}, a temporary file left by a killed run")
        state = State(archive)
        try:
            state.start_run(0)
            crawl = Crawl(client, CrawlRun(redis_url, name, workers, refresh, retry_failed), settings, archive,
                          state, on_item=on_item, on_note=reporter.note)
            with reporter:
                summary = crawl.execute(read_list(lines))
            state.finish_run(summary.to_dict())
            if summary.new or summary.updated:  # as batch: a post may bring a new outlet, or another index page
                written, removed = refresh_site_pages(archive)
                changes.pages.update(written)
                changes.removed.update(removed)
        finally:
            state.close()
            if url_list != "-":
                lines.close()
        if not quiet:
            _print_summary(summary, log_format)
        code = summary.exit_code
        if git_commit:
            try:
                result = commit_archive(archive, changes)
                reporter.note(f"git: {result.message}" + (f" ({result.revision})" if result.revision else ""))
            except NewsfetchError as error:
                stderr.print(f"newsfetch: error: {error} (the posts are written; commit them by hand)", markup=False)
                code = code or error.exit_code
    raise typer.Exit(code)


@app.command("worker")
def worker_command(
    redis_url: str = typer.Option(..., "--redis", help="The crawl's Redis, e.g. redis://10.0.0.5:6379/0."),
    name: str = typer.Option("crawl", "--name", help="The crawl to join."),
    wait: float = typer.Option(60.0, "--wait", min=0.0, help="Seconds to wait for the crawl to be started."),
) -> None:
    """Join a crawl from this machine: fetch and extract until the crawl is drained (settings come from Redis).

    Example: newsfetch worker --redis redis://10.0.0.5:6379/0
    """
    _require_extra()
    from newsfetch.cluster.worker import run_worker

    run_worker(redis_url, name, wait=wait)


def print_cluster_status(redis_url: str, name: str, as_json: bool) -> None:
    """`newsfetch status --redis URL`: the crawl's counts (called by cli/status.py)."""
    _require_extra()
    from newsfetch.cluster.connection import connect
    from newsfetch.cluster.status import crawl_status

    data = crawl_status(connect(redis_url), name)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    table = Table("count", "", title=f"newsfetch crawl {name!r}: {data['state']}")
    for outcome, n in data["done"].items():
        table.add_row(outcome, str(n))
    for group in ("failed", "skipped"):
        table.add_row(group, str(sum(data[group].values())))
        for reason, n in data[group].items():
            table.add_row(f"  {reason}", str(n))
    for label, key in (("retried", "retried"), ("requeued (lease ran out)", "requeued"), ("left to fetch", "left"),
                       ("in flight", "in_flight"), ("left to write", "to_write")):
        table.add_row(label, str(data[key]))
    table.add_row("workers alive", str(len(data["workers"])))
    Console(highlight=False).print(table)


def _print_summary(summary: Summary, log_format: LogFormat) -> None:
    if log_format is LogFormat.json:
        print(json.dumps({"event": "summary", **summary.to_dict()}, ensure_ascii=False), file=sys.stderr, flush=True)
        return
    table = Table("outcome", "count", title=f"newsfetch crawl: {summary.elapsed:.1f} s")
    for name in ("new", "updated", "unchanged"):
        table.add_row(name, str(getattr(summary, name)))
    for group, counter in (("skipped", summary.skipped), ("failed", summary.failed)):
        table.add_row(group, str(sum(counter.values())))
        for reason, count in sorted(counter.items()):
            table.add_row(f"  {reason}", str(count))
    Console(stderr=True, highlight=False).print(table)
