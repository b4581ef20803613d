"""Long run of the safety proof (tests/test_fuzz_safety.py): many more hostile inputs, one jekyll build.

Each example is three posts: a hostile HTML fragment in a page through ``file --archive``'s pipeline, the same
fragment as an old post's body through ``normalize``, and a hostile Markdown body through ``normalize``. Prints a
table: posts, unsafe or changed posts, time to draw and write them, time of the jekyll build. Hypothesis's seed
is fixed (derandomize), so a run is repeatable; ``--start`` numbers the posts only.

    .venv/bin/python benchmarks/fuzz_safety.py --examples 5000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.safety import build_and_check, find_jekyll  # noqa: E402
from tests.test_fuzz_safety import draw_cases, issue_cases  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=5000)
    parser.add_argument("--show", type=int, default=10, help="failing posts to print in full")
    parser.add_argument("--per-site", type=int, default=300,
                        help="posts per jekyll build (jekyll's time grows faster than its post count)")
    args = parser.parse_args()
    jekyll = find_jekyll()
    if not jekyll:
        print("jekyll is not installed (apt-get install jekyll)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    cases = draw_cases(args.examples) + issue_cases(args.examples)
    drawn = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        report = build_and_check(cases, Path(folder), jekyll, args.per_site)
    checked = time.perf_counter()
    chunks = -(-len(cases) // args.per_site)
    print("| posts | jekyll builds | unsafe or text changed | draw + render (s) | build + check (s) |")
    print("|---:|---:|---:|---:|---:|")
    print(f"| {len(cases)} | {chunks} | {len(report)} | {drawn - started:.1f} | {checked - drawn:.1f} |")
    for entry in report[:args.show]:
        print(entry)
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main())
