"""Split articles: `fetch` and `batch` follow the parser's ``more_pages`` and append them, against a LocalServer.

The people.com.cn parser reads the pages; a registry built for the test routes the server's 127.0.0.1 address
to it (the real registry routes by the site's host, which tests never reach).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from newsfetch import fetch
from newsfetch.parsers.people import PeopleLegacyParser
from newsfetch.registry import ParserInfo, Registry
from tests.support.server import LocalServer, Reply

BASE = "/n1/2019/0615/c1013-31153719"
PATHS = [f"{BASE}.html", f"{BASE}-2.html", f"{BASE}-3.html"]


def _registry() -> Registry:
    info = ParserInfo(name="people", hosts=("127.0.0.1",), version="1", valid_from=None, origin="test",
                      entry_point="test", cls=PeopleLegacyParser)
    return Registry([info])


def _page(number: int, pager_pages: tuple[int, ...] = (1, 2, 3)) -> bytes:
    links = "".join(f"<a href='{PATHS[n - 1]}'>【{n}】</a>" for n in pager_pages)
    return f"""<html><head><meta charset="utf-8"><title>分页文章--文化--人民网</title></head><body>
<div class="text_title"><h1>分页文章</h1>
<div class="box01"><div class="fl">2019年06月15日08:18&nbsp;&nbsp;来源：<a href="/">人民网-文化频道</a></div></div></div>
<div class="box_con" id="rwb_zw"><p>第{number}页的正文，内容足够长，能够通过正文长度检查。</p>
<div class="zdfy clearfix">{links}</div>
<div class="edit clearfix">(责编：汤诗瑶)</div></div></body></html>""".encode()


def test_following_pages_are_fetched_once_and_appended_in_order() -> None:
    # page 2 shows a pager that links back to page 1: it is not fetched again
    routes = {PATHS[0]: Reply(_page(1)), PATHS[1]: Reply(_page(2, (1, 2, 3))), PATHS[2]: Reply(_page(3))}
    with LocalServer(routes) as server:
        article = fetch(server.url(PATHS[0]), registry=_registry())
        hits = [server.hits(path) for path in PATHS]
    assert hits == [1, 1, 1]
    assert [line[:3] for line in article.text.splitlines()] == ["第1页", "第2页", "第3页"]
    assert "more_pages" not in article.extra
    assert article.title == "分页文章" and article.editors == ("汤诗瑶",)


def test_a_page_that_fails_stays_listed() -> None:
    routes = {PATHS[0]: Reply(_page(1)), PATHS[1]: Reply(_page(2)),
              PATHS[2]: Reply(b"gone", status=404, headers={"Content-Type": "text/plain"})}
    with LocalServer(routes) as server:
        article = fetch(server.url(PATHS[0]), registry=_registry())
        assert article.extra["more_pages"] == [server.url(PATHS[2])]
    assert [line[:3] for line in article.text.splitlines()] == ["第1页", "第2页"]


def test_pages_are_not_joined_on_request() -> None:
    with LocalServer({PATHS[0]: Reply(_page(1))}) as server:
        article = fetch(server.url(PATHS[0]), registry=_registry(), join_pages=False)
        assert article.extra["more_pages"] == [server.url(PATHS[1]), server.url(PATHS[2])]
        assert server.hits(PATHS[1]) == 0


# ---- batch: the workers run the same pipeline, and the following pages wait for the host's interval


def _batch(server: LocalServer, archive: Path, urls: list[str], interval: float = 0.3):
    from newsfetch.batch import BatchOptions, run_batch
    from newsfetch.batch.politeness import HostPolicy
    from newsfetch.batch.urls import read_list
    from newsfetch.fetch import FetchOptions

    options = BatchOptions(concurrency=4, host_policy=HostPolicy(2, interval), registry=_registry(),
                           fetch=FetchOptions(timeout=5.0))
    return run_batch(read_list(urls), archive, options)


def _front_and_body(path: Path) -> tuple[dict, str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


def test_batch_joins_split_articles_at_the_hosts_pace(tmp_path: Path) -> None:
    routes = {PATHS[0]: Reply(_page(1)), PATHS[1]: Reply(_page(2)), PATHS[2]: Reply(_page(3))}
    with LocalServer(routes) as server:
        summary = _batch(server, tmp_path, [server.url(PATHS[0])])
        log = [r for r in server.log if r.path != "/robots.txt"]
    assert summary.new == 1 and summary.total_failed == 0
    [post] = sorted((tmp_path / "_posts").glob("*.md"))
    front, body = _front_and_body(post)
    assert "more_pages" not in front
    assert [line[:3] for line in body.splitlines() if line.startswith("第")] == ["第1页", "第2页", "第3页"]
    assert [r.path for r in log] == PATHS                       # each page once, in order
    starts = [r.started for r in server.log]                   # robots.txt included: it is a start too
    assert all(b - a >= 0.3 - 0.02 for a, b in zip(starts, starts[1:])), starts


def test_batch_leaves_pages_robots_disallows_listed(tmp_path: Path) -> None:
    robots = Reply(f"User-agent: *\nDisallow: {BASE}-3.html\n".encode(), headers={"Content-Type": "text/plain"})
    routes = {PATHS[0]: Reply(_page(1)), PATHS[1]: Reply(_page(2)), PATHS[2]: Reply(_page(3)), "/robots.txt": robots}
    with LocalServer(routes) as server:
        summary = _batch(server, tmp_path, [server.url(PATHS[0])], interval=0.0)
        assert server.hits(PATHS[2]) == 0
        [post] = sorted((tmp_path / "_posts").glob("*.md"))
        front, body = _front_and_body(post)
        assert front["more_pages"] == [server.url(PATHS[2])]
    assert summary.new == 1 and "第2页" in body and "第3页" not in body
