"""One worker process: a Scrapy crawler on scrapy-redis's scheduler, taking its work from the crawl's frontier.

Run by ``newsfetch worker --redis URL`` (on any machine) and by ``newsfetch crawl --workers N`` (locally). The
worker reads the crawl's settings from Redis, so every worker of a crawl is polite and retries the same way,
and ends when the crawl is drained (the whole list enqueued, nothing queued, waiting or held anywhere).
"""

from __future__ import annotations

import logging
import sys
import time
import warnings
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import ScrapyDeprecationWarning

from .connection import connect, prefix_of
from .frontier import Frontier
from .settings import CrawlSettings, style_from_json
from .spider import NewsSpider


def scrapy_settings(redis_url: str, prefix: str, settings: CrawlSettings) -> dict[str, Any]:
    """Scrapy owns downloading (redirects, decompression, timeouts, size cap) and stats; scrapy-redis the
    scheduler and duplicate filter; the frontier the queue, politeness, robots.txt and retries (cluster-wide)."""
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "SCHEDULER_QUEUE_CLASS": "newsfetch.cluster.scheduler_queue.FrontierQueue",
        "SCHEDULER_QUEUE_KEY": prefix,
        "SCHEDULER_DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
        "SCHEDULER_PERSIST": True,            # the queue belongs to the crawl, not to this worker
        "REDIS_URL": redis_url,
        "ITEM_PIPELINES": {"newsfetch.cluster.pipelines.WriterQueuePipeline": 300},
        "DOWNLOADER_MIDDLEWARES": {"newsfetch.cluster.middleware.ReleaseSlotMiddleware": 50},
        # per-process politeness and retries would be per worker; the frontier does both for the whole cluster
        "RETRY_ENABLED": False,
        "ROBOTSTXT_OBEY": False,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "CONCURRENT_REQUESTS": settings.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": settings.concurrency,
        "CONCURRENT_ITEMS": 1,                # one item per response: Scrapy's 100 starts 100 asyncio tasks each
        "HTTPERROR_ALLOW_ALL": True,          # statuses are judged as batch judges them (failures.response_error)
        "DOWNLOAD_TIMEOUT": settings.timeout,
        "DOWNLOAD_MAXSIZE": settings.max_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "REDIRECT_MAX_TIMES": 10,
        # batch does not follow <meta http-equiv="refresh"> either (same pages, same archive), and reading every
        # body for one costs CPU; per-request byte counts are stats nobody reads here
        "METAREFRESH_ENABLED": False,
        "DOWNLOADER_STATS": False,
        "USER_AGENT": settings.user_agent,
        "LOG_LEVEL": "WARNING",
        "LOGSTATS_INTERVAL": 0,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,      # needs asyncio; and it is a console for one process, not a cluster
        # Twisted's own epoll loop: the worker uses nothing of asyncio, and Scrapy's default (Twisted on asyncio)
        # costs about a tenth more CPU per URL here (benchmarks/cluster.py, one worker)
        **({"TWISTED_REACTOR": "twisted.internet.epollreactor.EPollReactor"} if sys.platform.startswith("linux")
           else {}),
    }


def read_settings(client, prefix: str, *, wait: float) -> CrawlSettings | None:  # noqa: ANN001
    """The crawl's settings, waiting up to `wait` s for a crawl to be started; None if none was."""
    deadline = time.monotonic() + wait
    while True:
        raw = client.hget(f"{prefix}:meta", "settings")
        if raw is not None:
            return CrawlSettings.from_json(raw)
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.05)


class _ScrapyBelowWarning(logging.Filter):
    """Scrapy sets its loggers to DEBUG when a crawler starts; below `level`, its records are dropped."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level or not record.name.startswith(("scrapy", "twisted"))


def _quiet_scrapy(level: int) -> None:
    root = logging.getLogger()
    root.setLevel(level)
    for handler in root.handlers:
        if not any(isinstance(f, _ScrapyBelowWarning) for f in handler.filters):
            handler.addFilter(_ScrapyBelowWarning(max(logging.WARNING, level)))


def _load_renderer() -> None:
    """Load pypinyin's dictionaries (slugs of Chinese outlet names) before the event loop starts: loading them
    at the first post would stall the loop ~0.5 s, long enough on a loaded machine for a short --lease to run out."""
    from newsfetch.slugs import slugify

    slugify("新闻")


def run_worker(redis_url: str, name: str, *, wait: float = 60.0) -> dict[str, Any]:
    """Work on crawl `name` until it is drained; Scrapy's stats of this worker. Raises ClusterError."""
    from .connection import ClusterError

    client = connect(redis_url)
    prefix = prefix_of(name)
    settings = read_settings(client, prefix, wait=wait)
    if settings is None:
        raise ClusterError(f"no crawl named {name!r} was started within {wait:g} s", where=redis_url)
    level = logging.getLogger().getEffectiveLevel()
    _quiet_scrapy(level)
    # scrapy-redis 0.9 still calls Spider.log(); the deprecation is its own, not something a user can act on
    warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module="scrapy_redis")
    process = CrawlerProcess({**scrapy_settings(redis_url, prefix, settings), "LOG_INSTALL_ROOT_HANDLER": False})
    # Scrapy resets the root logger and would print every item: newsfetch's logging (--verbose) stays in charge
    _quiet_scrapy(level)
    crawler = process.create_crawler(NewsSpider)
    style = client.hget(f"{prefix}:meta", "style")   # the archive's post style: this worker renders the posts
    if style is not None:
        _load_renderer()
    process.crawl(crawler, frontier=Frontier(client, prefix), settings_=settings,
                  style=style_from_json(style) if style is not None else None)
    process.start()
    return dict(crawler.stats.get_stats()) if crawler.stats else {}
