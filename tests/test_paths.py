"""`~` in every path: the library (write_article, configs, state) and the command line's path options, which get
it unexpanded when quoted or written `--archive=~/news`. Also: FetchOptions is exported from the package."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

import newsfetch
from newsfetch.archive.writer import write_article
from newsfetch.article import Article
from tests.support.cli import run_cli
from tests.support.pages import article_routes
from tests.support.server import LocalServer


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    monkeypatch.chdir(tmp_path)  # a literal "~" folder would appear here
    return tmp_path / "home"


def _no_tilde_folder(home: Path) -> None:
    assert not (home.parent / "~").exists() and not (home / "~").exists()


def test_write_article_expands_tilde(home: Path) -> None:
    article = Article(title="t", url="https://example.com/a/1.html", source="中国新闻网",
                      published=datetime(2021, 12, 30, 10, 35, tzinfo=timezone.utc), markdown="正文。\n")
    outcome = write_article("~/finews", article)
    assert outcome.status == "new" and outcome.path.is_relative_to(home / "finews")
    assert write_article("~/finews", article).status == "unchanged"
    _no_tilde_folder(home)


def test_cli_path_options_expand_tilde(home: Path) -> None:
    assert run_cli("init", "~/news", "--no-git").returncode == 0
    with LocalServer(article_routes(2)) as server:
        (home / "urls.txt").write_text(server.url("/a/0.html") + "\n", encoding="utf-8")
        batch = run_cli("batch", "~/urls.txt", "--archive=~/news", "--rate", "0",
                        "--export-failures=~/failed.jsonl")
        assert batch.returncode == 0, batch.stderr
        one = run_cli("url", server.url("/a/1.html"), "--archive=~/news")
        assert one.returncode == 0, one.stderr
        out = run_cli("url", server.url("/a/1.html"), "-o", "~/post.md")
        assert out.returncode == 0, out.stderr
    assert len(list((home / "news" / "_posts").glob("*.md"))) == 2
    assert (home / "failed.jsonl").is_file() and (home / "post.md").is_file()
    assert (home / "news" / ".newsfetch" / "state.sqlite").is_file()
    check = run_cli("normalize", "~/news", "--check")
    assert check.returncode == 0, check.stderr
    assert check.stderr.startswith("normalize: 2 files, 0 would change, 2 unchanged"), check.stderr
    assert run_cli("status", "~/news").returncode == 0
    assert run_cli("archive", "index", "~/news").returncode == 0
    assert (home / "news" / "category" / "zhongguoxinwenwang.html").is_file()
    _no_tilde_folder(home)


def test_fetch_options_exported() -> None:
    assert "FetchOptions" in newsfetch.__all__
    options = newsfetch.FetchOptions(timeout=3.0)
    assert options.timeout == 3.0
