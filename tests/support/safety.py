"""The safety proof's parts: a grammar of hostile HTML fragments, posts made from them by newsfetch, one real
``jekyll build --safe`` of all of them, and a check of the built pages with a real HTML parser.

Used by tests/test_fuzz_safety.py (a fixed-seed run in CI) and benchmarks/fuzz_safety.py (a long run).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from hypothesis import strategies as st

from newsfetch.archive.normalize import normalize_bytes
from newsfetch.pipeline import extract
from newsfetch.render import render_post

SITE_TITLE = "JEKYLL-SITE-TITLE"  # what {{ site.title }} would print if Liquid ran on page text

# Text that kramdown, GFM, Liquid or a browser would read as syntax, plus ordinary text to hold it together.
# Each is *text* in the page (HTML-escaped where it is put into a fragment).
TEXT = [
    '{: onclick="alert(1)"}', '{:.x onmouseover="alert(1)"}', "{: #id .cls}", "{::nomarkdown}", "{:/}",
    "{:/nomarkdown}", "{::comment}", "{:/comment}", '{:ref: onclick="alert(1)"}', '{::options parse_block_html="true" /}',
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">x</a>', "<!-- c -->",
    "<div onclick=alert(1)>", "</div>", "&lt;script&gt;", "&#60;b&#62;", "&amp;", "&", "`", "``", "```", "````", "~~~",
    "~~", "~", "|", "| a | b |", "|---|", "{{ site.title }}", "{% if true %}", "{%", "{{", "}}", "{", "}", "$$x$$",
    "$$", "--", "---", "<<", ">>", "...", "*", "**", "_", "__", "[", "]", "[x](javascript:alert(1))",
    "![x](javascript:alert(1))", "[x]: javascript:alert(1)", "[^1]", "*[HTML]: x", "<http://x.test>",
    "javascript:alert(1)", "\\", "\\\\", "#", "# ", "## x ##", "> ", "- ", "+ ", "* ", "1. ", "2) ", ": ", "^", "=", "===",
    "***", "{#id}", "\n", "\n\n", "    ", "\t", "中文", "新闻", "　", "abc", " ", "'", '"', ":", "<", ">", "\\{:",
    "x", "1", "A股",
]
URLS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java&#10;script:alert(1)",
    "java&#9;script:alert(1)", "javascript&amp;#58;alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "data:image/png,x",
    "vbscript:msgbox(1)", "http://x.test/a b", "http://x.test/a&#10;b", "http://x.test/a&#10;<img src=x onerror=alert(1)>",
    'http://x.test/)"onerror="alert(1)', "http://x.test/{:onclick}", "http://x.test/a|b", "/rel/a.png", "a.png",
    "//x.test/a.png", "https://x.test/a.png?x=1&amp;y=2", "http://x.test/a`b`", "http://x.test/\u3000x",
    "http://x.test/(a)", "http://x.test/{{site.title}}", "http://x.test/a\\b", "http://x.test/a<b>", "",
]
# Markdown an old post may hold (normalize keeps Markdown paragraphs as written, less what is live).
MARKDOWN = [
    "[x](javascript:alert(1))", "![x](javascript:alert(1))", "[x](JavaScript:alert(1))", "[x]( javascript:alert(1))",
    "![x](javascript&#58;alert(1))", "[x](javascript&colon;alert(1))", "[x](<javascript:alert(1)>)",
    "[x](data:text/html,x)", "[x][r]", "[r]: javascript:alert(1)", "\n[r]: vbscript:x\n", "[r]", "<javascript:alert(1)>",
    "{::nomarkdown}&lt;script&gt;alert(1)&lt;/script&gt;{:/}", "{::nomarkdown}<b>x</b>{:/}", "*x*{: onclick=\"alert(1)\"}",
    "\n{: onclick=\"alert(1)\"}\n", "{:a: onclick=\"alert(1)\"}", "\n```\n", "\n~~~\n", "\n````\n", "`", "``",
    "<math>x</math>", "<x onclick=alert(1)>y</x>", "<details open ontoggle=alert(1)>", "<svg:a onclick=alert(1)>",
    "\n    <b onclick=alert(1)>indented</b>\n", "\\{:", "\\\\{: onclick=\"alert(1)\"}", "[x](http://x.test/)",
    "\n- item\n", "\n> quote\n", "| a | b |", "\n", "\n\n",
]
INLINE = ["em", "strong", "b", "i", "code", "span", "a", "u", "font", "sup", "small", "mark"]
BLOCK = ["p", "div", "pre", "blockquote", "h1", "h2", "h3", "h6", "section", "center", "ul", "ol", "li", "table", "tr",
         "td", "th", "dl", "dt", "dd", "figure", "figcaption"]
HOSTILE = ["script", "style", "iframe", "svg", "object", "embed", "form", "input", "button", "textarea", "noscript",
           "template", "marquee", "details", "video", "math", "base", "link", "meta"]
EVENT_ATTRS = ['onclick="alert(1)"', 'onerror="alert(1)"', 'onmouseover="alert(1)"', 'style="x:expression(alert(1))"',
               'ontoggle="alert(1)"', 'formaction="javascript:alert(1)"']

# What a built post may hold (kramdown's output for the Markdown newsfetch writes).
ALLOWED = {
    "p": set(), "em": set(), "strong": set(), "code": {"class"}, "pre": {"class"}, "div": {"class"},
    "a": {"href"}, "img": {"src", "alt"}, "ul": set(), "ol": {"start"}, "li": set(), "blockquote": set(),
    "table": set(), "thead": set(), "tbody": set(), "tr": set(), "th": set(), "td": set(),
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"}, "br": set(),
}
# Old posts written in Markdown may use all of Markdown: rules, definition lists, footnotes, abbreviations.
ALLOWED_MARKDOWN = {**ALLOWED, "hr": set(), "dl": set(), "dt": set(), "dd": set(), "del": set(), "abbr": {"title"},
                    "sup": {"id", "role"}, "a": {"href", "class", "rel", "role"}, "div": {"class", "role"},
                    "li": {"id"}, "p": set()}
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\s\x00-\x20\x7f-\x9f]+")


def _text() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(TEXT), min_size=1, max_size=5).map(lambda parts: html.escape("".join(parts)))


def _attrs() -> st.SearchStrategy[str]:
    url = st.sampled_from(URLS)
    one = st.one_of(url.map(lambda u: f'href="{u}"'), url.map(lambda u: f'src="{u}"'),
                    st.sampled_from(EVENT_ATTRS), _text().map(lambda t: f'title="{t}"'),
                    _text().map(lambda t: f'alt="{t}"'))
    return st.lists(one, max_size=3).map(lambda attrs: "".join(" " + a for a in attrs))


def fragments() -> st.SearchStrategy[str]:
    """Random HTML fragments of hostile text, attributes and elements, nested up to a few levels."""
    leaf = st.one_of(
        _text(),
        st.tuples(st.sampled_from(URLS), _text()).map(lambda p: f'<img src="{p[0]}" alt="{p[1]}">'),
        st.tuples(st.sampled_from(URLS), _text()).map(lambda p: f'<img alt="{p[1]}" src="{p[0]}" onerror="alert(1)">'),
        st.sampled_from(["<br>", "<hr>", "<br/>"]),
        st.tuples(st.sampled_from(HOSTILE), _text()).map(lambda p: f"<{p[0]}>{p[1]}</{p[0]}>"),
    )

    def wrap(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        tag = st.sampled_from(INLINE + BLOCK + HOSTILE[:4])
        return st.tuples(tag, _attrs(), st.lists(children, min_size=1, max_size=4)).map(
            lambda p: f"<{p[0]}{p[1]}>{''.join(p[2])}</{p[0]}>")

    return st.lists(st.recursive(leaf, wrap, max_leaves=12), min_size=1, max_size=4).map("".join)


def markdown_bodies() -> st.SearchStrategy[str]:
    """Bodies of old posts written in Markdown (raw, not HTML-escaped), hostile bits and all."""
    return st.lists(st.sampled_from(MARKDOWN + TEXT), min_size=1, max_size=12).map("".join)


def titles() -> st.SearchStrategy[str]:
    """Titles as raw text (the page holds them HTML-escaped)."""
    return st.lists(st.sampled_from(TEXT), min_size=1, max_size=4).map(lambda parts: "标题" + "".join(parts))


def page_of(fragment: str, title: str, n: int) -> bytes:
    """An Eastmoney-shaped article page with `fragment` between two ordinary paragraphs."""
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta property="article:published_time" content="2024-01-02T10:00:00+08:00">
<title>{html.escape(title)}_东方财富网</title></head>
<body><div class="newsContent"><h1>{html.escape(title)}</h1>
<div class="infos"><div class="item">2024年01月02日 10:00</div><div class="item">来源：东方财富网</div></div>
<div id="ContentBody" class="txtinfos">
<p>第{n}篇测试文章的第一段，内容足够长以便被识别为正文，讲述市场在这一天的变化。</p>
{fragment}
<p>最后一段继续说明情况，并补充了更多的细节和数字。</p>
</div></div></body></html>""".encode("utf-8")


