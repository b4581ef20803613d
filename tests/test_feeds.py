"""Feed sources: the registry and plug-ins, sniffing plain URLs, JSON/JSONP lists, Eastmoney paging and marks,
and the text-API body against the page's."""

from __future__ import annotations

import gzip
import json
from importlib.metadata import EntryPoint

import pytest

from newsfetch.errors import ContentError, FeedError, InputError
from newsfetch.feeds import FeedEntry, FeedRegistry, FeedSource, read_feed
from newsfetch.feeds.eastmoney import eastmoney_entry
from newsfetch.feeds.jsonlist import load_json
from newsfetch.feeds.reader import document_getter
from newsfetch.batch.retry import RetryPolicy
from newsfetch.fetch import Fetcher
from newsfetch.parsers.eastmoney import EastmoneyParser
from newsfetch.pipeline import extract
from newsfetch.render import render_post
from tests.support import eastmoney_api as em
from tests.support.server import LocalServer, Reply


class TinyFeed(FeedSource):
    """A plug-in for the tests: ``tiny:N`` lists N made-up articles."""

    name = "tiny"
    summary = "test feed"
    prefix = "tiny"

    def read(self, address, context):
        for n in range(int(address.split(":")[1])):
            yield FeedEntry(f"https://tiny.example/a/{n}.html", title=f"t{n}")


class ClashingFeed(TinyFeed):
    name = "rss"  # taken by a built-in


def _points(*values: tuple[str, str]) -> list[EntryPoint]:
    return [EntryPoint(name, value, "newsfetch.feeds") for name, value in values]


def test_plugins_register_like_built_ins_and_bad_ones_are_warnings() -> None:
    registry = FeedRegistry.with_plugins(_points(("tiny", "tests.test_feeds:TinyFeed"),
                                                 ("clash", "tests.test_feeds:ClashingFeed"),
                                                 ("broken", "tests.no_such_module:Feed")))
    names = [info.name for info in registry.infos]
    assert names == ["eastmoney", "rss", "sitemap", "json", "tiny", "page"]  # the catch-all stays last
    assert {info.origin for info in registry.infos if info.name != "tiny"} == {"built-in"}
    assert len(registry.problems) == 2
    assert any("'rss'" in p and "taken" in p for p in registry.problems)
    assert any("'broken'" in p and "failed to load" in p for p in registry.problems)
    with Fetcher() as fetcher:
        read = read_feed("tiny:3", fetcher, registry=registry)
    assert [e.url for e in read.entries] == [f"https://tiny.example/a/{n}.html" for n in range(3)]
    with pytest.raises(InputError, match="not a feed address"):
        registry.address("ftp://example.com/feed")
    with pytest.raises(InputError, match="eastmoney:"):
        registry.address("nosuch:thing")


RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>One</title><link>/a/1.html</link><pubDate>Wed, 19 Aug 2026 09:30:00 GMT</pubDate></item>
</channel></rss>"""
SITEMAP = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>/a/2.html</loc></url></urlset>"""
LISTING = b"<html><body><a href='/a/3.html'>x</a><a href='/about'>y</a></body></html>"


def test_plain_urls_are_sniffed_by_what_they_answer() -> None:
    generic = json.dumps({"data": {"list": [{"link": "http://x.example/a/4.html", "title": "Four", "id": 4}]}})
    routes = {"/feed": Reply(RSS, headers={"Content-Type": "application/rss+xml"}),
              "/map.xml.gz": Reply(gzip.compress(SITEMAP), headers={"Content-Type": "application/octet-stream"}),
              "/list": Reply(LISTING),
              "/api": Reply(generic.encode(), headers={"Content-Type": "application/json"}),
              "/em": Reply(b"cb(" + json.dumps({"records": [em.record(1)]}).encode() + b");",
                           headers={"Content-Type": "text/javascript"})}
    with LocalServer(routes) as server, Fetcher() as fetcher:
        kinds = {path: read_feed(server.url(path), fetcher) for path in routes}
        assert {path: read.source for path, read in kinds.items()} == \
            {"/feed": "rss", "/map.xml.gz": "sitemap", "/list": "page", "/api": "json", "/em": "eastmoney"}
        rss = kinds["/feed"].entries[0]
        assert (rss.url, rss.title, rss.published.isoformat()) == \
            (server.url("/a/1.html"), "One", "2026-08-19T09:30:00+00:00")
        assert [e.url for e in kinds["/map.xml.gz"].entries] == [server.url("/a/2.html")]
        assert [e.url for e in kinds["/list"].entries] == [server.url("/a/3.html")]
        assert (kinds["/api"].entries[0].title, kinds["/api"].entries[0].id) == ("Four", "4")
        assert kinds["/api"].entries[0].body_source is None       # a generic list's id names no post
        eastmoney = kinds["/em"].entries[0]
        assert (eastmoney.id, eastmoney.body_source, eastmoney.url) == ("NW" + em.article_id(1), "eastmoney",
                                                                         em.page_url(1))


def test_json_and_jsonp_shapes() -> None:
    value = {"records": [{"a": 1}]}
    assert load_json(json.dumps(value).encode(), "x") == value
    assert load_json(b"jQuery183_1(" + json.dumps(value).encode() + b");", "x") == value
    assert load_json(b"var news = " + json.dumps(value).encode() + b";", "x") == value
    for bad in (b"", b"<html>", b"cb({oops);"):
        with pytest.raises(ContentError):
            load_json(bad, "x")


