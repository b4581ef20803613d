"""A real Jekyll build of an archive made by newsfetch: the normalized corpus, posts written with --archive from
the fixtures, and a post whose text holds ``{{``, ``{%``, ``<script>``, ``---`` and ``: ``.

Needs Debian's `jekyll` (installed by .ci/run). Skipped only when it is missing outside CI; in CI (CI set) a
missing jekyll fails the test.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from newsfetch.cli import app
from tests.support.corpus import corpus_path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = corpus_path("finews-posts")
TRICKY_TITLE = '测试: 标题 "引号" {{ site.title }} <script>'
TRICKY = [
    "第一段：模板 {{ site.title }} 与 {% include nothing.html %} 都不该执行。",
    "<script>alert('x')</script> 只是文字。",
    "---",
    "键: 值，冒号后有空格。",
]
LAYOUTS = {
    "default.html": "<!DOCTYPE html><html><head><title>{{ page.title | escape }}</title></head>"
                    "<body>{{ content }}</body></html>\n",
    "post.html": "---\nlayout: default\n---\n<h1 class=\"post-title\">{{ page.title | escape }}</h1>\n"
                 "<article>{{ content }}</article>\n",
    "category.html": "---\nlayout: default\n---\n<h1>{{ page.title | escape }}</h1><ul>{% for post in "
                     "site.categories[page.category] %}<li>{{ post.title | escape }}</li>{% endfor %}</ul>\n",
}


def _jekyll() -> str:
    found = shutil.which("jekyll")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("jekyll is not installed, and CI must run this test (.ci/run installs it)")
    pytest.skip("jekyll is not installed (apt-get install jekyll)")


def _tricky_page() -> bytes:
    page = (ROOT / "fixtures" / "eastmoney" / "article-kuaishou.html").read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{html.escape(text)}</p>" for text in TRICKY)
    page = page.replace('<div class="title">快手电商发布服务商体系2.0</div>',
                        f'<div class="title">{html.escape(TRICKY_TITLE)}</div>')
    page = page.replace('<div id="ContentBody" class="txtinfos" style="margin-top:0;">',
                        f'<div id="ContentBody" class="txtinfos" style="margin-top:0;">{paragraphs}', 1)
    assert paragraphs in page and html.escape(TRICKY_TITLE) in page, "the fixture changed: update _tricky_page"
    return page.encode("utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    jekyll = _jekyll()
    if not (ROOT / "fixtures" / "eastmoney" / "article-kuaishou.html").is_file():
        pytest.skip("eastmoney fixture missing")
    root = tmp_path_factory.mktemp("site")
    (root / "_config.yml").write_text("title: JEKYLL-SITE-TITLE\ntimezone: Asia/Shanghai\nmarkdown: kramdown\n"
                                      "exclude: [newsfetch.toml]\n", encoding="utf-8")
    (root / "_layouts").mkdir()
    for name, text in LAYOUTS.items():
        (root / "_layouts" / name).write_text(text, encoding="utf-8")
    posts = root / "_posts"
    posts.mkdir()
    runner = CliRunner()
    if CORPUS.is_dir():
        for post in CORPUS.glob("*.md"):
            if post.name != "README.md":
                shutil.copyfile(post, posts / post.name)
        result = runner.invoke(app, ["normalize", str(root), "--jobs", "2"])
        assert result.exit_code == 0, result.output
    for page in sorted(ROOT.glob("fixtures/eastmoney/*.html")) + sorted(ROOT.glob("fixtures/chinanews/*.html")):
        url = re.match(r"<!--\s*url:\s*(\S+)", page.read_text(encoding="utf-8", errors="replace")).group(1)
        runner.invoke(app, ["file", str(page), "--url", url, "--archive", str(root)])  # pages without a date fail
    tricky = root.parent / "tricky.html"
    tricky.write_bytes(_tricky_page())
    result = runner.invoke(app, ["file", str(tricky), "--url", "https://finance.eastmoney.com/a/202201012231746999.html",
                                 "--archive", str(root)])
    assert result.exit_code == 0, result.output
    tricky_post = Path(result.output.split(": ", 1)[1].strip())
    assert runner.invoke(app, ["archive", "index", str(root)]).exit_code == 0
    build = subprocess.run([jekyll, "build", "--source", str(root), "--destination", str(root / "_site")],
                           capture_output=True, text=True, timeout=300)
    return root, build.stdout + build.stderr, tricky_post if build.returncode == 0 else Path("/build-failed")


def test_build_succeeds_without_warnings(site: tuple[Path, str, Path]) -> None:
    root, output, tricky = site
    assert tricky.name != "build-failed", output
    assert not re.search(r"warn|error|exception|invalid|deprecat", output, re.I), output
    assert len(list((root / "_site").rglob("*.html"))) >= (110 if CORPUS.is_dir() else 3)


def _page_of(root: Path, post: Path) -> str:
    stem = post.stem[11:]
    pages = [p for p in (root / "_site").rglob(f"{stem}.html")]
    assert len(pages) == 1, (post, pages)
    return pages[0].read_text(encoding="utf-8")


def test_tricky_text_is_rendered_as_text(site: tuple[Path, str, Path]) -> None:
    root, _, tricky = site
    page = _page_of(root, tricky)
    assert f"<h1 class=\"post-title\">{html.escape(TRICKY_TITLE, quote=False)}</h1>" in page.replace("&quot;", '"')
    article = page.split("<article>", 1)[1]
    assert "<script" not in article and "JEKYLL-SITE-TITLE" not in article
    text = html.unescape(re.sub(r"<[^>]+>", "", article))
    # kramdown's typography (smart quotes, -- as an en dash) is Jekyll's, not ours: undo it before comparing
    for fancy, plain in (("‘", "'"), ("’", "'"), ("—", "---"), ("–", "--")):
        text = text.replace(fancy, plain)
    for paragraph in TRICKY:
        assert paragraph in text, paragraph
    assert "<hr" not in article  # a "---" paragraph is text, not a rule


def test_sampled_posts_show_title_and_paragraphs(site: tuple[Path, str, Path]) -> None:
    root, _, tricky = site
    # the tricky post (Liquid and HTML look-alikes, escaped) has its own test; a plain-text sample would misread it
    posts = sorted(p for p in (root / "_posts").glob("20*.md") if p != tricky)
    assert len(posts) >= (10 if CORPUS.is_dir() else 3)
    for post in posts[:: max(1, len(posts) // 12)]:
        source = post.read_text(encoding="utf-8")
        title = str(yaml.safe_load(source.split("---\n", 2)[1])["title"])
        page = _page_of(root, post)
        assert html.escape(title, quote=False) in page.replace("&quot;", '"').replace("&#39;", "'"), post.name
        body = source.split("---\n", 2)[2]
        first = next(line for line in body.split("\n") if line and not line.startswith("!["))
        plain = re.sub(r"\\(.)", r"\1", first).replace("**", "")
        assert html.escape(plain, quote=False)[:30] in page.replace("&quot;", '"'), post.name
        assert "<script" not in page
