"""Big input with the caps in force: peak memory and time of ``newsfetch file`` on a 50 MB page and of
``newsfetch normalize`` on a 10,000-post archive. Prints a Markdown table.

Each case runs as its own ``python -m newsfetch`` process; peak RSS comes from `os.wait4`. Baselines in the same
run: the same page at 5 MB (so the 50 MB row reads as a ratio, and linear growth shows as ~10×), and normalize of
1,000 posts (the 10,000-post row should be ~10× its time and about the same memory: posts are streamed, not
held). The 50 MB page is also given with the default cap (10 MB), which must refuse it at once with exit 6.

    .venv/bin/python benchmarks/big_input.py                 # about two minutes on a 2-core machine
    .venv/bin/python benchmarks/big_input.py --posts 2000    # a quicker look
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.pages import article_page  # noqa: E402
from tests.test_normalize_crash import variant  # noqa: E402  (a post shaped like the archive's old posts)

URL = "https://finance.eastmoney.com/a/202401032900000003.html"


def big_page(megabytes: int) -> bytes:
    """An article page padded with ordinary paragraphs to about `megabytes` MB."""
    paragraph = "<p>　　这是一段普通的新闻正文，用来把页面撑大，内容足够长以便被识别为正文，讲述市场的变化。</p>\n"
    count = megabytes * 1024 * 1024 // len(paragraph.encode())
    page = article_page(3).decode()
    return page.replace("<p>　　第二段", paragraph * count + "<p>　　第二段").encode()


def run(args: list[str], stdin: bytes | None = None) -> tuple[int, float, float]:
    """(exit code, seconds, peak RSS MiB) of ``python -m newsfetch ARGS``."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "newsfetch", *args], stdin=subprocess.PIPE if stdin else None,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if stdin:
        try:
            process.stdin.write(stdin)
            process.stdin.close()
        except BrokenPipeError:
            pass  # the cap: newsfetch stopped reading and exited, as it should
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    return os.waitstatus_to_exitcode(status), elapsed, usage.ru_maxrss / 1024


def archive(folder: Path, posts: int) -> Path:
    (folder / "_posts").mkdir(parents=True)
    for n in range(posts):
        (folder / "_posts" / f"2021-12-30-{n:05d}.md").write_bytes(variant(n % 5))
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each page case (the median is shown)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        for megabytes in (5, args.megabytes):
            page = tmp_path / f"page-{megabytes}.html"
            page.write_bytes(big_page(megabytes))
            cap = str(megabytes * 1024 * 1024 + 1024 * 1024)
            results = [run(["file", str(page), "--url", URL, "--max-bytes", cap]) for _ in range(args.runs)]
            code = results[0][0]
            rows.append((f"file, {megabytes} MB page, --max-bytes {int(cap) // 2**20} MiB", code,
                         statistics.median(r[1] for r in results), statistics.median(r[2] for r in results)))
        code, seconds, peak = run(["file", str(tmp_path / f"page-{args.megabytes}.html"), "--url", URL])
        rows.append((f"file, {args.megabytes} MB page, default cap (10 MiB)", code, seconds, peak))
        code, seconds, peak = run(["file", "-", "--url", URL], stdin=(tmp_path / f"page-{args.megabytes}.html")
                                  .read_bytes())
        rows.append((f"file -, {args.megabytes} MB on stdin, default cap", code, seconds, peak))
        for posts in (args.posts // 10, args.posts):
            folder = archive(tmp_path / f"archive-{posts}", posts)
            code, seconds, peak = run(["normalize", str(folder), "--jobs", "2"])
            rows.append((f"normalize, {posts:,} posts, --jobs 2", code, seconds, peak))
    print("| case | exit | seconds | peak RSS MiB |")
    print("|---|---:|---:|---:|")
    for case, code, seconds, peak in rows:
        print(f"| {case} | {code} | {seconds:.1f} | {peak:.0f} |")
    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs; page rows: median of {args.runs} runs; "
          "peak RSS: the largest process of the run (wait4 counts the children it waited for).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
