"""Cluster benchmark: `newsfetch crawl` with 1, 2 and 4 worker processes against the politeness bound and
single-process `newsfetch batch`, in one run; peak memory of Redis and of each worker; the writer alone in posts/s.

5,000 URLs over 20 local hosts (127.0.0.1–20, served by a child process) answering in 100 ms; per-host limit 2
in flight, no per-second cap. The limits allow at best 5,000 × 0.1 s / (20 × 2) = 12.5 s. Each crawl gets a fresh
redis-server (no persistence), a fresh archive, `crawl --workers 0` (the writer) and the N worker processes
started here as `crawl --workers N` starts them (`python -m newsfetch.cluster --processes N`: one process starts
up and forks the N workers), so their CPU time is read with wait4 (the forked workers' included) and each
worker's peak RSS from the line it reports at its end (`--stats`); Redis's peak RSS is its VmHWM and its CPU
time its own INFO; the servers' CPU time is read from /proc. Every worker may hold 40 requests in flight (the
whole bound), so what separates 1, 2 and 4 workers is CPU, not a setting: the table says how many milliseconds
of CPU each part spent per URL and how many cores the whole run kept busy, which is what limits it on a small machine.
Wall time runs from starting `crawl` to its exit, start-up of every process included; "first post" is when the
writer reported its first article. "CPU floor" is the CPU seconds all the run's processes spent over the machine's
cores: no schedule of that work on this machine finishes sooner, so it says whether the target (1.3× the bound)
is reachable here at all. A "machine check" before and after the runs times a fixed extraction loop alone and on
every core at once: how much the CPU time of the same work moves on this machine while the benchmark runs.

    .venv/bin/python benchmarks/cluster.py                  # needs redis-server and the scrapy extra
    .venv/bin/python benchmarks/cluster.py --urls 1000      # a shorter run
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402

from benchmarks.batch import Servers, urls_for  # noqa: E402
from newsfetch.archive.config import load_config  # noqa: E402
from newsfetch.batch.state import State  # noqa: E402
from newsfetch.cluster.connection import prefix_of  # noqa: E402
from newsfetch.cluster.records import Record  # noqa: E402
from newsfetch.cluster.writer import ArchiveWriter  # noqa: E402
from newsfetch.pipeline import extract  # noqa: E402
from tests.support.pages import article_page  # noqa: E402


class RedisServer:
    """A throwaway redis-server on a free port, its files in `folder`."""

    def __init__(self, folder: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.proc = subprocess.Popen([shutil.which("redis-server") or "redis-server", "--port", str(self.port),
                                      "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
                                     stdout=subprocess.DEVNULL)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        client = redis.Redis(port=self.port)
        for _ in range(200):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)

    def cpu_s(self) -> float:
        info = redis.Redis(port=self.port).info("cpu")
        return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def process_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a live process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_of(usage) -> float:  # noqa: ANN001 (resource.struct_rusage)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Run:
    """One row of the table."""

    name: str
    wall: float
    peak: int                       # max in flight on one host, server side
    first_post: float | None = None
    cpu: dict[str, float] = field(default_factory=dict)    # part → CPU seconds
    redis_mb: str = ""
    worker_mb: str = ""


def cpu_floor(run: Run, cores: int) -> float:
    """The least wall time the run's CPU allows on `cores` cores: every process's CPU seconds over the cores."""
    return sum(run.cpu.values()) / cores


def crawl(listing: Path, archive: Path, scratch: Path, workers: int, per_host: int, concurrency: int,
          servers_pid: int, worker_command: str) -> tuple[Run, dict]:
    forked = worker_command == "newsfetch.cluster"
    """The row of one crawl (wall s, first post, CPU by part, peak RSS of Redis and workers) and its summary."""
    server = RedisServer(scratch)
    try:
        servers_cpu = process_cpu_s(servers_pid)
        started = time.perf_counter()
        writer = subprocess.Popen([sys.executable, "-m", "newsfetch", "crawl", str(listing), "--archive", str(archive),
                                   "--redis", server.url, "--workers", "0", "--per-host", str(per_host), "--rate", "0",
                                   "--concurrency", str(concurrency), "--json"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        # the workers as `crawl --workers N` starts them: one process that starts up once and forks N workers
        # (`python -m newsfetch.cluster --processes N`; its CPU time from wait4 includes the workers it reaped)
        procs = [subprocess.Popen([sys.executable, "-m", *worker_command.split(), "--redis", server.url,
                                   *(["--processes", str(workers), "--stats"] if forked else [])],
                                  stdout=subprocess.DEVNULL, stderr=log.open("w"))
                 for log in [scratch / f"workers-{n}.log" for n in range(1 if forked else workers)]]
        tail, first_post = follow_log(writer, started)
        _, status, writer_usage = os.wait4(writer.pid, 0)
        wall = time.perf_counter() - started
        worker_mb, worker_cpu = [], 0.0
        for n, proc in enumerate(procs):
            _, _, usage = os.wait4(proc.pid, 0)
            lines = (scratch / f"workers-{n}.log").read_text().splitlines()
            reports = [json.loads(line) for line in lines if line.startswith('{"event": "worker"')]
            worker_mb.extend([report["peak_rss_mb"] for report in reports] or [usage.ru_maxrss / 1024])
            worker_cpu += cpu_of(usage)
        summary = json.loads(tail)
        assert status == 0 and summary.get("event") == "summary", tail
        cpu = {"workers": worker_cpu, "writer": cpu_of(writer_usage),
               "servers": process_cpu_s(servers_pid) - servers_cpu, "Redis": server.cpu_s()}
        return Run(f"newsfetch crawl, {workers} worker{'s' if workers > 1 else ''}", wall, 0, first_post, cpu,
                   f"{server.peak_rss_mb():.0f}", " / ".join(f"{mb:.0f}" for mb in worker_mb)), summary
    finally:
        server.close()


def follow_log(proc: subprocess.Popen, started: float) -> tuple[str, float | None]:
    """Read a run's JSON log to its end: its last line (the summary) and the seconds to its first new post."""
    tail, first_post = "", None
    for line in proc.stderr:
        tail = line
        if first_post is None and '"status": "new"' in line:
            first_post = time.perf_counter() - started
    return tail, first_post


