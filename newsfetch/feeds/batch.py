"""`batch --feed`: read feeds, then fetch what they list into the archive, in one process.

Each feed is read first (with the run's retries and per-server rate); a feed that cannot be read — gone,
unreachable, 5xx after retries, not a feed — is reported and counted, and the other feeds' articles are still
fetched. The articles then go through `run_batch` unchanged (politeness, robots.txt for pages, retries, state,
lock held by the caller), with two things a list can give that a plain URL cannot:

- the post id the list states (Eastmoney's ``infoCode``), which names the post like the archive's old ones;
- a body from the site's text API instead of the page (``via="api"``; the default is what the site's parser
  prefers). A page that is gone (404/410) while the list still has the article is read from the text API.

Paged feeds keep a mark in the state (the newest id seen), written when the run ends, so the next run asks
only for what is new.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsfetch.archive.ids import SAFE_ID
from newsfetch.batch.events import Summary
from newsfetch.batch.runner import BatchOptions, Source, Sourced, Writer, fetch_page, run_batch
from newsfetch.batch.state import State
from newsfetch.batch.urls import ListEntry, host_key
from newsfetch.errors import ExitStatus, FeedError, HTTPStatusError, InputError, NewsfetchError
from newsfetch.fetch import Fetcher, check_url
from newsfetch.pipeline import ReadPage
from newsfetch.tracking import normalize_url

from .base import FeedEntry, FeedSource
from .read import FeedRead, read_feed
from .reader import document_getter
from .registry import FeedRegistry, default_feeds

VIAS = ("page", "api")


@dataclass
class FeedRun:
    """What a `batch --feed` run did: the batch summary, the feeds read, and the feeds that failed."""

    summary: Summary
    read: list[FeedRead] = field(default_factory=list)
    dead: list[FeedError] = field(default_factory=list)

    @property
    def exit_code(self) -> ExitStatus:
        """13 when a feed could not be read (whatever the articles did), else the batch's code (0, 10, 11)."""
        return ExitStatus.FEED_FAILED if self.dead else self.summary.exit_code


def run_feeds(addresses: Sequence[str], archive: str | Path, options: BatchOptions = BatchOptions(), *,
              state: State, via: str | None = None, on_event: Callable[[object], None] | None = None,
              on_note: Callable[[str], None] | None = None, registry: FeedRegistry | None = None,
              writer: Writer | None = None) -> FeedRun:
    """Read every feed of `addresses`, then batch their articles into `archive`. The caller holds the lock.

    Raises InputError for an address no source reads or an unknown `via` (before anything is fetched), and
    for options a source refuses (``day=yesterday``; before any article is fetched). Any other failure to read
    a feed is counted in `FeedRun.dead` and the run goes on.
    """
    if via is not None and via not in VIAS:
        raise InputError(f"--via takes page or api, not {via!r}")
    registry = registry or default_feeds()
    parsed = [registry.address(address) for address in addresses]
    note = on_note or (lambda _: None)
    run = FeedRun(Summary())
    with Fetcher(options.fetch) as fetcher:
        get = document_getter(fetcher, options.retry, options.host_policy)
        for address, where in zip(addresses, parsed):
            try:
                read = read_feed(address, fetcher, get=get, mark=state.feed_mark(where.text), registry=registry)
            except InputError:
                raise
            except NewsfetchError as error:
                dead = error if isinstance(error, FeedError) else FeedError(error.message, where=error.where)
                run.dead.append(dead)
                elsewhere = f" ({dead.where})" if dead.where and dead.where != address else ""
                note(f"feed {address} failed: {dead.message}{elsewhere}")
                continue
            run.read.append(read)
            for bad in read.bad:
                note(f"feed {address}: {bad.description} (skipped)")
            count = len(read.entries)
            note(f"feed {address}: {count} {'entry' if count == 1 else 'entries'} ({read.source})")
    entries: dict[str, FeedEntry] = {}
    queue = list(_list_entries(run.read, entries, registry, via))
    run.summary = run_batch(queue, archive, options, on_event=on_event, state=state,
                            source=_source(entries, registry, via), writer=writer)  # writer: e.g. --images local
    for read in run.read:
        if read.new_mark is not None:
            state.set_feed_mark(read.address, read.new_mark)
    # the mark has moved past them: what the lists said of the failed ones stays for --retry-failed
    state.keep_feed_entries({url: entry.to_dict() for url, entry in entries.items()})
    state.flush()
    return run


def retry_source(state: State, via: str | None = None, registry: FeedRegistry | None = None) -> Source:
    """The source for `batch --retry-failed` (and lists): URLs a feed listed are read as that feed run would
    (post id, text API); the others as pages."""
    entries = {url: FeedEntry.from_dict(data) for url, data in state.kept_feed_entries().items()}
    return _source(entries, registry or default_feeds(), via)


def retry_entries(state: State, via: str | None = None, registry: FeedRegistry | None = None) -> Iterator[ListEntry]:
    """The failed URLs to queue again, those a feed listed under the text API's host as the feed run had them."""
    registry = registry or default_feeds()
    kept = state.kept_feed_entries()
    for url in state.failed_urls():
        yield _queued(0, url, FeedEntry.from_dict(kept[url]) if url in kept else None, registry, via)


def _via(source: FeedSource | None, via: str | None) -> str:
    if source is None:
        return "page"
    return via or source.preferred_via


def _list_entries(reads: Iterable[FeedRead], entries: dict[str, FeedEntry], registry: FeedRegistry,
                  via: str | None) -> Iterable[ListEntry]:
    """The batch queue: one entry per article (first feed wins), an API host as its politeness key in api mode."""
    number = 0
    for read in reads:
        for entry in read.entries:
            number += 1
            try:
                url = normalize_url(check_url(entry.url))
            except (InputError, ValueError) as error:
                message = error.message if isinstance(error, InputError) else str(error)
                yield ListEntry(number, None, error=message, raw=entry.url)
                continue
            entries.setdefault(url, entry)
            yield _queued(number, url, entries[url], registry, via)


def _queued(number: int, url: str, entry: FeedEntry | None, registry: FeedRegistry, via: str | None) -> ListEntry:
    body = registry.by_name(entry.body_source) if entry is not None and entry.body_source else None
    if entry is not None and body is not None and _via(body, via) == "api":
        return ListEntry(number, url, raw=entry.url, host=host_key(body.body_url(entry)), robots=False)
    return ListEntry(number, url, raw=url)


def _source(entries: dict[str, FeedEntry], registry: FeedRegistry, via: str | None) -> Source:
    """Each queued URL's article: from the text API or the page, named by the list's id when it has one."""

    def source(url: str, fetcher: Fetcher, read_page: ReadPage | None = None) -> Sourced:
        entry = entries.get(url)
        body = registry.by_name(entry.body_source) if entry is not None and entry.body_source else None
        if body is None:
            return fetch_page(url, fetcher, read_page)
        post_id = entry.id if entry.id and SAFE_ID.match(entry.id) else None
        if _via(body, via) == "api":
            return Sourced(body.body(entry, fetcher), entry.url, post_id)
        try:
            made = fetch_page(url, fetcher, read_page)
        except HTTPStatusError as error:
            if error.status not in (404, 410):
                raise
            return Sourced(body.body(entry, fetcher), entry.url, post_id)  # the page is gone, the text is not
        return Sourced(made.article, made.final_url, post_id)

    return source
