"""Fixture pairs: fixtures/<parser>/<name>.html → the expected <name>.md beside it, byte for byte.

The first line of each fixture is ``<!-- url: ADDRESS -->``, the page's address. To rewrite the expected files
after a deliberate change, run ``NEWSFETCH_UPDATE_FIXTURES=1 python -m pytest tests/test_fixtures.py`` (each
rewritten file fails its test, naming it) and review the diff before committing it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from newsfetch import extract, render_post

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PAIRS = sorted(FIXTURES.glob("*/*.html"))
_URL_LINE = re.compile(rb"^<!--\s*url:\s*(\S+)\s*-->")


def fixture_url(path: Path) -> str | None:
    match = _URL_LINE.match(path.read_bytes()[:500])
    return match.group(1).decode() if match else None


@pytest.mark.parametrize("page", PAIRS, ids=[f"{p.parent.name}/{p.stem}" for p in PAIRS])
def test_fixture_renders_as_expected(page: Path) -> None:
    url = fixture_url(page)
    assert url, f"{page} must start with <!-- url: ADDRESS -->"
    article = extract(page.read_bytes(), url)
    rendered = render_post(article)
    expected = page.with_suffix(".md")
    old = expected.read_text(encoding="utf-8") if expected.exists() else None
    if os.environ.get("NEWSFETCH_UPDATE_FIXTURES") == "1" and rendered != old:
        # compare with what was there before, not with what was just written: a rewrite is reported, and fails
        expected.write_text(rendered, encoding="utf-8", newline="\n")
        pytest.fail(f"{expected.name} rewritten ({'new' if old is None else 'changed'}): review `git diff` "
                    "and rerun without NEWSFETCH_UPDATE_FIXTURES")
    assert old is not None, f"missing expected output {expected.name}"
    assert rendered == old, f"{page.name} renders differently"
    assert article.parser == page.parent.name, "the fixture folder names the parser that must read it"


@pytest.mark.parametrize("page", PAIRS, ids=[f"{p.parent.name}/{p.stem}" for p in PAIRS])
def test_fixture_output_is_stable_and_clean(page: Path) -> None:
    article = extract(page.read_bytes(), fixture_url(page))
    again = extract(page.read_bytes(), fixture_url(page))
    assert render_post(article) == render_post(again)
    assert not re.search(r"</?[a-zA-Z][^>]*>", article.markdown.replace("\\<", "")), "raw HTML in the body"
    assert "{{" not in article.markdown and "{%" not in article.markdown
    assert "EM_StockImg" not in article.markdown
