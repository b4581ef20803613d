"""Hostile posts in an existing archive: a YAML alias bomb, impossible dates. Each is one reported post, never an
internal error, never gigabytes, and the other posts are still handled."""

from __future__ import annotations

import resource
import sys
from pathlib import Path

import pytest

from newsfetch.archive.post import PostError, read_post
from tests.support.cli import run_cli

# Under 450 bytes; its title, printed, is 9^9 strings (gigabytes).
BOMB = ("---\nlayout: post\ndate: 2021-01-01\na: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n"
        + "".join(f"{k}: &{k} [{','.join(['*' + p] * 9)}]\n" for p, k in zip("abcdefg", "bcdefgh"))
        + f"title: [{','.join(['*h'] * 9)}]\n---\n\nbody\n")
GOOD = "---\nlayout: post\ntitle: good\ndate: 2021-01-01 10:00:00 +0800\ncategories: good\ntags: 好\n---\n\n<p>text</p>\n"


def _limit_memory() -> None:  # the child may not take more than 1 GB: an expanded bomb would die of MemoryError
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_alias_bomb_is_refused_without_expanding(tmp_path: Path) -> None:
    assert len(BOMB) < 450
    with pytest.raises(PostError, match="YAML aliases"):
        read_post(BOMB.encode(), "2021-01-01-bomb.md")
    posts = tmp_path / "_posts"
    posts.mkdir()
    (posts / "2021-01-01-bomb.md").write_text(BOMB)
    (posts / "2021-01-01-good.md").write_text(GOOD)
    import subprocess

    result = subprocess.run([sys.executable, "-m", "newsfetch", "normalize", str(tmp_path), "--jobs", "1"],
                            capture_output=True, text=True, timeout=60, preexec_fn=_limit_memory)
    assert result.returncode == 10, result.stderr  # one post failed (left as it was), the other normalized
    assert "YAML aliases" in result.stderr and "internal error" not in result.stderr
    assert (posts / "2021-01-01-bomb.md").read_text() == BOMB
    assert "<p>" not in (posts / "2021-01-01-good.md").read_text()


@pytest.mark.parametrize("value", ["2021-13-45", "2021-01-01 10:00:00 +99:99", "2021-02-30"])
def test_impossible_date_is_repaired_from_the_name_or_reported(value: str) -> None:
    data = f"---\nlayout: post\ntitle: t\ndate: {value}\n---\n\nx\n".encode()
    post = read_post(data, "2021-01-02-x.md")
    assert str(post.front["date"]) == "2021-01-02" and any("file name" in note for note in post.notes)
    with pytest.raises(PostError, match="unreadable date"):
        read_post(data, "x.md")


def test_archive_index_writes_the_rest_past_an_impossible_date(tmp_path: Path) -> None:
    posts = tmp_path / "_posts"
    posts.mkdir()
    (posts / "2021-01-01-good.md").write_text(GOOD)
    (posts / "2021-01-02-bad.md").write_text("---\nlayout: post\ntitle: bad\ndate: 2021-13-45\ncategories: bad\n"
                                             "tags: 坏\n---\n\nx\n")
    (posts / "2021-01-03-bomb.md").write_text(BOMB.replace("layout: post", "layout: post\ncategories: bomb"))
    result = run_cli("archive", "index", str(tmp_path), timeout=60)
    assert result.returncode == 10, result.stderr  # the bomb is reported, the others' pages written
    assert "YAML aliases" in result.stderr and "internal error" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "category").iterdir()) == ["bad.html", "good.html"]