def _roll(server: em.EastmoneyStandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in server.env().items():
        monkeypatch.setenv(key, value)


@pytest.mark.parametrize("jsonp", [False, True])
def test_roll_pages_to_an_empty_page_and_skips_malformed_records(jsonp: bool,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    with em.EastmoneyStandIn([1, 2, 3, 4], jsonp=jsonp) as stand_in, Fetcher() as fetcher:
        stand_in.broken_records = ["not an object", {"title": "no address", "infoCode": "NW" + em.article_id(9)}]
        _roll(stand_in, monkeypatch)
        read = read_feed("eastmoney:roll?size=2&pages=5", fetcher)
        assert [e.url for e in read.entries] == [em.page_url(n) for n in (4, 3, 2, 1)]
        assert [e.id for e in read.entries] == ["NW" + em.article_id(n) for n in (4, 3, 2, 1)]
        first = read.entries[0]
        assert (first.title, first.published.isoformat(), first.summary) == \
            (em.record(4)["title"], "2026-08-19T12:04:00+08:00", em.record(4)["digest"])
        # page 1 holds 2 broken records + 2 good ones (4 ≥ size); page 2 two; page 3 empty ends the paging
        assert stand_in.list_pages() == [1, 2, 3]
        assert [bad.description.split(": ", 1)[1] for bad in read.bad] == \
            ["record 1 is not an object", "record 2 has no article address"]
        assert read.new_mark == em.article_id(4)


def test_a_mark_stops_paging_where_the_last_run_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    with em.EastmoneyStandIn([1, 2, 3, 4, 5, 6]) as stand_in, Fetcher() as fetcher:
        _roll(stand_in, monkeypatch)
        first = read_feed("eastmoney:roll?size=2", fetcher)          # no mark: the newest page only
        assert [e.url for e in first.entries] == [em.page_url(6), em.page_url(5)]
        stand_in.articles += [7, 8, 9]
        stand_in.server.log.clear()
        second = read_feed("eastmoney:roll?size=2", fetcher, mark=first.new_mark)
        assert [e.url for e in second.entries] == [em.page_url(n) for n in (9, 8, 7)]
        assert stand_in.list_pages() == [1, 2]                       # page 2 held article 6, the mark: stop
        assert second.new_mark == em.article_id(9)


def test_backfill_of_a_day_ignores_the_mark(monkeypatch: pytest.MonkeyPatch) -> None:
    with em.EastmoneyStandIn([1, 2, 3]) as stand_in, Fetcher() as fetcher:
        _roll(stand_in, monkeypatch)
        read = read_feed("eastmoney:roll?day=2026-08-19&size=2", fetcher, mark=em.article_id(3))
        assert [e.url for e in read.entries] == [em.page_url(n) for n in (3, 2, 1)]
        assert read.new_mark is None                                  # a backfill does not move the mark
        assert [e.url for e in read_feed("eastmoney:roll?day=2026-08-18", fetcher).entries] == []
        with pytest.raises(InputError, match="day="):
            read_feed("eastmoney:roll?day=yesterday", fetcher)


def test_dead_lists_become_feed_errors_after_the_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    with em.EastmoneyStandIn([1]) as stand_in, Fetcher() as fetcher:
        _roll(stand_in, monkeypatch)
        stand_in.list_status = 503
        get = document_getter(fetcher, RetryPolicy(attempts=3, base=0.01))
        with pytest.raises(FeedError, match="HTTP 503") as caught:
            read_feed("eastmoney:roll", fetcher, get=get)
        assert caught.value.exit_code == 13 and stand_in.list_pages() == [1, 1, 1]


def test_text_api_body_is_the_page_body_byte_for_byte() -> None:
    """The same content through the list + text API and through the article page renders the same post."""
    for n in (1, 7):
        listed = eastmoney_entry(em.record(n), 1, "roll")
        from_api = EastmoneyParser().parse_api(em.content(n), url=listed.url, title=listed.title,
                                               published=listed.published, summary=listed.summary)
        from_page = extract(em.page(n), em.page_url(n))
        assert render_post(from_api) == render_post(from_page)
        post = render_post(from_api)
        # the parser's body rules ran: no widget, placeholder, quote slot or source line is left
        for leftover in ("EM_StockImg", "IMG#", "Link#", "webquoteklinepic", "文章来源", "display:none"):
            assert leftover not in post
        assert "source: 证券时报网" in post and "600030.SH" in post


def test_a_listed_post_id_names_new_posts_and_finds_old_ones(tmp_path) -> None:
    from newsfetch.archive.writer import write_article

    article = extract(em.page(5), em.page_url(5))
    named = write_article(tmp_path / "a", article, post_id="NW" + em.article_id(5))
    assert (named.status, named.path.name) == ("new", f"2026-08-19-NW{em.article_id(5)}.md")
    plain = write_article(tmp_path / "b", article)                      # what `newsfetch url --archive` names
    assert plain.path.name == f"2026-08-19-{em.article_id(5)}.md"
    again = write_article(tmp_path / "b", article, post_id="NW" + em.article_id(5))
    assert (again.status, again.path) == ("unchanged", plain.path)       # no second post for the same article
    assert sorted(p.name for p in (tmp_path / "b" / "_posts").iterdir()) == [plain.path.name]
