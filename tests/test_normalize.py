"""normalize on single posts: the seed post byte for byte, tolerant reading, furniture removal, idempotency."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from newsfetch.archive.normalize import KEY_ORDER, normalize_bytes
from newsfetch.archive.post import NotAPost, PostError
from newsfetch.article import Article
from newsfetch.render import front_matter
from tests.support.corpus import corpus_path, require

CORPUS = corpus_path("finews-posts")
DATA = Path(__file__).resolve().parent / "data" / "archive"
SEED = "2021-12-30-NW202112302231746483.md"


def norm(text: str, name: str = "2021-12-08-202112082206672930.md") -> str:
    return normalize_bytes(text.encode("utf-8"), name).data.decode("utf-8")


def split(text: str) -> tuple[dict, str]:
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def test_seed_post_comes_out_as_the_design_note_shows() -> None:
    require(CORPUS / SEED)
    expected = (DATA / SEED.replace(".md", ".expected.md")).read_bytes()
    assert normalize_bytes((CORPUS / SEED).read_bytes(), SEED).data == expected


def test_key_order_is_the_cores() -> None:
    article = Article(title="t", url="https://x.test/a", published=None, authors=("a",), editors=("e",),
                      source="s", original_title="o", section="sec", image="https://x.test/i.png",
                      stocks=("600000.SH",), parser="p", markdown="x\n")
    keys = [k for k in front_matter(article) if k != "date"]
    assert keys == [k for k in KEY_ORDER if k in keys]


def test_crlf_lf_mix_and_no_final_newline() -> None:
    text = ("---\nlayout: post\ntitle: \"T\"\ndate: 2021-12-08 10:46:18\ncategories: emnews\ntags: 东财滚动新闻\n---\r\n"
            "<p>\r\n第一段。\r\n</p>\r\n<p>第二段。</p>\n\n<http://finance.eastmoney.com/news/1,202112082206672930.html>\n\n"
            "[返回东财滚动新闻](../emnews/)\n[返回首页](../)")
    out = norm(text)
    front, body = split(out)
    assert "\r" not in out and out.endswith("\n")
    assert body == "\n第一段。\n\n第二段。\n"
    assert front["url"] == "http://finance.eastmoney.com/news/1,202112082206672930.html"
    assert list(front) == ["layout", "title", "date", "categories", "tags", "url"]
    assert "date: 2021-12-08 10:46:18\n" in out  # a date without zone is kept as written


def test_text_body_is_kept_not_reescaped_and_is_idempotent() -> None:
    text = ("---\nlayout: post\ntitle: \"A: b\"\ndate: 2021-12-08 10:46:18 +0800\n---\n\n"
            "　　精度满足<1%，利率2.4%*3 [注] {{ x }} {% y %}  \n\n<>\n\n"
            "[返回东财滚动新闻](//finews.withounder.com/emnews/)｜[返回首页](//finews.withounder.com/)\n")
    out = norm(text)
    front, body = split(out)
    assert front["title"] == "A: b"
    assert body == "\n精度满足<1%，利率2.4%*3 [注] &#123;{ x }} &#123;% y %}\n"
    assert norm(out) == out


@pytest.mark.parametrize("line", [
    "[返回东财滚动新闻](../emnews/)",
    "[返回首页](//finews.zning.me/)",
    "[返回中国新闻网新闻](//finews.withounder.com/category/zhongguoxinwenwang.html)｜[返回首页](//finews.withounder.com/)",
    '<p><a href="//finews.withounder.com/">返回首页</a>｜<a href="../emnews/">返回东财滚动新闻</a></p>',
])
def test_back_links_in_all_forms_are_dropped(line: str) -> None:
    out = norm(f"---\nlayout: post\ntitle: t\ndate: 2021-12-08\n---\n\n正文。\n\n{line}\n")
    assert "返回" not in out and split(out)[1] == "\n正文。\n"


def test_digest_repeating_the_article_is_dropped_and_other_digests_kept() -> None:
    html = "<p>据悉，公司宣布了一项计划。具体细节尚未披露。</p>"
    repeated = norm(f"---\nlayout: post\ntitle: t\ndate: 2021-12-08\n---\n> 据悉，公司宣布了一项计划。（上海证券报）\n\n{html}")
    assert split(repeated)[1] == "\n据悉，公司宣布了一项计划。具体细节尚未披露。\n"
    other = norm(f"---\nlayout: post\ntitle: t\ndate: 2021-12-08\n---\n> 另一条摘要，正文里没有。\n\n{html}")
    assert split(other)[1].startswith("\n> 另一条摘要，正文里没有。\n\n据悉")


def test_source_line_and_stock_widget_are_lifted() -> None:
    html = ('<!-- EM_StockImg_Start --><p><a href="http://quote.eastmoney.com/unify/r/1.600160" class="EmImageRemark">'
            '<img src="https://webquoteklinepic.eastmoney.com/GetPic.aspx?nid=1.600160"></a></p><!-- EM_StockImg_End -->'
            '<p style="display:none;">隐藏</p><p>正文<span class="keytip">巨化</span>。</p>'
            '<p class="em_media">（文章来源：上海证券报）</p>')
    out = norm(f"---\nlayout: post\ntitle: t\ndate: 2021-12-08\n---\n{html}\n")
    front, body = split(out)
    assert front["source"] == "上海证券报" and front["stocks"] == ["600160.SH"]
    assert body == "\n正文巨化。\n" and norm(out) == out


def test_markdown_source_line_is_lifted_and_existing_fields_win() -> None:
    out = norm("---\nlayout: post\ntitle: t\ndate: 2021-12-08\nurl: https://a.test/1\n---\n\n正文。\n\n（文章来源：中国新闻网）\n\n"
               "<https://b.test/2>\n")
    front, body = split(out)
    assert front["source"] == "中国新闻网" and front["url"] == "https://a.test/1"
    assert body == "\n正文。\n\n<https://b.test/2>\n"  # a different address is not the article's: kept


def test_broken_title_quotes_are_repaired() -> None:
    out = norm('---\nlayout: post\ntitle: "他说"好"：涨了"\ndate: 2021-12-08 10:46:18\ncategories: emnews\n---\n\n正文。\n')
    front, _ = split(out)
    assert front["title"] == '他说"好"：涨了' and front["categories"] == "emnews"


def test_empty_title_is_kept_and_garbled_date_comes_from_the_file_name() -> None:
    result = normalize_bytes("---\nlayout: post\ntitle: \"\"\ndate:  +0800\n---\n\n正文。\n".encode(),
                             "-202205262391921712.md")
    front, _ = split(result.data.decode())
    assert front["title"] == "" and str(front["date"]) == "2022-05-26"
    assert any("date" in note for note in result.notes) and any("title" in note for note in result.notes)


def test_missing_date_without_a_date_in_the_name_fails() -> None:
    with pytest.raises(PostError, match="no date"):
        normalize_bytes(b"---\nlayout: post\ntitle: t\n---\n\nx\n", "about-us.md")


@pytest.mark.parametrize("data, error", [
    (b"no front matter here", NotAPost),
    (b"---\nlayout: post\ntitle: t\n", PostError),              # never closed
    (b"---\n- a\n- b\n---\nx", PostError),                      # not a mapping
    (b"---\nlayout: post\ntitle: \xff\xfe\n---\nx", PostError),  # not UTF-8
    (b"---\nlayout: post\n  : : bad [\n---\nx", PostError),       # not YAML, not key: value lines
])
def test_unreadable_posts_raise(data: bytes, error: type) -> None:
    with pytest.raises(error):
        normalize_bytes(data, "2021-12-08-x.md")


def test_fenced_code_and_lists_keep_their_indentation() -> None:
    text = "---\nlayout: post\ntitle: t\ndate: 2021-12-08\n---\n\n- a\n  - b\n\n```\n  code\n\n  more\n```\n"
    assert split(norm(text))[1] == "\n- a\n  - b\n\n```\n  code\n\n  more\n```\n"
