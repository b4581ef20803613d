"""The batch scheduler: reads the list into the state queue, hands URLs to fetch threads, records results.

One scheduler thread (the caller's) owns the state database and the politeness table; `concurrency` worker
threads each own a `Fetcher` and run the pipeline (`newsfetch.pipeline.article_from_page`), then write. The
scheduler never hands out more tasks than there are idle workers, and keeps at most a small window of URLs per
host in memory (the rest wait in the state table), so memory does not grow with the list. Hosts are served
round-robin among those whose limits allow a request now: a slow or throttled host only delays itself.

A split article's following pages are fetched by the worker that holds the article, but each one waits for a
permit from the scheduler (`_PagePermit`): the scheduler grants it when the host's interval allows a request
start, books it like any other start, and refuses pages robots.txt disallows. The article's task keeps its slot
in the host's in-flight count meanwhile, so the following pages never add to the host's concurrency.
"""

from __future__ import annotations

import hashlib
import heapq
import logging
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsfetch.errors import FetchError, NewsfetchError, message_of, reason_of
from newsfetch.fetch import Fetcher, FetchOptions, Response
from newsfetch.pipeline import ReadPage, article_from_page
from newsfetch.registry import Registry
from newsfetch.settings import default
from newsfetch.tracking import normalize_url

from . import robots
from .events import ItemDone, Queued, Retrying, Summary
from .politeness import HostPolicy, Hosts
from .retry import RetryPolicy, retry_after_of
from .state import State
from .urls import ListEntry, host_key

log = logging.getLogger(__name__)
Event = Any  # ItemDone | Retrying | Queued
_WINDOW = 16          # URLs per host pulled from the state table at a time
_INGEST_CHUNK = 500   # list lines read per scheduler turn


@dataclass(frozen=True)
class BatchOptions:
    """Everything a batch run may be told. Defaults are the polite ones."""

    concurrency: int = default("batch.concurrency")
    host_policy: HostPolicy = field(default_factory=HostPolicy)
    host_overrides: Mapping[str, HostPolicy] = field(default_factory=dict)
    refresh: bool = False
    retry_failed: bool = False
    respect_robots: bool = True
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    fetch: FetchOptions = field(default_factory=FetchOptions)
    registry: Registry | None = None   # None: the installed parsers
    join_pages: bool = True            # fetch the following pages of split articles (politely, see above)


Writer = Callable[..., Any]  # (archive, article, *, post_id=None) -> WriteOutcome


def _default_writer(archive: Path, article: Any, *, post_id: str | None = None) -> Any:
    from newsfetch.archive.writer import write_article

    return write_article(archive, article, post_id=post_id)


@dataclass(frozen=True)
class Sourced:
    """The article made for a queued URL, the address it was read from, and the post id when the list gave one."""

    article: Any
    final_url: str
    post_id: str | None = None


Source = Callable[[str, Fetcher, "ReadPage | None"], Sourced]  # (url, fetcher, read_page) -> Sourced


def fetch_page(url: str, fetcher: Fetcher, read_page: ReadPage | None = None, *,
               registry: Registry | None = None) -> Sourced:
    """The default source of a URL's article: fetch the page and run the pipeline on it; the following pages of
    a split article are read through `read_page` (the batch's paced reader), or left in ``more_pages``."""
    response = fetcher.get(url)
    article = article_from_page(response.content, response.url, response.headers, read_page=read_page,
                                registry=registry)
    return Sourced(article, response.url)


@dataclass
class _Task:
    kind: str            # "fetch" or "robots"
    host: str
    url: str             # the article URL, or the origin for robots
    attempt: int = 1


@dataclass
class _Result:
    task: _Task
    status: str = "failed"          # new/updated/unchanged/failed, or "robots"
    error: BaseException | None = None
    path: str | None = None
    content_hash: str | None = None
    final_url: str | None = None
    rules: Any = None


@dataclass
class _PagePermit:
    """A worker asks to fetch a following page `url` of `host`; it blocks until the scheduler answers."""

    host: str
    url: str
    answered: threading.Event = field(default_factory=threading.Event)
    allowed: bool = False


@dataclass
class _HostQueue:
    """A host's work in memory: a window of queued URLs, retries waiting for their time, a cursor into the table."""

    ready: deque = field(default_factory=deque)
    retries: list = field(default_factory=list)     # heap of (not_before, url, attempt)
    cursor: int = 0
    table_empty: bool = False
    rules: Any = None
    robots_state: str = "unknown"                   # unknown, fetching, known


