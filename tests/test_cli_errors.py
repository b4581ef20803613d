"""The command line's contract with users: bad input → one line on stderr naming the URL or file and the
reason, the documented exit code, no traceback; plus --version, --help, -o, --format json and `file -`.

Everything runs `python -m newsfetch` in a child process, the way a cron job or a shell would.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from newsfetch import __version__
from newsfetch.errors import ExitStatus
from tests.support.cli import run_cli
from tests.support.server import LocalServer, Reply

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED = FIXTURES / "eastmoney" / "article-kuaishou.html"
SEED_URL = "https://finance.eastmoney.com/a/202112302231746483.html"
README = Path(__file__).resolve().parent.parent / "README.md"


def assert_one_line_error(result, code: int, *words: str) -> None:
    """Exit `code`, nothing on stdout, and one stderr line that contains every word (the URL/file, the reason)."""
    assert result.returncode == code, (result.returncode, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("newsfetch: error: ")
    for word in words:
        assert word in lines[0], (word, lines[0])


def test_every_exit_status_is_documented_in_the_readme():
    table = README.read_text(encoding="utf-8").split("## Exit codes", 1)[1].split("<!-- section", 1)[0]
    documented = {int(code) for code in re.findall(r"^\| (\d+) \| \S", table, re.M)}
    assert documented == {int(status) for status in ExitStatus}


def test_commands_name_their_exit_codes_not_numbers():
    # one ExitStatus for every command: a literal in `Exit(…)`/`sys.exit(…)` would drift from the table
    root = README.parent
    sources = [*(root / "cli").glob("*.py"), *(root / "newsfetch" / "batch").glob("*.py")]
    assert len(sources) > 10
    for path in sources:
        literal = re.findall(r"(?:typer\.Exit|sys\.exit)\(\s*\d", path.read_text(encoding="utf-8"))
        assert not literal, (path, literal)


# --- bad URLs (no network needed) -----------------------------------------------------------------

@pytest.mark.parametrize("url,reason", [
    ("ftp://ftp.example.com/news/1.html", "unsupported URL scheme (ftp:)"),
    ("javascript:alert(1)", "unsupported URL scheme (javascript:)"),
    ("file:///etc/passwd", "unsupported URL scheme (file:)"),
    ("mailto:news@example.com", "unsupported URL scheme (mailto:)"),
    ("www.eastmoney.com/a/1.html", "not an absolute URL"),
    ("not a url", "not an absolute URL"),
    ("http://", "not a valid URL (no host)"),
    ("http://exa mple.com/a", "not a valid URL"),
])
def test_invalid_urls(url, reason):
    assert_one_line_error(run_cli("url", url), 3, url, reason)


def test_empty_url():
    assert_one_line_error(run_cli("url", ""), 3, "empty URL")


# --- network and content failures, against a local server ---------------------------------------------

@pytest.fixture(scope="module")
def server():
    routes = {
        "/article.html": Reply(SEED.read_bytes()),
        "/missing.html": Reply(b"gone", status=404, headers={"Content-Type": "text/plain"}),
        "/error.html": Reply(b"oops", status=503, headers={"Content-Type": "text/html"}),
        "/report.pdf": Reply(b"%PDF-1.4\n" + b"0" * 100, headers={"Content-Type": "application/pdf"}),
        "/photo.jpg": Reply(b"\xff\xd8\xff\xe0" + b"0" * 100, headers={"Content-Type": "image/jpeg"}),
        "/api.json": Reply(b'{"ok": true}', headers={"Content-Type": "application/json"}),
        "/empty.html": Reply(b""),
        "/home.html": Reply(b"<html><head><title>News</title></head><body><nav><a href='/1'>One</a>"
                            b"<a href='/2'>Two</a></nav></body></html>"),
        "/slow.html": Reply(SEED.read_bytes(), delay=1.5),
        "/loop.html": Reply(status=301, headers={"Location": "/loop.html"}),
    }
    with LocalServer(routes) as running:
        yield running


@pytest.mark.parametrize("path,options,code,reason", [
    ("/missing.html", [], 5, "HTTP 404"),
    ("/error.html", [], 5, "HTTP 503"),
    ("/report.pdf", [], 6, "not an HTML page (Content-Type: application/pdf)"),
    ("/photo.jpg", [], 6, "not an HTML page (Content-Type: image/jpeg)"),
    ("/api.json", [], 6, "not an HTML page (Content-Type: application/json)"),
    ("/empty.html", [], 6, "empty page"),
    ("/article.html", ["--max-bytes", "1000"], 6, "response too large"),
    ("/home.html", [], 7, "article"),
    ("/slow.html", ["--timeout", "0.3"], 4, "timed out"),
    ("/loop.html", [], 4, "too many redirects"),
])
def test_url_failures(server, path, options, code, reason):
    url = server.url(path)
    assert_one_line_error(run_cli("url", url, *options), code, url, reason)


# --- bad files ------------------------------------------------------------------------------------

def test_missing_file(tmp_path):
    path = tmp_path / "nope.html"
    assert_one_line_error(run_cli("file", str(path)), 3, str(path), "no such file")


def test_directory_instead_of_a_file(tmp_path):
    assert_one_line_error(run_cli("file", str(tmp_path)), 3, str(tmp_path), "is a directory")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.html"
    path.write_bytes(SEED.read_bytes())
    path.chmod(0)
    assert_one_line_error(run_cli("file", str(path)), 3, str(path), "permission denied")


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
def test_file_whose_read_fails():
    """Opens fine but every read fails (EIO), even for root."""
    assert_one_line_error(run_cli("file", "/proc/self/mem"), 3, "/proc/self/mem", "cannot read the file")


@pytest.mark.parametrize("name,data,what", [
    ("paper.pdf", b"%PDF-1.7\n" + b"\x00\x01" * 200, "a PDF document"),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "a PNG image"),
    ("archive.zip", b"PK\x03\x04" + b"\x00" * 200, "a ZIP archive"),
    ("program.bin", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "binary data"),
])
def test_binary_files(tmp_path, name, data, what):
    path = tmp_path / name
    path.write_bytes(data)
    assert_one_line_error(run_cli("file", str(path)), 3, str(path), f"not a saved HTML page (looks like {what})")


@pytest.mark.parametrize("name,data,code,reason", [
    ("empty.html", b"", 6, "empty page"),
    ("blank.html", b"\n \n", 6, "empty page"),
    ("data.json", b'{"title": "x", "items": [1, 2]}', 6, "looks like JSON"),
    ("noise.html", bytes(range(128, 256)) * 20, 6, "cannot decode"),
    ("list.html", b"<html><head><title>x</title></head><body><ul><li><a href='/a'>a</a></li></ul></body></html>",
     7, "article"),
])
def test_unusable_file_contents(tmp_path, name, data, code, reason):
    path = tmp_path / name
    path.write_bytes(data)
    assert_one_line_error(run_cli("file", str(path)), code, str(path), reason)


@pytest.mark.parametrize("url", ["finance.eastmoney.com/a/202112302231746483.html", "ftp://x.example.com/a"])
def test_file_with_a_bad_url_option(url):
    result = run_cli("file", str(SEED), "--url", url)
    assert_one_line_error(result, 3, url)


def test_empty_stdin():
    assert_one_line_error(run_cli("file", "-", input=b""), 6, "<stdin>", "empty page")


# --- usage errors: click's usage message, exit 2, no traceback ----------------------------------------

@pytest.mark.parametrize("args", [
    ["url"], ["file"], ["url", "http://example.com/", "--format", "xml"],
    ["url", "http://example.com/", "--timeout", "x"],
    ["frobnicate"], ["--no-such-option"],
])
def test_usage_errors(args):
    result = run_cli(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "Usage:" in result.stderr


# --- the good paths the errors are the exception to --------------------------------------------------

def test_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"newsfetch {__version__}"


def test_help_of_every_command():
    """Every command, including those other modules register, answers --help (in-process: help needs no child)."""
    import typer.main
    from typer.testing import CliRunner

    from newsfetch.cli import app

    main = run_cli("--help")
    assert main.returncode == 0 and "Usage:" in main.stdout
    commands = sorted(typer.main.get_command(app).commands)
    assert {"url", "file", "parsers"} <= set(commands)
    runner = CliRunner()
    for command in commands:
        assert command in main.stdout
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, (command, result.output)
        assert f"newsfetch {command}" in result.output and "--help" in result.output


def test_file_to_stdout_matches_the_fixture():
    result = run_cli("file", str(SEED))
    assert result.returncode == 0, result.stderr
    assert result.stdout == SEED.with_suffix(".md").read_text(encoding="utf-8")
    assert result.stderr == ""


def test_file_from_stdin_with_url():
    result = run_cli("file", "-", "--url", SEED_URL, input=SEED.read_bytes())
    assert result.returncode == 0, result.stderr
    assert result.stdout == SEED.with_suffix(".md").read_text(encoding="utf-8")


def test_output_file_is_written_and_rewritten(tmp_path):
    target = tmp_path / "posts" / "kuaishou.md"
    target.parent.mkdir()
    target.write_text("old content\n", encoding="utf-8")
    result = run_cli("file", str(SEED), "-o", str(target))
    assert result.returncode == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8") == SEED.with_suffix(".md").read_text(encoding="utf-8")
    assert [p.name for p in target.parent.iterdir()] == ["kuaishou.md"]  # no temp file left behind


def test_json_format():
    result = run_cli("file", str(SEED), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"] == "快手电商发布服务商体系2.0"
    assert data["date"] == "2021-12-30 18:35:35 +0800"
    assert data["published"] == "2021-12-30T18:35:35+08:00"
    assert data["source"] == "中国新闻网" and data["stocks"] == ["01024.HK"]
    assert data["url"] == SEED_URL
    assert data["markdown"].startswith("12月30日，“造风者·2021快手电商服务生态年终峰会”在海口举行。")
    assert "**服务商体系2.0发布**" in data["markdown"] and "**" not in data["text"]
    # one paragraph a line; an image without alt text has no line
    assert data["text"].count("\n") == data["markdown"].count("\n\n") + 1 - data["markdown"].count("![](")


def test_url_with_output_and_json(server, tmp_path):
    target = tmp_path / "post.json"
    result = run_cli("url", server.url("/article.html"), "--format", "json", "-o", str(target))
    assert result.returncode == 0 and result.stdout == "", result.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "快手电商发布服务商体系2.0"


# --- output that cannot be written ---------------------------------------------------------------------

DEV_FULL = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(not DEV_FULL.exists(), reason="needs Linux's /dev/full")


@needs_dev_full
def test_output_to_a_full_device_is_an_error_and_the_device_survives():
    assert_one_line_error(run_cli("file", str(SEED), "-o", str(DEV_FULL)), 3, str(DEV_FULL), "No space left")
    assert DEV_FULL.is_char_device()  # written into, never renamed over


@needs_dev_full
def test_stdout_that_cannot_be_written():
    import subprocess
    import sys

    with open(DEV_FULL, "wb") as full:
        result = subprocess.run([sys.executable, "-m", "newsfetch", "file", str(SEED)], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 3
    assert result.stderr.strip() == "newsfetch: error: <stdout>: cannot write the output (No space left on device)"


def test_output_in_a_folder_that_cannot_exist(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    target = blocker / "post.md"
    assert_one_line_error(run_cli("file", str(SEED), "-o", str(target)), 3, str(target), "cannot write the output")


def test_output_through_a_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "real.md"
    link = tmp_path / "link.md"
    link.symlink_to(real)
    result = run_cli("file", str(SEED), "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("---\nlayout: post\n")


def test_traceback_option_shows_it_and_keeps_the_exit_code(tmp_path):
    path = tmp_path / "nope.html"
    result = run_cli("--traceback", "file", str(path))
    assert result.returncode == 3
    assert "Traceback (most recent call last)" in result.stderr and "InputError" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"newsfetch: error: {path}: no such file"
