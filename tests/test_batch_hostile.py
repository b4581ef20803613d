"""Batch against hostile servers: a Retry-After of centuries is capped (the host pauses at most the cap, the URL is
deferred to the next run), so the other URLs of that host still run in this one."""

from __future__ import annotations

import time
from pathlib import Path

from newsfetch.batch import BatchOptions, run_batch
from newsfetch.batch.events import ItemDone
from newsfetch.batch.politeness import HostPolicy
from newsfetch.batch.retry import RetryPolicy
from newsfetch.batch.state import State
from newsfetch.batch.urls import read_list
from newsfetch.fetch import FetchOptions
from tests.support.pages import TEXT, article_routes
from tests.support.server import LocalServer, Reply


def test_absurd_retry_after_is_capped_and_the_url_deferred(tmp_path: Path) -> None:
    throttled = Reply(b"go away", status=429, headers={**TEXT, "Retry-After": "99999999999"})
    events: list[object] = []
    options = BatchOptions(host_policy=HostPolicy(1, 0.0), concurrency=2, fetch=FetchOptions(timeout=2.0),
                           retry=RetryPolicy(attempts=3, base=0.02, max_delay=0.1, max_retry_after=1.0))
    with LocalServer({"/a/0.html": throttled, **article_routes(3, start=1)}) as server:
        urls = [server.url(f"/a/{n}.html") for n in range(4)]
        started = time.monotonic()
        summary = run_batch(read_list(urls), tmp_path, options, on_event=events.append)
        elapsed = time.monotonic() - started
    assert summary.new == 3 and elapsed < 6  # the host paused for the cap (1 s), not for 3,000 years
    done = {e.url: e for e in events if isinstance(e, ItemDone)}
    deferred = done[urls[0]]
    assert deferred.status == "skipped" and "deferred to the next run" in deferred.reason
    assert "99999999999" in deferred.reason
    state = State(tmp_path)
    try:
        assert state.ingest(urls[0], "127.0.0.1", refresh=False).queued  # the next run asks again
    finally:
        state.close()


def test_gzip_bomb_sitemap_stops_at_the_cap() -> None:
    import resource
    import zlib

    import pytest

    from newsfetch.batch.discover import discover
    from newsfetch.errors import ContentError
    from newsfetch.fetch import Fetcher

    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # gzip, built a MB at a time
    bomb = packer.compress(b"<urlset>") + b"".join(packer.compress(b" " * 1_000_000) for _ in range(200))
    bomb += packer.flush()  # ~200 KB that inflate to 200 MB
    assert len(bomb) < 1_000_000
    reply = Reply(bomb, headers={"Content-Type": "application/octet-stream"})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with LocalServer({"/sitemap.xml.gz": reply}) as server, Fetcher(FetchOptions(timeout=5)) as fetcher:
        with pytest.raises(ContentError, match="inflates past the cap of 10,485,760 bytes"):
            discover(server.url("/sitemap.xml.gz"), fetcher)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 100_000  # peak RSS grew by under 100 MB (the bomb would take 200 MB more)
