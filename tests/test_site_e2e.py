"""From an empty folder to a browsable site, as a user (or cron) does it, against local HTTP servers:

`init` → `batch --feed RSS --git-commit` (the commit holds exactly the run's files; the user's other changes stay
where they were) → the same run again (no commit) → a dead feed (exit 13, one line in the log) → `jekyll build`
(no warnings) → the site served on 127.0.0.1 and loaded in
headless Chromium (title, time and outlet visible; no raw HTML, no Liquid; no broken internal link). A screenshot
of the post is kept under .ci/artifacts/ (git-ignored) for CI to publish.

Needs git, Debian's `jekyll` and `chromium` (installed by .ci/run): skipped when they are missing outside CI,
a failure in CI. One jekyll build and four Chromium loads for the whole module.
"""

from __future__ import annotations

import functools
import html
import os
import re
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import html as lxml_html

from tests.support.cli import run_cli
from tests.support.pages import article_page
from tests.support.server import LocalServer, Reply

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / ".ci" / "artifacts"
OUTLETS = {0: "中国新闻网", 1: "中国新闻网", 2: "证券时报网", 3: "中国新闻网"}  # 证券时报网 is 证券时报 (newsfetch.outlets)
HOSTILE = {3: '<script>alert(1)</script>标题 {{ site.title }} {% raw %} "引号" & <b>粗</b>'}  # i12: every field escaped


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{name} is not installed, and CI must run this test (.ci/run installs it)")
    pytest.skip(f"{name} is not installed")


def _page(n: int) -> bytes:
    """Test article n from its outlet, with a stand-alone bold line between paragraphs (a subhead)."""
    title = html.escape(HOSTILE[n]) if n in HOSTILE else None
    page = article_page(n, title).decode("utf-8").replace("来源：中国新闻网", f"来源：{OUTLETS[n]}")
    page = page.replace("<p>　　第二段", "<p><strong>市场观察</strong></p>\n<p>　　第二段")
    return page.encode("utf-8")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Everything the tests look at, made once: the archive, git's view of it, the build log, the served site."""
    jekyll, _ = _tool("jekyll"), _tool("git")
    news = tmp_path_factory.mktemp("e2e") / "news"
    made = run_cli("init", str(news))
    assert made.returncode == 0, made.stderr
    git(news, "config", "user.name", "Test")
    git(news, "config", "user.email", "test@example.com")
    git(news, "add", "-A")
    git(news, "commit", "-qm", "the scaffold")  # what the user does once after init
    # the user's own work in progress, which a cron commit must not sweep up
    (news / "notes.txt").write_text("my notes\n", encoding="utf-8")
    with (news / "_config.yml").open("a", encoding="utf-8") as config:
        config.write("# edited by hand, not committed yet\n")
    (news / "about.md").write_text("---\ntitle: 关于\n---\n关于本站。\n", encoding="utf-8")
    git(news, "add", "about.md")  # staged by the user, not ready to commit

    routes = {f"/a/{n}.html": Reply(_page(n)) for n in OUTLETS}
    with LocalServer(routes) as server:
        items = "".join(f"<item><title>{n}</title><link>{server.url(f'/a/{n}.html')}</link></item>" for n in OUTLETS)
        server.routes["/feed.xml"] = Reply(f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                                           f"{items}</channel></rss>".encode(),
                                           headers={"Content-Type": "application/rss+xml"})
        args = ("batch", "--feed", server.url("/feed.xml"), "--archive", str(news), "--git-commit", "--rate", "0",
                "--timeout", "5")
        first = run_cli(*args)
        head_after_first = git(news, "rev-parse", "HEAD").strip()
        second = run_cli(*args)
        dead = run_cli("batch", "--feed", server.url("/gone.xml"), "--archive", str(news), "--git-commit",
                       "--timeout", "5")
    committed = git(news, "show", "--name-only", "--format=", "HEAD").split()
    message = git(news, "log", "-1", "--format=%B")
    status = git(news, "status", "--porcelain", "--untracked-files=all")
    build = subprocess.run([jekyll, "build", "--source", str(news), "--destination", str(news / "_site")],
                           capture_output=True, text=True, timeout=300)
    return {"news": news, "first": first, "second": second, "dead": dead, "committed": committed, "message": message,
            "status": status, "head": head_after_first, "head_now": git(news, "rev-parse", "HEAD").strip(),
            "build": build}


def test_first_run_commits_exactly_its_files(run: dict) -> None:
    news, first = run["news"], run["first"]
    assert first.returncode == 0, first.stderr
    posts = sorted(str(p.relative_to(news)) for p in (news / "_posts").glob("*.md"))
    assert len(posts) == 4
    pages = ["category/zhengquanshibao.html", "category/zhongguoxinwenwang.html"]
    assert sorted(run["committed"]) == sorted(posts + pages)
    assert run["message"].splitlines()[0] == "newsfetch: 4 posts new, 2 site pages"
    assert "中国新闻网: 3" in run["message"] and "证券时报: 1" in run["message"]
    status = run["status"].splitlines()
    assert "?? notes.txt" in status and " M _config.yml" in status and "A  about.md" in status
    assert not any(".newsfetch" in line or "_posts" in line or "category/" in line for line in status)


def test_second_run_commits_nothing(run: dict) -> None:
    second = run["second"]
    assert second.returncode == 0, second.stderr
    assert "nothing to commit" in second.stderr
    assert run["head_now"] == run["head"]


