"""Kill -9 in the middle of a 500-URL batch, run again: every article exactly once, no partial file, and no
URL that the first run recorded as done is fetched again."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

from tests.support.pages import article_routes
from tests.support.server import LocalServer

COUNT = 500


def test_killed_batch_resumes_without_loss_or_duplicates(tmp_path: Path) -> None:
    archive = tmp_path / "news"
    archive.mkdir()
    with LocalServer(article_routes(COUNT // 2, delay=0.005)) as one, \
            LocalServer(article_routes(COUNT // 2, delay=0.005, start=COUNT // 2), host="127.0.0.2") as two:
        urls = [one.url(f"/a/{n}.html") for n in range(COUNT // 2)] + \
               [two.url(f"/a/{n}.html") for n in range(COUNT // 2, COUNT)]
        listing = tmp_path / "urls.txt"
        listing.write_text("\n".join(urls) + "\n")
        command = [sys.executable, "-m", "newsfetch", "batch", str(listing), "--archive", str(archive),
                   "--rate", "0", "--per-host", "4", "--concurrency", "8", "--quiet"]

        first = subprocess.Popen(command)
        posts = archive / "_posts"
        deadline = time.monotonic() + 60
        while len(list(posts.glob("*.md"))) < 120 if posts.exists() else True:
            assert first.poll() is None, "the first run ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        first.send_signal(signal.SIGKILL)
        first.wait()

        with sqlite3.connect(archive / ".newsfetch" / "state.sqlite") as db:
            done_before = {url for (url,) in db.execute("SELECT url FROM urls WHERE status = 'done'")}
        assert 100 <= len(done_before) < COUNT
        hits_before = Counter(r.path for s in (one, two) for r in s.log)

        second = subprocess.run(command[:-1] + ["--log-format", "json"], capture_output=True, text=True, timeout=120)
        assert second.returncode == 0, second.stderr[-2000:]

        hits = Counter((s.base, r.path) for s in (one, two) for r in s.log if r.path.startswith("/a/"))
        for url in done_before:  # recorded as done by the killed run → never fetched again
            base, path = url.rsplit("/a/", 1)
            assert hits[(base, "/a/" + path)] == 1, url
        assert all(count <= 2 for count in hits.values())  # at most the one in flight at the kill, again
        assert len(hits) == COUNT
        assert sum(hits_before.values()) < sum(hits.values())

    files = sorted(posts.iterdir())
    assert not [f.name for f in files if not f.name.endswith(".md")], "temporary files left behind"
    titles = Counter()
    for post in files:
        text = post.read_text(encoding="utf-8")
        _, head, body = text.split("---\n", 2)
        meta = yaml.safe_load(head)
        titles[meta["title"]] += 1
        assert body.rstrip().endswith("。"), f"{post.name} is cut short"     # every post whole
    assert len(files) == COUNT and set(titles.values()) == {1}
    assert set(titles) == {f"测试新闻标题第{n}号" for n in range(COUNT)}
