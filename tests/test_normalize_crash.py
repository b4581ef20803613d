"""Crash safety: SIGKILL a normalize run halfway; every post is the old or the new version, never a part, and
a second run finishes the job."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsfetch.archive.normalize import normalize_bytes

PARAGRAPH = "<p>\r\n{text}\r\n</p>\r\n"
HEAD = "---\nlayout: post\ntitle: \"标题{v}：测试\"\ndate: 2021-12-30 18:35:35 +0800\ncategories: emnews\ntags: 东财滚动新闻\n---\n"


def variant(v: int) -> bytes:
    """A post shaped like the seed post (CRLF HTML body, widget, hidden paragraph, share link, back links)."""
    body = ('<p style="display:none;height:1px;overflow:hidden;">\r\n<br />\r\n</p><!-- EM_StockImg_Start -->'
            '<p><a href="http://quote.eastmoney.com/unify/r/116.01024" class="EmImageRemark"><img src="https://'
            'webquoteklinepic.eastmoney.com/GetPic.aspx?nid=116.01024" /></a></p><!-- EM_StockImg_End -->\r\n')
    body += "".join(PARAGRAPH.format(text=f"第{v}版第{i}段：快手电商服务商生态建设现已初具规模，" * 6) for i in range(40))
    body += '<p class="em_media">（文章来源：中国新闻网）</p>\n\n<http://finews.zning.xyz/html_News/NewsShare.html?' \
            f'infoCode=NW20211230223174648{v}>\n\n[返回首页](//finews.withounder.com/)'
    return (HEAD.format(v=v) + body).encode("utf-8")


def test_sigkill_halfway_leaves_whole_files_and_rerun_finishes(tmp_path: Path) -> None:
    posts = tmp_path / "_posts"
    posts.mkdir()
    old = {v: variant(v) for v in range(5)}
    new = {v: normalize_bytes(old[v], "2021-12-30-x.md").data for v in range(5)}
    count = 1500
    for n in range(count):
        (posts / f"2021-12-30-{n:05d}.md").write_bytes(old[n % 5])
    command = [sys.executable, "-m", "newsfetch", "normalize", str(tmp_path), "--jobs", "2"]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               start_new_session=True)
    # logs have no progress lines: watch the files instead (a rewritten post has its new, smaller size)
    old_sizes = {v: len(old[v]) for v in range(5)}
    assert all(len(new[v]) != old_sizes[v] for v in range(5))
    killed_at = None
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        done = sum(1 for n in range(count)
                   if (posts / f"2021-12-30-{n:05d}.md").stat().st_size != old_sizes[n % 5])
        if done >= count // 5:
            killed_at = done
            os.killpg(process.pid, signal.SIGKILL)  # the whole group: the workers die too
            break
        time.sleep(0.005)
    process.wait(timeout=60)
    if killed_at is None or killed_at >= count:
        pytest.fail("the run ended before it could be killed halfway")
    states = {"old": 0, "new": 0}
    for n in range(count):
        data = (posts / f"2021-12-30-{n:05d}.md").read_bytes()
        if data == old[n % 5]:
            states["old"] += 1
        else:
            assert data == new[n % 5], f"post {n} is neither the old nor the new version"
            states["new"] += 1
    assert states["old"] > 0 and states["new"] > 0, states
    leftovers = [p for p in posts.iterdir() if not re.fullmatch(r"2021-12-30-\d{5}\.md", p.name)]
    assert all(p.name.startswith(".") and p.name.endswith(".tmp") for p in leftovers), leftovers  # Jekyll ignores them
    stale = posts / ".2021-12-30-00000.md.abcd1234.tmp"  # as a kill leaves them; an hour old
    stale.write_bytes(b"partial")
    fresh = posts / ".2021-12-30-00001.md.abcd1234.tmp"  # may belong to a write in progress: kept
    fresh.write_bytes(b"partial")
    for path in [*leftovers, stale]:
        os.utime(path, (0, 0))
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert all((posts / f"2021-12-30-{n:05d}.md").read_bytes() == new[n % 5] for n in range(count))
    assert sorted(p.name for p in posts.iterdir() if p.name.startswith(".")) == [fresh.name]


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found += [int(child) for child in text.split()]
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has exited; only its exit status waits to be read


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_workers_die_with_a_killed_normalize(tmp_path: Path) -> None:
    posts = tmp_path / "_posts"
    posts.mkdir()
    for n in range(800):
        (posts / f"2021-12-30-{n:05d}.md").write_bytes(variant(n % 5))
    command = [sys.executable, "-m", "newsfetch", "normalize", str(tmp_path), "--jobs", "2"]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        workers: list[int] = []
        deadline = time.monotonic() + 30
        while len(workers) < 2 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
            workers = _children(process.pid)  # the pool's processes, once it has started them
        assert len(workers) >= 2, "never saw the pool's workers"
        os.kill(process.pid, signal.SIGKILL)  # the parent only, as `kill -9 PID` does
        process.wait(timeout=10)
        deadline = time.monotonic() + 5
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(map(_alive, workers)), "pool workers outlived their killed parent"
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
