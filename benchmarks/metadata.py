"""Metadata quality — publication time, title, authors — of newsfetch against trafilatura, GNE and htmldate.

    .venv/bin/python benchmarks/metadata.py [--sets readability,zh-web,news-pages] [--limit N] [--details]

One run, side by side, over the labelled real pages of ../shared/corpus/ (skipped when absent):

- ``labelled/readability`` — `expected-metadata.json`: title, byline, publishedTime;
- ``labelled/zh-web`` — `date/` (local time as printed) and `author/` (space-separated names);
- ``news-pages`` and ``news-pages-extra`` — the real Chinese (and one Indonesian) article pages; their answers
  (title, time as printed under the headline, authors) were read off each page by hand and are kept in
  ``benchmarks/data/news-pages.json``.

Tools: newsfetch routed (`newsfetch.extract`: the site parser where one applies), newsfetch's generic parser
alone, trafilatura (`bare_extraction(with_metadata=True)`, original date, extensive search), GNE (Chinese
pages only), and htmldate (time only: it is what trafilatura uses for dates, measured as a candidate source);
``newsfetch+htmldate`` is newsfetch with htmldate's date wherever newsfetch has none (time only).

Metrics:
- time: right to the minute where the answer has a time, same day where it has only a day; pages whose
  answer is only a year or a month are left out. Both aware → the same instant; otherwise wall clocks are
  compared (a tool's naive value read in the answer's zone; zh-web answers, local time as printed, against
  the wall clock of a tool's value in its own zone).
  ``day right`` counts a time on the answer's day whatever its clock time (trafilatura and htmldate often give
  midnight); ``wrong day`` counts pages where a tool gives a time whose day differs from the answer's.
- title: exact after NFKC and whitespace collapse;
- authors: the same set after NFKC, case-folding and whitespace collapse (answers' ``By``/``Par`` dropped and
  split on commas, ``and``, ``&``; zh-web's on spaces);
- credits (real pages only): body lines of newsfetch's routed result that are still credit or promotion lines.

Every page is scored against its label as given. A few labelled times are contradicted by the page itself or
left open by it (``benchmarks/data/disputed-times.json``, with the evidence), and some labelled titles follow a
policy newsfetch does not (``benchmarks/data/disputed-titles.json``: a kept site suffix, a declared title the page
does not show, a label that is not the headline; one reason a page); below the table, each newsfetch row's time
and title are also given on the pages whose labels stand.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
LABELS = ROOT / "benchmarks" / "data" / "news-pages.json"
DISPUTED = ROOT / "benchmarks" / "data" / "disputed-times.json"
DISPUTED_TITLES = ROOT / "benchmarks" / "data" / "disputed-titles.json"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


@dataclass(frozen=True)
class Case:
    """One page and its answers (None: the set does not label that field for this page)."""

    set: str
    name: str
    raw: bytes
    url: str | None
    title: str | None
    time: str | None
    authors: frozenset[str] | None
    chinese: bool = False


@dataclass
class Result:
    title: str | None = None
    time: datetime | None = None
    authors: list[str] = field(default_factory=list)
    text: str = ""


# --- answers -----------------------------------------------------------------------------------------------

def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip()


def _name_key(name: str) -> str:
    return _norm(name).casefold()


def _byline_set(byline: str | None) -> frozenset[str] | None:
    if not byline or not byline.strip():
        return None
    text = re.sub(r"^\s*(?:written\s+by|by|par|por|von)\s+", "", _norm(byline), flags=re.I)
    parts = re.split(r"\s*(?:,|;|&|\band\b)\s*", text)
    return frozenset(_name_key(p) for p in parts if p.strip())


def _readability() -> Iterator[Case]:
    for folder in sorted((CORPUS / "labelled" / "readability").iterdir()):
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        raw = (folder / "source.html").read_bytes()
        yield Case("readability", folder.name, raw, None, meta.get("title"), meta.get("publishedTime"),
                   _byline_set(meta.get("byline")), chinese=(meta.get("lang") or "").startswith("zh"))


def _zh_web() -> Iterator[Case]:
    base = CORPUS / "labelled" / "zh-web"
    for path in sorted((base / "original").glob("*.html")):
        date = (base / "date" / f"{path.stem}.txt").read_text(encoding="utf-8").strip()
        author = (base / "author" / f"{path.stem}.txt").read_text(encoding="utf-8").strip()
        yield Case("zh-web", path.stem[:8], path.read_bytes(), None, None,
                   None if date.upper().startswith("UNK") else date,
                   None if author.upper().startswith("UNK") else frozenset(_name_key(a) for a in author.split()),
                   chinese=True)


def _news_pages() -> Iterator[Case]:
    labels = json.loads(LABELS.read_text(encoding="utf-8"))["pages"]
    for name, label in labels.items():
        path = CORPUS / label["file"]
        if not path.exists():
            continue
        yield Case("news-pages", name, path.read_bytes(), label["url"], label["title"], label["time"],
                   frozenset(_name_key(a) for a in label["authors"]) if label.get("authors") is not None else None,
                   chinese=label.get("chinese", True))


SETS: dict[str, Callable[[], Iterator[Case]]] = {"readability": _readability, "zh-web": _zh_web,
                                                 "news-pages": _news_pages}


# --- scoring -----------------------------------------------------------------------------------------------

_ANSWER = re.compile(r"^\s*(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T\s]+(?P<H>\d{1,2}):(?P<M>\d{2})"
                     r"(?::(?P<S>\d{2})(?:\.\d+)?)?\s*(?P<z>Z|[+-]\d\d:?\d\d)?)?\s*$")


def parse_answer(text: str, zone: timezone | None) -> tuple[datetime, bool] | None:
    """(value, has_time) of an answer; None when it states no day (``2018``, ``1998-3``)."""
    match = _ANSWER.match(text)
    if not match:
        return None
    value = datetime(int(match["y"]), int(match["m"]), int(match["d"]), int(match["H"] or 0), int(match["M"] or 0))
    if match["z"]:
        z = match["z"]
        if z == "Z":
            value = value.replace(tzinfo=timezone.utc)
        else:
            z = z.replace(":", "")
            sign = 1 if z[0] == "+" else -1
            value = value.replace(tzinfo=timezone(sign * timedelta(hours=int(z[1:3]), minutes=int(z[3:5]))))
    elif zone is not None:
        value = value.replace(tzinfo=zone)
    return value, match["H"] is not None


def time_verdict(got: datetime | None, answer: tuple[datetime, bool]) -> tuple[bool, bool]:
    """(right, wrong_day) of a tool's time against the answer."""
    if got is None:
        return False, False
    want, has_time = answer
    if want.tzinfo and got.tzinfo:
        got_wall, want_wall = got.astimezone(want.tzinfo).replace(tzinfo=None), want.replace(tzinfo=None)
    else:  # one is naive: compare wall clocks, each in its own zone
        got_wall, want_wall = got.replace(tzinfo=None), want.replace(tzinfo=None)
    same_day = got_wall.date() == want_wall.date()
    if not has_time:
        return same_day, not same_day
    return got_wall.replace(second=0, microsecond=0) == want_wall.replace(second=0, microsecond=0), not same_day


