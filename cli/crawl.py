"""`newsfetch crawl` and `newsfetch worker`: distributed crawling over Redis (the `scrapy` extra).

Scrapy, scrapy-redis and redis are imported only inside the commands, so the rest of the CLI (and
`newsfetch --help`) works without the extra.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from newsfetch.batch.config import batch_options
from newsfetch.batch.events import ItemDone, Summary
from newsfetch.archive.scaffold import require_archive
from newsfetch.batch.gitcommit import RunChanges
from newsfetch.batch.lock import ArchiveLock
from newsfetch.batch.urls import host_key, read_list
from newsfetch.errors import InputError

from .app import app
from .batch import _open_list, _reporter, commit_run, export_failed_urls, open_state, refresh_pages
from .options import (backoff_option, export_failures_option, fetch_settings, git_commit_option, ignore_robots_option,
                      json_option, lock_wait_option, per_host_option, rate_option, refresh_option, retries_option,
                      retry_failed_option, timeout_option, user_agent_option)

_EXTRA = "the cluster commands need the scrapy extra: pip install 'newsfetch[scrapy]'"


def _require_extra() -> None:
    # found, not imported: importing Scrapy here would put its 0.2 s before the crawl publishes its settings
    for package in ("redis", "scrapy", "scrapy_redis"):
        if importlib.util.find_spec(package) is None:
            raise InputError(f"{_EXTRA} ({package} is missing)")


@app.command("crawl")
def crawl_command(
    url_list: str = typer.Argument(..., metavar="LIST", help="File of URLs, one a line (# comments), or - for stdin."),
    archive: Path = typer.Option(..., "--archive", "-a", metavar="DIR", file_okay=False,
                                 help="The Jekyll archive to write posts into (its newsfetch.toml applies)."),
    redis_url: str = typer.Option(..., "--redis", metavar="URL", help="The crawl's Redis, e.g. "
                                  "redis://10.0.0.5:6379/0."),
    workers: int = typer.Option(2, "--workers", "-w", min=0, help="Worker processes to run here (0: only the "
                                "writer; workers join with `newsfetch worker`)."),
    name: str = typer.Option("crawl", "--name", help="The crawl's name (its keys in Redis); one crawl per name."),
    concurrency: int = typer.Option(8, "--concurrency", "-c", min=1, help="Requests in flight per worker."),
    per_host: int | None = per_host_option("All workers together: "),
    rate: float | None = rate_option("All workers together: "),
    timeout: float | None = timeout_option(),
    retries: int | None = retries_option(),
    backoff: float | None = backoff_option(),
    user_agent: str | None = user_agent_option(),
    refresh: bool = refresh_option(),
    retry_failed: bool = retry_failed_option(),
    ignore_robots: bool = ignore_robots_option(),
    lease: float = typer.Option(60.0, "--lease", min=0.5, help="Seconds after which a URL taken by a worker that "
                                "stopped answering (killed, cut off) is given to another."),
    wait: float = lock_wait_option(),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No per-URL lines, no summary."),
    as_json: bool = json_option("Log one JSON object a line (each URL, the summary) instead of text."),
    git_commit: bool = git_commit_option("crawl"),
    export_failures: Path | None = export_failures_option(),
) -> None:
    """Crawl a list with workers sharing one Redis queue; this process writes the archive. Returns when done.

    Exit codes as batch: 0, 10 some URLs failed, 11 all failed, 12 archive or crawl busy.

    Examples:

    \b
      newsfetch crawl urls.txt --archive ~/news --redis redis://127.0.0.1:6379/0 --workers 4
      newsfetch worker --redis redis://10.0.0.5:6379/0      # on another machine: join the crawl
    """
    _require_extra()
    from newsfetch.cluster.connection import connect
    from newsfetch.cluster.coordinator import Crawl, CrawlRun
    from newsfetch.cluster.settings import CrawlSettings

    archive = require_archive(archive)
    # the settings of batch, declared once (defaults, newsfetch.toml, these options), read the way batch reads them
    options = batch_options(fetch_settings(archive, per_host=per_host, rate=rate, retries=retries, backoff=backoff,
                                           timeout=timeout, user_agent=user_agent), respect_robots=not ignore_robots)
    settings = CrawlSettings.from_batch(options, lease=lease, concurrency=concurrency)
    lines = _open_list(url_list)
    client = connect(redis_url)
    reporter = _reporter(quiet, as_json)
    changes = RunChanges(archive)   # what --git-commit stages, as in batch

    def on_item(status: str, url: str, detail: str) -> None:
        done = status in ("new", "updated", "unchanged")
        event = ItemDone(url, host_key(url), status, reason=None if done else detail, path=detail if done else None)
        changes.record(event)
        reporter.event(event)

    with ArchiveLock(archive, wait=wait) as lock:
        state = open_state(archive, lock, reporter)
        try:
            state.start_run(0)
            crawl = Crawl(client, CrawlRun(redis_url, name, workers, refresh, retry_failed), settings, archive,
                          state, on_item=on_item, on_note=reporter.note)
            with reporter:
                summary = crawl.execute(read_list(lines))
            state.finish_run(summary.to_dict())
            refresh_pages(archive, summary, changes)
            if export_failures is not None:
                export_failed_urls(state, export_failures)
        finally:
            state.close()
            if url_list != "-":
                lines.close()
        if not quiet:
            _print_summary(summary, as_json)
        code = summary.exit_code
        if git_commit:
            code = code or commit_run(archive, changes, reporter)
    raise typer.Exit(code)


@app.command("worker")
def worker_command(
    redis_url: str = typer.Option(..., "--redis", help="The crawl's Redis, e.g. redis://10.0.0.5:6379/0."),
    name: str = typer.Option("crawl", "--name", help="The crawl to join."),
    wait: float = typer.Option(60.0, "--wait", min=0.0, help="Seconds to wait for the crawl to be started."),
    processes: int = typer.Option(1, "--processes", min=1, help="Worker processes on this machine, forked from "
                                  "this one after its start-up (one per core)."),
) -> None:
    """Join a crawl from this machine: fetch and extract until the crawl is drained (settings come from Redis).

    Example: newsfetch worker --redis redis://10.0.0.5:6379/0 --processes 4
    """
    _require_extra()
    from newsfetch.cluster.launcher import can_fork, run_workers, worker_entry
    from newsfetch.cluster.worker import run_worker

    if processes == 1 or not can_fork():
        run_worker(redis_url, name, wait=wait)
        return
    raise typer.Exit(run_workers(redis_url, name, processes, wait=wait, entry=worker_entry))


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


def _print_summary(summary: Summary, as_json: bool) -> None:
    if as_json:
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
