"""The Python API contract: `newsfetch.extract(html, url=None) -> Article` and `newsfetch.fetch(url) -> Article`.

Benchmarks and other programs build on these names and fields, and on errors being raised (never None).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

import newsfetch
from newsfetch import Article, ContentError, FetchError, NewsfetchError, ParseError
from tests.support.server import LocalServer, Reply

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED = (FIXTURES / "eastmoney" / "article-kuaishou.html").read_bytes()
SEED_URL = "https://finance.eastmoney.com/a/202112302231746483.html"


def test_public_names():
    for name in ("extract", "fetch", "Article", "render_post", "render_json", "PostStyle", "NewsfetchError",
                 "FetchError", "ContentError", "ParseError", "__version__"):
        assert hasattr(newsfetch, name) and name in newsfetch.__all__


def test_extract_gives_a_complete_article():
    article = newsfetch.extract(SEED, url=SEED_URL)
    assert isinstance(article, Article)
    assert article.title == "快手电商发布服务商体系2.0"
    assert article.url == SEED_URL
    assert article.published.isoformat() == "2021-12-30T18:35:35+08:00"
    assert article.published.utcoffset() == timedelta(hours=8)
    assert article.source == "中国新闻网" and article.stocks == ("01024.HK",)
    assert article.site == "东方财富网" and (article.parser, article.parser_version) == ("eastmoney", "2")
    assert article.authors == () and isinstance(article.authors, tuple)
    assert article.markdown.startswith("12月30日，“造风者·2021快手电商服务生态年终峰会”在海口举行。")
    assert "\n\n**2022年新增“大搞产业带”**\n\n" in article.markdown
    # text: the same paragraphs, plain, one a line (the image has no text and no line)
    lines = article.text.splitlines()
    assert lines[0] == article.markdown.split("\n\n")[0]
    assert "2022年新增“大搞产业带”" in lines and "**" not in article.text and "![" not in article.text
    assert len(lines) == article.markdown.count("\n\n") + 1 - article.markdown.count("![](")


def test_extract_accepts_text_as_well_as_bytes():
    assert newsfetch.extract(SEED.decode("utf-8"), SEED_URL) == newsfetch.extract(SEED, SEED_URL)


def test_without_url_the_canonical_link_is_used():
    article = newsfetch.extract(SEED)
    assert article.url == SEED_URL and article.parser == "eastmoney"


def test_the_url_picks_the_parser():
    assert newsfetch.extract(SEED, "https://stock.eastmoney.com/a/202112302231746483.html").parser == "eastmoney"
    assert newsfetch.extract(SEED, "https://unknown-site.example.com/a/1.html").parser == "generic"


def test_layout_versions_are_chosen_by_date_and_markup():
    legacy = (FIXTURES / "eastmoney" / "legacy-news-column.html").read_bytes()
    article = newsfetch.extract(legacy, "http://finance.eastmoney.com/news/1344,20180912944502216.html")
    assert (article.parser, article.parser_version) == ("eastmoney", "1")


def test_http_headers_decide_the_charset():
    gbk = "<html><head><title>标题</title></head><body><h1>标题</h1><div class='content'><p>" + \
          "镕、堃、喆等生僻字。" * 10 + "</p></div></body></html>"
    article = newsfetch.extract(gbk.encode("gb18030"), "https://x.example.com/a.html",
                                headers={"Content-Type": "text/html; charset=GBK"})
    assert "镕、堃、喆" in article.text


@pytest.mark.parametrize("html,error", [
    (b"", ContentError), ("   ", ContentError), (b"%PDF-1.4 ...", ContentError), ('{"a": [1]}', ContentError),
    ("<html><body><nav><a href='/'>首页</a></nav></body></html>", ParseError),
])
def test_failures_raise_with_the_reason(html, error):
    with pytest.raises(error) as caught:
        newsfetch.extract(html, "https://x.example.com/a.html")
    assert isinstance(caught.value, NewsfetchError) and caught.value.exit_code in (6, 7)
    assert caught.value.where == "https://x.example.com/a.html" and caught.value.message


def test_to_dict_is_json_ready():
    data = newsfetch.extract(SEED, SEED_URL).to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False))["published"] == "2021-12-30T18:35:35+08:00"
    assert data["stocks"] == ["01024.HK"]


def test_fetch_over_http():
    with LocalServer({"/a/202112302231746483.html": Reply(SEED)}) as server:
        article = newsfetch.fetch(server.url("/a/202112302231746483.html"))
        assert article.title == "快手电商发布服务商体系2.0"
        assert article.url == server.url("/a/202112302231746483.html")
    with pytest.raises(FetchError):
        newsfetch.fetch(server.url("/gone.html"))  # the server is stopped now


def test_render_post_of_the_seed_matches_the_design_note():
    post = newsfetch.render_post(newsfetch.extract(SEED, SEED_URL))
    assert post == (FIXTURES / "eastmoney" / "article-kuaishou.md").read_text(encoding="utf-8")
    assert post.startswith("---\nlayout: post\ntitle: 快手电商发布服务商体系2.0\ndate: 2021-12-30 18:35:35 +0800\n"
                           "categories: zhongguoxinwenwang\ntags: 中国新闻网新闻\nsource: 中国新闻网\n"
                           f"url: {SEED_URL}\nstocks:\n- 01024.HK\nparser: eastmoney@2\n---\n\n")
    for gone in ("display:none", "EM_StockImg", "webquoteklinepic", "文章来源", "返回", "<p", "　"):
        assert gone not in post


def test_the_library_never_imports_the_cli_stack():
    code = ("import sys, newsfetch, newsfetch.registry; newsfetch.extract(open(sys.argv[1], 'rb').read()); "
            "r = newsfetch.registry.default_registry(); [i.cls for i in r.infos]; "
            "print(sorted(m for m in ('typer', 'rich', 'click') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(FIXTURES / "eastmoney" / "article-kuaishou.html")],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_an_eastmoney_column_page_is_not_an_article():
    column = ("<html><head><title>财经导读_东方财富网</title></head><body><div class='main'><ul class='newsList'>"
              + "".join(f"<li><a href='https://finance.eastmoney.com/a/2021123022317464{n:02d}.html'>第{n}条要闻标题"
                        f"</a><span class='time'>12月30日 18:{n:02d}</span></li>" for n in range(30))
              + "</ul></div></body></html>")
    with pytest.raises(ParseError) as caught:
        newsfetch.extract(column, "https://finance.eastmoney.com/a/cpljh.html")
    assert caught.value.exit_code == 7
