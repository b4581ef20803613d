"""N local workers forked from one process that has paid their start-up once.

A worker's start-up is most of a second of CPU before its first request: importing Scrapy, Twisted, redis-py and
the newsfetch pipeline, loading pypinyin's dictionaries (`worker.load_renderer`), building the parser registry.
`newsfetch crawl --workers N` used to start N interpreters that each paid all of it, on the same cores the crawl
runs on. Here one process does it, then forks the N workers (POSIX `fork`: the children share its memory pages
copy-on-write); each child then creates its own Redis connection, Twisted reactor and Scrapy crawler — nothing
that holds a socket, a thread or an event loop exists before the fork. Every child is a whole worker: killed
(kill -9), its leases run out and other workers take its URLs, as with separate processes.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable

from newsfetch.errors import ExitStatus, NewsfetchError

_STOP_GRACE = 4.0   # seconds the children get to stop after the launcher is asked to stop, before SIGKILL


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "darwin"   # macOS: fork after imports of system libraries is unsafe


def run_workers(redis_url: str, name: str, processes: int, *, wait: float, entry,  # noqa: ANN001
                stats: bool = False) -> int:
    """Prepare once, fork `processes` workers running `entry(redis_url, name, wait)` (an exit code); the worst
    exit code of the children. With `stats`, each child's exit code, CPU seconds and peak RSS go to stderr as a
    JSON line when it ends (what benchmarks/cluster.py reads per worker)."""
    from .worker import prepare

    prepare(redis_url, name, wait=wait)     # imports, renderer, registry; raises ClusterError when no crawl came
    gc.collect()
    gc.freeze()   # objects made so far are never scanned by the children's collector: their pages stay shared
    children: set[int] = set()
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:   # the child: a worker of its own, then out without running the parent's exit handlers
            code = int(ExitStatus.INTERNAL)
            try:
                code = entry(redis_url, name, wait)
            except BaseException:  # noqa: BLE001 — a bug: said, and the child still leaves by os._exit
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        children.add(pid)
    return _wait_for(children, stats)


def _wait_for(children: set[int], stats: bool) -> int:
    """Reap the children, passing on SIGTERM / SIGINT; the worst exit code."""
    stopping: list[float] = []

    def stop(signum: int, frame) -> None:  # noqa: ANN001
        stopping.append(time.monotonic())
        for pid in children:
            _signal(pid, signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    worst = 0
    while children:
        if stopping and time.monotonic() - stopping[0] > _STOP_GRACE:
            for pid in children:
                _signal(pid, signal.SIGKILL)
        try:
            pid, status, usage = os.wait4(-1, os.WNOHANG if stopping else 0)
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if pid == 0:
            time.sleep(0.05)
            continue
        if pid not in children:
            continue
        children.discard(pid)
        code = os.waitstatus_to_exitcode(status)
        code = 128 - code if code < 0 else code   # killed by a signal: the shell's convention
        worst = max(worst, code)
        if stats:   # a child's peak RSS counts the pages it still shares with the launcher and the other workers
            print(json.dumps({"event": "worker", "pid": pid, "exit": code,
                              "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
                              "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}), file=sys.stderr, flush=True)
    return worst


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def worker_entry(redis_url: str, name: str, wait: float) -> int:
    """One worker's exit code, errors as one line on stderr (as ``newsfetch worker``)."""
    from .worker import run_worker

    def work() -> int:
        run_worker(redis_url, name, wait=wait)
        return int(ExitStatus.OK)

    return exit_code_of(work)


def exit_code_of(run: Callable[[], int]) -> int:
    """`run`'s exit code; a newsfetch error or an interrupt is one line on stderr and its exit code instead."""
    try:
        return run()
    except NewsfetchError as error:
        print(f"newsfetch: error: {error}", file=sys.stderr)
        return int(error.exit_status)
    except KeyboardInterrupt:
        print("newsfetch: interrupted", file=sys.stderr)
        return int(ExitStatus.INTERRUPTED)
