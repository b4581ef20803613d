"""Benchmark `newsfetch normalize`: posts per second on a generated archive, one core and all cores.

The archive (default 20,000 posts) is built from the shapes of the real posts in
shared/corpus/finews-posts (text-only flashes, digest + HTML, the CRLF HTML seed post, …) in their real
proportions, each copy under its own file name. Four runs per core count: a fresh archive is rewritten in place
(every post changes: HTML → Markdown, durable atomic writes), then the same archive is checked again
(`--check`: nothing changes, nothing is written — the CI and cron case).

    python benchmarks/normalize.py [--posts 20000] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from newsfetch.archive.run import Options, find_targets, normalize_paths

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "finews-posts"


def shapes(corpus: Path) -> list[tuple[str, bytes]]:
    posts = [(p.name, p.read_bytes()) for p in sorted(corpus.glob("*.md")) if p.name != "README.md"]
    if not posts:
        sys.exit(f"no posts in {corpus}")
    return posts


def generate(folder: Path, posts: list[tuple[str, bytes]], count: int) -> None:
    target = folder / "_posts"
    target.mkdir(parents=True)
    for n in range(count):
        name, data = posts[n % len(posts)]
        stem = name[:-3]
        (target / f"{stem}-{n:06d}.md").write_bytes(data)


def timed(folder: Path, jobs: int, options: Options) -> tuple[float, dict[str, int]]:
    start = time.perf_counter()
    results = normalize_paths(find_targets([folder]), options, jobs=jobs)
    seconds = time.perf_counter() - start
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    return seconds, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    posts = shapes(args.corpus)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    html = sum(1 for _, data in posts if b"<p" in data)
    print(f"{args.posts} posts from {len(posts)} corpus shapes ({html} with HTML bodies); {cores} cores; "
          f"Python {sys.version.split()[0]}\n")
    rows = []
    with tempfile.TemporaryDirectory(prefix="nf-bench-") as tmp:
        for jobs in sorted({1, cores}):
            folder = Path(tmp) / f"jobs{jobs}"
            generate(folder, posts, args.posts)
            rewrite, counts = timed(folder, jobs, Options())
            assert counts.get("changed", 0) > 0 and counts.get("failed", 0) == 0, counts
            check, counts2 = timed(folder, jobs, Options(write=False))
            assert counts2.get("changed", 0) == 0, counts2  # the second run changes nothing
            rows.append((jobs, rewrite, check))
            shutil.rmtree(folder)
    print("| processes | rewrite (posts/s) | check, nothing to change (posts/s) |")
    print("|---:|---:|---:|")
    for jobs, rewrite, check in rows:
        print(f"| {jobs} | {args.posts / rewrite:,.0f} | {args.posts / check:,.0f} |")


if __name__ == "__main__":
    main()