@dataclass
class Case:
    """One post in the fuzz site: what newsfetch wrote and what the reader must see."""

    name: str  # the post's file stem, also its page name (permalink /:title.html)
    fragment: str
    post: bytes
    text: str | None  # the article's text as newsfetch extracted it (None: check safety only)
    title: str | None
    allowed: dict[str, set[str]] | None = None  # the allow-list, when not ALLOWED


def page_case(n: int, fragment: str, title: str) -> Case:
    """`fragment` through the whole pipeline of ``newsfetch file PAGE --archive``: extract, render the post."""
    article = extract(page_of(fragment, title, n), f"https://finance.eastmoney.com/a/2024010{n:012d}.html")
    return Case(f"page-{n}", fragment, render_post(article).encode("utf-8"), article.text, article.title)


def normalize_case(n: int, fragment: str, title: str) -> Case:
    """`fragment` as the body of an old archive post (HTML in Markdown), through `normalize`."""
    old = f"---\nlayout: post\ntitle: {title!r}\ndate: 2024-01-02 10:00:00 +0800\n---\n\n{fragment}\n"
    data = normalize_bytes(old.encode("utf-8"), f"2024-01-02-old-{n}.md").data
    return Case(f"old-{n}", fragment, data, None, None)


def markdown_case(n: int, body: str) -> Case:
    """An old post whose body is `body` (Markdown as some script wrote it), through `normalize`."""
    old = f"---\nlayout: post\ntitle: md {n}\ndate: 2024-01-02 10:00:00 +0800\n---\n\n{body}\n"
    data = normalize_bytes(old.encode("utf-8"), f"2024-01-02-md-{n}.md").data
    return Case(f"md-{n}", body, data, None, None, ALLOWED_MARKDOWN)


