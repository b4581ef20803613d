"""Batch benchmark: politeness-bound wall time, and memory over a long list. Prints a Markdown table.

Part 1 — 2,000 URLs over 10 local hosts, each answering in 100 ms; per-host limit 2 in flight, no per-second cap.
The limits allow at best 2,000 × 0.1 s / (10 × 2) = 10 s. Compared, in the same run, with a naive sequential
loop (timed on a sample and extrapolated: the table says so) and a plain ThreadPoolExecutor with no politeness.
Part 2 — peak RSS of `newsfetch batch` (a separate process, measured with wait4) for a 1,000- and a
100,000-URL list served by fast local servers.

The servers run in a child process (so they do not share the batch's interpreter lock); pages are small
Eastmoney-shaped article pages, so every URL goes through fetch → decode → parse → clean → render → write.

    .venv/bin/python benchmarks/batch.py                     # both parts (part 2 takes a few minutes)
    .venv/bin/python benchmarks/batch.py --memory-urls 0     # part 1 only
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsfetch.archive.writer import write_article  # noqa: E402
from newsfetch.batch import BatchOptions, run_batch  # noqa: E402
from newsfetch.batch.politeness import HostPolicy  # noqa: E402
from newsfetch.batch.urls import read_list  # noqa: E402
from newsfetch.fetch import Fetcher  # noqa: E402
from newsfetch.pipeline import extract  # noqa: E402
from tests.support.pages import article_page  # noqa: E402
from tests.support.server import LocalServer, Reply  # noqa: E402

DISTINCT_ARTICLES = 1000
_NUMBER = re.compile(r"/(\d+)\.html")


# ---- the server process


def serve(hosts: int, latency: float) -> None:
    """Child process: `hosts` servers on 127.0.0.1…; answers 'stats' (and resets) and 'quit' on stdin."""
    def page(request):
        match = _NUMBER.search(request.path)
        if not match:
            return Reply(b"not found", status=404, headers={"Content-Type": "text/plain"})
        n = int(match.group(1))
        return Reply(article_page(n % DISTINCT_ARTICLES if request.path.startswith("/m/") else n), delay=latency)

    servers = [LocalServer(host=f"127.0.0.{i + 1}", fallback=page, keep_log=False) for i in range(hosts)]
    for server in servers:
        server.__enter__()
        server.httpd.request_queue_size = 128
    print(json.dumps([s.base for s in servers]), flush=True)
    for line in sys.stdin:
        if line.strip() == "stats":
            print(json.dumps({s.base: [s.max_in_flight, s.requests] for s in servers}), flush=True)
            for s in servers:
                s.max_in_flight, s.requests = 0, 0
        elif line.strip() == "quit":
            break


class Servers:
    def __init__(self, hosts: int, latency: float) -> None:
        self.child = subprocess.Popen([sys.executable, __file__, "--serve", "--hosts", str(hosts),
                                       "--latency", str(latency)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      text=True)
        self.bases: list[str] = json.loads(self.child.stdout.readline())

    def stats(self) -> dict[str, list[int]]:
        self.child.stdin.write("stats\n")
        self.child.stdin.flush()
        return json.loads(self.child.stdout.readline())

    def close(self) -> None:
        self.child.stdin.write("quit\n")
        self.child.stdin.flush()
        self.child.wait(timeout=10)


# ---- part 1: wall time against the politeness bound


def urls_for(bases: list[str], count: int) -> list[str]:
    return [f"{bases[n % len(bases)]}/a/{n}.html" for n in range(count)]


def one(fetcher: Fetcher, url: str, archive: Path) -> str:
    response = fetcher.get(url)
    return write_article(archive, extract(response.content, response.url, headers=response.headers)).status


def sequential(urls: list[str], archive: Path) -> float:
    started = time.perf_counter()
    with Fetcher() as fetcher:
        for url in urls:
            one(fetcher, url, archive)
    return time.perf_counter() - started


def thread_pool(urls: list[str], archive: Path, workers: int) -> float:
    local = threading.local()

    def task(url: str) -> str:
        if not hasattr(local, "fetcher"):
            local.fetcher = Fetcher()
        return one(local.fetcher, url, archive)

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        statuses = list(pool.map(task, urls))
    assert statuses.count("new") == len(urls), "the thread pool lost pages"
    return time.perf_counter() - started


def polite(urls: list[str], archive: Path, per_host: int, concurrency: int) -> float:
    started = time.perf_counter()
    summary = run_batch(read_list(urls), archive, BatchOptions(concurrency=concurrency,
                                                               host_policy=HostPolicy(per_host, 0.0)))
    assert summary.new == len(urls), summary
    return time.perf_counter() - started


def part_one(args: argparse.Namespace, scratch: Path) -> list[str]:
    servers = Servers(args.hosts, args.latency)
    try:
        urls = urls_for(servers.bases, args.urls)
        bound = args.urls * args.latency / (args.hosts * args.per_host)
        rows = []
        servers.stats()
        cpu = time.process_time()
        wall = polite(urls, scratch / "polite", args.per_host, args.hosts * args.per_host)
        cpu = time.process_time() - cpu
        peak = max(v[0] for v in servers.stats().values())
        rows.append(("newsfetch batch (per host 2 in flight, 20 workers)", f"{wall:.2f}", f"{wall / bound:.2f}×",
                     f"{cpu:.1f}", str(peak), "measured"))
        for workers in (args.hosts * args.per_host, args.pool_workers):
            cpu = time.process_time()
            wall = thread_pool(urls, scratch / f"pool{workers}", workers)
            cpu = time.process_time() - cpu
            peak = max(v[0] for v in servers.stats().values())
            rows.append((f"plain ThreadPoolExecutor ({workers} workers, no politeness)", f"{wall:.2f}",
                         f"{wall / bound:.2f}×", f"{cpu:.1f}", str(peak), "measured"))
        sample = urls[:args.sample]
        cpu = time.process_time()
        wall = sequential(sample, scratch / "seq") * len(urls) / len(sample)
        cpu = (time.process_time() - cpu) * len(urls) / len(sample)
        peak = max(v[0] for v in servers.stats().values())
        rows.append(("naive sequential loop", f"{wall:.1f}", f"{wall / bound:.2f}×", f"{cpu:.1f}", str(peak),
                     f"extrapolated from {len(sample)} URLs"))
    finally:
        servers.close()
    lines = [f"{args.urls:,} URLs over {args.hosts} local hosts answering in {args.latency * 1000:.0f} ms; bound "
             f"{args.urls:,} × {args.latency:g} s / ({args.hosts} × {args.per_host}) = {bound:g} s", "",
             "| run | wall s | vs bound | CPU s (client process) | max in flight on one host (server side) | note |",
             "|---|---:|---:|---:|---:|---|"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    return lines


# ---- part 2: peak memory over a long list


def memory_run(bases: list[str], count: int, scratch: Path) -> tuple[float, float, str]:
    """Peak RSS (MB) and wall time of `newsfetch batch` over `count` URLs naming DISTINCT_ARTICLES articles."""
    listing = scratch / f"list-{count}.txt"
    with listing.open("w") as out:
        for n in range(count):
            # distinct URLs; the Eastmoney infoCode makes every 1,000th name the same article (see README)
            code = 202401010000000000 + n % DISTINCT_ARTICLES
            out.write(f"{bases[n % len(bases)]}/m/{n}.html?infoCode=NW{code}\n")
    archive = scratch / f"memory-{count}"
    archive.mkdir()
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "newsfetch", "batch", str(listing), "--archive", str(archive),
                              "--rate", "0", "--per-host", "4", "--concurrency", "8", "--log-format", "json"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    tail = ""
    for line in child.stderr:
        tail = line
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    summary = json.loads(tail)
    assert os.waitstatus_to_exitcode(status) == 0, tail
    outcome = f"{summary['new']:,} new, {summary['updated']:,} updated, {summary['unchanged']:,} unchanged"
    return usage.ru_maxrss / 1024, wall, outcome


def part_two(args: argparse.Namespace, scratch: Path) -> list[str]:
    servers = Servers(4, 0.0)
    try:
        rows = [(count, *memory_run(servers.bases, count, scratch)) for count in (1000, args.memory_urls)]
    finally:
        servers.close()
    lines = ["", f"Peak memory of `newsfetch batch` (4 local hosts, no latency, 8 workers):", "",
             "| URLs in the list | peak RSS MB | wall s | URLs/s | outcome |", "|---:|---:|---:|---:|---|"]
    lines += [f"| {count:,} | {rss:.0f} | {wall:.1f} | {count / wall:.0f} | {outcome} |"
              for count, rss, wall, outcome in rows]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--pool-workers", type=int, default=50)
    parser.add_argument("--sample", type=int, default=100, help="URLs timed for the sequential extrapolation")
    parser.add_argument("--memory-urls", type=int, default=100_000, help="0 skips the memory part")
    args = parser.parse_args()
    if args.serve:
        serve(args.hosts, args.latency)
        return
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start, "
          f"Python {platform.python_version()}\n")
    with tempfile.TemporaryDirectory(prefix="newsfetch-bench-") as scratch:
        lines = part_one(args, Path(scratch))
        if args.memory_urls:
            lines += part_two(args, Path(scratch))
    lines.append(f"\nload average {os.getloadavg()[0]:.1f} at the end (other work shares this machine)")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
