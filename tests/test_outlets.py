"""The outlet-name normalizer behind categories and tags (newsfetch.outlets) and the tag template's doubling rule."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

import pytest

from newsfetch import extract
from newsfetch.archive.writer import write_article
from newsfetch.article import Article
from newsfetch.errors import ArchiveError
from newsfetch.outlets import outlet_name
from newsfetch.render import PostStyle, front_matter

CORPUS = Path("/work/shared/corpus")
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("raw, name", [
    ("澎湃新闻-The Paper", "澎湃新闻"),
    ("澎湃新闻 | The Paper", "澎湃新闻"),
    ("The Paper", "澎湃新闻"),
    ("澎湃新闻网", "澎湃新闻"),
    ("人民网－人民日报", "人民网-人民日报"),     # full-width hyphen: NFKC
    ("人民网-人民日报", "人民网-人民日报"),
    ("每经网", "每日经济新闻"),
    ("中国证券报·中证网", "中国证券报"),
    ("证券时报网", "证券时报"),
    ("  中国新闻网 ", "中国新闻网"),
    ("Reuters (UK)", "Reuters (UK)"),          # Latin names are left as they are
    ("新浪财经-自媒体综合", "新浪财经-自媒体综合"),  # two Chinese names: a channel of the outlet, kept
])
def test_outlet_name(raw: str, name: str) -> None:
    assert outlet_name(raw) == name


def test_user_table_extends_and_wins() -> None:
    assert outlet_name("新浪财经-自媒体综合", {"新浪财经-自媒体综合": "新浪财经"}) == "新浪财经"
    assert outlet_name("证券时报网", {"证券时报网": "证券时报网"}) == "证券时报网"  # the archive's choice wins
    assert outlet_name("人民网－人民日报", {"人民网-人民日报": "人民日报"}) == "人民日报"  # keys matched after NFKC


def _article(source: str) -> Article:
    return Article(title="t", url="https://example.com/a/1.html", source=source,
                   published=datetime(2021, 12, 30, 10, 35, tzinfo=timezone.utc))


@pytest.mark.parametrize("source, category, tag", [
    ("界面新闻", "jiemianxinwen", "界面新闻"),            # never 界面新闻新闻
    ("每日经济新闻", "meirijingjixinwen", "每日经济新闻"),
    ("澎湃新闻-The Paper", "pengpaixinwen", "澎湃新闻"),   # never Paper新闻
    ("中国新闻网", "zhongguoxinwenwang", "中国新闻网新闻"),  # design.md's worked example
])
def test_categories_and_tags(source: str, category: str, tag: str) -> None:
    data = front_matter(_article(source))
    assert (data["categories"], data["tags"], data["source"]) == (category, tag, source)  # source as written


def test_archive_outlets_table_reaches_posts(tmp_path: Path) -> None:
    (tmp_path / "newsfetch.toml").write_text('[outlets]\n"新浪财经-自媒体综合" = "新浪财经"\n', encoding="utf-8")
    text = write_article(tmp_path, _article("新浪财经-自媒体综合")).path.read_text(encoding="utf-8")
    assert "\ncategories: xinlangcaijing\ntags: 新浪财经新闻\nsource: 新浪财经-自媒体综合\n" in text
    (tmp_path / "newsfetch.toml").write_text('[outlets]\n"x" = 1\n', encoding="utf-8")
    with pytest.raises(ArchiveError, match=r"\[outlets\]"):
        write_article(tmp_path, _article("x"))


def _front(text: str) -> dict[str, str]:
    head = text.split("---\n")[1]
    return dict(re.findall(r"^(categories|tags|source): (.+)$", head, re.M))


def _check_one_category_per_outlet(fronts: list[dict[str, str]]) -> None:
    by_outlet: dict[str, set[str]] = defaultdict(set)
    for front in fronts:
        assert "新闻新闻" not in front.get("tags", ""), front
        assert not re.search(r"[A-Za-z]新闻$", front.get("tags", "")) or not re.search(r"[\u4e00-\u9fff]",
                                                                                      front.get("source", "")), front
        if "source" in front:
            by_outlet[outlet_name(front["source"])].add(front.get("categories", ""))
    assert all(len(categories) == 1 for categories in by_outlet.values()), by_outlet


def test_fixture_outputs_one_category_per_outlet() -> None:
    fronts = [_front(p.read_text(encoding="utf-8")) for p in sorted(ROOT.glob("fixtures/*/*.md"))]
    assert len(fronts) > 40
    _check_one_category_per_outlet(fronts)


def test_corpus_pages_one_category_per_outlet() -> None:
    pages = sorted(CORPUS.glob("news-pages*/*.html"))
    if not pages:
        pytest.skip(f"corpus not found at {CORPUS} (../shared/corpus): the outlet names of real pages are not checked")
    fronts = []
    for page in pages:
        data = front_matter(extract(page.read_bytes(), None), PostStyle())
        fronts.append({k: str(v) for k, v in data.items() if k in ("categories", "tags", "source")})
    assert any(f.get("source") == "澎湃新闻-The Paper" and f["categories"] == "pengpaixinwen" for f in fronts)
    _check_one_category_per_outlet(fronts)