LAYOUT = ("<!DOCTYPE html><html><head><title>{{ page.title | escape }}</title></head><body>"
          "<h1 class=\"post-title\">{{ page.title | escape }}</h1><article>{{ content }}</article></body></html>\n")


def build(cases: list[Case], root: Path, jekyll: str) -> Path:
    """Write the cases as posts of a fresh site under `root` and run one ``jekyll build --safe``; the _site folder."""
    (root / "_layouts").mkdir(parents=True)
    (root / "_layouts" / "post.html").write_text(LAYOUT, encoding="utf-8")
    (root / "_config.yml").write_text(f"title: {SITE_TITLE}\nmarkdown: kramdown\nfuture: true\n"
                                      "permalink: /:title.html\n", encoding="utf-8")
    posts = root / "_posts"
    posts.mkdir()
    for case in cases:
        (posts / f"2024-01-02-{case.name}.md").write_bytes(case.post)
    site = root / "_site"
    result = subprocess.run([jekyll, "build", "--safe", "--source", str(root), "--destination", str(site)],
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise AssertionError("jekyll build failed:\n" + result.stdout[-3000:] + result.stderr[-3000:])
    return site


def visible(element: lxml.html.HtmlElement) -> str:
    """The text a reader sees in `element`, image alt texts in place (document order: text, children, tail)."""
    parts: list[str] = []

    def walk(node: lxml.html.HtmlElement) -> None:
        if node.tag == "img":
            parts.append(node.get("alt") or "")
        elif isinstance(node.tag, str) and node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "".join(parts)


def comparable(text: str) -> str:
    """Text less what kramdown's typography changes and whitespace (which Markdown may reflow)."""
    for fancy, plain in (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"), ("…", "..."), ("«", "<<"), ("»", ">>")):
        text = text.replace(fancy, plain)
    return _INVISIBLE.sub("", text.replace("\u3000", ""))


def check(case: Case, page: str) -> list[str]:
    """What is wrong with the built page of `case` (nothing: an empty list)."""
    problems: list[str] = []
    if SITE_TITLE in page:
        problems.append("Liquid ran: the site title is in the page")
    document = lxml.html.document_fromstring(page)
    article = document.find(".//article")
    if article is None:
        return problems + ["no <article> in the page"]
    allowed = case.allowed or ALLOWED
    for node in article.iterdescendants():
        if not isinstance(node.tag, str):
            problems.append(f"a comment or processing instruction: {lxml.html.tostring(node)[:80]!r}")
            continue
        if node.tag not in allowed:
            problems.append(f"element <{node.tag}>")
            continue
        for name, value in node.attrib.items():
            if name.lower().startswith("on") or name not in allowed[node.tag]:
                problems.append(f"attribute {name}={value!r} on <{node.tag}>")
            if name in ("href", "src"):
                scheme = _SCHEME.match(_INVISIBLE.sub("", value))
                if scheme and scheme.group(1).lower() not in ("http", "https"):
                    problems.append(f"{name}={value!r}: a {scheme.group(1)}: URL")
    if case.text is not None:
        # Liquid's {{ and {% are written as &#123;, which a code span shows as written
        seen = comparable(visible(article).replace("&#123;", "{"))
        if seen != comparable(case.text):
            problems.append(f"text changed:\n  expected {comparable(case.text)!r}\n  shown    {seen!r}")
    if case.title is not None:
        shown = document.find(".//h1")
        if shown is None or (shown.text or "").strip() != case.title.strip():
            problems.append(f"title changed: {case.title!r} shown as {None if shown is None else shown.text!r}")
    return problems


def check_site(cases: list[Case], site: Path) -> list[str]:
    """Every problem of every case, each with its fragment, for the failure message."""
    report: list[str] = []
    for case in cases:
        path = site / f"{case.name}.html"
        problems = check(case, path.read_text(encoding="utf-8")) if path.is_file() else ["no page built"]
        if problems:
            report.append(f"{case.name}: {case.fragment!r}\n" + "\n".join("  - " + p for p in problems))
    return report


def build_and_check(cases: list[Case], root: Path, jekyll: str, per_site: int = 300) -> list[str]:
    """`check_site` over sites of `per_site` posts each (a jekyll build's time grows faster than its post count)."""
    report: list[str] = []
    for start in range(0, len(cases), per_site):
        chunk = cases[start:start + per_site]
        report += check_site(chunk, build(chunk, root / f"site-{start}", jekyll))
    return report


def find_jekyll() -> str | None:
    return shutil.which("jekyll")
