"""`newsfetch batch --feed` as the archive's cron job runs it: list → text API (or page) → posts, the state that
makes the next run ask only for what is new, dead feeds, and `newsfetch feeds`."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import eastmoney_api as em
from tests.support.server import LocalServer, Reply


def newsfetch(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsfetch", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})})


def fast(*args: str) -> list[str]:
    return [*args, "--rate", "0", "--backoff", "0.01", "--timeout", "3"]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    return folder


def posts(archive: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((archive / "_posts").glob("*.md"))}


def test_list_then_text_api_writes_what_newsfetch_url_writes_from_the_page(tmp_path: Path, archive: Path) -> None:
    with em.EastmoneyStandIn([1, 2]) as stand_in:
        run = newsfetch(*fast("batch", "--feed", "eastmoney:roll", "--archive", str(archive)), env=stand_in.env())
        assert run.returncode == 0, run.stderr
        assert stand_in.pages() == []                             # the default for Eastmoney is the text API
        assert sorted(stand_in.texts()) == ["NW" + em.article_id(n) for n in (1, 2)]
        written = posts(archive)
        assert sorted(written) == [f"2026-08-19-NW{em.article_id(n)}.md" for n in (1, 2)]  # the archive's names

        single = newsfetch("url", em.page_url(2), env=stand_in.env())
        assert single.returncode == 0, single.stderr
        assert written[f"2026-08-19-NW{em.article_id(2)}.md"] == single.stdout.encode("utf-8")
        assert stand_in.pages() == [em.page_url(2)]               # newsfetch url read the page, via the proxy

        # --via page over the same list: same posts, no text API asked
        other = tmp_path / "other"
        other.mkdir()
        before = len(stand_in.texts())
        run = newsfetch(*fast("batch", "--feed", "eastmoney:roll", "--via", "page", "--archive", str(other)),
                        env=stand_in.env())
        assert run.returncode == 0, run.stderr
        assert posts(other) == written and len(stand_in.texts()) == before


def test_second_cron_run_asks_for_nothing_old(archive: Path) -> None:
    with em.EastmoneyStandIn([1, 2, 3, 4, 5]) as stand_in:
        command = fast("batch", "--feed", "eastmoney:roll?size=2", "--archive", str(archive))
        first = newsfetch(*command, env=stand_in.env())
        assert first.returncode == 0, first.stderr
        assert stand_in.list_pages() == [1]                       # a first run takes the newest page
        assert sorted(stand_in.texts()) == ["NW" + em.article_id(n) for n in (4, 5)]
        assert "newsfetch batch: 2 new, " in first.stderr  # logs: the one-line summary
        assert "feed eastmoney:roll?size=2: 2 entries (eastmoney)" in first.stderr

        stand_in.articles += [6, 7, 8]                            # more than a page arrived meanwhile
        stand_in.server.log.clear()
        second = newsfetch(*command, env=stand_in.env())
        assert second.returncode == 0, second.stderr
        assert stand_in.list_pages() == [1, 2]                    # page 2 reaches the mark (5): no page 3
        assert sorted(stand_in.texts()) == ["NW" + em.article_id(n) for n in (6, 7, 8)]  # only the new texts
        assert stand_in.pages() == []
        assert sorted(posts(archive)) == [f"2026-08-19-NW{em.article_id(n)}.md" for n in (4, 5, 6, 7, 8)]

        stand_in.server.log.clear()
        third = newsfetch(*command, env=stand_in.env())            # nothing new: one list page, nothing else
        assert third.returncode == 0 and stand_in.list_pages() == [1] and stand_in.texts() == []


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_dead_feeds_fail_the_run_with_13_and_the_others_are_fetched(archive: Path) -> None:
    with em.EastmoneyStandIn([1]) as stand_in, \
            LocalServer({"/gone.xml": Reply(b"", status=404), "/busy.xml": Reply(b"", status=503),
                         "/junk": Reply(b"\x00\x01", headers={"Content-Type": "application/json"})}) as other:
        dead = [other.url("/gone.xml"), other.url("/busy.xml"), f"http://127.0.0.1:{_closed_port()}/rss.xml",
                other.url("/junk")]
        args = fast("batch", "--archive", str(archive), "--retries", "1", "--feed", dead[0], "--feed", dead[1],
                    "--feed", dead[2], "--feed", dead[3], "--feed", "eastmoney:roll")
        run = newsfetch(*args, env={**stand_in.env(), "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"})
        assert run.returncode == 13, run.stderr
        assert "Traceback" not in run.stderr
        for address, reason in zip(dead, ("HTTP 404", "HTTP 503", "connection refused", "not JSON or JSONP")):
            assert any(line.startswith(f"newsfetch: feed {address} failed:") and reason in line
                       for line in run.stderr.splitlines()), (address, run.stderr)
        assert other.hits("/busy.xml") == 2 and other.hits("/gone.xml") == 1   # 5xx retried, 404 not
        assert list(posts(archive)) == [f"2026-08-19-NW{em.article_id(1)}.md"]


def test_a_page_that_is_gone_is_read_from_the_text_api_and_bad_records_are_reported(archive: Path) -> None:
    with em.EastmoneyStandIn([1, 2]) as stand_in:
        stand_in.gone.add(2)
        stand_in.broken_records = [{"title": "没有地址的记录"}]
        run = newsfetch(*fast("batch", "--feed", "eastmoney:roll", "--via", "page", "--archive", str(archive)),
                        env=stand_in.env())
        assert run.returncode == 0, run.stderr
        assert "record 1 has no article address (skipped)" in run.stderr
        assert stand_in.texts() == ["NW" + em.article_id(2)]   # page 2 answered 404; the text API had it
        assert sorted(posts(archive)) == [f"2026-08-19-NW{em.article_id(n)}.md" for n in (1, 2)]


def test_robots_txt_rules_page_fetches_only(tmp_path: Path, archive: Path) -> None:
    with em.EastmoneyStandIn([1]) as stand_in:
        stand_in.robots = b"User-agent: *\nDisallow: /a/\n"
        run = newsfetch(*fast("batch", "--feed", "eastmoney:roll", "--via", "page", "--archive", str(archive)),
                        env=stand_in.env())
        assert run.returncode == 0, run.stderr
        assert re.search(r", 1 skipped \([^)]*robots[^)]*\)", run.stderr) and stand_in.pages() == []
        robots = "http://finance.eastmoney.com/robots.txt"
        assert stand_in.server.hits(robots) == 1
        api = tmp_path / "api"
        api.mkdir()
        run = newsfetch(*fast("batch", "--feed", "eastmoney:roll", "--archive", str(api)), env=stand_in.env())
        assert run.returncode == 0, run.stderr                     # the text API is not a page: robots.txt
        assert len(posts(api)) == 1                                # of the site does not apply to it
        assert stand_in.server.hits(robots) == 1


def test_column_lists_in_their_own_shape(archive: Path) -> None:
    with em.EastmoneyStandIn([1, 2]) as stand_in:
        run = newsfetch(*fast("batch", "--feed", "eastmoney:column/1207", "--archive", str(archive)),
                        env=stand_in.env())
        assert run.returncode == 0, run.stderr
        asked = [r.path for r in stand_in.server.log if r.path.startswith("/roll")]
        assert asked and all("column=1207" in path for path in asked)
        assert sorted(posts(archive)) == [f"2026-08-19-NW{em.article_id(n)}.md" for n in (1, 2)]
        discovered = newsfetch("discover", "eastmoney:column/1207", env=stand_in.env())
        assert discovered.stdout.split() == [em.page_url(2), em.page_url(1)]


def test_text_api_errors_are_retried_and_counted_like_batch(archive: Path) -> None:
    with em.EastmoneyStandIn([1]) as stand_in:
        stand_in.text_status = 500
        run = newsfetch(*fast("batch", "--feed", "eastmoney:roll", "--archive", str(archive), "--retries", "2"),
                        env=stand_in.env())
        assert run.returncode == 11, run.stderr                    # every article failed
        assert stand_in.texts() == ["NW" + em.article_id(1)] * 3
        assert re.search(rf"failed {re.escape(em.page_url(1))}: http-500.*\(3 attempts\)", run.stderr), run.stderr
        assert not (archive / "_posts").exists()

        # the mark has moved on, but --retry-failed reads the article as the feed run would: text API, NW name
        stand_in.text_status = None
        again = newsfetch(*fast("batch", "--retry-failed", str(archive)), env=stand_in.env())
        assert again.returncode == 0, again.stderr
        assert list(posts(archive)) == [f"2026-08-19-NW{em.article_id(1)}.md"]
        assert len(stand_in.texts()) == 4 and stand_in.pages() == []
        assert stand_in.server.hits("http://finance.eastmoney.com/robots.txt") == 0  # no page was involved


def test_usage_errors_and_the_feeds_listing(archive: Path) -> None:
    run = newsfetch("batch", "--feed", "nosuch:list", "--archive", str(archive))
    assert run.returncode == 3 and "not a feed address" in run.stderr and "Traceback" not in run.stderr
    run = newsfetch("batch", "urls.txt", "--feed", "eastmoney:roll", "--archive", str(archive))
    assert run.returncode == 2 and "one of them" in run.stderr  # a usage error
    listing = newsfetch("feeds", "--plain")
    assert listing.returncode == 0
    rows = [line.split("\t") for line in listing.stdout.splitlines()]
    assert [row[0] for row in rows] == ["eastmoney", "rss", "sitemap", "json", "page"]
    assert rows[0][1] == "eastmoney:… or URL (sniffed)" and "eastmoney:column/1207" in rows[0][2]
