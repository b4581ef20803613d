"""The benchmarks' reader of the labelled sets (benchmarks/labelled.py) on small folders written here."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import labelled  # noqa: E402



def test_dragnet_answers_part_the_article_from_its_comments(tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "gold").mkdir()
    # the marker is typed by hand in the set: three of its spellings, and an answer without comments
    answers = {"a": "Headline\nThe article.\n!@#$%^&*()  COMMENTS\nReader one: nice.\n",
               "b": "Headline\nThe article.\n!@ $%^&*()  COMMENTS\t\nReader two.\n",
               "c": "Headline\nThe article.\n#$%^&*()  COMMENTS\nReader three.\n",
               "d": "Headline\nThe article; nobody COMMENTS on it.\n"}
    for name, text in answers.items():
        (tmp_path / "html" / f"{name}.html").write_bytes(b"<html></html>")
        (tmp_path / "gold" / f"{name}.txt").write_text(text, encoding="utf-8")
    pages = {name: labelled._dragnet(tmp_path, name) for name in answers}
    for name in "abc":
        assert pages[name].gold == "Headline\nThe article.\n", name
        assert "Reader" in pages[name].comments and "COMMENTS" not in pages[name].comments, name
    assert pages["d"].gold == answers["d"] and pages["d"].comments == ""
