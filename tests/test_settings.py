"""Settings declared once: the one newsfetch.toml loader, its errors (file:line), origins, and `newsfetch config`."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsfetch.article import Article
from newsfetch.errors import ConfigError
from newsfetch.render import PostStyle, front_matter
from newsfetch.settings import SETTINGS, TEMPLATE_FIELDS, load_settings
from tests.support.cli import run_cli


def archive_with(tmp_path: Path, text: str) -> Path:
    (tmp_path / "_posts").mkdir(exist_ok=True)
    (tmp_path / "newsfetch.toml").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("text, line, words", [
    ('[archiv]\nlayout = "x"\n', 1, "unknown table [archiv]"),
    ('[archive]\nlayout = "x"\n\ncategory = "{sorce_slug}"\n', 4, "unknown placeholder {sorce_slug}"),
    ('[archive]\ntag = "{source"\n', 2, "not a valid template"),
    ('[batch]\nrate = 1\nconcurency = 3\n', 3, "unknown key 'concurency' in [batch]"),
    ('[batch]\nper_host = 0\n', 2, "batch.per_host must be at least 1"),
    ('[fetch]\ntimeout = "slow"\n', 2, "fetch.timeout must be a number"),
    ('[batch.hosts."a.com"]\nspeed = 1\n', 1, 'takes per_host and rate'),
    ('layout = "x"\n', 1, "unknown key 'layout' outside a table"),
])
def test_unknown_or_bad_settings_name_the_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    archive = archive_with(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(archive)
    assert caught.value.where == f"{archive / 'newsfetch.toml'}:{line}"
    assert words in caught.value.message


@pytest.mark.parametrize("command", [["config", "--archive"], ["normalize"], ["batch", "-", "--archive"],
                                     ["file", "/dev/null", "--archive"]])
def test_every_command_rejects_a_misspelt_table(tmp_path: Path, command: list[str]) -> None:
    archive = archive_with(tmp_path, '[archiv]\nlayout = "x"\n')
    result = run_cli(*command, str(archive), input=b"")
    assert result.returncode == 8, result.stderr
    assert result.stderr.strip() == (f"newsfetch: error: {archive / 'newsfetch.toml'}:1: unknown table [archiv] "
                                      "(known: [archive], [batch], [fetch], [normalize], [outlets])")


def test_config_shows_each_value_and_where_it_came_from(tmp_path: Path) -> None:
    archive = archive_with(tmp_path, '[archive]\nlayout = "news"\n\n[batch]\nrate = 0.5\n'
                                     '[batch.hosts."eastmoney.com"]\nper_host = 4\n')
    result = run_cli("config", "--archive", str(archive), "--timeout", "5", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["archive.layout"] == {"value": "news", "origin": "newsfetch.toml:2", "help": "layout of new posts"}
    assert data["batch.rate"]["origin"] == "newsfetch.toml:5" and data["batch.rate"]["value"] == 0.5
    assert data["fetch.timeout"] == {"value": 5.0, "origin": "command line", "help": "seconds to wait for a server"}
    assert data["batch.per_host"] == {"value": 2, "origin": "default", "help": "requests in flight per server"}
    assert data['batch.hosts."eastmoney.com".per_host']["value"] == 4
    assert set(data) >= {s.name for s in SETTINGS}
    text = run_cli("config", "--archive", str(archive)).stdout
    assert 'archive.layout' in text and '= "news"  # newsfetch.toml:2' in text


def test_a_bad_value_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    for args in (["config", "--timeout", "0"], ["batch", "-", "--archive", str(tmp_path), "--per-host", "0"]):
        result = run_cli(*args, input=b"")
        assert result.returncode == 2, (args, result.stderr)
        assert "must be at least" in result.stderr and "Traceback" not in result.stderr


def test_every_template_placeholder_is_filled_by_the_renderer() -> None:
    # the loader accepts exactly these names; each must really be filled when a post is written
    article = Article(title="t", url="https://example.com/a/1.html", source="新华网", site="example.com",
                      parser="generic", parser_version="1", markdown="x\n", text="x\n",
                      published=datetime(2024, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=8))))
    template = "|".join("{%s}" % name for name in TEMPLATE_FIELDS)
    filled = front_matter(article, PostStyle(category=template))["categories"]
    assert filled.split("|") == ["新华网", "xinhuawang", "example.com", "generic"]
