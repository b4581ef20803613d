"""One worker process: a Scrapy crawler on scrapy-redis's scheduler, taking its work from the crawl's frontier.

Run by ``newsfetch worker --redis URL`` (on any machine) and by ``newsfetch crawl --workers N`` (locally). The
worker reads the crawl's settings from Redis, so every worker of a crawl is polite and retries the same way,
and ends when the crawl is drained (the whole list enqueued, nothing queued, waiting or held anywhere).
"""

from __future__ import annotations

import gc
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


# Scrapy components a worker never uses, left out (None) rather than loaded and switched off by a setting: each one
# loaded costs import time at start-up (the remote console alone imports aiohttp) and most sit on every request's or
# response's path. Downloader: the frontier does robots.txt, retries and politeness for the whole cluster; batch
# follows no <meta refresh>, sends no HTTP auth of a spider's, reads no HTTP cache; the spider names no allowed
# domains. Spider middlewares act on the requests a callback yields, and the spider's callbacks yield none (items
# only; following pages go through the frontier); HTTP statuses are judged as batch judges them
# (failures.response_error), not by HttpErrorMiddleware. (The Referer middleware stays: Scrapy's redirects ask for
# it, and warn without it.) Extensions: stats (CoreStats) stay; the rest are consoles, feeds, throttling and
# periodic logs this worker has switched off.
_UNUSED_DOWNLOADER = dict.fromkeys([
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware",
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware",
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware",
    "scrapy.downloadermiddlewares.retry.RetryMiddleware",
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware",
    "scrapy.downloadermiddlewares.stats.DownloaderStats",
    "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware",
])
_UNUSED_SPIDER = dict.fromkeys([
    "scrapy.spidermiddlewares.start.StartSpiderMiddleware",
    "scrapy.spidermiddlewares.httperror.HttpErrorMiddleware",
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware",
    "scrapy.spidermiddlewares.depth.DepthMiddleware",
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware",
])
_UNUSED_EXTENSIONS = dict.fromkeys([
    "scrapy.extensions.logcount.LogCount",
    "scrapy.extensions.telnet.TelnetConsole",
    "scrapy.extensions.memusage.MemoryUsage",
    "scrapy.extensions.memdebug.MemoryDebugger",
    "scrapy.extensions.closespider.CloseSpider",
    "scrapy.extensions.feedexport.FeedExporter",
    "scrapy.extensions.logstats.LogStats",
    "scrapy.extensions.spiderstate.SpiderState",
    "scrapy.extensions.throttle.AutoThrottle",
    "scrapy.extensions.remote_control.RemoteControl",
])


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
        "DOWNLOADER_MIDDLEWARES": {"newsfetch.cluster.middleware.ReleaseSlotMiddleware": 50, **_UNUSED_DOWNLOADER},
        "SPIDER_MIDDLEWARES": _UNUSED_SPIDER,
        "EXTENSIONS": _UNUSED_EXTENSIONS,
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


def load_renderer() -> None:
    """Load pypinyin's dictionaries (slugs of Chinese outlet names) before the event loop starts: loading them
    at the first post would stall the loop ~0.5 s, long enough on a loaded machine for a short --lease to run out."""
    from newsfetch.slugs import slugify

    slugify("新闻")


def prepare(redis_url: str, name: str, *, wait: float) -> None:
    """Everything a worker's start-up does that holds no socket, thread or event loop: import the Scrapy components
    the settings name, load the renderer and the parser registry, wait for the crawl. `launcher.run_workers` does
    this once and forks the workers after it. Raises ClusterError."""
    from scrapy.utils.misc import load_object

    from newsfetch.registry import default_registry

    from .connection import ClusterError

    prefix = prefix_of(name)
    # None of this depends on the crawl's settings: done first, it overlaps the crawl's own start-up (a worker
    # started beside `crawl` waits below for the crawl to publish its settings). The settings change values, never
    # the component classes, so the default ones are every crawl's; every crawl publishes an archive style, so its
    # workers render.
    for path in _component_paths(scrapy_settings(redis_url, prefix, CrawlSettings())):
        load_object(path)
    load_renderer()
    default_registry()
    client = connect(redis_url)
    try:
        if read_settings(client, prefix, wait=wait) is None:
            raise ClusterError(f"no crawl named {name!r} was started within {wait:g} s", where=redis_url)
    finally:
        client.close()


def _component_paths(overrides: dict[str, Any]) -> list[str]:
    """The classes a crawler with these settings loads (middlewares, extensions, pipelines, scheduler, queue,
    duplicate filter, the HTTP download handler), as dotted paths."""
    from scrapy.settings import Settings
    from scrapy.utils.conf import build_component_list

    settings = Settings(overrides)
    paths = [settings[key] for key in ("SCHEDULER", "SCHEDULER_QUEUE_CLASS", "SCHEDULER_DUPEFILTER_CLASS")]
    for key in ("DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "EXTENSIONS", "ITEM_PIPELINES"):
        # read as the crawler reads it: resolving each name imports its class, the ones left out (None) too — the
        # remote console among them, which imports aiohttp (0.17 s): done here, before the fork, once for all
        components = settings.get_component_priority_dict_with_base(key)
        paths.extend(path for path in build_component_list(components) if isinstance(path, str))
    paths.append(settings.getwithbase("DOWNLOAD_HANDLERS")["http"])
    return paths


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
        load_renderer()
    # what start-up made (modules, pypinyin's dictionaries: ~270k objects) lives as long as the worker: kept
    # out of the cyclic collector, whose full collections would otherwise walk all of it again and again while
    # Scrapy's Deferreds keep it busy (the forked workers are frozen by the launcher already)
    gc.freeze()
    process.crawl(crawler, frontier=Frontier(client, prefix), settings_=settings,
                  style=style_from_json(style) if style is not None else None)
    process.start()
    return dict(crawler.stats.get_stats()) if crawler.stats else {}