def batch(listing: Path, archive: Path, per_host: int, concurrency: int, servers_pid: int) -> tuple[Run, dict]:
    archive.mkdir()
    servers_cpu = process_cpu_s(servers_pid)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "newsfetch", "batch", str(listing), "--archive", str(archive),
                             "--per-host", str(per_host), "--rate", "0", "--concurrency", str(concurrency),
                             "--json"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    tail, first_post = follow_log(proc, started)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    assert status == 0, tail
    cpu = {"workers": cpu_of(usage), "servers": process_cpu_s(servers_pid) - servers_cpu}
    return Run(f"newsfetch batch (one process, {concurrency} threads) — baseline", wall, 0, first_post, cpu), \
        json.loads(tail)


def writer_alone(scratch: Path, count: int) -> float:
    """Posts per second of the archive writer alone: `count` records waiting in Redis, written to an empty archive;
    each record carries its post rendered, as workers push them."""
    server = RedisServer(scratch)
    try:
        client = redis.Redis(port=server.port)
        prefix = prefix_of("bench")
        archive = scratch / "writer-alone"
        archive.mkdir()
        urls = [f"http://127.0.0.1:1/a/{n}.html" for n in range(count)]
        style = load_config(archive).style
        for start in range(0, count, 500):
            with client.pipeline(transaction=False) as pipe:
                for n, url in enumerate(urls[start:start + 500], start):
                    pipe.lpush(f"{prefix}:out", Record.of_article(url, extract(article_page(n), url), style,
                                                                  final_url=url).dumps())
                pipe.execute()
        state = State(archive)
        state.start_run(0)
        for url in urls:
            state.ingest(url, "127.0.0.1:1", refresh=False)
        state.flush()
        writer = ArchiveWriter(client, prefix, archive, state)
        started = time.perf_counter()
        written = 0
        while written < count:
            written += writer.step(1.0)
        elapsed = time.perf_counter() - started
        writer.close()
        state.close()
        assert len(list((archive / "_posts").iterdir())) == count
        return count / elapsed
    finally:
        server.close()


def spin(pages: int) -> float:
    """CPU ms per page of a fixed extraction loop in this process (the unit of `core_contention`)."""
    html = [article_page(n) for n in range(100)]
    for n in range(20):
        extract(html[n], f"http://127.0.0.1:1/a/{n}.html")
    started = time.process_time()
    for n in range(pages):
        extract(html[n % 100], f"http://127.0.0.1:1/a/{n}.html")
    return (time.process_time() - started) * 1000 / pages