def test_dead_feed_fails_with_its_own_code_and_a_log_line(run: dict) -> None:
    dead = run["dead"]
    assert dead.returncode == 13, dead.stderr
    assert re.search(r"feed http://127\.0\.0\.1:\d+/gone\.xml failed: .*404", dead.stderr), dead.stderr
    assert run["head_now"] == run["head"]  # nothing committed


def test_jekyll_builds_without_warnings(run: dict) -> None:
    build = run["build"]
    output = build.stdout + build.stderr
    assert build.returncode == 0, output
    assert not re.search(r"warn|error|exception|invalid|deprecat", output, re.I), output


def _internal_links(site: Path) -> list[tuple[Path, str]]:
    """(page, target) for every same-site href/src in the built site."""
    found = []
    for page in site.rglob("*.html"):
        tree = lxml_html.fromstring(page.read_bytes())
        for element, attribute, link, _ in tree.iterlinks():
            if attribute in ("href", "src") and not urlsplit(link).scheme and not link.startswith("//"):
                found.append((page, link))
    return found


def test_no_broken_internal_link(run: dict) -> None:
    site = run["news"] / "_site"
    links = _internal_links(site)
    assert len(links) > 20
    for page, link in links:
        path = unquote(urlsplit(link).path)
        target = site / path.lstrip("/") if path.startswith("/") else page.parent / path
        if path.endswith("/"):
            target = target / "index.html"
        assert target.is_file(), f"{page.relative_to(site)} links to {link}, which the site does not have"


@pytest.fixture(scope="module")
def served(run: dict) -> str:
    assert run["build"].returncode == 0, run["build"].stderr
    handler = functools.partial(_QuietHandler, directory=str(run["news"] / "_site"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def chromium(url: str, tmp: Path, *, screenshot: Path | None = None) -> str:
    """The DOM after Chromium loaded `url` (headless; no sandbox: CI runs as root)."""
    args = [_tool("chromium"), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", f"--user-data-dir={tmp}", "--hide-scrollbars"]
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        args += [f"--screenshot={screenshot}", "--window-size=900,1200"]
    else:
        args += ["--dump-dom"]
    done = subprocess.run([*args, url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _visible_text(dom: str) -> str:
    tree = lxml_html.fromstring(dom)
    for node in tree.xpath("//script|//style|//head"):
        node.drop_tree()
    return tree.text_content()


def _assert_clean(text: str) -> None:
    for title in HOSTILE.values():  # that title is meant to show its braces and brackets, as text
        text = text.replace(title, "")
    assert "{{" not in text and "{%" not in text, "Liquid reached the page"
    assert not re.search(r"</?(p|strong|div|span|a|img)\b", text), "raw HTML shows as text"
    assert "**" not in text, "raw Markdown shows as text"


def test_chromium_loads_post_outlet_page_and_index(run: dict, served: str, tmp_path: Path) -> None:
    site = run["news"] / "_site"
    post = next(site.rglob("u-*.html"))
    post_path = "/" + str(post.relative_to(site))
    dom = chromium(served + post_path, tmp_path / "profile")
    text = _visible_text(dom)
    _assert_clean(text)
    title = re.search(r"<h1 class=\"post-title\">(.*?)</h1>", dom).group(1)
    assert html.unescape(title).startswith("测试新闻标题第")
    assert re.search(r"2024年1月\d+日 10:\d\d", text), text[:500]
    assert "中国新闻网" in text or "证券时报网" in text  # the post shows the page's own spelling
    assert "阅读原文" in text
    assert re.search(r"<h2[^>]*>市场观察</h2>", dom)  # init's archives turn a stand-alone bold line into a subhead

    outlet = _visible_text(chromium(served + "/category/zhongguoxinwenwang.html", tmp_path / "profile"))
    _assert_clean(outlet)
    assert "中国新闻网新闻" in outlet and "共 3 篇" in outlet and "测试新闻标题第0号" in outlet

    index = _visible_text(chromium(served + "/", tmp_path / "profile"))
    _assert_clean(index)
    assert all(f"测试新闻标题第{n}号" in index for n in OUTLETS if n not in HOSTILE)
    assert "按日期" in index and "按来源" in index

    # a hostile title is text everywhere: in the post, in the lists, in <title>; no script ran, no Liquid
    hostile = next(p for p in site.rglob("*.html") if p.parent.name != "category" and "alert(1)" in p.read_text()
                   and "post-title" in p.read_text())
    dom = chromium(served + "/" + str(hostile.relative_to(site)), tmp_path / "profile")
    tree = lxml_html.fromstring(dom)
    assert tree.xpath("//script") == [] and tree.xpath("//article//b") == []
    assert tree.xpath("string(//h1)") == HOSTILE[3] and tree.xpath("string(//title)").startswith(HOSTILE[3])
    assert "新闻存档" not in tree.xpath("string(//article)")  # {{ site.title }} was not evaluated
    index_tree = lxml_html.fromstring(chromium(served + "/", tmp_path / "profile"))
    assert HOSTILE[3] in index_tree.xpath("string(//ul[@class='post-list'])") and not index_tree.xpath("//script")

    shot = ARTIFACTS / "post.png"
    chromium(served + post_path, tmp_path / "profile", screenshot=shot)
    assert shot.stat().st_size > 10_000  # a rendered page, not a blank image