def title_right(got: str | None, want: str) -> bool:
    return _norm(got) == _norm(want)


def authors_right(got: list[str], want: frozenset[str]) -> bool:
    return frozenset(_name_key(a) for a in got if a.strip()) == want


# Credit and promotion lines as a reader spots them (independent of newsfetch's own rules).
_CREDIT_LINE = re.compile(
    r"^[（(【\[]?\s*(?:(?:本报|特约|实习)?记者|通讯员|实习生|采写|执笔|责任编辑|责编|编辑|校对|审核|摄影|供稿)\s*[:：/]"
    r"|^[（(]?本文来自.{0,20}(?:下载|APP|客户端)|^本文原标题[:：]|^\d+[、.]\s*回复【|^相关(?:新闻|资讯|阅读)[:：]"
    r"|^[（(]\s*实习生.{1,12}对此文亦有贡献[）)]$|^[（(]\s*(?:记者|编辑)\s*[\u4e00-\u9fff]{2,4}(?:\s+[\u4e00-\u9fff]{2,4})*[）)]$"
    r"|^[（(【]?\s*(?:本文)?原(?:标)?题(?:为|是)?\s*[:：]?\s*《|^[\u4e00-\u9fff·]{0,16}(?:记者|实习生|通讯员)\s*[\u4e00-\u9fff]{2,4}"
    r"(?:\s+[\u4e00-\u9fff]{2,4})*$|[。！？”][（(][\u4e00-\u9fff\s]{2,12}报道[）)]$|^图片来源于?网络$|点赞关注|^关注我")


def credit_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if len(line) <= 120 and _CREDIT_LINE.search(line.strip())]


# --- tools -------------------------------------------------------------------------------------------------

def _decoded(case: Case) -> str:
    from newsfetch.decode import decode_html

    return decode_html(case.raw, None, where=case.name)


def run_routed(case: Case) -> Result:
    import newsfetch

    article = newsfetch.extract(case.raw, case.url)
    return Result(article.title, article.published, list(article.authors), article.text)


def run_generic(case: Case) -> Result:
    from newsfetch.parsers.generic import GenericParser

    from newsfetch.page import Page

    article = GenericParser().parse(Page(html=_decoded(case), url=case.url))
    return Result(article.title, article.published, list(article.authors), article.text)


