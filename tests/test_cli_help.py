"""The command line reads the same everywhere: plain help with examples, one --json, completion, stage timings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsfetch.cli import app
from tests.support.cli import run_cli
from tests.support.server import LocalServer, Reply

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "eastmoney" / "article-kuaishou.html"
COMMANDS = [["url"], ["file"], ["batch"], ["normalize"], ["discover"], ["status"], ["config"], ["archive", "index"],
            ["parsers"], ["feeds"], ["init"]]
REPORTING = COMMANDS  # every command reports something: each takes --json
CLUSTER = [["crawl"], ["worker"]]  # the scrapy extra's commands (tests/test_cluster.py runs them)
# what help must not show: Python type names, typer's {name} argument markers, range notation, validator prefixes
INTERNALS = re.compile(r"<(?:str|int|float|bool|dir|file|path)\b|<[a-z]+\[|list\[Path\]|\{[a-z_]+\}|x>=|Value error")


def test_the_lists_here_name_every_command() -> None:
    import typer.main

    registered = typer.main.get_command(app).commands
    assert set(registered) == {command[0] for command in COMMANDS + CLUSTER}


def help_of(command: list[str]) -> str:
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_has_two_examples_and_no_internals(command: list[str]) -> None:
    text = help_of(command)
    examples = text.split("Examples:", 1)[1].split("Arguments:" if "Arguments:" in text else "Options:", 1)[0]
    assert len([line for line in examples.splitlines() if "newsfetch " in line]) >= 2, text
    assert not INTERNALS.search(text), INTERNALS.search(text)


@pytest.mark.parametrize("command", REPORTING, ids=" ".join)
def test_every_reporting_command_takes_json(command: list[str]) -> None:
    assert re.search(r"^\s+--json\s+\S", help_of(command), re.M)


def test_old_spellings_still_work_but_are_not_advertised(tmp_path: Path) -> None:
    assert "--format" not in help_of(["url"]) and "--log-format" not in help_of(["batch"])
    old = CliRunner().invoke(app, ["file", str(FIXTURE), "--format", "json"])
    assert old.exit_code == 0 and old.stdout.startswith("{")
    assert CliRunner().invoke(app, ["file", str(FIXTURE), "--json"]).stdout == old.stdout


@pytest.mark.parametrize("command, first, member", [(["parsers"], "name", "generic"), (["feeds"], "feed", "eastmoney")],
                         ids=["parsers", "feeds"])
def test_listings_as_json(command: list[str], first: str, member: str) -> None:
    result = CliRunner().invoke(app, [*command, "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and all(next(iter(row)) == first for row in rows)
    assert member in {row[first] for row in rows}


def test_completion_can_be_installed() -> None:
    text = help_of([])
    assert "--install-completion" in text and "--show-completion" in text


@pytest.mark.parametrize("args", [["batch", "--bogus"], ["url"], ["batch"], ["discover", "https://a.example/", "--new"],
                                  ["file", "x.html", "--format", "xml"]])
def test_usage_errors_exit_2_everywhere(args: list[str]) -> None:
    result = run_cli(*args)
    assert result.returncode == 2, (args, result.stderr)
    assert "Traceback" not in result.stderr and "Value error" not in result.stderr


@pytest.mark.parametrize("args", [["batch", "urls.txt", "--archive", "."], ["normalize", "."], ["archive", "index", "."],
                                  ["crawl", "urls.txt", "--archive", ".", "--redis", "redis://127.0.0.1:1/0"]],
                         ids=lambda args: args[0] if args[0] != "archive" else "archive index")
def test_a_negative_lock_wait_is_a_usage_error_in_every_command_that_takes_the_lock(args: list[str]) -> None:
    result = run_cli(*args, "--wait", "-1")
    assert result.returncode == 2 and "'--wait': must be at least 0" in result.stderr, result.stderr


def test_verbose_logs_every_stage_with_its_time() -> None:
    """A page the generic parser reads goes through the same stages as a site parser's, each timed."""
    page = FIXTURE.read_bytes()
    with LocalServer({"/a/1.html": Reply(page)}) as server:
        result = run_cli("--verbose", "url", server.url("/a/1.html"))
    assert result.returncode == 0, result.stderr
    stages = re.findall(r"^INFO (\w+) +[\d.]+ ms  (\S+)$", result.stderr, re.M)
    assert [name for name, _ in stages] == ["fetch", "decode", "route", "parse", "clean", "markdown", "article"], \
        result.stderr
    assert all(where == server.url("/a/1.html") for _, where in stages)
    quiet = run_cli("url", server.url("/a/1.html"))
    assert " ms " not in quiet.stderr


def test_verbose_times_the_site_parser_stages_one_by_one() -> None:
    """A site parser's page goes through parse, clean, markdown and article as separate stages, in order."""
    result = run_cli("--verbose", "file", str(FIXTURE))
    assert result.returncode == 0, result.stderr
    stages = re.findall(r"^INFO (\w+) +([\d.]+) ms  (\S+)$", result.stderr, re.M)
    assert [name for name, _, _ in stages] == ["fetch", "decode", "route", "parse", "clean", "markdown",
                                                "article"], result.stderr
    assert stages[0][2] == str(FIXTURE)
    url = "https://finance.eastmoney.com/a/202112302231746483.html"
    assert all(where == url for _, _, where in stages[3:])  # the page's own address once it is known
