"""Benchmark: pages/s and peak memory of newsfetch.extract() beside trafilatura and readability-lxml.

Page sets, each tool given the same raw bytes and address:

- site: pages a dedicated parser reads — the fixtures of every site parser, plus the real pages in
  ../shared/corpus/news-pages*/ whose address a site parser claims ("site, real" repeats those alone);
- generic: fixtures/generic/ plus every real corpus page, all read by the generic parser (newsfetch is made
  to ignore its site parsers for these, so this measures the fallback on real, heavy pages);
- generic, readability / generic, zh-web: the article pages of two real labelled sets nobody here wrote
  (../shared/corpus/labelled/, see benchmarks/labelled.py), read by the generic parser: the pages on which
  benchmarks/quality.py scores it. Skipped when the labelled corpus is absent.

Speed is the median over --passes passes of the CPU time each tool spends (tools alternate page by page, so
load from other jobs hits all alike).
Memory is measured in a fresh child process per tool and set: peak RSS (VmHWM, counted from after the pages are
loaded, where Linux allows) and its growth over the RSS after imports and the first page. Run:

    .venv/bin/python benchmarks/extract.py [--passes 5] [--corpus ../shared/corpus] [--sets "site, real,generic"]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
TOOLS = ("newsfetch", "trafilatura", "readability")
LABELLED_SETS = ("readability", "zh-web")  # of benchmarks/labelled.py: one English-first, one Chinese
_URL_LINE = re.compile(rb"^<!--\s*url:\s*(\S+)\s*-->")
_README_ROW = re.compile(r"^\|\s*(\S+\.html)\s*\|\s*(https?://\S+?)\s*\|", re.M)
_EXTRA_ROW = re.compile(r"^\|\s*(\S+\.html)\s*\|\s*(?:not in the page; inferred from[^|]*?`)?(https?://[^\s`|()]+)",
                        re.M)


@dataclass(frozen=True)
class Page:
    name: str
    url: str | None
    data: bytes
    generic_only: bool = False   # read with the generic parser even where a site parser claims the address


def load_pages(corpus: Path, *, labelled: bool = True) -> dict[str, list[Page]]:
    """The page sets, in a fixed order (the labelled ones only with `labelled`)."""
    from newsfetch.registry import FALLBACK, default_registry

    registry = default_registry()
    sets: dict[str, list[Page]] = {"site": [], "site, real": [], "generic": []}

    def claimed(page: Page) -> bool:
        return registry.family_for_url(page.url) != FALLBACK

    for path in sorted((ROOT / "fixtures").glob("*/*.html")):
        data = path.read_bytes()
        match = _URL_LINE.match(data[:500])
        page = Page(f"fixtures/{path.parent.name}/{path.name}", match.group(1).decode() if match else None, data)
        sets["site" if claimed(page) else "generic"].append(page)
    for folder, row in (("news-pages", _README_ROW), ("news-pages-extra", _EXTRA_ROW)):
        readme = corpus / folder / "README.md"
        if not readme.exists():
            continue
        addresses = dict(row.findall(readme.read_text(encoding="utf-8")))
        for path in sorted((corpus / folder).glob("*.html")):
            page = Page(f"{folder}/{path.name}", addresses.get(path.name), path.read_bytes())
            if claimed(page):
                sets["site"].append(page)
                sets["site, real"].append(page)
            sets["generic"].append(Page(page.name, page.url, page.data, generic_only=True))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import labelled as labelled_sets

    if labelled and labelled_sets.available():
        for name in LABELLED_SETS:
            sets[f"generic, {name}"] = [Page(f"labelled/{name}/{page.name}", page.url, page.data, generic_only=True)
                                        for page in labelled_sets.load_set(name) if page.is_article]
    return {name: pages for name, pages in sets.items() if pages}


def extractor(tool: str) -> Callable[[Page], int]:
    """A function that extracts one page with `tool` and returns the length of the text it found."""
    if tool == "newsfetch":
        import newsfetch
        from newsfetch.errors import NewsfetchError
        from newsfetch.registry import FALLBACK, Registry, default_registry

        generic = Registry([info for info in default_registry().infos if info.name == FALLBACK])

        def run(page: Page) -> int:
            try:
                return len(newsfetch.extract(page.data, page.url,
                                             registry=generic if page.generic_only else None).markdown)
            except NewsfetchError:
                return 0
        return run
    if tool == "trafilatura":
        import trafilatura

        def run(page: Page) -> int:
            return len(trafilatura.extract(page.data, output_format="markdown", url=page.url) or "")
        return run
    if tool == "readability":
        import logging

        from readability import Document
        logging.getLogger("readability").setLevel(logging.ERROR)

        def run(page: Page) -> int:
            try:
                return len(Document(page.data).summary())
            except Exception:  # readability raises on pages it cannot read; count it as nothing found
                return 0
        return run
    raise ValueError(tool)


def time_pass(runners: dict[str, Callable[[Page], int]], pages: list[Page], turn: int
              ) -> dict[str, tuple[float, int]]:
    """One pass: every page through every tool, the tools' order rotating from page to page.

    Tools alternate page by page, so a burst of load from other jobs on a shared machine hits them alike, and
    each extraction is timed in CPU seconds of this process (what the tool costs, not how busy the machine is).
    """
    tools = list(runners)
    spent = dict.fromkeys(tools, 0.0)
    found = dict.fromkeys(tools, 0)
    for index, page in enumerate(pages):
        shift = (index + turn) % len(tools)
        for tool in tools[shift:] + tools[:shift]:
            started = time.process_time()
            found[tool] += runners[tool](page) > 0
            spent[tool] += time.process_time() - started
    return {tool: (spent[tool], found[tool]) for tool in tools}


def _rss_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def measure_memory(tool: str, set_name: str, corpus: Path) -> dict[str, float]:
    """In a fresh interpreter: peak RSS while extracting every page of the set once, and its growth."""
    code = (f"import sys, json; sys.path.insert(0, {str(ROOT)!r}); from benchmarks.extract import _memory_child; "
            f"print(json.dumps(_memory_child({tool!r}, {set_name!r}, {str(corpus)!r})))")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def _memory_child(tool: str, set_name: str, corpus: str) -> dict[str, float]:
    warnings.simplefilter("ignore")
    pages = load_pages(Path(corpus), labelled=set_name.startswith("generic, "))[set_name]
    try:  # the peak of the extraction, not of loading the pages (reading a labelled set's answers weighs more)
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")  # Linux: VmHWM starts again from the RSS now
    except OSError:
        pass
    run = extractor(tool)
    run(pages[0])  # lazy imports and caches, as in a long-running process
    base = _rss_kib("VmRSS")
    for page in pages:
        run(page)
    return {"peak_mib": _rss_kib("VmHWM") / 1024, "growth_mib": max(0, _rss_kib("VmHWM") - base) / 1024}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=5, help="timed passes per tool (median reported; >= 3)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the shared corpus folder")
    parser.add_argument("--no-memory", action="store_true", help="skip the per-tool memory runs")
    parser.add_argument("--sets", help='set names to run, joined by commas without a space: "site, real,generic" '
                                       '(default: all)')
    args = parser.parse_args(argv)
    passes = max(3, args.passes)
    warnings.simplefilter("ignore")

    sets = load_pages(args.corpus)
    if args.sets:
        wanted = [name.strip() for name in re.split(r",(?!\s)", args.sets)]  # "site, real" is one name
        unknown = [name for name in wanted if name not in sets]
        if unknown:
            parser.error(f"unknown set(s): {'; '.join(unknown)} (there are: {'; '.join(sets)})")
        sets = {name: sets[name] for name in wanted}
    runners = {tool: extractor(tool) for tool in TOOLS}
    results: dict[tuple[str, str], dict[str, float]] = {}
    for set_name, pages in sets.items():
        time_pass(runners, pages, 0)  # warm-up: imports, caches, first-call costs
        timings: dict[str, list[float]] = {tool: [] for tool in TOOLS}
        found: dict[str, int] = {}
        for turn in range(passes):
            for tool, (seconds, ok) in time_pass(runners, pages, turn).items():
                timings[tool].append(seconds)
                found[tool] = ok
        for tool in TOOLS:
            median = statistics.median(timings[tool])
            results[set_name, tool] = {"pages": len(pages), "ok": found[tool], "seconds": median,
                                       "pages_per_s": len(pages) / median}
            if not args.no_memory:
                results[set_name, tool].update(measure_memory(tool, set_name, args.corpus))

    print(f"extract() benchmark — {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, {platform.machine()}; CPU time, median of {passes} passes")
    print()
    print("| pages | tool | pages | with text | pages/s | × trafilatura | peak RSS MiB | RSS growth MiB |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for set_name in sets:
        reference = results[set_name, "trafilatura"]["pages_per_s"]
        for tool in TOOLS:
            row = results[set_name, tool]
            memory = (f"{row['peak_mib']:.0f} | {row['growth_mib']:.1f}" if "peak_mib" in row else "- | -")
            print(f"| {set_name} | {tool} | {row['pages']} | {row['ok']} | {row['pages_per_s']:.1f} | "
                  f"{row['pages_per_s'] / reference:.2f} | {memory} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
