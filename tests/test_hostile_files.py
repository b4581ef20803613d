"""Hostile archives: a symlink, FIFO, folder or read-only file where a post should be, a posts folder that leads
outside the archive, and a second writer holding the archive lock. Nothing is followed, blocked on or replaced;
each case is reported (a skip, or exit 8 / 12 with one line)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from newsfetch.archive.files import UnsafeFile, read_file, replace_file, stage_replace
from newsfetch.archive.writer import write_article
from newsfetch.batch.lock import ArchiveLock
from newsfetch.pipeline import extract
from tests.support.cli import run_cli
from tests.support.pages import article_page

URL = "https://finance.eastmoney.com/a/202401032900000003.html"


def _write_once(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An archive with one post written as `file --archive` writes it (in-process: faster); (archive, post, page)."""
    archive = tmp_path / "archive"
    page = tmp_path / "page.html"
    page.write_bytes(article_page(3))
    post = write_article(archive, extract(page.read_bytes(), URL)).path
    assert post.is_file() and post.parent == archive / "_posts"
    return archive, post, page


def _changed_page(page: Path) -> None:
    page.write_bytes(article_page(3).replace("第一段".encode(), "第一段（更新）".encode()))


def test_symlink_named_like_the_post_is_not_followed_by_file_archive(tmp_path: Path) -> None:
    archive, post, page = _write_once(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    post.unlink()
    post.symlink_to(victim)
    _changed_page(page)
    result = run_cli("file", str(page), "--url", URL, "--archive", str(archive))
    assert result.returncode == 8, result.stderr
    assert "symbolic link" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert victim.read_text() == "precious\n" and post.is_symlink()


def test_normalize_skips_links_fifos_and_read_only_posts(tmp_path: Path) -> None:
    archive, post, _ = _write_once(tmp_path)
    victim = tmp_path / "victim.md"
    victim.write_text("---\nlayout: post\ntitle: <p>victim</p>\ndate: 2024-01-01\n---\n\n<p>old <b>html</b></p>\n")
    before = victim.read_bytes()
    (archive / "_posts" / "2024-01-01-link.md").symlink_to(victim)
    os.mkfifo(archive / "_posts" / "2024-01-02-fifo.md")
    read_only = archive / "_posts" / "2024-01-03-ro.md"
    read_only.write_bytes(before)
    read_only.chmod(0o444)
    result = run_cli("normalize", str(archive), "--jobs", "1", timeout=30)  # a FIFO read would block: timeout
    assert result.returncode == 0, result.stderr
    assert victim.read_bytes() == before, "normalize wrote through a symlink"
    assert read_only.read_bytes() == before and not read_only.stat().st_mode & stat.S_IWUSR
    assert "symbolic link" in result.stderr and "FIFO" in result.stderr and "read-only" in result.stderr
    assert "Traceback" not in result.stderr


def test_archive_index_skips_a_fifo_and_reports_it(tmp_path: Path) -> None:
    archive, _, _ = _write_once(tmp_path)
    os.mkfifo(archive / "_posts" / "2024-01-02-fifo.md")
    result = run_cli("archive", "index", str(archive), timeout=30)
    assert result.returncode == 10, result.stderr
    assert "FIFO" in result.stderr
    assert list((archive / "category").glob("*.html")), "the readable posts' pages were not written"


def test_read_only_post_is_reported_not_replaced(tmp_path: Path) -> None:
    archive, post, page = _write_once(tmp_path)
    before = post.read_bytes()
    post.chmod(0o444)
    _changed_page(page)
    result = run_cli("file", str(page), "--url", URL, "--archive", str(archive))
    assert result.returncode == 8 and "read-only" in result.stderr, result.stderr
    assert post.read_bytes() == before


def test_posts_folder_leading_outside_the_archive_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    archive.mkdir()
    (archive / "_posts").symlink_to(outside, target_is_directory=True)
    page = tmp_path / "page.html"
    page.write_bytes(article_page(3))
    result = run_cli("file", str(page), "--url", URL, "--archive", str(archive))
    assert result.returncode == 8 and "outside the archive" in result.stderr, result.stderr
    assert list(outside.iterdir()) == []


def test_folder_and_device_where_a_file_should_be(tmp_path: Path) -> None:
    (tmp_path / "post.md").mkdir()
    with pytest.raises(UnsafeFile, match="a folder"):
        read_file(tmp_path / "post.md")
    with pytest.raises(UnsafeFile, match="a folder"):
        replace_file(tmp_path / "post.md", b"x", root=tmp_path)
    (tmp_path / "null.md").symlink_to("/dev/null")
    with pytest.raises(UnsafeFile, match="symbolic link"):
        replace_file(tmp_path / "null.md", b"x", root=tmp_path)
    assert read_file(tmp_path / "absent.md") is None
    replace_file(tmp_path / "new.md", b"new", root=tmp_path)
    assert (tmp_path / "new.md").read_bytes() == b"new" and (tmp_path / "new.md").stat().st_mode & 0o777 == 0o644


def test_a_staged_file_is_the_old_file_until_committed_and_leaves_nothing_when_discarded(tmp_path: Path) -> None:
    """The steps of an atomic replace (the crawl writer fsyncs many staged posts together): until the rename the
    target holds its old bytes; a discarded stage leaves no temp file; the replaced file keeps its mode."""
    post = tmp_path / "post.md"
    post.write_bytes(b"old")
    post.chmod(0o600)
    staged = stage_replace(post, b"new", root=tmp_path)
    staged.sync()
    assert post.read_bytes() == b"old" and len(list(tmp_path.iterdir())) == 2
    staged.commit()
    staged.discard()   # after the commit: nothing to remove, and the post stays
    assert post.read_bytes() == b"new" and post.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["post.md"]
    dropped = stage_replace(post, b"never", root=tmp_path)
    dropped.discard()
    assert post.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["post.md"]
    link = tmp_path / "link.md"
    link.symlink_to(post)
    with pytest.raises(UnsafeFile, match="symbolic link"):
        stage_replace(link, b"x", root=tmp_path)


@pytest.mark.parametrize("command", [["normalize", "{archive}"], ["archive", "index", "{archive}"],
                                     ["file", "{page}", "--url", URL, "--archive", "{archive}"]])
def test_every_archive_writer_takes_the_batch_lock(tmp_path: Path, command: list[str]) -> None:
    archive, post, page = _write_once(tmp_path)
    _changed_page(page)
    before = post.read_bytes()
    args = [part.format(archive=archive, page=page) for part in command]
    with ArchiveLock(archive):  # what a running batch holds
        result = run_cli(*args)
    assert result.returncode == 12, result.stderr
    assert "another newsfetch run" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert post.read_bytes() == before
    assert run_cli(*args).returncode in (0, 10)  # free again: it runs
