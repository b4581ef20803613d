"""`newsfetch init`: the scaffold it writes, idempotence, --force, git, the config template, and the message
`batch`/`url --archive` give for a missing archive. (The Jekyll build of an init'ed archive: test_site_e2e.py.)"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from newsfetch.archive.config import ArchiveConfig, load_config
from newsfetch.archive.scaffold import init_archive, template_files
from newsfetch.settings import SETTINGS, load_settings
from tests.support.cli import run_cli


def test_init_writes_the_scaffold_and_a_repository(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    run = run_cli("init", str(folder))
    assert run.returncode == 0, run.stderr
    for rel in ("_config.yml", "_layouts/post.html", "_layouts/category.html", "_layouts/home.html",
                "_layouts/default.html", "index.html", "archive.html", "outlets.html", "newsfetch.toml", ".gitignore"):
        assert (folder / rel).is_file(), rel
    assert (folder / "_posts").is_dir()
    assert (folder / ".git").is_dir()
    ignored = (folder / ".gitignore").read_text(encoding="utf-8").split()
    assert {"_site/", ".jekyll-cache/", ".newsfetch/"} <= set(ignored)
    assert "new: " in run.stderr and "files added" in run.stderr


def test_init_is_idempotent_and_never_overwrites(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    init_archive(folder)
    (folder / "_config.yml").write_text("title: 我的存档\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts}
    again = run_cli("init", str(folder))
    assert again.returncode == 0, again.stderr
    assert "nothing to add" in again.stderr
    after = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert after == before  # the user's _config.yml is kept byte for byte


def test_force_fills_gaps_of_a_hand_made_archive(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    (folder / "_posts").mkdir(parents=True)
    (folder / "_posts" / "2021-12-30-x.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    (folder / "_layouts").mkdir()
    (folder / "_layouts" / "post.html").write_text("my own post layout\n", encoding="utf-8")
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    refused = run_cli("init", str(folder), "--no-git")
    assert refused.returncode == 8 and "--force" in refused.stderr and refused.stderr.count("\n") == 1
    assert not (folder / "_config.yml").exists()
    done = run_cli("init", str(folder), "--force", "--no-git")
    assert done.returncode == 0, done.stderr
    assert (folder / "_layouts" / "post.html").read_text(encoding="utf-8") == "my own post layout\n"
    assert (folder / "_layouts" / "category.html").is_file() and (folder / "_config.yml").is_file()
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert not (folder / ".git").exists()


def test_no_git_init_inside_an_existing_repository(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = init_archive(tmp_path / "site" / "news")
    assert not result.git_initialized
    assert not (tmp_path / "site" / "news" / ".git").exists()


def test_init_expands_tilde(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    result = init_archive("~/news", git=False)
    assert result.root == tmp_path / "news" and (tmp_path / "news" / "_config.yml").is_file()
    assert not (Path.cwd() / "~").exists()


def _uncommented(template: str) -> str:
    """The config with every `# key = value` line made live (the explanatory comments stay comments)."""
    return re.sub(r'^# (\[|\w+ = |"[^"]+" = )', r"\1", template, flags=re.M)


def test_config_template_names_every_key_with_its_real_default(tmp_path: Path) -> None:
    template = template_files()["newsfetch.toml"].decode("utf-8")
    assert load_config(tmp_path) == ArchiveConfig()  # sanity: no file → defaults
    (tmp_path / "newsfetch.toml").write_text(template, encoding="utf-8")
    assert load_config(tmp_path) == ArchiveConfig(subheads="heading")  # as written: init's one choice, else defaults
    live = tmp_path / "live"
    live.mkdir()
    (live / "newsfetch.toml").write_text(_uncommented(template), encoding="utf-8")
    assert load_config(live) == ArchiveConfig(subheads="heading", outlets=(("新浪财经综合", "新浪财经"),))
    assert "\n[outlets]\n" in template
    settings = load_settings(live)
    assert set(settings.hosts) == {"eastmoney.com"}
    for setting in SETTINGS:  # every declared setting is in the template, with its real default
        assert re.search(rf"^(# )?{setting.key} = ", template, re.M), f"{setting.name} is not in the template"
        if setting.name != "archive.subheads":
            assert settings[setting.name] == setting.default, setting.name


@pytest.mark.parametrize("command", [["batch", "-"], ["url", "http://127.0.0.1:9/a.html"]])
def test_missing_archive_says_run_init(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "nowhere"
    run = run_cli(*command, "--archive", str(missing), input=b"http://127.0.0.1:9/a.html\n")
    assert run.returncode == 8, run.stderr
    assert f"run `newsfetch init {missing}`" in run.stderr
    assert run.stderr.count("\n") == 1 and not missing.exists()


def test_package_data_holds_the_templates() -> None:
    files = template_files()
    assert ".gitignore" in files and "_plugins/original_url.rb" in files
    assert b"{{ content }}" in files["_layouts/default.html"]


@pytest.mark.parametrize("command", [["parsers"], ["file", "fixtures/eastmoney/article-kuaishou.html", "--url",
                                                   "https://finance.eastmoney.com/a/202112302231746483.html"]])
def test_broken_plugin_warning_printed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            command: list[str]) -> None:
    dist = tmp_path / "brokenplug-0.1.dist-info"  # an installed distribution whose parser cannot be imported
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: brokenplug\nVersion: 0.1\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[newsfetch.parsers]\nbroken = nosuchmodule_xyz:Parser\n",
                                           encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    run = run_cli(*command, cwd=str(Path(__file__).resolve().parent.parent))
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("'broken' (nosuchmodule_xyz:Parser) failed to load") == 1, run.stderr
