"""The distributed crawl (`newsfetch crawl` / `worker` / `status --redis`) against a real Redis and real servers.

Redis is Debian's redis-server, started here on 127.0.0.1 with a free port and no persistence (its folder is a
temp folder); without it the tests skip loudly, except under CI (CI set), where they fail. News hosts are
LocalServers on 127.0.0.x; politeness and "fetched once" are read from their own logs. Workers are real
processes (`python -m newsfetch worker`), killed with SIGKILL where a test says so.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("scrapy", reason="the cluster tests need the scrapy extra: pip install -e '.[scrapy]'")
redis = pytest.importorskip("redis", reason="the cluster tests need the scrapy extra: pip install -e '.[scrapy]'")

from newsfetch.article import Article  # noqa: E402
from newsfetch.cluster.connection import prefix_of  # noqa: E402
from newsfetch.cluster.frontier import Frontier, HostSetup  # noqa: E402
from newsfetch.cluster.records import Record  # noqa: E402
from newsfetch.cluster.writer import ArchiveWriter  # noqa: E402
from newsfetch.batch.state import State  # noqa: E402
from tests.support.cli import run_cli  # noqa: E402
from tests.support.pages import TEXT, article_page, article_routes  # noqa: E402
from tests.support.server import LocalServer, Reply  # noqa: E402

# Short everything: retries after 50 ms, leases of 2 s, no per-second cap unless a test sets one.
FAST = ["--backoff", "0.05", "--lease", "2", "--timeout", "5", "--per-host", "2", "--rate", "0", "--json"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory):
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed, and CI must run the cluster tests (.ci/run installs it)")
        pytest.skip("redis-server is not installed (apt-get install redis-server): cluster tests NOT run")
    folder = tmp_path_factory.mktemp("redis")
    port = _free_port()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def client(redis_url: str):
    connection = redis.Redis.from_url(redis_url)
    connection.flushall()
    yield connection
    connection.close()


class Flaky:
    """A route that answers `statuses` in turn (then 200 with the page): a 500 that recovers, a 429."""

    def __init__(self, page: bytes, *statuses: int, retry_after: str | None = None) -> None:
        self.page, self.statuses, self.retry_after = page, list(statuses), retry_after
        self.lock = threading.Lock()

    def __call__(self, request) -> Reply:  # noqa: ANN001
        with self.lock:
            status = self.statuses.pop(0) if self.statuses else 200
        if status == 200:
            return Reply(self.page, delay=0.02)
        headers = {**TEXT, **({"Retry-After": self.retry_after} if self.retry_after else {})}
        return Reply(b"try again", status=status, headers=headers)


def news_hosts(pages: int = 6, delay: float = 0.05) -> list[LocalServer]:
    """Three hosts: robots.txt disallowing one page on the first, a 500 that recovers and a 429 on the second."""
    first = article_routes(pages, delay=delay)
    first["/robots.txt"] = Reply(b"User-agent: *\nDisallow: /private/\n", headers=TEXT)
    first["/private/1.html"] = Reply(article_page(901))
    second = article_routes(pages, delay=delay, start=100)
    second["/a/100.html"] = Flaky(article_page(100), 500)
    second["/a/101.html"] = Flaky(article_page(101), 429, retry_after="0")
    third = article_routes(pages, delay=delay, start=200)
    return [LocalServer(first, host="127.0.0.2"), LocalServer(second, host="127.0.0.3"),
            LocalServer(third, host="127.0.0.4")]


def url_list(servers: list[LocalServer], pages: int, path: Path) -> Path:
    lines = [server.url(f"/a/{start + n}.html") for n in range(pages) for server, start in zip(servers, (0, 100, 200))]
    lines += [servers[0].url("/private/1.html"), servers[0].url("/a/1.html?utm_source=feed&spm=x")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def crawl(list_path: Path, archive: Path, redis_url: str, *args: str, timeout: float = 120):
    return run_cli("crawl", str(list_path), "--archive", str(archive), "--redis", redis_url, *FAST, *args,
                   timeout=timeout)


def status(redis_url: str) -> dict:
    done = run_cli("status", "--redis", redis_url, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def tree(archive: Path) -> dict[str, bytes]:
    """Every file of the archive but the run state and git's own files, by path."""
    return {str(p.relative_to(archive)): p.read_bytes() for p in sorted(archive.rglob("*"))
            if p.is_file() and ".newsfetch" not in p.parts and ".git" not in p.parts}


