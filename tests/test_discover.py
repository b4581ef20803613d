"""`newsfetch discover`: article URLs from RSS, Atom, sitemaps (index, news, gzipped) and listing pages, and the
whole cron job `discover FEED --new --archive DIR | batch - --archive DIR`."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

from newsfetch.batch.discover import discover
from newsfetch.fetch import Fetcher
from tests.support.pages import article_routes
from tests.support.server import LocalServer, Reply

XML = {"Content-Type": "application/xml"}


def rss(base: str, numbers: list[int]) -> bytes:
    items = "".join(f"<item><title>第{n}号</title><link>{base}/a/{n}.html?utm_source=rss</link>"
                    f"<guid>{base}/a/{n}.html</guid></item>" for n in numbers)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>测试</title>'
            f"<link>{base}/</link>{items}</channel></rss>").encode()


def atom(base: str, numbers: list[int]) -> bytes:
    entries = "".join(f'<entry><title>第{n}号</title><link rel="alternate" href="/a/{n}.html"/>'
                      f"<id>tag:test,2024:{n}</id><updated>2024-01-01T00:00:00Z</updated></entry>" for n in numbers)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="{base}/">'
            f"<title>测试</title><id>tag:test</id><updated>2024-01-01T00:00:00Z</updated>{entries}</feed>").encode()


def urlset(base: str, numbers: list[int], news: bool = False) -> bytes:
    ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    extra = ("<news:news><news:publication><news:name>测试</news:name><news:language>zh</news:language>"
             "</news:publication><news:title>标题</news:title></news:news>") if news else ""
    urls = "".join(f"<url><loc>{base}/a/{n}.html</loc>{extra}</url>" for n in numbers)
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>'
            f"{urls}</urlset>").encode()


def test_feeds_sitemaps_and_listing_pages() -> None:
    server = LocalServer({})
    with server, Fetcher() as fetcher:
        base = server.base
        index = (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                 f"<sitemap><loc>{base}/news.xml</loc></sitemap><sitemap><loc>{base}/old.xml.gz</loc></sitemap>"
                 f"</sitemapindex>").encode()
        listing = (f'<html><body><a href="/a/5.html">第5号</a><a href="/list/2.html">下一页</a>'
                   f'<a href="{base}/a/6.html#top">第6号</a><a href="http://127.0.0.9:1/a/7.html">外站</a>'
                   f'<a href="/about">关于</a><a href="javascript:void(0)">x</a><a href="/a/5.html">again</a>'
                   f'<a href="/img/logo.png">logo</a></body></html>').encode()
        server.routes.update({
            "/rss.xml": Reply(rss(base, [1, 2, 1]), headers={"Content-Type": "application/rss+xml"}),
            "/atom.xml": Reply(atom(base, [3, 4]), headers={"Content-Type": "application/atom+xml"}),
            "/sitemap.xml": Reply(index, headers=XML),
            "/news.xml": Reply(urlset(base, [10, 11], news=True), headers=XML),
            "/old.xml.gz": Reply(gzip.compress(urlset(base, [12])), headers={"Content-Type": "application/x-gzip"}),
            "/list.html": Reply(listing),
        })
        assert discover(server.url("/rss.xml"), fetcher) == [f"{base}/a/1.html", f"{base}/a/2.html"]
        assert discover(server.url("/atom.xml"), fetcher) == [f"{base}/a/3.html", f"{base}/a/4.html"]
        assert discover(server.url("/sitemap.xml"), fetcher) == [f"{base}/a/{n}.html" for n in (10, 11, 12)]
        assert discover(server.url("/list.html"), fetcher) == [f"{base}/a/5.html", f"{base}/a/6.html"]


def test_cron_job_discover_new_then_batch(tmp_path: Path) -> None:
    """The README's cron line, twice: the second time only the feed's new article is fetched."""
    archive = tmp_path / "news"
    archive.mkdir()
    server = LocalServer(article_routes(4))
    with server:
        server.routes["/feed.xml"] = Reply(rss(server.base, [0, 1, 2]), headers={"Content-Type": "application/rss+xml"})
        nf = f"{sys.executable} -m newsfetch"
        job = (f"{nf} discover {server.url('/feed.xml')} --new --archive {archive} | "
               f"{nf} batch - --archive {archive} --rate 0 --log-format json")
        first = subprocess.run(["bash", "-o", "pipefail", "-c", job], capture_output=True, text=True, timeout=60)
        assert first.returncode == 0, first.stderr
        assert len(list((archive / "_posts").glob("*.md"))) == 3

        server.routes["/feed.xml"] = Reply(rss(server.base, [3, 2, 1]), headers={"Content-Type": "application/rss+xml"})
        listed = subprocess.run([sys.executable, "-m", "newsfetch", "discover", server.url("/feed.xml"), "--new",
                                 "--archive", str(archive)], capture_output=True, text=True, timeout=60)
        assert listed.stdout.split() == [server.url("/a/3.html")]
        second = subprocess.run(["bash", "-o", "pipefail", "-c", job], capture_output=True, text=True, timeout=60)
        assert second.returncode == 0, second.stderr
        assert [server.hits(f"/a/{n}.html") for n in range(4)] == [1, 1, 1, 1]
    assert len(list((archive / "_posts").glob("*.md"))) == 4


def test_discover_errors_are_one_line() -> None:
    with LocalServer({"/x": Reply(b"", status=404)}) as server:
        run = subprocess.run([sys.executable, "-m", "newsfetch", "discover", server.url("/x")], capture_output=True,
                             text=True, timeout=60)
        assert run.returncode == 5 and len(run.stderr.strip().splitlines()) == 1
    run = subprocess.run([sys.executable, "-m", "newsfetch", "discover", "http://127.0.0.1:9/feed", "--new"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "--archive" in run.stderr