def core_contention(pages: int = 1500) -> tuple[float, float]:
    """CPU ms per page of the same extraction loop run alone, then in one process per core at once (median of
    the processes): how much the CPU time of fixed work moves on this machine, from one moment to the next and
    when every core is busy (a VM's cores may share physical cores or caches, with each other or neighbours)."""
    def run(copies: int) -> float:
        procs = [subprocess.Popen([sys.executable, __file__, "--spin", str(pages)], stdout=subprocess.PIPE, text=True)
                 for _ in range(copies)]
        values = sorted(float(proc.communicate()[0]) for proc in procs)
        return values[len(values) // 2]
    return run(1), run(os.cpu_count() or 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spin", type=int, help=argparse.SUPPRESS)   # a child of core_contention
    parser.add_argument("--urls", type=int, default=5000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--writer-posts", type=int, default=2000)
    parser.add_argument("--worker-command", default="newsfetch.cluster", help="module (and arguments) a worker is "
                        "started with: newsfetch.cluster (as crawl --workers N does) or 'newsfetch worker'")
    args = parser.parse_args()
    if args.spin:
        print(f"{spin(args.spin):.4f}")
        return
    contention = [core_contention()]
    slots = args.hosts * args.per_host
    bound = args.urls * args.latency / slots
    rows: list[Run] = []
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        servers = Servers(args.hosts, args.latency)
        try:
            listing = scratch / "list.txt"
            listing.write_text("\n".join(urls_for(servers.bases, args.urls)) + "\n")
            servers.stats()
            run, summary = batch(listing, scratch / "batch", args.per_host, slots, servers.child.pid)
            assert summary["new"] == args.urls, summary
            run.peak = max(v[0] for v in servers.stats().values())
            rows.append(run)
            for workers in [int(w) for w in args.workers.split(",")]:
                archive = scratch / f"crawl-{workers}"
                archive.mkdir()
                run, summary = crawl(listing, archive, scratch, workers, args.per_host, slots, servers.child.pid,
                                     args.worker_command)
                assert summary["new"] == args.urls, summary
                run.peak = max(v[0] for v in servers.stats().values())
                rows.append(run)
        finally:
            servers.close()
        posts_per_s = writer_alone(scratch, args.writer_posts)
    contention.append(core_contention())
    load = os.getloadavg()
    print(f"{args.urls:,} URLs over {args.hosts} local hosts answering in {args.latency * 1000:.0f} ms, per host "
          f"{args.per_host} in flight, no per-second cap: bound {args.urls:,} × {args.latency:g} s / "
          f"({args.hosts} × {args.per_host}) = {bound:g} s. {os.cpu_count()} cores, {platform.machine()}, Python "
          f"{platform.python_version()}, load average {load_start:.1f} at the start and {load[0]:.1f} at the end "
          f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}).\n")
    cores = os.cpu_count() or 1
    print("| run | wall s | vs bound | URLs/s | first post s | max in flight on one host (server side) "
          "| CPU ms/URL: workers · writer · servers · Redis | cores busy | CPU floor s (vs bound) "
          "| Redis peak RSS MB | worker peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---|")
    for run in rows:
        per_url = " · ".join(f"{run.cpu[part] * 1000 / args.urls:.2f}" if part in run.cpu else "–"
                             for part in ("workers", "writer", "servers", "Redis"))
        first = f"{run.first_post:.1f}" if run.first_post is not None else ""
        floor = cpu_floor(run, cores)
        print(f"| {run.name} | {run.wall:.2f} | {run.wall / bound:.2f}× | {args.urls / run.wall:.0f} | {first} "
              f"| {run.peak} | {per_url} | {sum(run.cpu.values()) / run.wall:.2f} | {floor:.2f} ({floor / bound:.2f}×) "
              f"| {run.redis_mb} | {run.worker_mb} |")
    crawls = [run for run in rows if run.name.startswith("newsfetch crawl")]
    if crawls:
        best = min(crawls, key=lambda run: cpu_floor(run, cores))
        verdict = "cannot" if cpu_floor(best, cores) > 1.3 * bound else "can"
        print(f"\nCPU floor: the CPU seconds every process of the run spent (workers, writer, servers, Redis) over the "
              f"machine's {cores} cores, the least wall time the run could take even with no other job on the "
              f"machine. Bound {bound:g} s, target 1.3× = {1.3 * bound:.2f} s; the lowest crawl floor here is "
              f"{cpu_floor(best, cores):.2f} s ({best.name}): on this machine the target {verdict} be reached.")
    (alone0, busy0), (alone1, busy1) = contention
    print(f"\nMachine check: a fixed extraction loop cost {alone0:.2f} ms of CPU a page in one process alone and "
          f"{busy0:.2f} ms with all {cores} cores busy with it before the runs, {alone1:.2f} and {busy1:.2f} ms after "
          "them. The same work's CPU time moves this much on this machine (other jobs on its host, cores that share "
          "caches): read the runs' CPU per URL against it, not only against each other.")
    print(f"\nThe archive writer alone: {posts_per_s:.0f} posts/s ({args.writer_posts:,} records waiting in Redis, "
          "written to an empty archive, state rows committed per chunk). For batch, \"workers\" is its one process "
          "(fetching, extracting and writing).")


if __name__ == "__main__":
    main()
