"""Extraction quality of newsfetch's generic parser beside trafilatura, readability-lxml and GNE.

    python benchmarks/quality.py [--sets readability,dragnet,cleanportaleval,zh-web,eval] [--sample N]
                                 [--dump per-page.json] [--passes 3]

Real labelled sets (../shared/corpus/labelled/, see benchmarks/labelled.py; skipped when absent): per set one
table — body F1 mean (word 4-gram shingles; CJK character 3-grams), precision (mean over the pages where the
tool returned a body), recall, pages under F1 0.5, article pages refused or returned empty, and pages/s with
the tools alternating page by page (CPU time, so load from other jobs hits every tool alike). Pages whose gold
body is empty (CleanPortalEval's section and home pages) form the not-an-article set: a tool that returns a
body for one accepted it as an article. newsfetch is called as `GenericParser().parse(Page(decode_html(bytes)))`;
the line under each table says what `newsfetch.extract()` (the site-parser path) does with the same pages.
trafilatura runs `extract` with its defaults, readability-lxml `Document.summary`, GNE (Chinese sets only)
`GeneralNewsExtractor().extract` on the text newsfetch decoded.

`--sets eval` is the project-written regression set (eval/, benchmarks/evalset.py), reported apart with
title, time and outlet scores. `--sample N` reads N pages per set (fixed seed) for development.
Needs the `bench` extra (pip install -e '.[bench]').
"""

from __future__ import annotations

import argparse
import json
import os
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

from labelled import SETS, LabelledPage, available, body_score, load_set  # noqa: E402
from evalset import EVAL, Case, body_f1, leakage, load_cases, outlet_match, time_match, title_match  # noqa: E402

from newsfetch.dates import parse_cn_datetime, parse_iso_datetime  # noqa: E402
from newsfetch.decode import decode_html  # noqa: E402
from newsfetch.errors import NewsfetchError  # noqa: E402
from newsfetch.page import Page  # noqa: E402
from newsfetch.pipeline import extract  # noqa: E402
from newsfetch.registry import default_registry  # noqa: E402
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
try:
    import newspaper  # noqa: F401  (optional: scored only where installed)
except ImportError:
    del TOOLS["newspaper4k"]


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


# --- the real labelled sets ---------------------------------------------------------------------------

@dataclass
class Outcome:
    """What one tool made of one labelled page."""

    body: str = ""
    refused: str | None = None   # the reason, when the tool raised or returned nothing
    seconds: float = 0.0


def _text(html: str) -> str:
    body = lxml.html.fromstring(html) if html.strip() else None
    return "\n".join(t.strip() for t in body.itertext() if t.strip()) if body is not None else ""


def label_newsfetch(page: LabelledPage) -> str:
    html = decode_html(page.data, where=page.name)
    return GenericParser().parse(Page(html=html, url=page.url)).text


def label_trafilatura(page: LabelledPage) -> str:
    import trafilatura

    return trafilatura.extract(page.data, url=page.url) or ""


def label_trafilatura_no_comments(page: LabelledPage) -> str:
    import trafilatura

    return trafilatura.extract(page.data, url=page.url, include_comments=False) or ""


def label_readability(page: LabelledPage) -> str:
    from readability import Document

    return _text(Document(page.data, url=page.url).summary(html_partial=True))


def label_gne(page: LabelledPage) -> str:
    from gne import GeneralNewsExtractor

    return GeneralNewsExtractor().extract(decode_html(page.data, where=page.name)).get("content") or ""


LABELLED_TOOLS: dict[str, Callable[[LabelledPage], str]] = {
    "newsfetch generic": label_newsfetch,
    "trafilatura": label_trafilatura,
    "trafilatura, no comments": label_trafilatura_no_comments,
    "readability-lxml": label_readability,
    "gne": label_gne,
}


