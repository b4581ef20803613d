"""Normalize one archive post: the old scripts' HTML-in-Markdown → clean Markdown with core front matter.

The body is read as paragraphs (runs of non-blank lines; fenced code kept whole). A paragraph holding HTML
tags goes through the core: the pipeline's clean and markdown stages (one implementation for pages and archives). Any
other paragraph is Markdown or plain text already and is kept as written (re-escaping it would change it on
every run), except: Liquid tags are made inert, full-width/space indentation and trailing spaces go, and the
old scripts' furniture is removed — back links (``[返回…](…)``, ``<a>返回…</a>``), empty autolinks ``<>``,
the trailing article address (lifted into ``url``), the ``（文章来源：X）`` line (lifted into ``source``) and
a ``> digest`` line that only repeats the article (a digest saying something else is kept).

Front matter values are kept (layout, title, date, categories, tags, and any other key); lifted fields are
added where absent; keys are written by the core's `dump_front_matter` in the core's order, other keys after
them in their original order. Same input → same bytes; normalizing a normalized post changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import lxml.html

from newsfetch.markdown import CODE_SPAN, defuse_markdown, escape_liquid
from newsfetch.page import html_parser
from newsfetch.pipeline import clean, to_markdown
from newsfetch.render import dump_front_matter
from newsfetch.stocks import unique
from newsfetch.tracking import strip_tracking

from .post import Post, PostError, read_post

# The core's front matter order (newsfetch.render.front_matter); tests check the two agree.
KEY_ORDER = ("layout", "title", "date", "categories", "tags", "source", "url", "author", "editor",
             "original_title", "section", "image", "stocks", "parser")

# Any tag, not only the old scripts' ones: kramdown passes every tag through, <math>, <marquee> or made-up ones.
_HTML = re.compile(r"(?<!\\)<(?:!--|/?[A-Za-z][\w.-]*(?::[\w.-]+)*(?=[\s/>]))")
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*[^\s`]*[ \t]*$")
_FENCE_CLOSE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$")
_AUTOLINK = re.compile(r"^<(https?://[^\s<>]+)>$")
_EMPTY_AUTOLINK = re.compile(r"^<\s*>$")
_BACK_LINK = re.compile(r"\[\s*返回[^\]\n]{0,30}\]\([^)\n]*\)|(?<![^\s｜|])返回(?:首页|[^\s｜|\[\]()]{1,20}新闻)(?![^\s｜|])")
_BACK_LINE_REST = re.compile(r"^[\s｜|/·•-]*$")
_SOURCE_LINE = re.compile(r"^[（(]\s*(?:文章|本文|稿件)?来源\s*[:：]")
_LIST_LINE = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s")
_INDENT = re.compile(r"^[ \t\u3000\u00a0]+")
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
_ATTRIBUTION = re.compile(r"[（(][^（）()]{1,30}[）)]$")
_SPACE = re.compile(r"\s+")


@dataclass
class Normalized:
    """The normalized post (bytes) and notes worth reporting (repairs, kept oddities)."""

    data: bytes
    notes: list[str] = field(default_factory=list)


@dataclass
class _Lifted:
    """Fields found in the body while converting it."""

    stocks: list[str] = field(default_factory=list)
    source: str | None = None
    url: str | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    original_title: str | None = None


def normalize_bytes(data: bytes, name: str, where: str | None = None, *,
                    layouts: tuple[str, ...] | None = None) -> Normalized:
    """Normalize the post `data` whose file name is `name`. Raises NotAPost or PostError (ArchiveError).

    `layouts`: when given, only posts with one of these layouts are normalized (others are NotAPost).
    """
    post = read_post(data, name, where, layouts=layouts)
    try:
        text = render_normalized(post)
    except RecursionError:
        raise PostError("the body nests its HTML elements too deeply to be read (thousands of levels)",
                        where=where) from None
    return Normalized(data=text.encode("utf-8"), notes=post.notes)


def render_normalized(post: Post) -> str:
    """The normalized post as text: core front matter + blank line + Markdown body."""
    lifted = _Lifted()
    blocks = _body_blocks(post.body, lifted, post.front.get("url"))
    front = _front_matter(post.front, lifted)
    body = "\n\n".join(blocks) + "\n" if blocks else ""
    return dump_front_matter(front) + "\n" + body


# --- body ----------------------------------------------------------------------------------------

def paragraphs(body: str) -> list[str]:
    """Runs of non-blank lines; a closed fenced code block is a paragraph of its own, blank lines inside included.

    Fences are read as kramdown reads them (GFM input): an opening line interrupts a paragraph, the block ends at
    the first line of the same character at least as long, and an opening line never closed is ordinary text.
    """
    lines = body.split("\n")
    found: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        close = _fence_end(lines, index)
        if close is not None:
            if current:
                found.append("\n".join(current))
                current = []
            found.append("\n".join(lines[index:close + 1]))
            index = close + 1
            continue
        if line.strip():
            current.append(line)
        elif current:
            found.append("\n".join(current))
            current = []
        index += 1
    if current:
        found.append("\n".join(current))
    return found


def _fence_end(lines: list[str], start: int) -> int | None:
    """The index of the line closing the fence opened at `start`, or None (no fence opens there, or none closes)."""
    opener = _FENCE_OPEN.match(lines[start])
    if not opener:
        return None
    run = opener.group(1)
    for index in range(start + 1, len(lines)):
        if (closing := _FENCE_CLOSE.match(lines[index])) and closing.group(1).startswith(run):
            return index
    return None


def is_fence(paragraph: str) -> bool:
    """Whether the paragraph is one closed fenced code block (as `paragraphs` splits them)."""
    lines = paragraph.split("\n")
    return len(lines) >= 2 and _fence_end(lines, 0) == len(lines) - 1


def is_html(paragraph: str) -> bool:
    """Whether the paragraph holds HTML tags (not counting escaped ``\\<`` or code spans such as `` `<p>` ``)."""
    if "<" not in paragraph:
        return False
    return _HTML.search(CODE_SPAN.sub("", paragraph)) is not None


def _body_blocks(body: str, lifted: _Lifted, front_url: Any) -> list[str]:
    parts = [p for p in (_drop_furniture_lines(p) for p in paragraphs(body)) if p]
    # Consecutive HTML paragraphs are one fragment: an element may span a blank line.
    groups: list[tuple[str, str]] = []
    for part in parts:
        kind = "html" if not is_fence(part) and is_html(part) else "text"
        if kind == "html" and groups and groups[-1][0] == "html":
            groups[-1] = ("html", groups[-1][1] + "\n" + part)
        else:
            groups.append((kind, part))
    _lift_trailing_url(groups, lifted, front_url)
    html_text: list[str] = []
    blocks: list[str] = []
    for kind, part in groups:
        if kind == "html":
            markdown, plain = _html_to_markdown(part, lifted)
            html_text.append(plain)
            if markdown:
                blocks.append(markdown)
        elif _SOURCE_LINE.match(part) and "\n" not in part and _lift_source_line(part, lifted):
            continue
        else:
            blocks.append(_tidy_text(part))
    if groups and groups[0][0] == "text" and html_text and _is_repeated_digest(groups[0][1], "".join(html_text)):
        blocks.pop(0)
    return blocks


def _drop_furniture_lines(paragraph: str) -> str:
    """Remove back-link lines and empty autolinks ``<>`` from a Markdown paragraph."""
    if is_fence(paragraph):
        return paragraph
    kept = []
    for line in paragraph.split("\n"):
        stripped = line.strip()
        if _EMPTY_AUTOLINK.match(stripped):
            continue
        if "返回" in stripped and _BACK_LINE_REST.match(_BACK_LINK.sub("", stripped)):
            continue
        kept.append(line)
    return "\n".join(kept)


def _lift_trailing_url(groups: list[tuple[str, str]], lifted: _Lifted, front_url: Any) -> None:
    """The last paragraph, when it is a lone ``<http…>``, is the article's address: into ``url``."""
    if not groups or groups[-1][0] != "text":
        return
    match = _AUTOLINK.match(groups[-1][1].strip())
    if not match:
        return
    url = strip_tracking(match.group(1))
    if front_url in (None, "") or str(front_url).strip() == url:
        lifted.url = url
        groups.pop()