def _tool_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


_DATE_PARAMS = {"outputformat": "%Y-%m-%d %H:%M:%S", "extensive_search": True, "original_date": True}


def run_trafilatura(case: Case) -> Result:
    import trafilatura

    doc = trafilatura.bare_extraction(_decoded(case), url=case.url, with_metadata=True, as_dict=True,
                                      date_extraction_params=_DATE_PARAMS)
    if not doc:
        return Result()
    authors = [a.strip() for a in (doc.get("author") or "").split(";") if a.strip()]
    return Result(doc.get("title"), _tool_time(doc.get("date")), authors, doc.get("text") or "")


def run_gne(case: Case) -> Result:
    from gne import GeneralNewsExtractor

    data = GeneralNewsExtractor().extract(_decoded(case))
    author = (data.get("author") or "").strip()
    return Result(data.get("title"), _tool_time(data.get("publish_time")), [author] if author else [],
                  data.get("content") or "")


def run_htmldate(case: Case) -> Result:
    from htmldate import find_date

    return Result(time=_tool_time(find_date(_decoded(case), url=case.url, **_DATE_PARAMS)))


def run_routed_with_htmldate(case: Case) -> Result:
    """newsfetch, with htmldate's date where newsfetch finds no time: would htmldate help as a last candidate?"""
    try:
        result = run_routed(case)
    except Exception:  # no article: htmldate alone
        result = Result()
    if result.time is None:
        result.time = run_htmldate(case).time
    return result


TOOLS: dict[str, Callable[[Case], Result]] = {"newsfetch": run_routed, "newsfetch-generic": run_generic,
                                              "newsfetch+htmldate": run_routed_with_htmldate,
                                              "trafilatura": run_trafilatura, "gne": run_gne,
                                              "htmldate": run_htmldate}
_TIME_ONLY = {"htmldate", "newsfetch+htmldate"}


def applies(tool: str, case: Case) -> bool:
    """GNE is a Chinese-news extractor: it runs on Chinese pages only."""
    return tool != "gne" or case.chinese


# --- the run -----------------------------------------------------------------------------------------------

@dataclass
class Tally:
    times: int = 0
    time_right: int = 0
    day_right: int = 0
    wrong_day: int = 0
    titles: int = 0
    title_right: int = 0
    bylines: int = 0
    authors_right: int = 0
    failed: int = 0
    credit_pages: int = 0
    disputed: int = 0        # pages with a time label the page contradicts (disputed-times.json)
    disputed_right: int = 0  # … where the tool matches the label anyway
    disputed_wrong_day: int = 0
    title_disputed: dict[str, int] = field(default_factory=dict)        # kind → pages (disputed-titles.json)
    title_disputed_right: dict[str, int] = field(default_factory=dict)  # … where the tool matches the label anyway
    misses: list[str] = field(default_factory=list)


def disputed_times() -> dict[str, dict[str, dict]]:
    """{set: {page: note}} of the labelled times the page contradicts or leaves open."""
    data = json.loads(DISPUTED.read_text(encoding="utf-8"))
    return {name: notes for name, notes in data.items() if not name.startswith("_")}


def disputed_titles() -> dict[str, dict[str, dict]]:
    """{set: {page: note}} of the labelled titles that follow a policy newsfetch does not (note["kind"])."""
    data = json.loads(DISPUTED_TITLES.read_text(encoding="utf-8"))
    return {name: notes for name, notes in data.items() if not name.startswith("_")}


def measure(cases: list[Case], tools: list[str], details: bool) -> dict[tuple[str, str], Tally]:
    tallies: dict[tuple[str, str], Tally] = {}
    disputed = disputed_times()
    titles_disputed = disputed_titles()
    for case in cases:
        answer = parse_answer(case.time, None) if case.time else None
        for tool in tools:
            if not applies(tool, case):
                continue
            tally = tallies.setdefault((case.set, tool), Tally())
            try:
                result = TOOLS[tool](case)
            except Exception as exc:  # a tool that raises on a page scores nothing on it
                tally.failed += 1
                result = Result()
                if details:
                    print(f"  {tool} {case.set}/{case.name}: {type(exc).__name__}: {str(exc)[:80]}")
            if answer is not None:
                right, wrong = time_verdict(result.time, answer)
                tally.times += 1
                tally.time_right += right
                tally.day_right += result.time is not None and not wrong
                tally.wrong_day += wrong
                if case.name in disputed.get(case.set, {}):
                    tally.disputed += 1
                    tally.disputed_right += right
                    tally.disputed_wrong_day += wrong
                if not right:
                    note = " (label disputed)" if case.name in disputed.get(case.set, {}) else ""
                    tally.misses.append(f"time {case.name}: want {case.time} got {result.time}{note}")
            if tool in _TIME_ONLY:
                continue
            if case.title is not None:
                tally.titles += 1
                ok = title_right(result.title, case.title)
                tally.title_right += ok
                kind = titles_disputed.get(case.set, {}).get(case.name, {}).get("kind")
                if kind:
                    tally.title_disputed[kind] = tally.title_disputed.get(kind, 0) + 1
                    tally.title_disputed_right[kind] = tally.title_disputed_right.get(kind, 0) + ok
                if not ok:
                    note = f" (label disputed: {kind})" if kind else ""
                    tally.misses.append(f"title {case.name}: want {_norm(case.title)!r} got {_norm(result.title)!r}"
                                        f"{note}")
            if case.authors is not None:
                tally.bylines += 1
                ok = authors_right(result.authors, case.authors)
                tally.authors_right += ok
                if not ok:
                    tally.misses.append(f"authors {case.name}: want {sorted(case.authors)} got {result.authors}")
            if case.set == "news-pages" and tool.startswith("newsfetch"):
                left = credit_lines(result.text)
                tally.credit_pages += bool(left)
                tally.misses.extend(f"credit {case.name}: {line[:60]}" for line in left)
    return tallies


