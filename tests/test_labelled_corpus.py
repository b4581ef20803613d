"""The generic parser over the real labelled sets (../shared/corpus/labelled/): refusals and mean body F1.

Skipped, loudly, when the corpus is absent. Dragnet is read on a fixed sample of 150 pages (seed 0) to keep the
suite fast; the other sets whole. Floors sit just under the figures benchmarks/quality.py measured (README,
generic section); a change that refuses real articles or loses body text fails here.
"""

from __future__ import annotations

import logging
import statistics
import sys
from pathlib import Path

import pytest

from newsfetch.decode import decode_html
from newsfetch.errors import NewsfetchError, NotAnArticle
from newsfetch.page import Page
from newsfetch.parsers.generic import GenericParser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from labelled import LABELLED, available, body_score, load_set  # noqa: E402

pytestmark = pytest.mark.skipif(not available(), reason=f"labelled corpus absent ({LABELLED}): corpus tests skipped")

# set: (sample, mean F1 floor, most article pages refused or returned empty, as a share)
FLOORS = {
    # measured 0.950 (2026-12-02, end of round 4; the gold read as UTF-8 since round 4: 0.907 before its rules)
    "readability": (None, 0.94, 0.01),
    # measured 1 of 150 (0.7%; the whole set: 12 of 1,381, 0.9%, 2026-12-02 round 3): R487, a post that is a
    # list of links with 51% of its text in links
    # scored on the article, without the readers' comments Dragnet's answers list after it (round 5):
    # measured 0.917 on this sample, 0.892 on the whole set (round 4's parser: 0.901 and 0.869)
    "dragnet": (150, 0.91, 0.01),
    "cleanportaleval": (None, 0.85, 0.01),   # measured 0.857
    "zh-web": (None, 0.91, 0.01),            # measured 0.921 (0.915 in round 4)
}


def _read(page) -> str | None:
    try:
        return GenericParser().parse(Page(html=decode_html(page.data), url=page.url)).text
    except NewsfetchError:
        return None


@pytest.mark.parametrize("name", list(FLOORS))
def test_real_articles_are_read_and_not_refused(name):
    sample, floor, refusals = FLOORS[name]
    logging.disable(logging.WARNING)   # trafilatura logs every page it discards
    try:
        pages = [page for page in load_set(name, sample=sample) if page.is_article]
        texts = [_read(page) for page in pages]
    finally:
        logging.disable(logging.NOTSET)
    # test snippets Readability itself marks non-readerable ("Test") may be refused; real articles may not
    refused = [page.name for page, text in zip(pages, texts) if page.readerable and not (text or "").strip()]
    readerable = sum(1 for page in pages if page.readerable)
    assert len(refused) <= refusals * readerable, f"{name}: refused or empty: {refused}"
    mean = statistics.mean(body_score(text or "", page.gold).f1 for page, text in zip(pages, texts))
    assert mean >= floor, f"{name}: mean body F1 {mean:.3f} under the floor {floor}"


def test_section_pages_are_refused_as_not_articles():
    # CleanPortalEval's two section pages (gold with the URL line only): a portal's arts and health pages
    pages = [page for page in load_set("cleanportaleval") if not page.is_article]
    assert len(pages) == 2, "CleanPortalEval's section pages are missing"
    for page in pages:
        with pytest.raises(NotAnArticle, match="no article on the page"):
            GenericParser().parse(Page(html=decode_html(page.data), url=page.url))
