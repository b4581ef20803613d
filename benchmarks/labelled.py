"""The real labelled page sets in ../shared/corpus/labelled/ and the body score used on them.

Four public sets nobody here wrote (see the README there): Mozilla Readability's test pages, Dragnet,
CleanPortalEval and a Chinese web set. `load_set(name)` gives their pages as `LabelledPage`s (raw bytes, the
address where the set records one, the gold body as plain text); a page with an empty gold body is a
page that holds no article (CleanPortalEval's section and home pages).

The score is the one the labelled README asks for: F1 of overlapping token shingles between the gold text and
the extracted plain text — word 4-grams (NFKC, case-folded) for space-separated text, character 3-grams after
NFKC and whitespace removal for CJK text. Benchmarks (benchmarks/quality.py) and tests import this module.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT.parent / "shared" / "corpus" / "labelled"
SETS = ("readability", "dragnet", "cleanportaleval", "zh-web")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_WORD = re.compile(r"\w+")
_CPE_URL = re.compile(rb'^\s*<text id="([^"]*)"[^>]*>')   # some also say title="" encoding="utf-8"
_CPE_MARK = re.compile(r"^\s*<(?:h|p|l)>\s*", re.M)
_SPACE = re.compile(r"\s+")
_DRAGNET_COMMENTS = re.compile(r"^[ \t]*[!@#$%^&*() ]{4,}\s*COMMENTS\s*$", re.M)


@dataclass(frozen=True)
class LabelledPage:
    """One page of a labelled set: raw bytes as published, its address when known, the gold body text."""

    set: str
    name: str
    data: bytes
    url: str | None
    gold: str
    readerable: bool = True   # False where Readability's own label says the page is not worth a reader view
    comments: str = ""        # Dragnet: the readers' comments its gold lists after the article, apart from `gold`

    @property
    def is_article(self) -> bool:
        return bool(self.gold.strip())

    @property
    def cjk(self) -> bool:
        return is_cjk(self.gold)


def available() -> bool:
    return LABELLED.is_dir()


def load_set(name: str, *, sample: int | None = None, seed: int = 0) -> list[LabelledPage]:
    """The pages of one set in a fixed order; `sample` picks that many at random (fixed seed), kept in order."""
    loader = {"readability": _readability, "dragnet": _dragnet, "cleanportaleval": _cleanportaleval,
              "zh-web": _zh_web}[name]
    folder = LABELLED / name
    names = loader(folder, None)
    if sample is not None and sample < len(names):
        names = sorted(random.Random(seed).sample(names, sample))
    return [loader(folder, item) for item in names]


# --- loaders: called with None they list the page names, with a name they load that page ------------------

def _readability(folder: Path, item: str | None):
    if item is None:
        return sorted(p.name for p in folder.iterdir() if (p / "source.html").exists())
    # Readability's expected.html files are UTF-8 fragments without a <meta charset>: handed to lxml as bytes
    # they would be read as Latin-1 ("It’s" → "Itâ\x80\x99s" in 79 of the 130 golds), so they are decoded first
    expected = (folder / item / "expected.html").read_bytes().decode("utf-8", "replace")
    meta = folder / item / "expected-metadata.json"
    readerable = json.loads(meta.read_text(encoding="utf-8")).get("readerable", True) if meta.exists() else True
    return LabelledPage("readability", item, (folder / item / "source.html").read_bytes(), None,
                        html_text(expected), readerable is not False)


def _dragnet(folder: Path, item: str | None):
    if item is None:
        return sorted((p.stem for p in (folder / "html").glob("*.html")), key=lambda s: (len(s), s))
    gold = (folder / "gold" / f"{item}.txt").read_bytes().decode("utf-8", "replace")
    # Dragnet's answers are "content" then, on 416 of the 1,381 pages, a marker line ("!@#$%^&*()  COMMENTS",
    # typed by hand, so a few variants) and the readers' comments: half of those answers' text on average.
    # The article body is the content; the comments are kept apart for the set's content+comments task.
    content, comments = (_DRAGNET_COMMENTS.split(gold, maxsplit=1) + [""])[:2]
    return LabelledPage("dragnet", item, (folder / "html" / f"{item}.html").read_bytes(), None, content,
                        comments=comments)


def _cleanportaleval(folder: Path, item: str | None):
    if item is None:
        return sorted(p.stem for p in (folder / "html").glob("*.html"))
    raw = (folder / "html" / f"{item}.html").read_bytes()
    match = _CPE_URL.match(raw)
    url = match.group(1).decode("ascii", "replace") if match else None
    data = raw[match.end():] if match else raw   # the set's own <text id="URL"> line is not part of the page
    lines = (folder / "gold" / f"{item}.txt").read_text(encoding="utf-8", errors="replace").splitlines()
    gold = "\n".join(line for line in lines if not line.startswith("URL:") and not line.startswith("<!--"))
    return LabelledPage("cleanportaleval", item, data, url, _CPE_MARK.sub("", gold))


def _zh_web(folder: Path, item: str | None):
    if item is None:
        return sorted(p.stem for p in (folder / "original").glob("*.html"))
    gold = (folder / "cleaned" / f"{item}.txt").read_text(encoding="utf-8", errors="replace")
    return LabelledPage("zh-web", item, (folder / "original" / f"{item}.html").read_bytes(), None, gold)


def html_text(data: bytes | str) -> str:
    """Plain text of an HTML fragment, one line per block."""
    if not (data.strip() if isinstance(data, str) else data.strip()):
        return ""
    root = lxml.html.fromstring(data)
    for element in root.iter("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "pre",
                             "blockquote", "figcaption", "dd", "dt"):
        element.tail = "\n" + (element.tail or "")
    return "\n".join(_SPACE.sub(" ", line).strip() for line in root.text_content().split("\n") if line.strip())


# --- score ------------------------------------------------------------------------------------------------

def is_cjk(text: str) -> bool:
    visible = len(_SPACE.sub("", text))
    return bool(visible) and len(_CJK.findall(text)) > 0.3 * visible


def shingles(text: str, cjk: bool) -> Counter:
    """Word 4-grams, or CJK character 3-grams (NFKC, whitespace removed); a shorter text is one shingle."""
    text = unicodedata.normalize("NFKC", text or "")
    if cjk:
        flat = _SPACE.sub("", text)
        size = 3
        items: list = list(flat)
    else:
        items = _WORD.findall(text.casefold())
        size = 4
    if not items:
        return Counter()
    if len(items) < size:
        return Counter([tuple(items)])
    return Counter(tuple(items[i:i + size]) for i in range(len(items) - size + 1))


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


def body_score(predicted: str, gold: str, cjk: bool | None = None) -> Score:
    """Shingle precision, recall and F1 of `predicted` against `gold` (the gold text decides the script)."""
    cjk = is_cjk(gold) if cjk is None else cjk
    pred, ref = shingles(predicted, cjk), shingles(gold, cjk)
    overlap = sum((pred & ref).values())
    if not overlap:
        return Score(0.0, 0.0, 0.0)
    precision = overlap / sum(pred.values())
    recall = overlap / sum(ref.values())
    return Score(precision, recall, 2 * precision * recall / (precision + recall))


def metadata(page: LabelledPage) -> dict:
    """Readability's expected metadata of a page ({} for the other sets)."""
    if page.set != "readability":
        return {}
    path = LABELLED / "readability" / page.name / "expected-metadata.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