def _html_to_markdown(html: str, lifted: _Lifted) -> tuple[str, str]:
    """The core's clean + render on an HTML fragment; what clean lifts goes into `lifted`."""
    root = lxml.html.fragment_fromstring(html, create_parent="div", parser=html_parser())  # no silent cut at depth 256
    _drop_back_anchors(root)
    cleaned = clean(root)
    rendered = to_markdown(cleaned.body)
    lifted.stocks.extend(cleaned.stocks)
    lifted.source = lifted.source or cleaned.source
    lifted.authors.extend(cleaned.authors)
    lifted.editors.extend(cleaned.editors)
    lifted.original_title = lifted.original_title or cleaned.original_title
    return rendered.markdown.rstrip("\n"), rendered.text


def _drop_back_anchors(root: lxml.html.HtmlElement) -> None:
    """``<a href=…>返回首页</a>`` and the like: archive navigation, not article text."""
    for link in list(root.iter("a")):
        text = link.text_content().strip()
        if text.startswith("返回") and len(text) <= 20 and link.getparent() is not None:
            tail = link.tail or ""
            link.tail = re.sub(r"^\s*[｜|]", "", tail)
            link.drop_tree()


def _lift_source_line(line: str, lifted: _Lifted) -> bool:
    """A Markdown ``（文章来源：X）`` line: the core's metadata rule decides (one implementation)."""
    root = lxml.html.fragment_fromstring("<p></p>", create_parent="div")
    root[0].text = line.strip()
    cleaned = clean(root)
    if not cleaned.source or to_markdown(cleaned.body).text.strip():
        return False
    lifted.source = lifted.source or cleaned.source
    return True


