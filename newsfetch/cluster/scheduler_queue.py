"""The queue class scrapy-redis's Scheduler uses in a worker: the frontier, with leases and cluster politeness.

scrapy-redis owns the scheduler and the duplicate filter (both in Redis); this class replaces its plain
FIFO/priority queue by the frontier, so `pop` hands out only what the server's limits allow now, under a lease.
"""

from __future__ import annotations

import time
from collections import deque
from urllib.robotparser import RobotFileParser

from scrapy_redis.queue import Base

from newsfetch.batch import robots

from . import codec
from .frontier import Frontier, Taken
from .records import Record

_DRAINED_CHECK = 0.25   # seconds a "crawl drained?" answer is reused (the engine asks on every turn)


class FrontierQueue(Base):
    """``SCHEDULER_QUEUE_CLASS``; the queue key (``SCHEDULER_QUEUE_KEY``) is the crawl's prefix."""

    def __init__(self, server, spider, key, serializer=None) -> None:  # noqa: ANN001 (scrapy-redis's signature)
        super().__init__(server, spider, key, serializer)
        self.frontier: Frontier = spider.frontier
        self.local: deque = deque()        # continuations of requests this worker holds (redirects)
        self.ready: deque[Taken] = deque()  # taken in one batch, handed to the engine one by one
        self.rules: dict[str, RobotFileParser | None] = {}
        self._drained = (0.0, False)

    def __len__(self) -> int:
        """Nonzero while the crawl has work anywhere (so the engine keeps asking); 0 once it is drained."""
        if self.local or self.ready:
            return len(self.local) + len(self.ready)
        checked, drained = self._drained
        if time.monotonic() - checked > _DRAINED_CHECK:
            state = self.server.hget(self.frontier.key("meta"), "state")
            drained = state in (b"enqueued", b"finished") and self.frontier.work() == 0
            self._drained = (time.monotonic(), drained)
        return 0 if drained else 1

    def push(self, request) -> None:  # noqa: ANN001
        if codec.TAKEN in request.meta:   # a redirect of a request this worker holds: same lease, same slot
            self.local.append(request)
            return
        raise RuntimeError(f"requests enter the crawl through the frontier, not the scheduler: {request.url}")

    def pop(self, timeout: float = 0):  # noqa: ANN201
        if self.local:
            return self.local.popleft()
        while True:
            if not self.ready:
                # the engine asks while its downloader has room: take that many in one round trip (the engine
                # then asks again at once and gets them from `ready`)
                self.ready.extend(self.spider.exchange.take(max(1, self._room())))
                if not self.ready:
                    return None
            taken = self.ready.popleft()
            request = codec.decode(taken.item)
            if taken.kind == "page" and not self._allowed(taken.host, request.url):
                record = Record("skipped", url=request.meta[codec.URL], reason="robots")
                # never sent: the interval is given back
                self.spider.settle(self.frontier.finish_call(taken, record.dumps(), refund=True))
                continue
            self.spider.held.add(taken.token)
            request.meta[codec.TAKEN] = taken
            callback = self.spider.parse_robots if taken.kind == "robots" else self.spider.parse_page
            return request.replace(callback=callback, errback=self.spider.failed)

    def _room(self) -> int:
        downloader = self.spider.crawler.engine.downloader
        return downloader.total_concurrency - len(downloader.active)

    def clear(self) -> None:
        """Never: the crawl's queue outlives any one worker (scrapy-redis calls this only without persistence)."""

    def _allowed(self, host: str, url: str) -> bool:
        if host not in self.rules:
            state, status, text = self.frontier.robots(host)
            # a page is handed out only once its server's robots.txt is known, or ignored (--ignore-robots)
            self.rules[host] = _parse(codec.origin_of(url), status, text) if state == "known" else None
        rules = self.rules[host]
        return rules is None or robots.allowed(rules, url)


def _parse(origin: str, status: int, text: str) -> RobotFileParser:
    """The rules as `batch.robots.fetch_robots` reads them: 401/403 forbid all, other errors allow all."""
    rules = RobotFileParser(origin + "/robots.txt")
    if status in (401, 403):
        rules.disallow_all = True
    elif status == 0 or status >= 400:
        rules.allow_all = True
    else:
        rules.parse(text.splitlines())
    return rules


def taken_of(request) -> Taken:  # noqa: ANN001
    return request.meta[codec.TAKEN]
