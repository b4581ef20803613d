"""The archive lock: one run at a time, a clear refusal (exit 12) or a wait, stale locks taken over."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsfetch.batch.lock import ArchiveLock
from newsfetch.errors import LockedError
from tests.support.pages import article_routes
from tests.support.server import LocalServer

HOLD = ("import sys, time\nfrom newsfetch.batch.lock import ArchiveLock\n"
        "with ArchiveLock(sys.argv[1]):\n    print('locked', flush=True)\n    time.sleep(float(sys.argv[2]))\n")


def hold_lock(archive: Path, seconds: float) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(archive), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "locked"
    return child


def batch(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsfetch", "batch", *args], capture_output=True, text=True,
                          timeout=60, **kw)


def test_second_holder_is_refused_with_the_owner_pid(tmp_path: Path) -> None:
    child = hold_lock(tmp_path, 30)
    try:
        with pytest.raises(LockedError) as caught:
            ArchiveLock(tmp_path).acquire()
        assert f"pid {child.pid}" in str(caught.value) and caught.value.exit_code == 12
        started = time.monotonic()
        with pytest.raises(LockedError, match="after waiting 0.3 s"):
            ArchiveLock(tmp_path, wait=0.3).acquire()
        assert time.monotonic() - started >= 0.3
    finally:
        child.kill()
        child.wait()


def test_wait_gets_the_lock_when_the_other_run_ends(tmp_path: Path) -> None:
    child = hold_lock(tmp_path, 0.5)
    started = time.monotonic()
    with ArchiveLock(tmp_path, wait=10) as lock:
        assert 0.3 < time.monotonic() - started < 5
        assert lock.stale_pid is None
        assert (tmp_path / ".newsfetch" / "lock").read_text().strip() == str(os.getpid())
    child.wait()


def test_a_lock_left_by_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    child = hold_lock(tmp_path, 30)
    child.kill()  # SIGKILL: no cleanup, the pid stays in the lock file
    child.wait()
    assert (tmp_path / ".newsfetch" / "lock").read_text().strip() == str(child.pid)
    with ArchiveLock(tmp_path) as lock:
        assert lock.stale_pid == child.pid


def test_overlapping_batch_runs(tmp_path: Path) -> None:
    """A second `newsfetch batch` on a busy archive exits 12 at once; the first finishes; nothing is doubled."""
    with LocalServer(article_routes(20, delay=0.05)) as server:
        listing = tmp_path / "urls.txt"
        listing.write_text("".join(server.url(f"/a/{n}.html") + "\n" for n in range(20)))
        archive = tmp_path / "news"
        archive.mkdir()
        first = subprocess.Popen([sys.executable, "-m", "newsfetch", "batch", str(listing), "--archive", str(archive),
                                  "--rate", "0", "--per-host", "1", "--quiet"], stderr=subprocess.PIPE, text=True)
        lock_file = archive / ".newsfetch" / "lock"
        deadline = time.monotonic() + 20
        while not (lock_file.exists() and lock_file.read_text().strip() == str(first.pid)):
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.02)
        second = batch(str(listing), "--archive", str(archive))
        assert second.returncode == 12
        assert "another newsfetch run" in second.stderr and str(first.pid) in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1                       # one line, no traceback
        waited = batch(str(listing), "--archive", str(archive), "--wait", "30", "--log-format", "json")
        assert first.wait(timeout=30) == 0
        assert waited.returncode == 0 and '"already-archived": 20' in waited.stderr
        assert server.hits("/a/3.html") == 1
    assert len(list((archive / "_posts").glob("*.md"))) == 20
