"""All 110 real posts of shared/corpus/finews-posts, normalized in a temp copy by the CLI (2 processes)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import lxml.html
import pytest
import yaml
from typer.testing import CliRunner

from newsfetch.cli import app
from tests.support.corpus import corpus_path, require

CORPUS = corpus_path("finews-posts")
_FRONT = re.compile(r"\A---\r?\n(.*?)\r?\n---\r?\n?(.*)\Z", re.S)
_TAG = re.compile(r"(?<!\\)</?[A-Za-z][A-Za-z0-9]*(\s[^>]*)?/?>")


@pytest.fixture(scope="module")
def normalized(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    require(CORPUS)
    folder = tmp_path_factory.mktemp("finews")
    for post in CORPUS.glob("*.md"):
        if post.name != "README.md":
            shutil.copyfile(post, folder / post.name)
    originals = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert len(originals) == 110
    result = CliRunner().invoke(app, ["normalize", str(folder), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    return folder, originals


def _visible_sentences(original: str) -> list[str]:
    """What a reader saw, computed independently of newsfetch: HTML text minus hidden nodes, the stock widget,
    the source line; Markdown lines minus back links, autolinks and the digest."""
    body = _FRONT.match(original).group(2).replace("\r\n", "\n")
    lines, html = [], []
    for line in body.split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith(("> ", "<http", "[返回")) or stripped == "<>":
            continue
        (html if "<" in stripped and ">" in stripped else lines).append(stripped)
    texts = list(lines)
    if html:
        root = lxml.html.fragment_fromstring("\n".join(html), create_parent="div")
        for node in root.xpath("//*[contains(@style, 'display:none')] | //*[@class='em_media']"):
            node.drop_tree()
        texts.append(root.text_content())
    sentences = []
    for text in texts:
        sentences += [s.strip() for s in re.split(r"[。！？\n]", text) if len(s.strip()) >= 2]
    return sentences


def _plain(markdown: str) -> str:
    markdown = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", markdown).replace("**", "").replace("&#123;", "{")
    return re.sub(r"\s+", "", re.sub(r"\\(.)", r"\1", markdown))


def test_every_post_is_clean_yaml_and_markdown(normalized: tuple[Path, dict[str, bytes]]) -> None:
    folder, _ = normalized
    for post in sorted(folder.iterdir()):
        text = post.read_text(encoding="utf-8")
        match = _FRONT.match(text)
        assert match, post.name
        front = yaml.safe_load(match.group(1))
        assert isinstance(front, dict) and front["layout"] == "post", post.name
        body = match.group(2)
        assert not _TAG.search(body), f"{post.name}: HTML tag {_TAG.search(body).group(0)}"
        assert "EM_StockImg" not in text and "返回" not in body and "<>" not in body, post.name
        assert "\r" not in text and "{{" not in body and "{%" not in body, post.name


def test_every_visible_sentence_survives(normalized: tuple[Path, dict[str, bytes]]) -> None:
    folder, originals = normalized
    checked = 0
    for name, data in originals.items():
        body = _plain(_FRONT.match((folder / name).read_text(encoding="utf-8")).group(2))
        for sentence in _visible_sentences(data.decode("utf-8")):
            assert re.sub(r"\s+", "", sentence) in body, f"{name}: lost {sentence!r}"
            checked += 1
    assert checked > 300


def test_lifted_fields(normalized: tuple[Path, dict[str, bytes]]) -> None:
    folder, originals = normalized
    for name, data in originals.items():
        front = yaml.safe_load(_FRONT.match((folder / name).read_text(encoding="utf-8")).group(1))
        share = re.search(rb"^<(http[^>]+)>", data, re.M)
        if share:
            assert front["url"] == share.group(1).decode(), name
        if b"em_media" in data:
            assert front["source"], name
        assert front["categories"] == yaml.safe_load(_FRONT.match(data.decode()).group(1))["categories"]
    nio = yaml.safe_load(_FRONT.match((folder / "-202205262391921712.md").read_text(encoding="utf-8")).group(1))
    assert nio["source"] == "上海证券报" and "NIO.US" in nio["stocks"] and nio["title"] == ""


def test_second_run_changes_nothing(normalized: tuple[Path, dict[str, bytes]]) -> None:
    folder, _ = normalized
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    result = CliRunner().invoke(app, ["normalize", str(folder), "--check"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(app, ["normalize", str(folder)])
    assert result.exit_code == 0
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()} == before
