"""`newsfetch batch` and `newsfetch status` as a cron job runs them: exit codes, logs, exports, retries, git."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsfetch.batch.gitcommit import commit_message
from tests.support.pages import TEXT, article_page, article_routes
from tests.support.server import LocalServer, Reply


def newsfetch(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsfetch", *args], capture_output=True, text=True, input=stdin,
                          timeout=120, cwd=cwd)


def fast(*args: str) -> list[str]:
    return [*args, "--rate", "0", "--backoff", "0.01", "--timeout", "2"]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    return folder


def events(stderr: str) -> list[dict]:
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


def test_exit_codes_logs_export_and_retry_failed(tmp_path: Path, archive: Path) -> None:
    state = {"broken": True}

    def sometimes(request):
        return Reply(b"down", status=500, headers=TEXT) if state["broken"] else Reply(article_page(9))

    with LocalServer({**article_routes(3), "/a/9.html": sometimes, "/gone": Reply(b"", status=404, headers=TEXT)}) as s:
        urls = "\n".join([s.url("/a/0.html"), s.url("/a/1.html"), s.url("/a/2.html"), s.url("/a/9.html"),
                          s.url("/gone")])
        run = newsfetch(*fast("batch", "-", "--archive", str(archive), "--retries", "1")
                        + ["--export-failures", str(tmp_path / "failed.jsonl")], stdin=urls)
        assert run.returncode == 10, run.stderr                                         # some failed
        # not a tty (cron): one line per failed URL, then a one-line summary; no per-URL noise, no table
        lines = run.stderr.splitlines()
        failed = sorted(lines[:2])
        assert failed[0].startswith(f"failed {s.url('/a/9.html')}: http-500") and failed[0].endswith("(2 attempts)")
        assert failed[1].startswith(f"failed {s.url('/gone')}: http-404") and "attempts" not in failed[1]
        assert len(lines) == 3 and lines[2].startswith("newsfetch batch: 3 new, 0 updated, 0 unchanged, 0 skipped, "
                                                       "2 failed (http-404 1, http-500 1) in ")
        exported = [json.loads(line) for line in (tmp_path / "failed.jsonl").read_text().splitlines()]
        assert {(e["url"], e["reason"], e["attempts"]) for e in exported} == \
            {(s.url("/a/9.html"), "http-500", 2), (s.url("/gone"), "http-404", 1)}
        assert s.hits("/a/9.html") == 2 and s.hits("/gone") == 1

        # a normal run does not ask again for what failed; --retry-failed does
        again = newsfetch(*fast("batch", "-", "--archive", str(archive), "--log-format", "json"), stdin=urls)
        assert again.returncode == 0
        summary = events(again.stderr)[-1]
        assert summary["event"] == "summary" and summary["skipped"] == {
            "already-archived": 3, "failed-before": 2}
        state["broken"] = False
        retried = newsfetch(*fast("batch", "--retry-failed", str(archive), "--json"))
        assert retried.returncode == 10
        summary = events(retried.stderr)[-1]
        assert summary["new"] == 1 and summary["failed"] == {"http-404": 1}
        assert summary["messages"] == {"http-404": "HTTP 404 Not Found"}  # the slug and the whole message
        assert s.hits("/a/9.html") == 3 and s.hits("/gone") == 2

        status = newsfetch("status", str(archive), "--json")
        assert status.returncode == 0
        data = json.loads(status.stdout)
        assert data["urls"] == {"done": 4, "failed": 1} and data["failed"] == {"http-404": 1}
        assert data["messages"] == {"http-404": f"{s.url('/gone')}: HTTP 404 Not Found"}
        assert [run["summary"]["new"] for run in data["runs"]] == [1, 0, 3]
        text = newsfetch("status", str(archive)).stdout
        assert "done" in text and "http-404" in text and "1 new" in text and "3 new" in text
        assert "HTTP 404 Not Found" in text


def test_all_failed_and_bad_input(archive: Path) -> None:
    with LocalServer({}) as server:
        run = newsfetch(*fast("batch", "-", "--archive", str(archive), "--quiet"),
                        stdin=server.url("/nothing") + "\n" + server.url("/neither") + "\n")
        assert run.returncode == 11 and run.stderr == ""                             # --quiet: nothing said
    missing = newsfetch("batch", "no-such-list.txt", "--archive", str(archive))
    assert missing.returncode == 3 and "no such file" in missing.stderr
    nowhere = newsfetch("batch", "-", "--archive", str(archive / "absent"), stdin="")
    assert nowhere.returncode == 8 and len(nowhere.stderr.strip().splitlines()) == 1
    assert newsfetch("batch", "--archive", str(archive)).returncode == 2
    assert newsfetch("status", str(archive / "absent")).returncode == 8


def test_per_host_limits_from_the_archive_config(archive: Path) -> None:
    with LocalServer(article_routes(8, delay=0.05)) as a, LocalServer(article_routes(8, delay=0.05), "127.0.0.2") as b:
        (archive / "newsfetch.toml").write_text(
            f'[batch]\nper_host = 3\nrate = 0\n\n[batch.hosts."127.0.0.2"]\nper_host = 1\n', encoding="utf-8")
        urls = "\n".join(s.url(f"/a/{n}.html") for n in range(8) for s in (a, b))
        run = newsfetch("batch", "-", "--archive", str(archive), "--quiet", stdin=urls)
        assert run.returncode == 0, run.stderr
        assert a.max_in_flight == 3 and b.max_in_flight == 1
    (archive / "newsfetch.toml").write_text("[batch]\nper_hots = 3\n", encoding="utf-8")
    bad = newsfetch("batch", "-", "--archive", str(archive), stdin="")
    assert bad.returncode == 8 and "per_hots" in bad.stderr


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def test_git_commit(tmp_path: Path) -> None:
    repo = tmp_path / "site"
    archive = repo / "news"
    archive.mkdir(parents=True)
    git(repo, "init", "-q")
    git(repo, "config", "user.name", "Test")
    git(repo, "config", "user.email", "test@example.com")
    (repo / "README.md").write_text("archive\n")
    git(repo, "add", "README.md")
    git(repo, "commit", "-qm", "start")
    pages = article_routes(3)
    with LocalServer(pages) as s:
        urls = "\n".join(s.url(f"/a/{n}.html") for n in range(2))
        run = newsfetch(*fast("batch", "-", "--archive", str(archive), "--git-commit"), stdin=urls)
        assert run.returncode == 0, run.stderr
        assert git(repo, "log", "-1", "--format=%s").strip() == "newsfetch: 2 posts new"
        tracked = git(repo, "ls-files").split()
        assert sum(p.startswith("news/_posts/") for p in tracked) == 2
        assert not any(".newsfetch" in p for p in tracked)                          # run state stays out of git

        # nothing new → no commit
        again = newsfetch(*fast("batch", "-", "--archive", str(archive), "--git-commit"), stdin=urls)
        assert again.returncode == 0 and "nothing to commit" in again.stderr
        assert git(repo, "rev-list", "--count", "HEAD").strip() == "2"

        # an updated page and a new one
        pages["/a/0.html"].body = article_page(0).replace("第一段".encode(), "第一段（更新）".encode())
        urls = "\n".join(s.url(f"/a/{n}.html") for n in range(3))
        upd = newsfetch(*fast("batch", "-", "--archive", str(archive), "--git-commit", "--refresh"), stdin=urls)
        assert upd.returncode == 0, upd.stderr
        assert git(repo, "log", "-1", "--format=%s").strip() == "newsfetch: 1 post new, 1 post updated"

        # git fails (a stale index.lock): reported in one line, exit 8, the posts are on disk
        (repo / ".git" / "index.lock").write_text("")
        s.routes.update(article_routes(1, start=7))
        fail = newsfetch(*fast("batch", "-", "--archive", str(archive), "--git-commit", "--quiet"),
                         stdin=s.url("/a/7.html"))
        assert fail.returncode == 8
        assert "git add failed" in fail.stderr and "the posts are written" in fail.stderr
        assert len(list((archive / "_posts").glob("*.md"))) == 4
        assert git(repo, "rev-list", "--count", "HEAD").strip() == "3"


def test_commit_message_counts() -> None:
    assert commit_message(1, 0) == "newsfetch: 1 post new"
    assert commit_message(0, 3) == "newsfetch: 3 posts updated"
    assert commit_message(0, 0) == "newsfetch: archive changes"


def test_terminal_progress_shows_rate_and_hosts() -> None:
    import io

    from rich.console import Console

    from newsfetch.batch.events import ItemDone, Queued
    from newsfetch.cli.batch import _Bar

    out = io.StringIO()
    bar = _Bar(Console(file=out, force_terminal=True, width=160, color_system=None))
    with bar:
        bar.event(Queued(4, True))
        for n, host in enumerate(["a.example:80", "a.example:80", "b.example:80"]):
            bar.event(ItemDone(f"http://{host}/{n}", host, "new", path=f"_posts/{n}.md"))
        bar.event(ItemDone("http://b.example:80/x", "b.example:80", "failed", reason="http-404"))
    text = out.getvalue()
    assert "4/4" in text and "/s" in text
    assert "a.example:80 2 b.example:80 2" in text
    assert "failed http://b.example:80/x: http-404" in text


def test_summary_table_on_request_in_logs(archive: Path) -> None:
    with LocalServer(article_routes(1)) as s:
        run = newsfetch(*fast("batch", "-", "--archive", str(archive), "--summary", "table"), stdin=s.url("/a/0.html"))
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines()[0].startswith("newsfetch batch: 1 new, 0 updated")
    assert "outcome" in run.stderr and "│ new" in run.stderr
