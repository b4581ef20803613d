"""The subhead rule (newsfetch.markdown.promote_subheads): a bold line standing alone between paragraphs, short and
not ending like a sentence, becomes a `##` heading — in archives whose newsfetch.toml says `subheads = "heading"`
(what `newsfetch init` writes); the default output keeps the bold line."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from newsfetch.archive.normalize import normalize_bytes
from newsfetch.archive.writer import write_article
from newsfetch.article import Article
from newsfetch.errors import ArchiveError
from newsfetch.markdown import is_subhead, promote_subheads
from newsfetch.render import PostStyle, render_post

CORPUS = Path("/work/shared/corpus/finews-posts")
P = "快手电商力推的信任生态能有效提升复购率。"


@pytest.mark.parametrize("block, before, after, expected", [
    ("**2022年新增“大搞产业带”**", P, P, True),
    ("**服务商体系2.0发布**", P, P, True),
    ("**什么是HFO-1234yf**", P, P, True),
    ("**为什么涨价？**", P, P, True),                      # a question reads like a subhead too
    ("**记者：**", P, P, False),                          # a lead-in, ends with ：
    ("**这是加粗的一整句话。**", P, P, False),             # a sentence
    ("**" + "很长的加粗段落" * 6 + "**", P, P, False),     # over 30 characters: emphasis, not a title
    ("**小标题**", None, P, False),                       # the first block: not between paragraphs
    ("**小标题**", P, None, False),                       # the last block
    ("**小标题**", "**另一行加粗**", P, False),            # bold lines in a row: a list of bold items, not a subhead
    ("**小标题**", P, "![](https://x.test/a.png)", False),  # next to an image
    ("**一** 二 **三**", P, P, False),                     # not wholly bold
    ("**[链接](https://x.test/)**", P, P, False),         # a bold link
])
def test_is_subhead(block: str, before: str | None, after: str | None, expected: bool) -> None:
    assert is_subhead(block, before, after) is expected


def test_promote_is_idempotent_and_touches_only_subheads() -> None:
    body = f"{P}\n\n**市场观察**\n\n{P}\n\n**记者：**\n\n{P}\n"
    once = promote_subheads(body)
    assert once == f"{P}\n\n## 市场观察\n\n{P}\n\n**记者：**\n\n{P}\n"
    assert promote_subheads(once) == once


def _article() -> Article:
    return Article(title="t", url="https://example.com/a/1.html", source="中国新闻网",
                   published=datetime(2021, 12, 30, 10, 35, tzinfo=timezone.utc),
                   markdown=f"{P}\n\n**市场观察**\n\n{P}\n")


def test_default_keeps_bold_and_the_archive_setting_makes_headings(tmp_path: Path) -> None:
    assert "\n**市场观察**\n" in render_post(_article())
    assert "\n## 市场观察\n" in render_post(_article(), PostStyle(subheads="heading"))
    (tmp_path / "newsfetch.toml").write_text('[archive]\nsubheads = "heading"\n', encoding="utf-8")
    assert "\n## 市场观察\n" in write_article(tmp_path, _article()).path.read_text(encoding="utf-8")
    (tmp_path / "newsfetch.toml").write_text('[archive]\nsubheads = "h2"\n', encoding="utf-8")
    with pytest.raises(ArchiveError, match="subheads"):
        write_article(tmp_path, _article())


def test_corpus_posts() -> None:
    """On the real archive: the four bold subheads of the corpus become headings, nothing else changes."""
    posts = sorted(p for p in CORPUS.glob("*.md") if p.name != "README.md")
    if not posts:
        pytest.skip(f"corpus not found at {CORPUS}: the subhead rule is not checked on real posts")
    promoted: list[str] = []
    for post in posts:
        text = normalize_bytes(post.read_bytes(), post.name).data.decode("utf-8")
        body = text.split("---\n", 2)[2]
        after = promote_subheads(body)
        changed = [(a, b) for a, b in zip(body.split("\n\n"), after.split("\n\n")) if a != b]
        assert all(b == "## " + a[2:-2] for a, b in changed), changed
        promoted += [b for _, b in changed]
        assert len(after.split("\n\n")) == len(body.split("\n\n"))
    assert sorted(promoted) == sorted(["## 2022年新增“大搞产业带”", "## 服务商体系2.0发布", "## 什么是HFO-1234yf",
                                       "## 这些公司有HFO-1234yf产品"])
    assert not any(re.search(r"[。；，：]$", line) for line in promoted)


def test_fixture_bold_lines() -> None:
    """The wholly bold lines of the fixtures' expected posts: the subheads are promoted, table captions are not."""
    root = Path(__file__).resolve().parent.parent / "fixtures"
    promoted, kept = set(), set()
    for post in sorted(root.glob("*/*.md")):
        body = post.read_text(encoding="utf-8").split("---\n", 2)[2]
        for before, after in zip(body.split("\n\n"), promote_subheads(body).split("\n\n")):
            if re.fullmatch(r"\*\*.+\*\*", before):
                (promoted if before != after else kept).add(before.strip("*"))
    assert promoted == {"一、生产指数和新订单指数均有回升", "二、价格指数明显回落", "行业新闻", "2022年新增“大搞产业带”",
                        "服务商体系2.0发布", "什么是HFO-1234yf", "这些公司有HFO-1234yf产品", "补贴加码"}
    assert kept == {"主要收入项目情况", "各类基金规模一览（截至5月底）", "宏观新闻"}  # 2 table captions; after an image
