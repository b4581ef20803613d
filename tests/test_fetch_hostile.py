"""Servers that misbehave below HTTP: headers trickled a byte at a time, a body cut short, a redirect to file:.
Each request ends by its deadline with one clear line (real sockets on 127.0.0.1, every test bounded in time)."""

from __future__ import annotations

import time

import pytest

from newsfetch.errors import FetchError, InputError
from newsfetch.fetch import FetchOptions, Fetcher
from tests.support.cli import run_cli
from tests.support.rawserver import RawServer, trickle

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 1000\r\n\r\n"


def test_trickled_headers_end_at_the_deadline() -> None:
    # a byte every 0.1 s: no single read ever waits 0.5 s, so only a total deadline can stop it
    with RawServer(trickle(HEAD, 0.1)) as server, Fetcher(FetchOptions(timeout=0.5)) as fetcher:
        started = time.monotonic()
        with pytest.raises(FetchError, match="deadline") as caught:
            fetcher.get(server.url)
        assert 0.4 < time.monotonic() - started < 1.5
        assert caught.value.exit_code == 4


def test_trickled_body_ends_at_the_deadline_on_the_command_line() -> None:
    script = [(HEAD, 0.0)] + trickle(b"<html><body>" + b"x" * 988, 1.0)  # 1 byte/s
    with RawServer(script) as server:
        started = time.monotonic()
        result = run_cli("url", server.url, "--timeout", "2", timeout=20)
        elapsed = time.monotonic() - started
    assert result.returncode == 4, result.stderr
    assert "deadline" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert elapsed < 8  # the deadline (2 s) plus the interpreter's start-up on a loaded machine


def test_truncated_body_says_how_much_arrived() -> None:
    with RawServer([(HEAD + b"<html>" + b"x" * 94, 0.0)]) as server, Fetcher(FetchOptions(timeout=5)) as fetcher:
        with pytest.raises(FetchError, match=r"connection closed after 100 of 1,000 bytes") as caught:
            fetcher.get(server.url)
        assert "IncompleteRead" not in str(caught.value)


def test_redirect_to_file_is_refused_at_once() -> None:
    redirect = b"HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\nContent-Length: 0\r\n\r\n"
    with RawServer([(redirect, 0.0)]) as server, Fetcher(FetchOptions(timeout=5)) as fetcher:
        with pytest.raises(InputError, match="refused a redirect") as caught:
            fetcher.get(server.url)
        assert caught.value.exit_code == 3


@pytest.mark.parametrize("codec,label", [("utf-16-le", "utf-16le"), ("utf-16-le", "utf-16"), ("utf-16-be", "UTF-16"),
                                         ("utf-16-be", "utf-16be")])
def test_labelled_utf16_without_bom_decodes(codec: str, label: str) -> None:
    from newsfetch.decode import decode_html

    page = "<html><head><title>标题</title></head><body><p>中文内容</p></body></html>"
    assert decode_html(page.encode(codec), f"text/html; charset={label}") == page
