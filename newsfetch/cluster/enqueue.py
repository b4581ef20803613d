"""Put a URL list into a crawl: the same normalization, dedupe and skip rules as ``batch``, then the frontier.

Each list entry is already normalized (`batch.urls.read_list`: tracking parameters and fragments stripped), so
the duplicate filter — scrapy-redis's, in Redis — sees one fingerprint per article. The archive's state table
decides, as in ``batch``, what is skipped (already archived, failed before, a duplicate in the list).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from scrapy import Request
from scrapy_redis.dupefilter import RFPDupeFilter

from newsfetch.batch.state import State
from newsfetch.batch.urls import ListEntry, host_key

from .frontier import Frontier, HostSetup
from .codec import host_setup, page_request
from .settings import CrawlSettings

_CHUNK = 500  # list entries per round trip to Redis


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
    done = Enqueued()
    setups: dict[str, HostSetup] = {}
    for chunk in _chunks(entries, _CHUNK):
        _enqueue_chunk(chunk, frontier, settings, state, dupefilter, done, setups, refresh=refresh,
                       retry_failed=retry_failed)
    state.flush()
    return done


def _chunks(entries: Iterable[ListEntry], size: int) -> Iterator[list[ListEntry]]:
    iterator = iter(entries)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _enqueue_chunk(chunk: list[ListEntry], frontier: Frontier, settings: CrawlSettings, state: State,
                   dupefilter: RFPDupeFilter, done: Enqueued, setups: dict[str, HostSetup], *, refresh: bool,
                   retry_failed: bool) -> None:
    """One chunk in three round trips: which fingerprints the crawl has, then every push and count at once."""
    counts: Counter = Counter()
    usable = []
    for entry in chunk:
        if entry.url is None:
            counts["failed:bad-url"] += 1
            done.failed += 1
            continue
        host = host_key(entry.url)
        ingested = state.ingest(entry.url, host, refresh=refresh, retry_failed=retry_failed)
        usable.append((entry.url, host, ingested, dupefilter.request_fingerprint(Request(entry.url))))
    seen = frontier.redis.smismember(dupefilter.key, [fp for *_, fp in usable]) if usable else []
    with frontier.redis.pipeline(transaction=True) as pipe:  # queued and marked seen together, or neither
        for (url, host, ingested, fingerprint), was_seen in zip(usable, seen):
            if was_seen and ingested.reason != "duplicate":
                done.seen_before += 1       # a resumed crawl: queued (and counted) by its first pass
                continue
            pipe.sadd(dupefilter.key, fingerprint)
            if not ingested.queued:
                counts[f"skipped:{ingested.reason}"] += 1
                done.skipped += 1
                continue
            if host not in setups:
                setups[host] = host_setup(settings, host, url)
            frontier.push(host, page_request(url), setups[host], pipe=pipe)
            done.queued += 1
        for name, n in counts.items():
            pipe.hincrby(frontier.key("counts"), name, n)
        pipe.execute()