def _outcome(tool: Callable[[LabelledPage], str], page: LabelledPage) -> Outcome:
    start = time.process_time()
    try:
        body = tool(page)
        refused = None if body.strip() else "empty"
    except NewsfetchError as exc:
        body, refused = "", f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # a tool that fails on a page scores zero there, like an empty result
        body, refused = "", f"crash {type(exc).__name__}: {str(exc)[:120]}"
    return Outcome(body, refused, time.process_time() - start)


def _site_path(page: LabelledPage) -> str | None:
    """The site parser `newsfetch.extract()` would use for the page, or None when it is the generic one."""
    html = decode_html(page.data, where=page.name)
    probe = Page(html=html, url=page.url)
    probe.url = probe.url or probe.canonical_url()
    parser = default_registry().parser_for(probe)
    return None if parser.name == "generic" else parser.name


def run_labelled(name: str, pages: list[LabelledPage]) -> tuple[str, list[dict]]:
    """The table of one labelled set and the per-page records."""
    tools = {k: v for k, v in LABELLED_TOOLS.items() if k != "gne" or name.startswith("zh")}
    outcomes: dict[str, list[Outcome]] = {tool: [] for tool in tools}
    for page in pages:  # tools alternate page by page
        for tool, run in tools.items():
            outcomes[tool].append(_outcome(run, page))
    articles = [i for i, page in enumerate(pages) if page.is_article]
    # the refusal rate is over real article pages: not over the test snippets Readability marks non-readerable
    readerable = [i for i in articles if pages[i].readerable]
    others = [i for i, page in enumerate(pages) if not page.is_article]
    rows = [f"| tool | body F1 | precision | recall | F1 < 0.5 | refused or empty | pages/s |"
            + (" not-an-article accepted |" if others else ""),
            "|---|---:|---:|---:|---:|---:|---:|" + ("---:|" if others else "")]
    records = [{"set": name, "page": page.name, "url": page.url} for page in pages]
    for tool, results in outcomes.items():
        scores = [body_score(results[i].body, pages[i].gold) for i in articles]
        for i, score in zip(articles, scores):
            records[i][tool] = {"f1": round(score.f1, 3), "p": round(score.precision, 3),
                                "r": round(score.recall, 3), "refused": results[i].refused}
        for i in others:
            records[i][tool] = {"accepted": results[i].refused is None, "refused": results[i].refused}
        answered = [s for i, s in zip(articles, scores) if results[i].refused is None]
        refused = sum(1 for i in readerable if results[i].refused is not None)
        seconds = sum(r.seconds for r in results)
        cells = [tool, f"{statistics.mean(s.f1 for s in scores):.3f}" if scores else "–",
                 f"{statistics.mean(s.precision for s in answered):.3f}" if answered else "–",
                 f"{statistics.mean(s.recall for s in scores):.3f}" if scores else "–",
                 str(sum(1 for s in scores if s.f1 < 0.5)),
                 f"{refused} ({refused / len(readerable):.1%})" if readerable else "–",
                 f"{len(pages) / seconds:.1f}" if seconds else "–"]
        if others:
            accepted = sum(1 for i in others if results[i].refused is None)
            cells.append(f"{accepted}/{len(others)}")
        rows.append("| " + " | ".join(cells) + " |")
    snippets = [pages[i].name for i in articles if not pages[i].readerable]
    if snippets:
        refused_there = [pages[i].name for i in articles if not pages[i].readerable
                         and outcomes["newsfetch generic"][i].refused is not None]
        rows.append(f"\n{len(snippets)} pages are marked readerable: false by Readability (test snippets such as a "
                    f"page whose whole text is \"Test\"); they count in the F1 columns but not in \"refused or "
                    f"empty\"; newsfetch refuses {len(refused_there)} of them ({', '.join(refused_there) or 'none'}).")
        # the article pages alone: F1 mean and pages under 0.5 with the snippets left out, tool by tool
        alone = []
        for tool, results in outcomes.items():
            scores = [body_score(results[i].body, pages[i].gold).f1 for i in readerable]
            alone.append(f"{tool} {statistics.mean(scores):.3f} ({sum(1 for f in scores if f < 0.5)} under 0.5)")
        rows.append(f"On the {len(readerable)} readerable pages alone, body F1: " + "; ".join(alone) + ".")
    with_comments = [i for i in articles if pages[i].comments]
    if with_comments:
        # the set's other task: the article followed by its readers' comments, scored on every article page
        both = []
        for tool, results in outcomes.items():
            scores = [body_score(results[i].body, f"{pages[i].gold}\n{pages[i].comments}").f1 for i in articles]
            both.append(f"{tool} {statistics.mean(scores):.3f} ({sum(1 for f in scores if f < 0.5)} under 0.5)")
        rows.append(f"\n{len(with_comments)} answers list readers' comments after the article; the table scores the "
                    f"article. Against article and comments together, body F1: " + "; ".join(both) + ".")
    claimed = [(page.name, site) for page in pages if (site := _site_path(page))]
    heading = (f"{name}: {len(pages)} pages ({len(articles)} articles, {len(others)} not articles)")
    if claimed:
        routed = []
        for page in pages:
            if (site := _site_path(page)) is None:
                continue
            try:
                text = extract(page.data, page.url).text
            except Exception:
                text = ""
            routed.append(f"{page.name} → {site} F1 {body_score(text, page.gold).f1:.2f}")
        footer = (f"site-parser path: newsfetch.extract() hands {len(claimed)} of these pages to a site parser "
                  f"({'; '.join(routed)}); every other page goes to the generic parser, as measured above.")
    else:
        footer = ("site-parser path: no site parser claims any of these pages, so newsfetch.extract() reads every "
                  "one with the generic parser, as measured above.")
    return f"{heading}\n\n" + "\n".join(rows) + f"\n\n{footer}", records


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sets", default=",".join(SETS + ("eval",)),
                         help=f"comma-separated sets among {', '.join(SETS)}, eval (default: all)")
    options.add_argument("--sample", type=int, help="pages per labelled set, picked at random with a fixed seed")
    options.add_argument("--dump", type=Path, help="write per-page scores and refusal reasons to this JSON file")
    options.add_argument("--passes", type=int, default=3, help="timing passes per tool on the eval set")
    options.add_argument("--pages", help="eval set: comma-separated page names (default: all)")
    options.add_argument("--details", action="store_true", help="eval set: per-page F1 and T(itle) D(ate) O(utlet)")
    args = options.parse_args(argv)
    warnings.filterwarnings("ignore")
    logging.disable(logging.CRITICAL)
    wanted_sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in wanted_sets if s not in SETS + ("eval",)]
    if unknown:
        options.error(f"unknown set(s): {', '.join(unknown)}")
    import platform

    print(f"run {datetime.now().astimezone():%Y-%m-%d %H:%M %Z} on {platform.node()} "
          f"({os.cpu_count()} CPUs, Python {platform.python_version()})\n")
    dumped: list[dict] = []
    for name in wanted_sets:
        if name == "eval":
            continue
        if not available():
            print(f"{name}: skipped (../shared/corpus/labelled is absent)\n")
            continue
        table_text, records = run_labelled(name, load_set(name, sample=args.sample))
        dumped.extend(records)
        print(table_text + "\n", flush=True)
    if args.dump:
        args.dump.write_text(json.dumps(dumped, ensure_ascii=False, indent=1), encoding="utf-8")
    if "eval" in wanted_sets:
        run_eval(args)
    return 0


def run_eval(args: argparse.Namespace) -> None:
    """The project-written regression set (eval/), with its metadata scores."""
    wanted = set(args.pages.split(",")) if args.pages else None
    for labels, heading in ((EVAL / "labels.json", "Regression set (eval/, written for the project): "
                                                   "sites without a dedicated parser"),
                            (EVAL / "labels-corpus.json", "Regression set: real pages of sites with a parser of "
                                                          "their own, read through the generic parser")):
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


if __name__ == "__main__":
    sys.exit(main())
