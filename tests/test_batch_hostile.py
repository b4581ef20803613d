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
    assert deferred.status == "skipped" and deferred.reason == "deferred"
    assert "deferred to the next run" in deferred.message and "99999999999" in deferred.message
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


def test_status_on_a_corrupt_state_file_is_exit_8(tmp_path: Path) -> None:
    from tests.support.cli import run_cli

    (tmp_path / ".newsfetch").mkdir()
    (tmp_path / ".newsfetch" / "state.sqlite").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    result = run_cli("status", str(tmp_path))
    assert result.returncode == 8, result.stderr
    assert "cannot open the batch state" in result.stderr and "internal error" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_control_bytes_are_escaped_when_echoed_and_credentials_never_stored(tmp_path: Path) -> None:
    import sqlite3

    from tests.support.cli import run_cli

    with LocalServer({"/a/1.html": Reply(b"gone", status=404, headers=TEXT)}) as server:
        base = server.url("/")
        with_secret = base.replace("http://", "http://user:secret@") + "a/1.html"
        listing = tmp_path / "urls.txt"
        listing.write_bytes(f"{base}x\x1b[31mred\x1b]0;title\x07\n{with_secret}\n".encode())
        archive = tmp_path / "archive"
        archive.mkdir()
        result = run_cli("batch", str(listing), "--archive", str(archive), "--retries", "0", "--log-format", "text")
    assert result.returncode in (10, 11), result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b[31mred" in result.stderr
    assert "secret" not in result.stderr
    with sqlite3.connect(archive / ".newsfetch" / "state.sqlite") as db:
        stored = [row[0] for row in db.execute("SELECT url FROM urls")]
    assert stored and not any("secret" in url or "user" in url for url in stored)


def test_credentials_never_reach_a_post() -> None:
    from newsfetch.pipeline import extract
    from newsfetch.render import render_post
    from tests.support.pages import article_page

    article = extract(article_page(3), "https://user:secret@finance.eastmoney.com/a/202401032900000003.html")
    post = render_post(article)
    assert "url: https://finance.eastmoney.com/a/202401032900000003.html\n" in post and "secret" not in post