def run_batch(entries: Iterable[ListEntry], archive: str | Path, options: BatchOptions = BatchOptions(), *,
              on_event: Callable[[Event], None] | None = None, writer: Writer | None = None,
              state: State | None = None, source: Source | None = None) -> Summary:
    """Fetch every URL of `entries` into `archive`; report through `on_event`; return the counts.

    The caller holds the archive lock. Results are committed to the state table as they arrive (one
    transaction per scheduler turn), so a killed run fetches again at most the results of its last turn.
    `source` makes each URL's article (default: fetch the page and run the pipeline, following pages included;
    `newsfetch.feeds.batch` may ask a text API).
    """
    archive = Path(archive)
    own_state = state is None
    state = state or State(archive)
    try:
        return _Run(entries, archive, options, on_event or (lambda _: None), writer or _default_writer,
                    state, source or partial(fetch_page, registry=options.registry)).run()
    finally:
        if own_state:
            state.close()


class _Run:
    def __init__(self, entries: Iterable[ListEntry], archive: Path, options: BatchOptions,
                 on_event: Callable[[Event], None], writer: Writer, state: State,
                 source: Source = fetch_page) -> None:
        self.entries = iter(entries)
        self.source = source
        self.archive = archive
        self.options = options
        self.emit = on_event
        self.writer = writer
        self.state = state
        self.hosts = Hosts(options.host_policy, options.host_overrides)
        self.gate = _StartGate(self.hosts)
        self.queues: dict[str, _HostQueue] = {}
        self.order: deque[str] = deque()              # round-robin order of hosts with work
        self.summary = Summary()
        self.tasks: queue.Queue[_Task | None] = queue.Queue()
        self.results: queue.Queue[_Result | _PagePermit] = queue.Queue()
        self.permits: list[_PagePermit] = []          # following-page requests waiting for their host's interval
        self.in_flight = 0
        self.stopping = threading.Event()            # set when the scheduler loop ends, normally or not
        self.list_done = False
        self.known = 0
        self.aliased = False  # some redirect archived a second address: check queued URLs before fetching

    # ---- the scheduler loop

    def run(self) -> Summary:
        started = time.monotonic()
        self.state.start_run(os.getpid())
        workers = [threading.Thread(target=self._worker, name=f"newsfetch-batch-{i}", daemon=True)
                   for i in range(max(1, self.options.concurrency))]
        for worker in workers:
            worker.start()
        try:
            while True:
                if not self.list_done:
                    self._ingest(_INGEST_CHUNK)
                self._dispatch()
                if self.in_flight == 0 and self.list_done and not self._any_work():
                    break
                self._collect(self._sleep_time())
        finally:
            self.stopping.set()
            for _ in workers:
                self.tasks.put(None)
            self.summary.elapsed = time.monotonic() - started
            self.state.finish_run(self.summary.to_dict())
        for worker in workers:
            worker.join(timeout=5)
        return self.summary

    def _ingest(self, limit: int) -> None:
        for _ in range(limit):
            entry = next(self.entries, None)
            if entry is None:
                self.list_done = True
                break
            self.known += 1
            if entry.url is None:
                self._done(ItemDone(entry.raw, "", "failed", reason="bad-url", message=entry.error))
                continue
            host = entry.host or host_key(entry.url)
            ingested = self.state.ingest(entry.url, host, refresh=self.options.refresh,
                                         retry_failed=self.options.retry_failed)
            if not ingested.queued:
                self._done(ItemDone(entry.url, host, "skipped", reason=ingested.reason))
                continue
            hq = self.queues.get(host)
            if hq is None:
                hq = self.queues[host] = _HostQueue()
                if not entry.robots:
                    hq.robots_state = "known"  # an API host, not pages: no robots.txt (rules None allow all)
                self.order.append(host)
            elif hq.table_empty:
                hq.table_empty = False
                if host not in self.order:
                    self.order.append(host)
        self.state.flush()
        self.emit(Queued(self.known, self.list_done))

    def _dispatch(self) -> None:
        """Start tasks round-robin over hosts until the workers are busy or no host may start one now."""
        now = time.monotonic()
        self._grant_permits(now)  # pages of articles already under way go first
        idle_turns = 0
        while self.in_flight < self.options.concurrency and self.order and idle_turns < len(self.order):
            host = self.order[0]
            self.order.rotate(-1)
            task = self._next_task(host, now) if self.hosts.ready(host, now) else None
            if task is None:
                idle_turns += 1
                if not self._host_has_work(host):
                    self.order.remove(host)
                    idle_turns = 0
                continue
            idle_turns = 0
            self.hosts.start(host, now)
            self.in_flight += 1
            self.tasks.put(task)

    def _grant_permits(self, now: float) -> None:
        """Answer the following-page requests whose host may start a request now (robots.txt still applies)."""
        waiting = []
        for permit in self.permits:
            if now < self.hosts.wake_time(permit.host):
                waiting.append(permit)
                continue
            hq = self.queues.get(permit.host)
            rules = hq.rules if hq is not None else None
            permit.allowed = rules is None or robots.allowed(rules, permit.url)
            if permit.allowed:
                self.hosts.pace(permit.host, now)
            permit.answered.set()
        self.permits = waiting

    def _next_task(self, host: str, now: float) -> _Task | None:
        hq = self.queues[host]
        if self.options.respect_robots and hq.robots_state != "known":
            if hq.robots_state == "fetching" or not self._host_has_work(host):
                return None
            hq.robots_state = "fetching"
            parts = urlsplit(self._peek_url(host))
            return _Task("robots", host, f"{parts.scheme}://{parts.netloc}")
        if hq.retries and hq.retries[0][0] <= now:
            _, url, attempt = heapq.heappop(hq.retries)
            return _Task("fetch", host, url, attempt)
        while True:
            if not hq.ready:
                self._refill(host)
                if not hq.ready:
                    return None
            url = hq.ready.popleft()
            if hq.rules is not None and not robots.allowed(hq.rules, url):
                self.state.record_skipped(url, reason="robots")
                self._done(ItemDone(url, host, "skipped", reason="robots"))
                continue
            # a redirect from another URL may have archived it since it was queued
            if not self.aliased or self.state.is_pending(url):
                return _Task("fetch", host, url)

    def _peek_url(self, host: str) -> str:
        hq = self.queues[host]
        if not hq.ready:
            self._refill(host)
        return hq.ready[0] if hq.ready else hq.retries[0][1]

    def _refill(self, host: str) -> None:
        hq = self.queues[host]
        if hq.table_empty:
            return
        rows = self.state.next_pending(host, hq.cursor, _WINDOW)
        for url, seq in rows:
            hq.ready.append(url)
            hq.cursor = seq
        if len(rows) < _WINDOW:
            hq.table_empty = True

    def _host_has_work(self, host: str) -> bool:
        hq = self.queues[host]
        if hq.ready or hq.retries or hq.robots_state == "fetching":
            return True
        self._refill(host)
        return bool(hq.ready)

    def _any_work(self) -> bool:
        return any(self._host_has_work(host) for host in list(self.order))

    def _sleep_time(self) -> float:
        """How long to wait for a result before the next dispatch turn could start something."""
        now = time.monotonic()
        wake = min([1.0, *(self.hosts.wake_time(p.host) - now for p in self.permits)])
        if self.in_flight >= self.options.concurrency:
            return max(0.0, wake) + 0.001  # only a result (or a page permit falling due) can free a worker
        if not self.list_done:
            return 0.0  # keep reading the list while hosts are throttled
        for host in self.order:
            state, hq = self.hosts.state(host), self.queues[host]
            if state.in_flight >= state.policy.max_in_flight:
                continue  # a result wakes us
            if hq.ready or not hq.table_empty:
                when = state.next_start
            elif hq.retries:
                when = max(state.next_start, hq.retries[0][0])
            else:
                continue
            if when > now:
                wake = min(wake, when - now)
        return wake + 0.001

    def _collect(self, timeout: float) -> None:
        """Take every result that is in; free their slots and start new tasks first, then write them down."""
        try:
            results = [self.results.get(timeout=timeout) if timeout > 0 else self.results.get_nowait()]
        except queue.Empty:
            return
        while True:
            try:
                results.append(self.results.get_nowait())
            except queue.Empty:
                break
        self.permits.extend(r for r in results if isinstance(r, _PagePermit))
        finished = [r for r in results if isinstance(r, _Result) and self._release(r)]
        self._dispatch()  # idle workers go back to work before the database writes
        for result in finished:
            self._record(result)
        self.state.flush()  # one transaction per turn; a killed run loses at most this turn's results

    def _release(self, result: _Result) -> bool:
        """Book a result in memory (slots, robots rules, retries); True when it is final and must be recorded."""
        task = result.task
        self.in_flight -= 1
        self.hosts.finish(task.host)
        hq = self.queues[task.host]
        if task.kind == "robots":
            hq.rules, hq.robots_state = result.rules, "known"
            delay = robots.crawl_delay(result.rules)
            if delay:
                self.hosts.slow_down(task.host, delay)
            return False
        error = result.error
        if error is None:
            return True
        retry_after = retry_after_of(error)
        cap = self.options.retry.max_retry_after
        if retry_after:
            # the host waits at most the cap: a Retry-After of years must not hold its other URLs for this run
            self.hosts.hold(task.host, time.monotonic() + min(retry_after, cap))
        if retry_after is not None and retry_after > cap:
            result.status = "deferred"  # not a failure of the page: the next run asks again
            return True
        if self.options.retry.gives_up(task.attempt, error):
            return True
        delay = self.options.retry.delay(task.attempt, error)
        heapq.heappush(hq.retries, (time.monotonic() + delay, task.url, task.attempt + 1))
        if task.host not in self.order:
            self.order.append(task.host)
        self.emit(Retrying(task.url, task.host, task.attempt, delay, reason_of(error), message_of(error)))
        return False

    def _record(self, result: _Result) -> None:
        task = result.task
        if result.status == "deferred":
            message = (f"deferred to the next run (Retry-After {retry_after_of(result.error) or 0:.0f} s, "
                       f"over the {self.options.retry.max_retry_after:g} s cap)")
            self.state.record_skipped(task.url, reason="deferred")
            self._done(ItemDone(task.url, task.host, "skipped", reason="deferred", message=message,
                                attempts=task.attempt))
            return
        if result.error is not None:
            reason = reason_of(result.error)
            message = message_of(result.error)
            self.state.record_failed(task.url, reason=reason, error=str(result.error), attempts=task.attempt)
            self._done(ItemDone(task.url, task.host, "failed", reason=reason, message=message, attempts=task.attempt))
            return
        self.state.record_done(task.url, outcome=result.status, path=result.path or "",
                               content_hash=result.content_hash or "", final_url=result.final_url or task.url,
                               attempts=task.attempt)
        final = normalize_url(result.final_url or task.url)
        if final != task.url and self.state.record_alias(final, host_key(final), outcome=result.status,
                                                         path=result.path or "",
                                                         content_hash=result.content_hash or ""):
            self.aliased = True
        self._done(ItemDone(task.url, task.host, result.status, path=result.path, attempts=task.attempt))

    def _done(self, item: ItemDone) -> None:
        self.summary.add(item)
        self.emit(item)

    # ---- worker threads

    def _worker(self) -> None:
        fetcher = Fetcher(self.options.fetch)
        try:
            while (task := self.tasks.get()) is not None:
                self.results.put(self._perform(task, fetcher))
        finally:
            fetcher.close()

    def _perform(self, task: _Task, fetcher: Fetcher) -> _Result:
        self.gate.wait(task.host)
        if task.kind == "robots":
            try:
                return _Result(task, "robots", rules=robots.fetch_robots(fetcher, task.url))
            except Exception as error:  # a bug must not stall the host: read it as "no robots.txt"
                log.warning("%s/robots.txt: internal error %s: %s", task.url, type(error).__name__, error)
                return _Result(task, "robots", rules=robots.allow_all(task.url))
        try:
            read_page = self._paced_reader(fetcher) if self.options.join_pages else None
            made = self.source(task.url, fetcher, read_page)
            outcome = self.writer(self.archive, made.article, post_id=made.post_id)
            path = Path(outcome.path)
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            return _Result(task, outcome.status, path=_relative(path, self.archive), content_hash=digest,
                           final_url=made.final_url)
        except Exception as error:  # every failure is a counted result; the scheduler decides what it means
            if not isinstance(error, NewsfetchError):
                log.warning("%s: internal error %s: %s", task.url, type(error).__name__, error)
            return _Result(task, error=error)

    def _paced_reader(self, fetcher: Fetcher) -> Callable[[str], Response]:
        """A `read_page` for the pipeline that waits for the scheduler's permit before each request."""

        def read(url: str) -> Response:
            permit = _PagePermit(host_key(url), url)
            self.results.put(permit)
            while not permit.answered.wait(0.5):
                if self.stopping.is_set():
                    raise FetchError("the batch run stopped", where=url, reason="stopped")
            if not permit.allowed:
                raise FetchError("robots.txt disallows this page", where=url, reason="robots")
            self.gate.wait(permit.host)
            return fetcher.get(url)

        return read


class _StartGate:
    """The interval between request starts on one server, kept where the requests really start.

    The scheduler books a start when it hands a task out; on a busy machine the worker that takes it may wake
    tens of milliseconds later, and so start it nearer the next one than `--rate` allows (measured by a server:
    two starts 0.1 ms apart). Each worker passes here just before its request and waits out the rest of the
    interval since the host's previous real start. The scheduler's booking still decides who goes next."""

    def __init__(self, hosts: Hosts) -> None:
        self.hosts = hosts
        self.last: dict[str, float] = {}
        self.locks: dict[str, threading.Lock] = {}
        self.guard = threading.Lock()

    def wait(self, host: str) -> None:
        state = self.hosts.states.get(host)  # read only: the scheduler thread owns the table
        interval = state.policy.min_interval if state is not None else 0.0
        if interval <= 0:
            return
        with self.guard:
            lock = self.locks.setdefault(host, threading.Lock())
        with lock:  # one start at a time per host: the next waits for this one's turn to be taken
            delay = self.last.get(host, float("-inf")) + interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self.last[host] = time.monotonic()


def _relative(path: Path, archive: Path) -> str:
    try:
        return str(path.resolve().relative_to(archive.resolve()))
    except ValueError:
        return str(path)