def article_hits(server: LocalServer) -> dict[str, int]:
    hits: dict[str, int] = {}
    for request in server.log:
        if request.path != "/robots.txt":
            hits[request.path] = hits.get(request.path, 0) + 1
    return hits


def _worker(redis_url: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "newsfetch", "worker", "--redis", redis_url],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _coordinator_alone(redis_url: str, urls: Path, tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    """`crawl --workers 0` on a fresh archive: the queue and the writer, the workers started by the test."""
    archive = tmp_path / "archive"
    archive.mkdir()
    coordinator = subprocess.Popen([sys.executable, "-m", "newsfetch", "crawl", str(urls), "--archive", str(archive),
                                    "--redis", redis_url, "--workers", "0", *FAST],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return coordinator, archive


def _wait_for(predicate, timeout: float = 30.0, what: str = "condition") -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


# ---- the frontier's guarantees, on the real Redis, without Scrapy


def test_frontier_hands_out_no_more_than_the_host_allows(client) -> None:
    frontier = Frontier(client, "t")
    for n in range(4):
        frontier.push("h:1", b"item%d" % n, HostSetup(2, 0.0, "ignored", b""))
    first, second = frontier.take(30), frontier.take(30)
    assert first and second and {first.item, second.item} == {b"item0", b"item1"}
    assert frontier.take(30) is None                  # both slots held
    frontier.release(first.token)                     # the response is in: the slot is free, the lease stays
    third = frontier.take(30)
    assert third is not None and third.item == b"item2"
    assert frontier.take(30) is None
    assert frontier.work() == 4 and frontier.in_flight() == 3


def test_one_take_fills_every_free_slot_and_frees_the_slots_it_is_told_of(client) -> None:
    frontier = Frontier(client, "t")
    for host in ("h:1", "h:2"):
        for n in range(4):
            frontier.push(host, b"%s-%d" % (host.encode(), n), HostSetup(2, 0.0, "ignored", b""))
    first = frontier.take_many(30, 10)                # a worker with room for 10: the 2 + 2 slots, in one call
    assert sorted(t.item for t in first) == [b"h:1-0", b"h:1-1", b"h:2-0", b"h:2-1"]
    assert frontier.take_many(30, 10) == []
    done = next(t for t in first if t.host == "h:1")
    again = frontier.take_many(30, 10, released=[done.token])  # its response is in: freed, then taken again
    assert [t.item for t in again] == [b"h:1-2"]
    assert frontier.in_flight() == 5 and frontier.work() == 8
    # the lease of a released request stays until it is ended
    assert frontier.run([frontier.finish_call(done, b"record")]) == [True]
    assert frontier.work() == 7 and client.llen("t:out") == 1


def test_pipelined_calls_survive_a_redis_that_lost_its_scripts(client) -> None:
    frontier = Frontier(client, "t")
    frontier.push("h:1", b"page", HostSetup(1, 0.0, "ignored", b""))
    client.script_flush()                             # a restarted Redis knows none of the scripts
    (taken,) = frontier.run([frontier.take_call(30, 1)])[0]
    assert taken.item == b"page"
    client.script_flush()
    assert frontier.run([frontier.finish_call(taken, b"record"), frontier.take_call(30, 1)]) == [True, []]
    assert client.llen("t:out") == 1 and frontier.work() == 0


def test_frontier_spaces_request_starts_by_the_interval(client) -> None:
    frontier = Frontier(client, "t")
    for n in range(2):
        frontier.push("h:2", b"item%d" % n, HostSetup(2, 0.3, "ignored", b""))
    started = time.monotonic()
    assert frontier.take(30) is not None
    assert frontier.take(30) is None                  # a free slot, but 0.3 s have not passed since the last start
    _wait_for(lambda: frontier.take(30) is not None, what="the interval")
    assert time.monotonic() - started >= 0.29


def test_an_expired_lease_goes_back_and_its_late_result_is_refused(client) -> None:
    frontier = Frontier(client, "t")
    frontier.push("h:1", b"page", HostSetup(1, 0.0, "ignored", b""))
    taken = frontier.take(0.2)
    assert taken is not None and frontier.take(0.2) is None
    time.sleep(0.25)
    assert frontier.reap() == 1                       # the worker "died": its URL is queued again
    again = frontier.take(30)
    assert again is not None and again.item == b"page"
    assert frontier.finish(taken, b"late") is False   # the dead worker's result would be a duplicate
    assert client.llen("t:out") == 0
    assert frontier.finish(again, b"record") is True
    assert client.llen("t:out") == 1 and frontier.work() == 0
    assert int(client.hget("t:counts", "requeued")) == 1


def test_robots_first_and_crawl_delay_raises_the_interval(client) -> None:
    frontier = Frontier(client, "t")
    frontier.push("h:1", b"page1", HostSetup(2, 0.0, "unknown", b"robots-request"))
    frontier.push("h:1", b"page2", HostSetup(2, 0.0, "unknown", b"robots-request"))
    robots = frontier.take(30)
    assert robots.kind == "robots" and robots.item == b"robots-request"
    assert frontier.take(30) is None                  # no page before robots.txt is known
    assert frontier.set_robots(robots, 200, "User-agent: *\nCrawl-delay: 0.4\n", 0.4)
    page = frontier.take(30)
    assert page.kind == "page" and page.item == b"page1"
    assert frontier.take(30) is None                  # Crawl-delay: 0.4 s between starts, a slot free or not
    time.sleep(0.42)
    assert frontier.take(30).item == b"page2"


# ---- split articles: the worker's pipeline call asks for each following page, then joins as `fetch` does


def test_assemble_asks_for_following_pages_then_joins_them_like_fetch() -> None:
    from newsfetch import fetch
    from newsfetch.cluster.article import NeedPage, Page, assemble
    from tests.test_pages_join import PATHS, _page, _registry

    routes = {PATHS[0]: Reply(_page(1)), PATHS[1]: Reply(_page(2)), PATHS[2]: Reply(_page(3))}
    with LocalServer(routes) as server:
        expected = fetch(server.url(PATHS[0]), registry=_registry())
    first = Page(server.url(PATHS[0]), _page(1), {"content-type": "text/html; charset=utf-8"})
    pages: dict[str, Page] = {}
    asked = []
    while True:
        try:
            article = assemble(first, pages, registry=_registry())
            break
        except NeedPage as need:
            asked.append(need.url)
            number = PATHS.index(need.url.removeprefix(server.base)) + 1
            pages[need.url] = Page(need.url, _page(number), {"content-type": "text/html; charset=utf-8"})
    assert asked == [server.url(PATHS[1]), server.url(PATHS[2])]
    assert article == expected
    failed = {asked[0]: pages[asked[0]], asked[1]: Page(asked[1], error="HTTP 404 Not Found")}
    assert assemble(first, failed, registry=_registry()).extra["more_pages"] == [asked[1]]


# ---- the writer alone: reliable queue, recovery after a kill


def _article(n: int, url: str) -> Article:
    from newsfetch.pipeline import extract

    return extract(article_page(n), url)


def _state_with(archive: Path, urls: list[str]) -> State:
    """The archive's state table in a run, with `urls` queued (as `crawl` leaves it before the writer starts)."""
    state = State(archive)
    state.start_run(0)
    for url in urls:
        state.ingest(url, "127.0.0.9:1", refresh=False)
    return state


def _write_one_chunk(client, prefix: str, archive: Path, urls: list[str], records: list[Record]) -> int:  # noqa: ANN001
    """Push `records` for the writer and let one writer take one turn over them; the number it wrote."""
    for record in records:
        client.lpush(f"{prefix}:out", record.dumps())
    state = _state_with(archive, urls)
    writer = ArchiveWriter(client, prefix, archive, state)
    try:
        return writer.step(0.1)
    finally:
        writer.close()
        state.close()


def test_writer_writes_records_a_killed_writer_had_taken_once(client, tmp_path: Path) -> None:
    prefix = prefix_of("crawl")
    urls = [f"http://127.0.0.9:1/a/{n}.html" for n in range(3)]
    records = [Record("article", url=url, final_url=url, article=_article(n, url)) for n, url in enumerate(urls)]
    for record in records:
        client.lpush(f"{prefix}:out", record.dumps())
    state = _state_with(tmp_path, urls)
    # the first writer took two records, noted what it found, wrote the first post, and was killed
    first = ArchiveWriter(client, prefix, tmp_path, state)
    taken = [client.lmove(f"{prefix}:out", f"{prefix}:writing", "RIGHT", "LEFT") for _ in range(2)]
    first._before([Record.loads(t) for t in taken], recovering=False)
    from newsfetch.archive.writer import write_article

    written = write_article(tmp_path, records[0].article)
    assert written.status == "new" and client.llen(f"{prefix}:writing") == 2
    # a new writer: the two taken records first, then the rest
    second = ArchiveWriter(client, prefix, tmp_path, state)
    assert second.recover() == 2
    assert second.step(0.1) == 1 and second.pending() == 0
    assert {k.decode(): int(v) for k, v in client.hgetall(f"{prefix}:counts").items()} == {"new": 3}
    posts = sorted((tmp_path / "_posts").iterdir())
    assert len(posts) == 3 and not [p for p in posts if p.name.endswith(".tmp")]
    first.close()
    second.close()
    state.close()


def test_writer_places_the_post_a_worker_rendered_and_renders_again_when_the_style_changed(client,
                                                                                          tmp_path: Path) -> None:
    from dataclasses import replace

    from newsfetch.archive.config import load_config
    from newsfetch.archive.writer import write_article

    prefix = prefix_of("crawl")
    urls = [f"http://127.0.0.9:1/a/{n}.html" for n in range(2)]
    articles = [_article(n, url) for n, url in enumerate(urls)]
    style = load_config(tmp_path).style
    fresh = Record.of_article(urls[0], articles[0], style, final_url=urls[0])
    # rendered by a worker before the archive's newsfetch.toml changed the layout: the writer must not use it
    stale = Record.of_article(urls[1], articles[1], replace(style, layout="page"), final_url=urls[1])
    assert fresh.post is not None and b"layout: page" in stale.post
    assert _write_one_chunk(client, prefix, tmp_path, urls, [fresh, stale]) == 2
    # what batch writes for the same articles, byte for byte, in another archive
    expected = [write_article(tmp_path / "batch", article).path for article in articles]
    posts = sorted((tmp_path / "_posts").iterdir())
    assert [p.name for p in posts] == [p.name for p in expected]
    assert [p.read_bytes() for p in posts] == [p.read_bytes() for p in expected]
    assert posts[0].read_bytes() == fresh.post and b"layout: page" not in posts[1].read_bytes()


def test_writer_chunk_mixes_new_unchanged_refused_and_repeated_posts(client, tmp_path: Path) -> None:
    """One chunk: posts staged on the writer's thread, fsynced together, renamed each; what one post meets (a
    read-only post, a link, the same content, a second record of the same article) touches no other."""
    import os

    from newsfetch.archive.config import load_config
    from newsfetch.archive.writer import post_path, write_article

    prefix = prefix_of("crawl")
    urls = [f"http://127.0.0.9:1/a/{n}.html" for n in range(5)]
    articles = [_article(n, url) for n, url in enumerate(urls)]
    config = load_config(tmp_path)
    unchanged = write_article(tmp_path, articles[1]).path
    read_only = write_article(tmp_path, articles[2]).path
    read_only.write_bytes(b"the owner's words\n")
    read_only.chmod(0o444)
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"not a post\n")
    link = post_path(tmp_path, articles[3], config)
    link.symlink_to(outside)
    repeated = Record("article", url=urls[4], final_url=urls[4], article=_article(40, urls[4]))
    records = [Record("article", url=url, final_url=url, article=article) for url, article in zip(urls, articles)]
    assert _write_one_chunk(client, prefix, tmp_path, urls, [*records, repeated]) == 6
    counts = {k.decode(): int(v) for k, v in client.hgetall(f"{prefix}:counts").items()}
    assert counts == {"new": 2, "updated": 1, "unchanged": 1, "failed:unsafe-file": 2}
    assert read_only.read_bytes() == b"the owner's words\n" and os.path.islink(link)
    assert outside.read_bytes() == b"not a post\n"
    expected = tmp_path / "batch"
    assert post_path(tmp_path, articles[0], config).read_bytes() == \
        write_article(expected, articles[0]).path.read_bytes()
    # the later record of an article wins, as one by one
    assert post_path(tmp_path, articles[4], config).read_bytes() == \
        write_article(expected, repeated.article).path.read_bytes()
    assert unchanged.read_bytes() == write_article(expected, articles[1]).path.read_bytes()
    assert not [p for p in (tmp_path / "_posts").iterdir() if p.name.endswith(".tmp")]


# ---- whole crawls: worker processes, one writer, local news hosts


def test_two_workers_share_one_queue_and_write_what_batch_writes(redis_url: str, client, tmp_path: Path) -> None:
    pages, workers = 6, 2
    servers = news_hosts(pages)
    with servers[0], servers[1], servers[2]:
        urls = url_list(servers, pages, tmp_path / "list.txt")
        archive = tmp_path / "cluster"
        assert run_cli("init", str(archive)).returncode == 0    # a scaffolded archive: site pages are refreshed too
        done = crawl(urls, archive, redis_url, "--workers", str(workers))
        assert done.returncode == 0, done.stderr
        summary = [json.loads(line) for line in done.stderr.splitlines() if '"summary"' in line][-1]
        assert (summary["new"], summary["failed"]) == (3 * pages, {})
        assert summary["skipped"] == {"duplicate": 1, "robots": 1}
        for server in servers:
            hits = article_hits(server)
            assert sum(1 for r in server.log if r.path == "/robots.txt") == 1     # robots.txt once per host
            retried = {"/a/100.html", "/a/101.html"} if server is servers[1] else set()
            assert {path: n for path, n in hits.items() if path not in retried} == \
                {path: 1 for path in hits if path not in retried}                  # every other URL fetched once
            assert all(hits[path] == 2 for path in retried)                       # a 500 and a 429, then 200
            assert server.max_in_flight <= 2
        assert "/private/1.html" not in article_hits(servers[0])                  # robots.txt obeyed
        assert article_hits(servers[0])["/a/1.html"] == 1                         # the tracking duplicate: once
        counts = status(redis_url)
        assert counts["state"] == "finished" and counts["retried"] == 2 and counts["left"] == 0
        assert counts["done"]["new"] == 3 * pages and counts["skipped"]["robots"] == 1

        # the same list through `newsfetch batch` gives the same archive, byte for byte
        reference = tmp_path / "batch"
        assert run_cli("init", str(reference)).returncode == 0
        batch = run_cli("batch", str(urls), "--archive", str(reference), "--backoff", "0.05", "--rate", "0",
                        "--quiet", timeout=120)
        assert batch.returncode == 0, batch.stderr
    cluster_files, batch_files = tree(archive), tree(reference)
    assert len([p for p in cluster_files if p.startswith("_posts/")]) == 3 * pages
    assert cluster_files == batch_files
    assert run_cli("init", str(tmp_path / "fresh")).returncode == 0
    fresh = tree(tmp_path / "fresh")
    assert any(fresh.get(path) != data for path, data in cluster_files.items() if not path.startswith("_posts/"))


def test_three_workers_share_one_queue_within_the_per_host_limits(redis_url: str, client, tmp_path: Path) -> None:
    interval = 0.1
    servers = [LocalServer(article_routes(10, delay=0.15, start=start), host=f"127.0.0.{i}")
               for i, start in ((5, 0), (6, 100))]
    with servers[0], servers[1]:
        urls = tmp_path / "list.txt"
        urls.write_text("\n".join(s.url(f"/a/{start + n}.html") for n in range(10)
                                  for s, start in zip(servers, (0, 100))) + "\n")
        archive = tmp_path / "archive"
        archive.mkdir()
        git = ["git", "-C", str(archive)]
        subprocess.run([*git, "init", "-q"], check=True)
        subprocess.run([*git, "config", "user.name", "newsfetch test"], check=True)   # the crawl's commit uses it
        subprocess.run([*git, "config", "user.email", "test@example.invalid"], check=True)
        done = crawl(urls, archive, redis_url, "--workers", "3", "--rate", str(1 / interval), "--git-commit")
        assert done.returncode == 0, done.stderr
        log = subprocess.run([*git, "log", "--format=%s"], capture_output=True, text=True, check=True).stdout
        assert log.splitlines() == ["newsfetch: 20 posts new"]                   # --git-commit, as batch does
        assert len(list((archive / "_posts").iterdir())) == 20 and status(redis_url)["done"]["new"] == 20
        for server in servers:
            assert sorted(article_hits(server).values()) == [1] * 10                # every URL fetched once
            pages = sorted(r.started for r in server.log if r.path.startswith("/a/"))
            assert server.max_in_flight == 2                                   # the limit, reached, never passed
            # --rate across the cluster: Redis grants starts exactly `interval` apart on its own clock (see
            # test_frontier_spaces_request_starts_by_the_interval); the server sees each start later by the
            # worker's delay between grant and send, which on a loaded machine can bring two starts close
            # together, never three within one interval, and never more starts than the rate over the run
            assert all(b - a >= interval for a, b in zip(pages, pages[2:])), pages
            assert pages[-1] - pages[0] >= (len(pages) - 1) * interval - 0.03


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(redis_url: str, client, tmp_path: Path) -> None:
    pages = 8
    servers = news_hosts(pages, delay=0.4)
    with servers[0], servers[1], servers[2]:
        coordinator, archive = _coordinator_alone(redis_url, url_list(servers, pages, tmp_path / "list.txt"),
                                                  tmp_path)
        victim = _worker(redis_url)
        others: list[subprocess.Popen] = []
        try:
            # the victim alone takes the first requests; it is killed while they are in flight
            _wait_for(lambda: sum(s.in_flight for s in servers) >= 3, what="the first worker's requests")
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=10)
            others = [_worker(redis_url), _worker(redis_url)]
            out, err = coordinator.communicate(timeout=120)
        finally:
            for proc in [coordinator, victim, *others]:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
        assert coordinator.returncode == 0, err.decode()
        counts = status(redis_url)
        assert counts["requeued"] >= 1                                           # the victim's leases came back
        assert counts["done"]["new"] == 3 * pages and counts["failed"] == {}
    posts = sorted((archive / "_posts").iterdir())
    assert len(posts) == 3 * pages and not [p for p in posts if not p.name.endswith(".md")]