def _pct(right: int, total: int) -> str:
    return f"{right / total:.1%} ({right}/{total})" if total else "–"


def print_table(tallies: dict[tuple[str, str], Tally], sets: list[str], tools: list[str]) -> None:
    print("| set | tool | time right | day right | wrong day ↓ | title exact | authors exact | credit lines left ↓ "
          "| failed |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in sets:
        for tool in tools:
            tally = tallies.get((name, tool))
            if tally is None:
                continue
            only_time = tool in _TIME_ONLY
            counted = name == "news-pages" and tool.startswith("newsfetch") and not only_time
            credits = str(tally.credit_pages) if counted else "–"
            print(f"| {name} | {tool} | {_pct(tally.time_right, tally.times)} | {_pct(tally.day_right, tally.times)} | "
                  f"{tally.wrong_day} | "
                  f"{'–' if only_time else _pct(tally.title_right, tally.titles)} | "
                  f"{'–' if only_time else _pct(tally.authors_right, tally.bylines)} | {credits} | {tally.failed} |")


def undisputed_titles(tally: Tally, kinds: tuple[str, ...]) -> tuple[int, int]:
    """(right, total) titles once the disputed labels of `kinds` are left out."""
    return (tally.title_right - sum(tally.title_disputed_right.get(k, 0) for k in kinds),
            tally.titles - sum(tally.title_disputed.get(k, 0) for k in kinds))


def print_undisputed(tallies: dict[tuple[str, str], Tally], sets: list[str], tools: list[str]) -> None:
    """Time right and wrong days, and titles, on the pages whose labels stand (disputed-*.json left out)."""
    for name in sets:
        for tool in tools:
            tally = tallies.get((name, tool))
            if tally is None:
                continue
            if tally.disputed:
                right = _pct(tally.time_right - tally.disputed_right, tally.times - tally.disputed)
                print(f"{name} {tool}: on the labels that stand ({tally.disputed} disputed left out), time right "
                      f"{right}, wrong day {tally.wrong_day - tally.disputed_wrong_day}")
            if tally.title_disputed and tool not in _TIME_ONLY and undisputed_titles(tally, ("suffix",))[1]:
                kinds = tuple(sorted(tally.title_disputed))
                left_out = ", ".join(f"{tally.title_disputed[k]} {k}" for k in kinds)
                print(f"{name} {tool}: titles on the labels that stand, suffix policy left out "
                      f"({tally.title_disputed.get('suffix', 0)}): {_pct(*undisputed_titles(tally, ('suffix',)))}; "
                      f"all disputed left out ({left_out}): {_pct(*undisputed_titles(tally, kinds))}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--limit", type=int, default=0, help="at most N pages a set (for development)")
    parser.add_argument("--details", action="store_true", help="list every miss")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"skipped: the corpus is not at {CORPUS}", file=sys.stderr)
        return 0
    logging.disable(logging.CRITICAL)
    warnings.filterwarnings("ignore")
    sets = [s for s in args.sets.split(",") if s]
    tools = [t for t in args.tools.split(",") if t]
    cases = []
    for name in sets:
        found = list(SETS[name]())
        cases.extend(found[:args.limit] if args.limit else found)
    tallies = measure(cases, tools, args.details)
    print_table(tallies, sets, tools)
    print_undisputed(tallies, sets, tools)
    if args.details:
        for (name, tool), tally in sorted(tallies.items()):
            if tool.startswith("newsfetch") or args.tools != ",".join(TOOLS):
                for miss in tally.misses:
                    print(f"  [{name} {tool}] {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
