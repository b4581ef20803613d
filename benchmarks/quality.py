"""Extraction quality of newsfetch's generic parser against trafilatura, readability-lxml, newspaper4k and GNE.

    .venv/bin/python benchmarks/quality.py [--passes 3] [--pages NAME,NAME] [--details]

Runs every tool over the labelled evaluation set (eval/, see benchmarks/evalset.py) and prints one table:
body F1, title exact match, time match, outlet match, boilerplate leakage, and pages/s (median of the
passes). newsfetch is called as `GenericParser().parse(Page(...))`, so the generic parser is measured even
for hosts that have a parser of their own. Needs the `bench` extra (pip install -e '.[bench]').
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evalset import EVAL, Case, body_f1, leakage, load_cases, outlet_match, time_match, title_match  # noqa: E402

from newsfetch.dates import parse_cn_datetime, parse_iso_datetime  # noqa: E402
from newsfetch.page import Page  # noqa: E402
from newsfetch.parsers.generic import GenericParser  # noqa: E402


@dataclass
class Result:
    title: str | None = None
    body: str = ""
    published: datetime | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)


def _naive(text: str | None) -> datetime | None:
    """A date string as a tool returns it; no zone is added (the scorer reads it in the label's zone)."""
    if not text:
        return None
    value = parse_iso_datetime(str(text))
    if value is None:
        return None
    return value if ("+" in str(text)[10:] or str(text).endswith("Z") or "-" in str(text)[19:]) \
        else value.replace(tzinfo=None)


def run_newsfetch(case: Case) -> Result:
    parser = GenericParser()
    article = parser.parse(Page(html=case.html, url=case.url))
    return Result(article.title, article.text, article.published, article.source, list(article.authors))


def run_trafilatura(case: Case) -> Result:
    import json

    import trafilatura

    raw = trafilatura.extract(case.html, url=case.url, output_format="json", with_metadata=True,
                              date_extraction_params={"outputformat": "%Y-%m-%d %H:%M:%S",
                                                      "extensive_search": True, "original_date": True})
    if not raw:
        return Result()
    data = json.loads(raw)
    return Result(data.get("title"), data.get("text") or "", _naive(data.get("date")),
                  data.get("sitename") or data.get("source-hostname"),
                  [a.strip() for a in (data.get("author") or "").split(";") if a.strip()])


def run_readability(case: Case) -> Result:
    from readability import Document

    document = Document(case.html, url=case.url)
    summary = document.summary(html_partial=True)
    body = lxml.html.fromstring(summary) if summary.strip() else None
    text = "\n".join(t.strip() for t in body.itertext() if t.strip()) if body is not None else ""
    return Result(document.short_title(), text)


def run_newspaper(case: Case) -> Result:
    import newspaper

    # language="zh" scores worse on this set (F1 0.37 against 0.42); no image fetching (no network here)
    article = newspaper.Article(case.url, fetch_images=False)
    article.download(input_html=case.html)
    article.parse()
    published = article.publish_date if isinstance(article.publish_date, datetime) else None
    return Result(article.title, article.text or "", published, article.meta_site_name or None, list(article.authors))


def run_gne(case: Case) -> Result:
    from gne import GeneralNewsExtractor

    data = GeneralNewsExtractor().extract(case.html)
    stamp = data.get("publish_time") or None
    published = parse_cn_datetime(stamp) if stamp else None
    if published is not None and not any(mark in stamp for mark in ("+", "Z")):
        published = published.replace(tzinfo=None)
    return Result(data.get("title"), data.get("content") or "", published, None,
                  [data["author"]] if data.get("author") else [])


TOOLS: dict[str, Callable[[Case], Result]] = {
    "newsfetch generic": run_newsfetch,
    "trafilatura": run_trafilatura,
    "readability-lxml": run_readability,
    "newspaper4k": run_newspaper,
    "gne": run_gne,
}


def _safe(tool: Callable[[Case], Result], case: Case) -> Result:
    try:
        return tool(case)
    except Exception:  # a tool that fails on a page scores zero there, like an empty result
        return Result()


def evaluate(cases: list[Case], passes: int) -> tuple[dict, dict]:
    results: dict[str, list[Result]] = {}
    speed: dict[str, float] = {}
    for name, tool in TOOLS.items():
        rates = []
        for _ in range(passes):
            start = time.perf_counter()
            run = [_safe(tool, case) for case in cases]
            rates.append(len(cases) / (time.perf_counter() - start))
        results[name] = run
        speed[name] = statistics.median(rates)
    return results, speed


def table(cases: list[Case], results: dict, speed: dict) -> str:
    rows = ["| tool | body F1 | title exact | time | outlet | leakage ↓ | pages/s |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    with_time = [c for c in cases if c.time]
    with_outlet = [c for c in cases if c.outlets]
    for name, run in results.items():
        by_case = dict(zip([c.name for c in cases], run))
        f1 = statistics.mean(body_f1(by_case[c.name].body, c.body, c.chinese) for c in cases)
        titles = sum(title_match(by_case[c.name].title, c.title) for c in cases)
        times = sum(time_match(by_case[c.name].published, c.time) for c in with_time)
        outlets = sum(outlet_match(by_case[c.name].outlet, c.outlets) for c in with_outlet)
        found = sum(leakage(by_case[c.name].body, c.noise)[0] for c in cases)
        total = sum(len(c.noise) for c in cases)
        leaked = f"{found / total:.1%}" if total else "–"
        rows.append(f"| {name} | {f1:.3f} | {titles}/{len(cases)} | {times}/{len(with_time)} | "
                    f"{outlets}/{len(with_outlet)} | {leaked} | {speed[name]:.1f} |")
    return "\n".join(rows)


def details(cases: list[Case], results: dict) -> str:
    lines = []
    for case in cases:
        cells = []
        for name, run in results.items():
            result = run[cases.index(case)]
            cells.append(f"{name.split()[0]}={body_f1(result.body, case.body, case.chinese):.2f}"
                         f"{'T' if title_match(result.title, case.title) else '-'}"
                         f"{'D' if time_match(result.published, case.time) else '-'}"
                         f"{'O' if outlet_match(result.outlet, case.outlets) else '-'}")
        lines.append(f"{case.name:16} " + " ".join(cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--passes", type=int, default=3, help="timing passes per tool (median is shown)")
    options.add_argument("--pages", help="comma-separated page names (default: all)")
    options.add_argument("--details", action="store_true", help="per-page F1 and T(itle) D(ate) O(utlet) hits")
    args = options.parse_args(argv)
    warnings.filterwarnings("ignore")
    logging.disable(logging.CRITICAL)
    wanted = set(args.pages.split(",")) if args.pages else None
    for labels, heading in ((EVAL / "labels.json", "Sites without a dedicated parser"),
                            (EVAL / "labels-corpus.json", "Real pages of sites with a parser of their own, "
                                                          "read through the generic parser")):
        cases = [c for c in load_cases(labels) if wanted is None or c.name in wanted]
        if not cases:
            continue
        results, speed = evaluate(cases, max(args.passes, 1))
        real = sum(c.real for c in cases)
        print(f"{heading}: {len(cases)} pages ({len(cases) - real} written for the project, {real} real), "
              f"{sum(c.chinese for c in cases)} Chinese\n")
        print(table(cases, results, speed))
        if args.details:
            print()
            print(details(cases, results))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