def test_a_killed_writer_restarted_finishes_the_crawl_once(redis_url: str, client, tmp_path: Path) -> None:
    # long enough (16 pages a host, 0.4 s each, 2 at a time: 3.2 s) that the writer's first chunks, written while
    # the workers still fetch, cannot hold the whole crawl: some articles must wait for the restarted writer
    pages = 16
    servers = news_hosts(pages, delay=0.4)
    with servers[0], servers[1], servers[2]:
        urls = url_list(servers, pages, tmp_path / "list.txt")
        archive = tmp_path / "archive"
        archive.mkdir()
        command = [sys.executable, "-m", "newsfetch", "crawl", str(urls), "--archive", str(archive), "--redis",
                   redis_url, *FAST]
        writer = subprocess.Popen([*command, "--workers", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        workers = [_worker(redis_url), _worker(redis_url)]
        try:
            posts = archive / "_posts"
            _wait_for(lambda: posts.is_dir() and len(list(posts.iterdir())) >= 3, what="the first posts")
            writer.send_signal(signal.SIGKILL)
            writer.wait(timeout=10)
            written_before = len(list(posts.iterdir()))
            # the workers go on and hand their articles to Redis; nobody writes them until the writer is back
            _wait_for(lambda: client.llen(prefix_of("crawl") + ":out") >= 2, what="articles waiting for a writer")
            again = run_cli(*command[3:], "--workers", "0", timeout=120)
        finally:
            for proc in [writer, *workers]:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
        assert again.returncode == 0, again.stderr
        assert written_before < 3 * pages
        counts = status(redis_url)
        assert counts["done"] == {"new": 3 * pages, "updated": 0, "unchanged": 0}
        for server in servers:
            retried = {"/a/100.html", "/a/101.html"} if server is servers[1] else set()
            assert all(n == 1 for path, n in article_hits(server).items() if path not in retried)
    names = sorted(p.name for p in (archive / "_posts").iterdir())
    assert len(names) == 3 * pages and all(name.endswith(".md") for name in names)


# ---- the core package and bad input


def test_crawl_exports_the_failed_urls_as_batch_does(redis_url: str, client, tmp_path: Path) -> None:
    routes = {**article_routes(2), "/gone": Reply(b"", status=404, headers=TEXT)}
    with LocalServer(routes, host="127.0.0.7") as server:
        urls = tmp_path / "list.txt"
        urls.write_text(f"{server.url('/a/0.html')}\n{server.url('/gone')}\n{server.url('/a/1.html')}\n")
        archive = tmp_path / "archive"
        archive.mkdir()
        done = crawl(urls, archive, redis_url, "--workers", "1", "--export-failures", str(tmp_path / "failed.jsonl"))
        assert done.returncode == 10, done.stderr                                  # some failed, as batch says it
        exported = [json.loads(line) for line in (tmp_path / "failed.jsonl").read_text().splitlines()]
        assert [(e["url"], e["reason"], e["attempts"]) for e in exported] == [(server.url("/gone"), "http-404", 1)]
    assert len(list((archive / "_posts").iterdir())) == 2


def test_core_and_help_never_import_scrapy() -> None:
    code = ("import sys\nimport newsfetch, newsfetch.pipeline, newsfetch.batch\nfrom newsfetch.cli import app\n"
            "from typer.testing import CliRunner\nCliRunner().invoke(app, ['--help'])\n"
            "CliRunner().invoke(app, ['crawl', '--help'])\n"
            "extra = ('scrapy', 'scrapy_redis', 'twisted', 'redis')\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in extra))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_unreachable_redis_is_one_line_and_exit_4(tmp_path: Path) -> None:
    (tmp_path / "list.txt").write_text("http://127.0.0.2:1/a.html\n")
    done = run_cli("crawl", str(tmp_path / "list.txt"), "--archive", str(tmp_path), "--redis",
                   f"redis://127.0.0.1:{_free_port()}/0")
    assert done.returncode == 4
    assert done.stderr.startswith("newsfetch: error: redis://127.0.0.1:") and "cannot reach Redis" in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_local_worker_entry_without_a_crawl_is_one_line_and_exit_4(redis_url: str, client) -> None:
    done = subprocess.run([sys.executable, "-m", "newsfetch.cluster", "--redis", redis_url, "--name", "none",
                           "--wait", "0"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 4
    assert done.stderr.startswith("newsfetch: error: ") and "no crawl named 'none'" in done.stderr
    assert len(done.stderr.splitlines()) == 1


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to find the forked workers")
def test_forked_workers_one_killed_mid_run_lose_and_duplicate_nothing(redis_url: str, client, tmp_path: Path) -> None:
    """`crawl --workers N` forks its N workers from one launcher (cluster/launcher.py): each is a whole worker,
    so a kill -9 of one of them is a dead worker like any other, and the launcher reports it."""
    pages = 8
    servers = news_hosts(pages, delay=0.4)
    with servers[0], servers[1], servers[2]:
        coordinator, archive = _coordinator_alone(redis_url, url_list(servers, pages, tmp_path / "list.txt"),
                                                  tmp_path)
        launcher = subprocess.Popen([sys.executable, "-m", "newsfetch.cluster", "--redis", redis_url,
                                     "--processes", "2", "--stats"], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, text=True)
        try:
            _wait_for(lambda: sum(s.in_flight for s in servers) >= 3, what="the workers' first requests")
            workers = _children(launcher.pid)
            assert len(workers) == 2
            os.kill(workers[0], signal.SIGKILL)
            out, err = coordinator.communicate(timeout=120)
            _, reports = launcher.communicate(timeout=60)
        finally:
            for proc in [coordinator, launcher]:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
        assert coordinator.returncode == 0, err.decode()
        ended = {report["pid"]: report for report in map(json.loads, reports.splitlines())
                 if report["event"] == "worker"}
        assert ended[workers[0]]["exit"] == 128 + signal.SIGKILL and ended[workers[1]]["exit"] == 0
        assert launcher.returncode == 128 + signal.SIGKILL                   # the worst of its workers
        counts = status(redis_url)
        assert counts["done"]["new"] == 3 * pages and counts["failed"] == {}
        # every page was fetched (one the killed worker had in flight perhaps twice); each is written once, below
        assert [len(article_hits(server)) for server in servers] == [pages] * 3
    posts = sorted((archive / "_posts").iterdir())
    assert len(posts) == 3 * pages and not [p for p in posts if not p.name.endswith(".md")]


def test_forking_launcher_without_a_crawl_is_one_line_and_exit_4(redis_url: str, client) -> None:
    done = subprocess.run([sys.executable, "-m", "newsfetch.cluster", "--redis", redis_url, "--name", "none",
                           "--wait", "0", "--processes", "3"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 4
    assert done.stderr.startswith("newsfetch: error: ") and "no crawl named 'none'" in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_worker_command_with_processes_without_a_crawl_is_one_line_and_exit_4(redis_url: str, client) -> None:
    done = run_cli("worker", "--redis", redis_url, "--name", "none", "--wait", "0", "--processes", "2")
    assert done.returncode == 4
    assert done.stderr.startswith("newsfetch: error: ") and "no crawl named 'none'" in done.stderr
    assert len(done.stderr.splitlines()) == 1
