"""Fetching against a real HTTP server on 127.0.0.1: `newsfetch.fetch` and the `newsfetch url` command.

Covers redirects (and a loop), charsets (header, meta only, none, mislabelled), gzip, timeouts, HTTP errors,
the size cap (declared and streamed), non-HTML answers, empty and list pages, refused connections and DNS.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import brotli
import pytest

import newsfetch
from newsfetch.errors import ContentError, FetchError, HTTPStatusError, ParseError
from newsfetch.fetch import DEFAULT_USER_AGENT, FetchOptions
from tests.support.cli import run_cli
from tests.support.server import LocalServer, Reply

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TITLE = "前10月全国一般公共预算收入164939亿元 同比增长3.8%"
GBK_PAGE = (FIXTURES / "chinanews" / "gbk-gb2312-meta.html").read_bytes()          # says gb2312 in <meta>
UTF8_PAGE = GBK_PAGE.decode("gb18030").replace("charset=gb2312", "charset=utf-8").encode("utf-8")
NO_META_GBK = GBK_PAGE.replace(b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />\n', b"")
HTML = "text/html"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"0" * 2000
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 500
LIST_PAGE = ("<html><head><title>滚动新闻</title></head><body><ul>" + "".join(
    f'<li><a href="/a/{n}.html">第{n}条：市场消息一则，详情请点击查看</a></li>' for n in range(60))
    + "</ul></body></html>").encode("utf-8")

ROUTES: dict[str, Reply] = {
    "/utf8": Reply(UTF8_PAGE),
    "/gbk-header": Reply(GBK_PAGE, headers={"Content-Type": "text/html; charset=GBK"}),
    "/gbk-meta-only": Reply(GBK_PAGE, headers={"Content-Type": HTML}),
    "/gbk-no-label": Reply(NO_META_GBK, headers={"Content-Type": HTML}),
    "/gbk-says-utf8": Reply(NO_META_GBK, headers={"Content-Type": "text/html; charset=utf-8"}),
    "/gzip": Reply(UTF8_PAGE, gzip=True),
    "/chunked": Reply(UTF8_PAGE, chunked=True),
    "/brotli": Reply(brotli.compress(UTF8_PAGE), headers={"Content-Type": HTML, "Content-Encoding": "br"}),
    "/r1": Reply(status=301, headers={"Location": "/r2", "Content-Type": HTML}),
    "/r2": Reply(status=302, headers={"Location": "/utf8?from=redirect", "Content-Type": HTML}),
    "/loop": Reply(status=302, headers={"Location": "/loop", "Content-Type": HTML}),
    "/slow": Reply(UTF8_PAGE, delay=2.0),
    "/trickle": Reply(UTF8_PAGE, chunked=True, chunk_size=200, chunk_delay=0.1),  # each read is quick, the whole slow
    "/gone": Reply(b"<h1>Not Found</h1>", status=404),
    "/broken": Reply(b"<h1>Internal Server Error</h1>", status=500),
    "/pdf": Reply(PDF, headers={"Content-Type": "application/pdf"}),
    "/pdf-as-html": Reply(PDF, headers={"Content-Type": HTML}),
    "/png": Reply(PNG, headers={"Content-Type": "image/png"}),
    "/json": Reply(b'{"title": "not a page"}', headers={"Content-Type": "application/json; charset=utf-8"}),
    "/empty": Reply(b""),
    "/blank": Reply(b"  \n\n  "),
    "/list": Reply(LIST_PAGE),
    "/big": Reply(UTF8_PAGE + b"<!--" + b"x" * 300_000 + b"-->"),
    "/big-chunked": Reply(UTF8_PAGE + b"<!--" + b"x" * 300_000 + b"-->", chunked=True),
    "/gzip-bomb": Reply(b"<html>" + b" " * 2_000_000 + b"</html>", gzip=True),
}


@pytest.fixture(scope="module")
def server():
    with LocalServer(ROUTES) as running:
        yield running


def _fetch(server: LocalServer, path: str, **options) -> newsfetch.Article:
    return newsfetch.fetch(server.url(path), options=FetchOptions(**options))


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- successful fetches --------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/utf8", "/gbk-header", "/gbk-meta-only", "/gbk-no-label", "/gbk-says-utf8",
                                  "/gzip", "/brotli", "/chunked"])
def test_pages_decode_to_the_same_article(server, path):
    article = _fetch(server, path)
    assert article.title == TITLE
    assert "镕、堃、喆等生僻字" in article.text  # characters outside GB2312 survive only with gb18030
    assert "\ufffd" not in article.text
    assert article.url == server.url(path)


def test_redirects_are_followed_and_the_final_address_kept(server):
    article = _fetch(server, "/r1")
    assert article.title == TITLE
    assert article.url == server.url("/utf8?from=redirect")
    assert server.hits("/r2") >= 1


def test_user_agent_is_honest_by_default_and_can_be_changed(server):
    before = len(server.log)
    _fetch(server, "/utf8")
    _fetch(server, "/utf8", user_agent="archive-bot/2.0 (+mailto:me@example.org)")
    agents = [request.headers.get("User-Agent") for request in server.log[before:]]
    assert agents == [DEFAULT_USER_AGENT, "archive-bot/2.0 (+mailto:me@example.org)"]
    assert DEFAULT_USER_AGENT.startswith("newsfetch/")


def test_compression_is_requested(server):
    before = len(server.log)
    _fetch(server, "/gzip")
    accepted = server.log[before].headers.get("Accept-Encoding", "")
    assert "gzip" in accepted and "br" in accepted


# --- failures ------------------------------------------------------------------------------------

def test_redirect_loop_is_a_network_error(server):
    with pytest.raises(FetchError, match="too many redirects") as caught:
        _fetch(server, "/loop")
    assert caught.value.exit_code == 4 and caught.value.reason == "redirect-loop"
    assert caught.value.where == server.url("/loop")


def test_slow_response_hits_the_timeout(server):
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out after 0.3 s") as caught:
        _fetch(server, "/slow", timeout=0.3)
    assert time.monotonic() - started < 1.8
    assert caught.value.exit_code == 4 and caught.value.reason == "timeout"


def test_a_body_that_trickles_in_hits_the_timeout_too(server):
    # one deadline for the whole request (issue 12): a trickled body cannot stretch it
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 0.2 s \(the deadline") as caught:
        _fetch(server, "/trickle", timeout=0.2)
    assert caught.value.reason == "timeout"
    assert time.monotonic() - started < 1.2


@pytest.mark.parametrize("path,status", [("/gone", 404), ("/broken", 500)])
def test_http_error_status(server, path, status):
    with pytest.raises(HTTPStatusError, match=f"HTTP {status}") as caught:
        _fetch(server, path)
    assert caught.value.status == status
    assert caught.value.exit_code == 5 and caught.value.reason == f"http-{status}"


@pytest.mark.parametrize("path,reason", [
    ("/pdf", "Content-Type: application/pdf"),
    ("/pdf-as-html", "looks like a PDF document"),
    ("/png", "Content-Type: image/png"),
    ("/json", "Content-Type: application/json"),
    ("/empty", "empty page"),
    ("/blank", "empty page"),
])
def test_not_an_html_page(server, path, reason):
    with pytest.raises(ContentError, match=reason) as caught:
        _fetch(server, path)
    assert caught.value.exit_code == 6


@pytest.mark.parametrize("path,reason", [
    ("/big", r"response too large \(3\d\d,\d\d\d bytes; the cap is 100,000\)"),   # declared Content-Length
    ("/big-chunked", r"over the cap of 100,000 bytes"),                            # streamed, no length
    ("/gzip-bomb", r"over the cap of 100,000 bytes"),                              # small on the wire, big inflated
])
def test_size_cap(server, path, reason):
    with pytest.raises(ContentError, match=reason) as caught:
        _fetch(server, path, max_bytes=100_000)
    assert caught.value.reason == "too-large"


def test_page_without_an_article(server):
    with pytest.raises(ParseError) as caught:
        _fetch(server, "/list")
    assert caught.value.exit_code == 7


def test_refused_connection():
    url = f"http://127.0.0.1:{_closed_port()}/article.html"
    with pytest.raises(FetchError, match="connection refused") as caught:
        newsfetch.fetch(url, options=FetchOptions(timeout=5))
    assert caught.value.where == url and caught.value.reason == "connection-refused"


def test_reserved_invalid_host_fails_fast():
    started = time.monotonic()
    with pytest.raises(FetchError, match="DNS lookup failed"):
        newsfetch.fetch("http://nonexistent.invalid/a/1.html")
    assert time.monotonic() - started < 1


def test_unknown_host_from_the_resolver(monkeypatch):
    """A resolver failure (any host) is reported as DNS, not as a generic connection error."""
    def no_such_host(*_args, **_kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    with pytest.raises(FetchError, match="DNS lookup failed") as caught:
        newsfetch.fetch("http://news.example-unknown-host.com/a/1.html", options=FetchOptions(timeout=5))
    assert caught.value.exit_code == 4 and caught.value.reason == "dns"  # read from the socket error, not text


# --- the same through the command line -------------------------------------------------------------

def test_cli_url_prints_the_post(server):
    result = run_cli("url", server.url("/gbk-no-label"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("---\nlayout: post\n")
    assert f"title: {TITLE}\n" in result.stdout
    assert "镕、堃、喆" in result.stdout
    assert result.stderr == ""


def test_cli_url_writes_a_file_and_json(server, tmp_path):
    target = tmp_path / "post.md"
    result = run_cli("url", server.url("/gzip"), "-o", str(target))
    assert result.returncode == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("---\nlayout: post\n")
    result = run_cli("url", server.url("/utf8"), "--format", "json")
    assert result.returncode == 0
    assert f'"title": "{TITLE}"' in result.stdout


@pytest.mark.parametrize("args,code,reason", [
    (["/slow", "--timeout", "0.3"], 4, "timed out after 0.3 s"),
    (["/loop"], 4, "too many redirects"),
    (["/gone"], 5, "HTTP 404"),
    (["/broken"], 5, "HTTP 500"),
    (["/pdf"], 6, "not an HTML page"),
    (["/big-chunked", "--max-bytes", "100000"], 6, "response too large"),
    (["/empty"], 6, "empty page"),
    (["/list"], 7, "article"),  # the wording is the parser's; the exit code is the contract
])
def test_cli_url_errors(server, args, code, reason):
    path, *options = args
    result = run_cli("url", server.url(path), *options)
    assert result.returncode == code, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert server.url(path) in lines[0] and reason in lines[0]


def test_cli_url_refused_and_dns():
    for url, reason in ((f"http://127.0.0.1:{_closed_port()}/x.html", "connection refused"),
                        ("http://nonexistent.invalid/", "DNS lookup failed")):
        result = run_cli("url", url, "--timeout", "5")
        assert result.returncode == 4
        assert result.stderr.strip().startswith(f"newsfetch: error: {url}: {reason}")
        assert len(result.stderr.strip().splitlines()) == 1
