"""Big and deep input: size caps on files and stdin, trees nested past libxml2's default depth of 256, a single
10 MB text node. Nothing is dropped silently: the text is kept, or one clear error says why not."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfetch.errors import ContentError
from newsfetch.pipeline import extract
from tests.support.cli import run_cli
from tests.support.pages import article_page

URL = "https://finance.eastmoney.com/a/202401032900000003.html"
DEEP_TEXT = "深处的文字，内容足够长以便被识别为正文，讲述市场在这一天的变化。"


def _page_with(html: str) -> bytes:
    page = article_page(3).decode()
    assert "<p>　　第二段" in page
    return page.replace("<p>　　第二段", html + "<p>　　第二段").encode()


def test_nesting_past_256_keeps_everything_after_it() -> None:
    article = extract(_page_with("<div>" * 300 + f"<p>{DEEP_TEXT}</p>" + "</div>" * 300), URL)
    assert DEEP_TEXT in article.text and "第二段继续说明情况" in article.text


def test_nesting_thousands_deep_is_a_clear_error() -> None:
    with pytest.raises(ContentError, match="nests its elements too deeply"):
        extract(_page_with("<div>" * 5000 + f"<p>{DEEP_TEXT}</p>" + "</div>" * 5000), URL)


def test_a_10_mb_text_node_is_read() -> None:
    article = extract(_page_with("<p>" + "粤" * 3_500_000 + "</p>"), URL)  # 10.5 MB of UTF-8 in one node
    assert article.text.count("粤") == 3_500_000 and "第二段继续说明情况" in article.text


def test_file_and_stdin_are_capped(tmp_path: Path) -> None:
    page = tmp_path / "big.html"
    page.write_bytes(_page_with("<p>" + "x" * 5000 + "</p>"))
    for args, stdin in ((["file", str(page)], None), (["file", "-"], page.read_bytes())):
        result = run_cli(*args, "--url", URL, "--max-bytes", "4000", input=stdin)
        assert result.returncode == 6, result.stderr
        assert "over the cap of 4,000 bytes" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert run_cli("file", str(page), "--url", URL, "--max-bytes", "100000").returncode == 0