def _tidy_text(paragraph: str) -> str:
    """Markdown kept as written: indentation (not of list items) and trailing spaces go, Liquid, attribute lists,
    extensions and script URLs are defused."""
    if is_fence(paragraph):
        return escape_liquid(paragraph)
    lines = []
    for line in paragraph.split("\n"):
        line = line.rstrip()
        if not _LIST_LINE.match(line):
            line = _INDENT.sub("", line)
        lines.append(line)
    return escape_liquid(defuse_markdown("\n".join(lines)))


def _is_repeated_digest(paragraph: str, html_text: str) -> bool:
    """A ``> digest`` whose every sentence (less a trailing ``（来源）``) is already in the article."""
    lines = paragraph.split("\n")
    if not all(line.startswith(">") for line in lines):
        return False
    digest = _SPACE.sub("", "".join(line[1:] for line in lines))
    digest = _ATTRIBUTION.sub("", digest)
    article = _SPACE.sub("", html_text)
    sentences = [s for s in _SENTENCE_END.split(digest) if len(s) >= 4]
    return bool(sentences) and all(s in article for s in sentences)


# --- front matter --------------------------------------------------------------------------------

def _front_matter(original: dict[str, Any], lifted: _Lifted) -> dict[str, Any]:
    data = dict(original)
    additions = {
        "source": lifted.source,
        "url": lifted.url,
        "author": _one_or_list(lifted.authors),
        "editor": _one_or_list(lifted.editors),
        "original_title": lifted.original_title,
    }
    for key, value in additions.items():
        if value and data.get(key) in (None, ""):
            data[key] = value
    if lifted.stocks:
        existing = data.get("stocks")
        existing = existing if isinstance(existing, list) else ([existing] if existing else [])
        data["stocks"] = list(unique([*map(str, existing), *lifted.stocks]))
    ordered = {key: data[key] for key in KEY_ORDER if key in data}
    ordered.update((key, value) for key, value in data.items() if key not in ordered)
    return ordered


def _one_or_list(names: list[str]) -> str | list[str] | None:
    names = list(dict.fromkeys(names))
    if not names:
        return None
    return names[0] if len(names) == 1 else names
