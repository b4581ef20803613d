"""The worker's Scrapy spider: responses → Articles (through `article.assemble`), failures → retries or records.

The spider starts no requests of its own: scrapy-redis's scheduler hands it what the frontier allows. Each
request it gets is held under a lease that the spider renews while it works; it ends the lease exactly once —
with an article (via the item pipeline), a final failure, a retry put back for later, or a following page.
"""

from __future__ import annotations

import logging
import os
import socket
import time

import scrapy
from scrapy import signals
from twisted.internet import task

from newsfetch.batch import robots
from newsfetch.batch.retry import reason_of
from newsfetch.batch.urls import host_key
from newsfetch.errors import NewsfetchError
from newsfetch.render import PostStyle

from . import codec
from .article import NeedPage, Page, assemble
from .exchange import Exchange
from .failures import download_error, response_error
from .frontier import Frontier
from .item import ArticleItem
from .records import Record
from .scheduler_queue import _parse
from .settings import CrawlSettings

log = logging.getLogger(__name__)
POLL = 0.05   # seconds between the engine's turns when it has nothing to do (Scrapy's default is 5 s)


class NewsSpider(scrapy.Spider):
    name = "newsfetch"

    def __init__(self, frontier: Frontier, settings_: CrawlSettings, style: PostStyle | None = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.frontier = frontier
        self.settings_ = settings_
        self.style = style               # the archive's post style: posts are rendered here, not by the writer
        self.held = _Held()              # lease tokens this worker holds
        self.exchange = Exchange(frontier, settings_.lease, POLL)
        self._ticker: task.LoopingCall | None = None
        self._flusher: task.LoopingCall | None = None
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):  # noqa: ANN001, ANN206 (Scrapy's signature)
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._opened, signal=signals.spider_opened)
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        return spider

    async def start(self):  # noqa: ANN201 — no start requests: the frontier is the only source
        return
        yield

    # ---- leases: renewed while held, ended through the exchange, expired ones (of killed workers) put back

    def settle(self, call) -> None:  # noqa: ANN001
        """End a lease (or free a slot): `call` goes to Redis with this worker's next request for work."""
        self.exchange.send(call)

    def _opened(self, spider) -> None:  # noqa: ANN001
        # A worker whose servers are all busy must ask the frontier again soon, not at Scrapy's 5 s heartbeat.
        self.crawler.engine._SLOT_HEARTBEAT_INTERVAL = POLL
        self._ticker = task.LoopingCall(self._tick)
        self._ticker.start(max(0.2, min(5.0, self.settings_.lease / 4)), now=True)
        # what waits in the exchange while the engine asks for nothing (full, or draining) goes out this often
        self._flusher = task.LoopingCall(self._flush)
        self._flusher.start(POLL, now=False)

    def _closed(self, spider) -> None:  # noqa: ANN001
        for loop in (self._ticker, self._flusher):
            if loop is not None and loop.running:
                loop.stop()
        self._flush()
        self.frontier.redis.delete(self.frontier.key(f"worker:{self.worker_id}"))
        log.debug("worker %s: %d round trips to the frontier", self.worker_id, self.exchange.round_trips)

    def _flush(self) -> None:
        if self.exchange.pending:
            self.exchange.flush()

    def _tick(self) -> None:
        try:
            # a request is renewed only for as long as a healthy one can take (download timeout and parsing):
            # a lease leaked by a bug runs out and goes back to the queue instead of holding its URL for ever
            held = self.held.younger_than(2 * self.settings_.timeout + 30)
            renew = [self.frontier.renew_call(held, self.settings_.lease)] if held else []
            self.frontier.run([*renew, self.frontier.reap_call()])   # one round trip
            self.frontier.heartbeat(self.worker_id, ttl=3 * self._ticker.interval + 1)
        except Exception as error:  # Redis away for a moment: the next tick tries again
            log.warning("lease renewal failed: %s", error)

    # ---- callbacks

    def parse_page(self, response):  # noqa: ANN001, ANN201
        try:
            return self._parse_page(response)
        except Exception as error:  # a bug must not leave the lease held (and renewed) for ever
            log.warning("%s: internal error %s: %s", response.url, type(error).__name__, error)
            return self._failed(response.meta[codec.TAKEN], response.meta, error)

    def _parse_page(self, response):  # noqa: ANN001, ANN201
        taken = response.meta[codec.TAKEN]
        headers = {k.decode("latin-1").lower(): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
        error = response_error(response.status, _phrase(response.status), headers, response.url)
        meta = response.meta
        if codec.FIRST in meta:   # a following page of a split article: its errors only end the join
            page = Page(response.url, response.body, headers, error=None if error is None else str(error))
            first, pages = meta[codec.FIRST], {**meta[codec.PAGES], meta[codec.ADDRESS]: page}
        elif error is not None:
            return self._failed(taken, meta, error)
        else:
            first, pages = Page(response.url, response.body, headers), {}
        try:
            article = assemble(first, pages)
        except NeedPage as need:
            return self._follow(taken, meta, first, pages, need.url)
        except Exception as error:  # a parse failure is a counted result, as in batch
            if not isinstance(error, NewsfetchError):
                log.warning("%s: internal error %s: %s", response.url, type(error).__name__, error)
            return self._failed(taken, meta, error)
        record = Record.of_article(meta[codec.URL], article, self.style, final_url=first.url,
                                   attempts=meta[codec.ATTEMPT])
        return ArticleItem(record=record, taken=taken)

    def parse_robots(self, response):  # noqa: ANN001, ANN201
        taken = response.meta[codec.TAKEN]
        text = response.body.decode("utf-8", "replace") if response.status < 400 else ""
        rules = _parse(codec.origin_of(response.url), response.status, text)
        self.settle(self.frontier.set_robots_call(taken, response.status, text, robots.crawl_delay(rules)))
        self.held.discard(taken.token)

    def failed(self, failure):  # noqa: ANN001, ANN201 — the errback of every request
        request = failure.request
        taken, meta = request.meta[codec.TAKEN], request.meta
        if meta.get(codec.KIND) == "robots":   # unreadable robots.txt allows everything, as in batch
            self.settle(self.frontier.set_robots_call(taken, 0, "", None))
            self.held.discard(taken.token)
            return None
        error = download_error(failure.value, request.url, self.settings_.timeout)
        if codec.FIRST in meta:
            page = Page(request.url, error=str(error))
            pages = {**meta[codec.PAGES], meta[codec.ADDRESS]: page}
            try:
                article = assemble(meta[codec.FIRST], pages)
            except NeedPage as need:
                return self._follow(taken, meta, meta[codec.FIRST], pages, need.url)
            except Exception as parse_error:
                return self._failed(taken, meta, parse_error)
            record = Record.of_article(meta[codec.URL], article, self.style, final_url=meta[codec.FIRST].url,
                                       attempts=meta[codec.ATTEMPT])
            return ArticleItem(record=record, taken=taken)
        return self._failed(taken, meta, error)

    # ---- ending a lease

    def _failed(self, taken, meta, error: BaseException) -> None:  # noqa: ANN001
        """Retry later (batch's backoff, Retry-After holding the whole server) or hand on the final failure."""
        policy, attempt = self.settings_.retry_policy(), meta[codec.ATTEMPT]
        retry_after = getattr(error, "retry_after", None) or 0.0
        if codec.FIRST not in meta and not policy.gives_up(attempt, error):
            delay = policy.delay(attempt, error)
            self.crawler.stats.inc_value("retry/count")
            self.crawler.stats.inc_value(f"retry/reason_count/{reason_of(error)}")
            self.settle(self.frontier.retry_call(taken, codec.page_request(meta[codec.URL], attempt=attempt + 1),
                                                 delay, retry_after))
        else:
            record = Record("failed", url=meta[codec.URL], attempts=attempt, reason=reason_of(error),
                            error=str(error))
            self.settle(self.frontier.finish_call(taken, record.dumps()))
        self.held.discard(taken.token)

    def _follow(self, taken, meta, first: Page, pages: dict, address: str) -> None:  # noqa: ANN001
        """Queue the next page of a split article in place of this request (one atomic step)."""
        host = host_key(address)
        item = codec.page_request(address, attempt=meta[codec.ATTEMPT], first=first, pages=pages,
                                  address=address, origin_url=meta[codec.URL])
        self.settle(self.frontier.finish_call(taken, follow=(host, item, codec.host_setup(self.settings_, host,
                                                                                           address))))
        self.held.discard(taken.token)


class _Held(dict):
    """Lease tokens held by this worker → when they were taken (monotonic s)."""

    def add(self, token: str) -> None:
        self[token] = time.monotonic()

    def discard(self, token: str) -> None:
        self.pop(token, None)

    def younger_than(self, seconds: float) -> list[str]:
        oldest = time.monotonic() - seconds
        return [token for token, taken in self.items() if taken >= oldest]


def _phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
