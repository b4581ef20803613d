"""The generic parser's labelled evaluation set and how an extraction is scored against it.

Pages: eval/pages/<name>.html (written for the project, shaped after real sites without a dedicated parser;
first line ``<!-- url: ADDRESS -->``) and real pages read from ../shared/corpus/ (skipped when absent).
Labels: eval/labels.json (see its ``_about``). The gold body is the text of the labelled blocks.

Scores: body F1 over character 3-grams (Chinese; whitespace ignored) or word tokens (other languages),
title exact match, time match (to the minute; a label without a time compares dates), outlet match (any
accepted spelling, case-insensitive), boilerplate leakage (share of the labelled noise strings found in the
body; lower is better).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "eval"
CORPUS = ROOT.parent / "shared" / "corpus"
_URL_LINE = re.compile(r"^<!--\s*url:\s*(\S+)\s*-->")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Case:
    name: str
    url: str
    html: str
    title: str
    time: str | None
    outlets: tuple[str, ...]
    authors: tuple[str, ...]
    body: str
    noise: tuple[str, ...]
    real: bool  # a real page from the corpus (not written for the project)

    @property
    def chinese(self) -> bool:
        return len(_CJK.findall(self.body)) > 0.3 * len(re.sub(r"\s", "", self.body))


def load_cases(labels: Path = EVAL / "labels.json", corpus: Path = CORPUS) -> list[Case]:
    """Every labelled page that is present (corpus pages are skipped when the corpus is absent)."""
    spec = json.loads(labels.read_text(encoding="utf-8"))["pages"]
    cases = []
    for name, label in spec.items():
        if "corpus" in label:
            path = corpus / label["corpus"]
            if not path.exists():
                continue
            html = path.read_text(encoding="utf-8")
            url = label["url"]
        else:
            html = (EVAL / "pages" / f"{name}.html").read_text(encoding="utf-8")
            url = _URL_LINE.match(html).group(1)
        body = "\n".join(label["body_text"]) if "body_text" in label else gold_body(html, label["body"],
                                                                                     label.get("drop", ()))
        cases.append(Case(name=name, url=url, html=html, title=label["title"], time=label.get("time"),
                          outlets=tuple(label.get("outlet", ())), authors=tuple(label.get("authors", ())),
                          body=body, noise=tuple(label.get("noise", ())), real="corpus" in label))
    return cases


def gold_body(html: str, selector: str, drop: tuple[str, ...] | list[str] = ()) -> str:
    """Text of the blocks `selector` picks (outermost only), one line per block or `<br>` line."""
    tree = lxml.html.document_fromstring(html)
    chosen = tree.cssselect(selector)
    picked = set(chosen)
    lines: list[str] = []
    for element in chosen:
        if any(ancestor in picked for ancestor in element.iterancestors()):
            continue
        for br in element.iter("br"):
            br.tail = "\n" + (br.tail or "")
        for cell in element.iter("td", "th"):
            cell.tail = " " + (cell.tail or "")
        for line in element.text_content().split("\n"):
            line = re.sub(r"\s+", " ", line.replace("\u3000", " ")).strip()
            if line and not any(line.startswith(prefix) for prefix in drop):
                lines.append(line)
    return "\n".join(lines)


# --- scores -----------------------------------------------------------------------------------------

def grams(text: str, chinese: bool) -> Counter:
    if chinese:
        flat = re.sub(r"[\s\u3000|*#>`_\-]+", "", text)
        return Counter(flat[i:i + 3] for i in range(max(len(flat) - 2, 0)))
    return Counter(re.findall(r"\w+", text.casefold()))


def body_f1(predicted: str, gold: str, chinese: bool) -> float:
    pred, ref = grams(predicted or "", chinese), grams(gold, chinese)
    overlap = sum((pred & ref).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(pred.values())
    recall = overlap / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


def title_match(predicted: str | None, gold: str) -> bool:
    return bool(predicted) and re.sub(r"\s+", " ", predicted).strip() == gold


def time_match(predicted: datetime | date | None, gold: str | None) -> bool:
    """Equal to the minute; naive values are read in the label's zone (the benefit of the doubt)."""
    if predicted is None or not gold:
        return False
    if len(gold) == 10:
        day = predicted.date() if isinstance(predicted, datetime) else predicted
        return day.isoformat() == gold
    expected = datetime.fromisoformat(gold)
    if not isinstance(predicted, datetime):
        return False
    if predicted.tzinfo is None:
        predicted = predicted.replace(tzinfo=expected.tzinfo)
    return abs(predicted - expected) < timedelta(minutes=1)


def outlet_match(predicted: str | None, accepted: tuple[str, ...]) -> bool:
    return bool(predicted) and predicted.strip().casefold() in {a.casefold() for a in accepted}


def leakage(predicted: str, noise: tuple[str, ...]) -> tuple[int, int]:
    """(noise strings found in the body, noise strings labelled)."""
    return sum(1 for item in noise if item in (predicted or "")), len(noise)
