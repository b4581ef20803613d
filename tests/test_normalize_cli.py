"""`newsfetch normalize` modes, exit codes, backups, failures left untouched, the parallel path."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsfetch.cli import app

HTML_POST = ("---\nlayout: post\ntitle: \"标题{n}\"\ndate: 2021-12-08 10:46:18\ncategories: emnews\ntags: 东财滚动新闻\n---\n"
             "<p style=\"display:none;\"><br /></p><p>第{n}段正文。</p><p class=\"em_media\">（文章来源：中国新闻网）</p>\n\n"
             "<http://finance.eastmoney.com/news/1,20211208220667{n:04d}.html>\n\n[返回首页](../)\n")
CLEAN_POST = "---\nlayout: post\ntitle: 干净\ndate: 2021-12-08 10:46:18\n---\n\n已经干净。\n"
BROKEN_POST = b"---\nlayout: post\ntitle: [unclosed\n  : : x\n---\n<p>x</p>\n"


def archive(tmp_path: Path, count: int = 3) -> Path:
    posts = tmp_path / "site" / "_posts"
    posts.mkdir(parents=True)
    for n in range(count):
        (posts / f"2021-12-08-{n}.md").write_text(HTML_POST.format(n=n), encoding="utf-8")
    (posts / "2021-12-08-clean.md").write_text(CLEAN_POST, encoding="utf-8")
    (tmp_path / "site" / "index.md").write_text("---\nlayout: home\n---\n{% for p in site.posts %}<p>{% endfor %}\n")
    (tmp_path / "site" / "README.md").write_text("# my archive\n<p>hi</p>\n")
    return tmp_path / "site"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_check_lists_changes_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    site = archive(tmp_path)
    before = snapshot(site)
    result = CliRunner().invoke(app, ["normalize", str(site), "--check"])
    assert result.exit_code == 9  # ExitStatus.WOULD_CHANGE, not 1 (internal error)
    assert result.stdout.split() == [str(site / "_posts" / f"2021-12-08-{n}.md") for n in range(3)]
    assert snapshot(site) == before


def test_diff_and_dry_run_write_nothing(tmp_path: Path) -> None:
    site = archive(tmp_path)
    before = snapshot(site)
    diff = CliRunner().invoke(app, ["normalize", str(site), "--diff"])
    assert diff.exit_code == 0
    assert "-<p style=\"display:none;\"><br /></p><p>第0段正文。</p>" in diff.stdout and "+第0段正文。" in diff.stdout
    assert "+source: 中国新闻网" in diff.stdout and diff.stdout.count("+++ b/") == 3
    dry = CliRunner().invoke(app, ["normalize", str(site), "--dry-run"])
    assert dry.exit_code == 0 and len(dry.stdout.split()) == 3 and "would change" in dry.stderr
    assert snapshot(site) == before


def test_rewrite_with_backup_then_idempotent(tmp_path: Path) -> None:
    site = archive(tmp_path)
    before = snapshot(site)
    result = CliRunner().invoke(app, ["normalize", str(site), "--backup", str(tmp_path / "bak")])
    assert result.exit_code == 0, result.stderr
    after = snapshot(site)
    assert after["index.md"] == before["index.md"] and after["README.md"] == before["README.md"]  # not posts
    assert after["_posts/2021-12-08-clean.md"] == before["_posts/2021-12-08-clean.md"]
    assert after["_posts/2021-12-08-1.md"].decode() == (
        "---\nlayout: post\ntitle: 标题1\ndate: 2021-12-08 10:46:18\ncategories: emnews\ntags: 东财滚动新闻\n"
        "source: 中国新闻网\nurl: http://finance.eastmoney.com/news/1,202112082206670001.html\n---\n\n第1段正文。\n")
    assert snapshot(tmp_path / "bak") == {k: v for k, v in before.items() if k.startswith("_posts/2021-12-08-") and "clean" not in k}
    for line in ("changed", "unchanged", "skipped", "failed"):
        assert line in result.stderr
    again = CliRunner().invoke(app, ["normalize", str(site), "--check"])
    assert again.exit_code == 0 and again.stdout == ""
    assert ", 0 would change, " in again.stderr and " changed" not in again.stderr  # nothing changed: not "changed 1"


def test_unreadable_post_is_untouched_reported_and_exit_10(tmp_path: Path) -> None:
    site = archive(tmp_path)
    bad = site / "_posts" / "2021-12-09-bad.md"
    bad.write_bytes(BROKEN_POST)
    result = CliRunner().invoke(app, ["normalize", str(site)])
    assert result.exit_code == 10
    assert bad.read_bytes() == BROKEN_POST
    assert f"failed: {bad}: front matter is not YAML" in result.stderr
    assert "第0段正文。\n" in (site / "_posts" / "2021-12-08-0.md").read_text(encoding="utf-8")  # the run went on


def test_missing_path_is_a_one_line_error(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "newsfetch", "normalize", str(tmp_path / "nope")],
                            capture_output=True, text=True)
    assert result.returncode == 3 and result.stderr.count("\n") == 1 and "no such file" in result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_parallel_and_serial_runs_agree(tmp_path: Path, jobs: str) -> None:
    site = archive(tmp_path, count=120)  # above the pool threshold
    result = CliRunner().invoke(app, ["normalize", str(site), "--jobs", jobs])
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()  # not a terminal: no progress lines, one summary line
    assert len(lines) == 1 and lines[0].startswith("normalize: 123 files, 120 changed, 1 unchanged, 2 skipped (")
    for n in (0, 57, 119):
        text = (site / "_posts" / f"2021-12-08-{n}.md").read_text(encoding="utf-8")
        assert text.endswith(f"---\n\n第{n}段正文。\n")


def test_progress_bar_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app_module = importlib.import_module("newsfetch.cli.app")  # the module: `newsfetch.cli.app` is the Typer app too
    monkeypatch.setattr(app_module.stderr, "_force_terminal", True)
    site = archive(tmp_path)
    result = CliRunner().invoke(app, ["normalize", str(site)])
    assert result.exit_code == 0, result.output
    assert "normalize: " not in result.stderr  # no plain log lines: the bar (transient) was used instead
    assert "changed" in result.stderr and "第0段正文。" in (site / "_posts" / "2021-12-08-0.md").read_text()
