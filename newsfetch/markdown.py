"""HTML body → Markdown and plain text, written for CJK news.

Why not markdownify or html2text: both insert spaces where HTML had a newline between two Chinese
characters, hard-wrap or pad paragraphs, pass raw HTML through, and run on BeautifulSoup (slow). Here
whitespace follows CJK rules (a newline between two CJK characters is nothing, not a space), every bit of
text is escaped so no raw HTML or Liquid survives, and the output is a deterministic function of the tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = frozenset((
    "p", "div", "section", "article", "main", "header", "footer", "aside", "center", "figure", "figcaption",
    "address", "dl", "dt", "dd", "body", "html", "details", "summary", "hgroup", "fieldset", "legend",
    "ul", "ol", "li", "blockquote", "pre", "table", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "img", "br",
    "tbody", "thead", "tfoot", "tr", "td", "th", "caption",
))
_SKIP = frozenset(("script", "style", "noscript", "template", "head", "title", "iframe", "svg", "button"))
_JUNK_ALT = re.compile(r"^(image|img|图片|图|photo|picture|pic|\d+|[a-z0-9_-]+\.(jpe?g|png|gif|webp))$", re.I)

# Whitespace that HTML collapses; U+3000 and U+00A0 are content except at the edges of a paragraph.
_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")
_CJK = r"\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef" \
       r"\u201c\u201d\u2018\u2019\u2014\u2026\u00b7"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s*\n\s*(?=[{_CJK}])|(?<=[{_CJK}])\n\s*|\s*\n(?=[{_CJK}])")
_EDGE_SPACE = re.compile(r"^[\s\u3000\u00a0\u200b\ufeff]+|[\s\u3000\u00a0\u200b\ufeff]+$")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]])|<(?=[A-Za-z/!?])|(\$\$)|(-{2,}|<{2,}|>{2,})")
_LINE_START = re.compile(r"^(#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|=+\s*$|-{2,}\s*$|\+{3,}|~{3,})")
_LIQUID = re.compile(r"\{(?=[{%])")


def escape_text(text: str) -> str:
    """Escape Markdown specials and raw-HTML openers in plain text."""
    return _MD_SPECIAL.sub(_escape_match, text)


def _escape_match(match: re.Match[str]) -> str:
    if match.group(3):  # kramdown turns -- into an en dash and << >> into guillemets
        return "".join("\\" + char for char in match.group(3))
    if match.group(2):
        return "\\$\\$"  # kramdown reads $$ as a math delimiter
    return "\\" + (match.group(1) or "<")


def escape_liquid(markdown: str) -> str:
    """Make ``{{`` and ``{%`` inert for Jekyll's Liquid: the first brace becomes an HTML entity."""
    return _LIQUID.sub("&#123;", markdown)


def escape_line_start(line: str) -> str:
    """Backslash a leading character that would start a heading, list, quote or rule."""
    match = _LINE_START.match(line)
    if not match:
        return line
    marker = match.group(0)
    if marker[0].isdigit():
        return marker + "\\" + line[len(marker):]
    return "\\" + line


@dataclass
class Rendered:
    markdown: str
    text: str


def render(body: lxml.html.HtmlElement) -> Rendered:
    """Render the body element into Markdown (blocks separated by blank lines) and plain text."""
    return join_blocks(render_blocks(body))


def render_blocks(body: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    """The body's blocks as ``(markdown, plain text)`` pairs, for callers that filter blocks before joining."""
    renderer = _BlockRenderer()
    renderer.container(body)
    renderer.flush()
    return renderer.blocks


def join_blocks(blocks: list[tuple[str, str]]) -> Rendered:
    """Join blocks from `render_blocks` the way `render` does."""
    markdown = "\n\n".join(block for block, _ in blocks)
    text = "\n".join(plain for _, plain in blocks if plain)  # an image without alt text has no line
    return Rendered(markdown=escape_liquid(markdown) + "\n" if markdown else "", text=text + "\n" if text else "")


class _Inline:
    """Accumulates one paragraph's inline content as Markdown and as plain text."""

    def __init__(self) -> None:
        self.md: list[str] = []
        self.plain: list[str] = []

    def add(self, markdown: str, plain: str) -> None:
        self.md.append(markdown)
        self.plain.append(plain)

    def finish(self) -> tuple[str, str]:
        return _tidy("".join(self.md)), _tidy("".join(self.plain))


def _tidy(text: str) -> str:
    text = _CJK_GAP.sub("", text)
    text = _HTML_SPACE.sub(" ", text)
    return _EDGE_SPACE.sub("", text)


def _has_block(element: etree._Element) -> bool:
    return any(isinstance(node.tag, str) and node.tag in _BLOCKS for node in element.iterdescendants())


class _BlockRenderer:
    def __init__(self) -> None:
        self.blocks: list[tuple[str, str]] = []
        self.inline = _Inline()

    # --- block level ----------------------------------------------------------------------------
    def flush(self) -> None:
        markdown, plain = self.inline.finish()
        self.inline = _Inline()
        if plain.strip() or markdown.strip("*_ "):
            if plain.strip():
                self.blocks.append((escape_line_start(markdown), plain))

    def container(self, element: etree._Element) -> None:
        self._text(element.text)
        for child in element:
            self.node(child)
            self._text(child.tail)

    def _text(self, text: str | None) -> None:
        if text:
            self.inline.add(escape_text(text), text)

    def node(self, element: etree._Element) -> None:
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIP:
            return
        tag = tag.lower()
        if tag in _HEADINGS:
            self.flush()
            markdown, plain = _inline_of(element)
            if plain:
                self.blocks.append(("#" * _HEADINGS[tag] + " " + markdown, plain))
        elif tag == "br" or tag == "hr":
            self.flush()
        elif tag == "img":
            self.flush()
            self._image(element)
        elif tag in ("ul", "ol"):
            self.flush()
            self._list(element, 0)
        elif tag == "blockquote":
            self.flush()
            inner = _BlockRenderer()
            inner.container(element)
            inner.flush()
            if inner.blocks:  # one quote: its paragraphs are separated by a bare ">" line
                markdown = "\n\n".join(block for block, _ in inner.blocks)
                plain = "\n".join(text for _, text in inner.blocks)
                self.blocks.append(("\n".join("> " + line if line else ">" for line in markdown.split("\n")), plain))
        elif tag == "pre":
            self.flush()
            code = element.text_content().strip("\n")
            if code.strip():
                fence = "```" if "```" not in code else "~~~~"
                self.blocks.append((f"{fence}\n{code}\n{fence}", code))
        elif tag == "table":
            self.flush()
            self._table(element)
        elif tag in _BLOCKS:
            self.flush()
            self.container(element)
            self.flush()
        elif _has_block(element):
            self.container(element)  # an inline wrapper around blocks: treat as transparent
        else:
            markdown, plain = _inline_of(element)
            self.inline.add(markdown, plain)

    def _image(self, element: etree._Element) -> None:
        src = element.get("src")
        if not src:
            return
        alt = _HTML_SPACE.sub(" ", element.get("alt") or element.get("title") or "").strip()
        if _JUNK_ALT.match(alt):
            alt = ""
        self.blocks.append((f"![{escape_text(alt)}]({_url(src)})", alt))

    def _list(self, element: etree._Element, depth: int) -> None:
        first = len(self.blocks)
        ordered = element.tag.lower() == "ol"
        number = int(element.get("start") or 1) if (element.get("start") or "1").isdigit() else 1
        indent = "   " * depth if ordered else "  " * depth
        for item in element:
            if not isinstance(item.tag, str) or item.tag.lower() != "li":
                continue
            nested = [child for child in item if isinstance(child.tag, str) and child.tag.lower() in ("ul", "ol")]
            for child in nested:
                item.remove(child)  # render nested lists after the item's own text
            inner = _BlockRenderer()
            inner.container(item)
            inner.flush()
            markdown = " ".join(block for block, _ in inner.blocks)
            plain = " ".join(text for _, text in inner.blocks)
            marker = f"{number}." if ordered else "-"
            if plain:
                self.blocks.append((f"{indent}{marker} {markdown}", plain))
                number += 1
            for child in nested:
                self._list(child, depth + 1)
        if depth == 0 and len(self.blocks) > first:
            # this list's items (nested ones included) are one Markdown block, lines joined by single newlines;
            # the next list, even right after it, stays a separate block
            items = self.blocks[first:]
            self.blocks[first:] = [("\n".join(md for md, _ in items), "\n".join(text for _, text in items))]

    def _table(self, element: etree._Element) -> None:
        rows = [row for row in element.iter("tr") if _closest_table(row) is element]
        cells = [[cell for cell in row if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th")]
                 for row in rows]
        # Layout, not data: nested tables, images, or a single column (old pages wrap whole articles in one cell).
        if not rows or any(_closest_table(t) is element for t in element.iterdescendants("table")) \
                or any(row.find(".//img") is not None for row in rows) or max(map(len, cells)) <= 1:
            self.container(element)  # a layout table: render its content as blocks
            self.flush()
            return
        grid = [[_cell(cell) for cell in row] for row in cells]
        width = max(len(row) for row in grid)
        if width == 0:
            return
        grid = [row + [("", "")] * (width - len(row)) for row in grid]
        lines = ["| " + " | ".join(md for md, _ in grid[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(md for md, _ in row) + " |" for row in grid[1:]]
        plain = "\n".join("\t".join(text for _, text in row) for row in grid)
        self.blocks.append(("\n".join(lines), plain))


def _closest_table(element: etree._Element) -> etree._Element | None:
    for ancestor in element.iterancestors("table"):
        return ancestor
    return None


def _cell(cell: etree._Element) -> tuple[str, str]:
    inner = _BlockRenderer()
    inner.container(cell)
    inner.flush()
    markdown = " ".join(block for block, _ in inner.blocks).replace("|", "\\|")
    plain = " ".join(text for _, text in inner.blocks)
    return markdown.replace("\n", " "), plain.replace("\n", " ")


def _inline_of(element: etree._Element) -> tuple[str, str]:
    """Markdown and plain text of an inline element (and what it contains)."""
    collector = _Inline()
    _inline_into(element, collector, top=True)
    markdown, plain = collector.finish()
    return markdown, plain


def _inline_into(element: etree._Element, out: _Inline, top: bool = False) -> None:
    tag = element.tag.lower() if isinstance(element.tag, str) else None
    if tag is None or tag in _SKIP:
        if not top and element.tail:
            out.add(escape_text(element.tail), element.tail)
        return
    if tag in ("strong", "b", "em", "i", "a", "code"):
        inner = _Inline()
        if element.text:
            inner.add(escape_text(element.text) if tag != "code" else element.text, element.text)
        for child in element:
            _inline_into(child, inner)
        markdown, plain = inner.finish()
        out.add(_wrap(tag, element, markdown, plain), plain)
    elif tag == "br":
        out.add(" ", " ")
    elif tag == "img":
        pass  # inline images (icons, emoji) inside a sentence carry no text
    else:
        if element.text:
            out.add(escape_text(element.text), element.text)
        for child in element:
            _inline_into(child, out)
    if not top and element.tail:
        out.add(escape_text(element.tail), element.tail)


def _wrap(tag: str, element: etree._Element, markdown: str, plain: str) -> str:
    if not plain.strip():
        return ""
    if tag in ("strong", "b"):
        return f"**{markdown}**"
    if tag in ("em", "i"):
        return f"*{markdown}*"
    if tag == "code":
        fence = "``" if "`" in plain else "`"
        return f"{fence}{plain}{fence}"
    href = element.get("href")
    if tag == "a" and href and href.startswith(("http://", "https://")):
        return f"[{markdown}]({_url(href)})"
    return markdown


def _url(url: str) -> str:
    """A URL safe inside Markdown's ``(…)``: spaces and parentheses percent-encoded."""
    return url.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")


# ---- subheads: a bold line standing alone between paragraphs is a heading ------------------------------------

_BOLD_BLOCK = re.compile(r"^\*\*(?P<text>(?:(?!\*\*).)+)\*\*$")
_NOT_A_PARAGRAPH = re.compile(r"^(#{1,6} |!\[|\||> ?|[-+*] |\d{1,9}[.)] |```|~~~)")
_SENTENCE_END = "。；，、：:;,"
SUBHEAD_MAX_CHARS = 30


def is_subhead(block: str, before: str | None, after: str | None) -> bool:
    """True when `block` reads like a subhead: wholly bold, one line, at most 30 characters, not ending like a
    sentence or a lead-in (。；，、：), with an ordinary text paragraph (not bold itself) right before and after."""
    match = _BOLD_BLOCK.match(block)
    if not match or before is None or after is None:
        return False
    text = match.group("text").strip()
    if not text or len(text) > SUBHEAD_MAX_CHARS or text[-1] in _SENTENCE_END or "](" in text:
        return False
    return all(_is_text_paragraph(neighbour) for neighbour in (before, after))


def _is_text_paragraph(block: str) -> bool:
    return bool(block.strip()) and "\n" not in block.strip() and not _NOT_A_PARAGRAPH.match(block) \
        and not _BOLD_BLOCK.match(block)


def promote_subheads(markdown: str, level: int = 2) -> str:
    """Rewrite every subhead block (`is_subhead`) of a Markdown body as a level-`level` heading: ``**小标题**``
    between two paragraphs becomes ``## 小标题``. Blocks are separated by blank lines; others are untouched, so a
    second pass changes nothing."""
    blocks = markdown.split("\n\n")
    out = list(blocks)
    for index, block in enumerate(blocks):
        before = blocks[index - 1] if index > 0 else None
        after = blocks[index + 1].rstrip("\n") if index + 1 < len(blocks) else None
        if is_subhead(block, before, after):
            out[index] = "#" * level + " " + _BOLD_BLOCK.match(block).group("text").strip()
    return "\n\n".join(out)
