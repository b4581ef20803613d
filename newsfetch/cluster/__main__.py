"""``python -m newsfetch.cluster --redis URL [--name NAME]``: the worker `newsfetch crawl --workers N` starts here.

The same worker as ``newsfetch worker`` (`worker.run_worker`), without the command line's start-up (Typer, Rich and
every command's module, half a second of CPU per process): on a small machine a crawl's local workers start
while it is already fetching, so what they cost before their first request is taken from the crawl itself.
``--processes N`` forks N workers from one process that has done the start-up once (`launcher`).
Errors are one line on stderr and the exit codes of ``newsfetch worker``.
"""

from __future__ import annotations

import argparse
import logging
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsfetch.cluster", description=__doc__.splitlines()[0])
    parser.add_argument("--redis", required=True, metavar="URL")
    parser.add_argument("--name", default="crawl")
    parser.add_argument("--wait", type=float, default=60.0)
    parser.add_argument("--processes", type=int, default=1, metavar="N")
    parser.add_argument("--stats", action="store_true", help="with --processes: each worker's CPU and peak RSS")
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    from .launcher import can_fork, exit_code_of, run_workers, worker_entry

    if args.processes < 1:
        parser.error("--processes must be at least 1")
    if args.processes == 1 or not can_fork():
        return worker_entry(args.redis, args.name, args.wait)   # (without fork, crawl starts one per worker)
    return exit_code_of(lambda: run_workers(args.redis, args.name, args.processes, wait=args.wait,
                                            entry=worker_entry, stats=args.stats))


if __name__ == "__main__":
    sys.exit(main())
