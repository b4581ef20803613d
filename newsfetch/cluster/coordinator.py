"""``newsfetch crawl``: start (or resume) a crawl in Redis, run local workers, write the archive until drained.

One crawl per name per Redis at a time: the process running the writer holds ``P:writer`` (a key it keeps
alive). A crawl that finished is cleared when the next one starts; one that was interrupted (its writer
killed) is resumed: its queue, leases and counts stay, the list is enqueued again (what it had queued is
dropped by the duplicate filter) and the records its writer had taken are written first.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import redis

from newsfetch.archive.config import load_config
from newsfetch.batch.events import Summary
from newsfetch.batch.lock import pid_alive
from newsfetch.batch.state import State
from newsfetch.batch.urls import ListEntry
from newsfetch.errors import LockedError

from .connection import ClusterError, prefix_of
from .frontier import Frontier
from .launcher import can_fork
from .settings import CrawlSettings, style_to_json
from .writer import ArchiveWriter

if TYPE_CHECKING:
    from .enqueue import Enqueued

log = logging.getLogger(__name__)
_WRITER_TTL = 10.0     # seconds the writer's claim lasts unless renewed (a killed writer frees it this fast)
_NO_WORKER_GRACE = 15.0  # seconds with work left and no live worker before the crawl gives up
_ENDING = 100            # requests left (queued, waiting or held) below which every writer turn checks for the end


@dataclass(frozen=True)
class CrawlRun:
    """Where the crawl is and how to reach it: `redis_url` and `name` are passed to local workers."""

    redis_url: str
    name: str = "crawl"
    workers: int = 1
    refresh: bool = False
    retry_failed: bool = False


def clear_crawl(client: redis.Redis, prefix: str) -> int:
    """Delete every key of crawl `prefix`; the number deleted."""
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for start in range(0, len(keys), 500):
        client.delete(*keys[start:start + 500])
    return len(keys)


def summary_of(counts: dict[bytes, bytes], elapsed: float = 0.0) -> Summary:
    """The crawl's counters (``P:counts``) as batch's Summary: same outcome names, same exit codes."""
    summary = Summary(elapsed=elapsed)
    tally = summary.tally
    for raw_name, raw_value in counts.items():
        name, value = raw_name.decode(), int(raw_value)
        outcome, _, reason = name.partition(":")
        if outcome in ("new", "updated", "unchanged"):
            tally.outcomes[outcome] += value
        elif outcome in ("skipped", "failed") and reason:
            tally.outcomes[outcome] += value
            tally.reasons.setdefault(outcome, Counter())[reason] += value
    return summary


class Crawl:
    """One `newsfetch crawl` process: the only writer of the archive for the crawl's lifetime."""

    def __init__(self, client: redis.Redis, run: CrawlRun, settings: CrawlSettings, archive: Path, state: State, *,
                 on_item: Callable[[str, str, str], None] | None = None,
                 on_note: Callable[[str], None] | None = None) -> None:
        self.redis = client
        self.run = run
        self.settings = settings
        self.archive = archive
        self.state = state
        self.prefix = prefix_of(run.name)
        self.frontier = Frontier(client, self.prefix)
        self.writer = ArchiveWriter(client, self.prefix, archive, state, on_item=on_item)
        self.note = on_note or (lambda text: None)
        self.me = f"{socket.gethostname()}:{os.getpid()}"
        self.procs: list[subprocess.Popen] = []

    def execute(self, entries: Iterable[ListEntry]) -> Summary:
        started = time.monotonic()
        self._claim()
        finished = False
        try:
            self._prepare()
            self._start_workers()   # they start up (a second or so) while the records left over are written
            if recovered := self.writer.recover():
                self.note(f"wrote {recovered} records a killed writer had taken")
            # Scrapy (requests, scrapy-redis's filter) is imported only now: the workers, which wait for the
            # settings published above, start up meanwhile instead of after this process's import of it
            from .enqueue import enqueue

            queued = enqueue(entries, self.frontier, self.settings, self.state, refresh=self.run.refresh,
                             retry_failed=self.run.retry_failed)
            self.redis.hset(self.frontier.key("meta"), "state", "enqueued")
            self._report_enqueued(queued)
            self._drain()
            self.redis.hset(self.frontier.key("meta"), "state", "finished")
            finished = True
            return summary_of(self.redis.hgetall(self.frontier.key("counts")), time.monotonic() - started)
        finally:
            self._stop_workers(wait=10.0 if finished else 0.0)
            self._unclaim()
            self.writer.close()

    # ---- the crawl's lifetime in Redis

    def _claim(self) -> None:
        key = self.frontier.key("writer")
        if self.redis.set(key, self.me, nx=True, px=int(_WRITER_TTL * 1000)):
            return
        holder = (self.redis.get(key) or b"?").decode()
        host, _, pid = holder.rpartition(":")
        # a writer on this machine whose process is gone (killed) cannot renew its claim: take it over now
        if host == socket.gethostname() and pid.isdigit() and not pid_alive(int(pid)) and \
                self.redis.set(key, self.me, xx=True, px=int(_WRITER_TTL * 1000)):
            self.note(f"took over crawl {self.run.name!r} from its writer that died (pid {pid})")
            return
        raise LockedError(f"crawl {self.run.name!r} is running: its writer is {holder}", where=self.run.redis_url)

    def _renew_claim(self) -> None:
        self.redis.set(self.frontier.key("writer"), self.me, xx=True, px=int(_WRITER_TTL * 1000))

    def _unclaim(self) -> None:
        key = self.frontier.key("writer")
        if self.redis.get(key) == self.me.encode():
            self.redis.delete(key)

    def _prepare(self) -> None:
        meta = self.frontier.key("meta")
        previous = self.redis.hget(meta, "state")
        if previous in (None, b"finished"):
            clear_crawl(self.redis, self.prefix)
            self._claim()  # clearing removed the claim with the rest
        else:
            self.note(f"resuming crawl {self.run.name!r}: {self.frontier.work()} requests left, "
                      f"{self.writer.pending()} records to write")
        # the archive's post style: workers render posts in it, so that this one writer only places them
        self.redis.hset(meta, mapping={"settings": self.settings.to_json(), "state": "enqueuing",
                                       "style": style_to_json(load_config(self.archive).style),
                                       "archive": str(self.archive), "writer": self.me})

    def _report_enqueued(self, queued: Enqueued) -> None:
        more = f", {queued.seen_before} queued by the interrupted run" if queued.seen_before else ""
        self.note(f"queued {queued.queued} URLs ({queued.skipped} skipped, {queued.failed} bad{more})")

    def _drain(self) -> None:
        """Write records until nothing is left to fetch or write; reap dead workers' leases meanwhile."""
        last_tick, last_worker = 0.0, time.monotonic()
        ending = False   # few requests left anywhere: the end is checked after every turn of the writer
        while True:
            wrote = self.writer.step(0.2)
            now = time.monotonic()
            tick = now - last_tick >= 1.0
            if wrote and not tick and not ending:
                continue     # records are coming: not the end yet
            if tick:
                last_tick = now
                self._renew_claim()
                self.frontier.reap()
            # the end is checked whenever the writer waited for nothing (0.2 s at most), not only once a second
            work = self.frontier.work()
            if work == 0 and self.writer.pending() == 0:
                return
            # near the end, the turn that writes the last record is followed by the check, not by another wait
            ending = work <= _ENDING
            if not tick:
                continue
            if self.frontier.workers() or any(proc.poll() is None for proc in self.procs):
                last_worker = now
            elif work and now - last_worker > max(_NO_WORKER_GRACE, 2 * self.settings.lease):
                raise ClusterError(f"{work} requests left and no worker for {now - last_worker:.0f} s: start "
                                   f"`newsfetch worker --redis {self.run.redis_url}`, or run the crawl again "
                                   "to resume it", where=self.run.redis_url)

    # ---- local workers

    def _start_workers(self) -> None:
        # `newsfetch worker` without the command line's start-up (newsfetch/cluster/__main__.py); where the system
        # can fork, one process does the start-up once and forks the N workers (cluster/launcher.py)
        if self.run.workers < 1:
            return
        command = [sys.executable, "-m", "newsfetch.cluster", "--redis", self.run.redis_url, "--name", self.run.name]
        if can_fork():
            self.procs.append(subprocess.Popen([*command, "--processes", str(self.run.workers)],
                                               stdin=subprocess.DEVNULL))
            return
        for _ in range(self.run.workers):
            self.procs.append(subprocess.Popen(command, stdin=subprocess.DEVNULL))

    def _stop_workers(self, wait: float) -> None:
        """Workers end by themselves once the crawl is drained (given `wait` s); after an error they are stopped."""
        deadline = time.monotonic() + wait
        for proc in self.procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.terminate()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()

    @property
    def worker_pids(self) -> list[int]:
        return [proc.pid for proc in self.procs]
