"""Put a URL list into a crawl: the same normalization, dedupe and skip rules as ``batch``, then the frontier.

Each list entry is already normalized (`batch.urls.read_list`: tracking parameters and fragments stripped), so
the duplicate filter — scrapy-redis's, in Redis — sees one fingerprint per article. The archive's state table
decides, as in ``batch``, what is skipped (already archived, failed before, a duplicate in the list).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from scrapy import Request
from scrapy_redis.dupefilter import RFPDupeFilter

from newsfetch.batch.state import State
from newsfetch.batch.urls import ListEntry, host_key

from .frontier import Frontier
from .codec import host_setup, page_request
from .settings import CrawlSettings


@dataclass
class Enqueued:
    queued: int = 0
    skipped: int = 0
    failed: int = 0
    seen_before: int = 0     # in the crawl already (a resumed crawl enqueues its list again)


def enqueue(entries: Iterable[ListEntry], frontier: Frontier, settings: CrawlSettings, state: State, *,
            refresh: bool = False, retry_failed: bool = False) -> Enqueued:
    """Queue every usable URL of `entries`; count bad lines and skips in the crawl's counters at once."""
    dupefilter = RFPDupeFilter(frontier.redis, key=frontier.key("dupefilter"))
    counts = frontier.key("counts")
    done = Enqueued()
    for entry in entries:
        if entry.url is None:
            frontier.redis.hincrby(counts, "failed:bad URL", 1)
            done.failed += 1
            continue
        host = host_key(entry.url)
        ingested = state.ingest(entry.url, host, refresh=refresh, retry_failed=retry_failed)
        fingerprint = dupefilter.request_fingerprint(Request(entry.url))
        if ingested.reason != "duplicate in list" and frontier.redis.sismember(dupefilter.key, fingerprint):
            done.seen_before += 1       # a resumed crawl: queued (and counted) by its first pass
            continue
        if not ingested.queued:
            frontier.redis.hincrby(counts, f"skipped:{ingested.reason}", 1)
            frontier.redis.sadd(dupefilter.key, fingerprint)
            done.skipped += 1
            continue
        with frontier.redis.pipeline(transaction=True) as pipe:  # queued and marked seen together, or neither
            frontier.push(host, page_request(entry.url), host_setup(settings, host, entry.url), pipe=pipe)
            pipe.sadd(dupefilter.key, fingerprint)
            pipe.execute()
        done.queued += 1
    state.flush()
    return done
