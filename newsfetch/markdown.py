"""HTML body → Markdown and plain text, written for CJK news.

Why not markdownify or html2text: both insert spaces where HTML had a newline between two Chinese
characters, hard-wrap or pad paragraphs, pass raw HTML through, and run on BeautifulSoup (slow). Here
whitespace follows CJK rules (a newline between two CJK characters is nothing, not a space), every bit of
text is escaped so no raw HTML or Liquid survives, and the output is a deterministic function of the tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

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
# Alt text that is no caption: a placeholder word, a number, or a file name (with its extension, or a slug of
# lower-case words joined by hyphens or underscores such as "0225-lupita-nyongo-getty-01")
_JUNK_ALT = re.compile(r"^(?:an? )?(image|img|图片|图|photo|picture|pic|\d+|[a-z0-9_-]+\.(jpe?g|png|gif|webp)"
                       r"|[a-z0-9]+(?:[_-][a-z0-9]+){2,})$", re.I)

# Whitespace that HTML collapses; U+3000 and U+00A0 are content except at the edges of a paragraph.
_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")
_CJK = r"\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef" \
       r"\u201c\u201d\u2018\u2019\u2014\u2026\u00b7"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s*\n\s*(?=[{_CJK}])|(?<=[{_CJK}])\n\s*|\s*\n(?=[{_CJK}])")
_EDGE_SPACE = re.compile(r"^[\s\u3000\u00a0\u200b\ufeff]+|[\s\u3000\u00a0\u200b\ufeff]+$")
# Everything kramdown (GFM input, Jekyll's default) reads as syntax inside a paragraph. A character that only
# becomes syntax together with the next one ("<" + "img", "{" + ":", "&" + "lt;") is escaped when it ends a text
# node too: text nodes are escaped one at a time, and the next node's text may supply the rest.
_MD_SPECIAL_FORM = (
    r"(?P<char>[\\`*_\[\]|])"            # escapes, code, emphasis, links, table cells
    r"|(?P<run>-{2,}|<{2,}|>{2,}|~{2,})"    # en dash, guillemets, GFM ~~strikethrough~~
    r"|<(?=[A-Za-z/!?]END)"                 # raw HTML, comments, autolinks
    r"|\{(?=[:#])|(?P<brace>\{END_ONLY)"    # {: attribute lists}, {::extensions}, {#header-ids}
    r"|(?P<amp>&)(?=#?[A-Za-z0-9]+;END)"    # an entity would be decoded: "&lt;script&gt;" must stay text
    r"|(?P<math>\$\$)")                     # math delimiters
_MD_SPECIAL = re.compile(_MD_SPECIAL_FORM.replace("END_ONLY", r"\Z").replace("END", r"|\Z"))
# Every character a match of _MD_SPECIAL starts with: text without any (most text) is returned as it is.
_MD_SPECIAL_START = re.compile(r"[\\`*_\[\]|<>~{&$-]")
_MD_SPECIAL_WHOLE = re.compile(_MD_SPECIAL_FORM.replace("(?P<brace>\\{END_ONLY)", "(?P<brace>(?!))")
                               .replace("END", ""))  # for a string nothing follows (alt text)
_LINE_START = re.compile(r"^(#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|=+\s*$|-{2,}\s*$|\+{3,}|~{3,}"
                         r"|:(?=\s|$)|\^\s*$)")  # ": definition" and a lone "^" (kramdown's end-of-block mark)
_DELIMITERS = {"strong": "**", "b": "**", "em": "*", "i": "*"}
_KINDS = {"strong": "strong", "b": "strong", "em": "em", "i": "em", "a": "link", "code": "code"}
_LIQUID = re.compile(r"\{(?=[{%])")


def escape_text(text: str) -> str:
    """Escape Markdown specials and raw-HTML openers in plain text (a text node: more text may follow it)."""
    if _MD_SPECIAL_START.search(text) is None:
        return text
    return _MD_SPECIAL.sub(_escape_match, text)


def _escape_match(match: re.Match[str]) -> str:
    if match.group("run"):  # kramdown turns -- into an en dash, << >> into guillemets; GFM reads ~~ as <del>
        return "".join("\\" + char for char in match.group("run"))
    if match.group("math"):
        return "\\$\\$"  # kramdown reads $$ as a math delimiter
    if match.group("amp"):
        return "&amp;"  # kramdown has no backslash escape for "&"
    if match.group("brace"):
        return "&#123;"  # "\\{" would be "\\" + Liquid's "&#123;" if the next node starts with "{" or "%"
    return "\\" + match.group(0)


def escape_alt(alt: str) -> str:
    """Image alt text: kramdown parses it as text to find the closing bracket, then copies the source into the
    attribute with only its base escapes undone (no ``\\~``: GFM's strikethrough does not apply there)."""
    return _not_footnote(_MD_SPECIAL_WHOLE.sub(_escape_match, alt).replace("\\~", "~"))


def _not_footnote(label: str) -> str:
    """``[^…]`` opens a footnote, not a link: a leading space keeps the brackets a link (or image) label."""
    return " " + label if label.startswith("^") else label


def escape_liquid(markdown: str) -> str:
    """Make ``{{`` and ``{%`` inert for Jekyll's Liquid: the first brace becomes an HTML entity."""
    return _LIQUID.sub("&#123;", markdown)


# --- Markdown written by others (old archive posts) ---------------------------------------------------------
# kramdown's code spans: a run of backticks (not part of a longer run, not escaped) up to the first occurrence of
# the same run, even inside a longer one.
CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`)(.*?)\1", re.S)
_UNESCAPED_BRACE = re.compile(r"(?<!\\)((?:\\\\)*)\{(?=:)")
_DESTINATION = re.compile(r"(\]\(\s*<?|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?)([^\s)>]*)", re.M)


def defuse_markdown(markdown: str) -> str:
    """Markdown as written, less what would put live markup in the page: ``{:`` attribute lists and ``{::``
    extensions become text, and a link, image or reference destination with a scheme other than http/https
    (or an entity that a browser would decode into one) is made relative. Code spans are left alone.
    Idempotent: what it writes, it does not change again. Raw HTML is the caller's business."""
    pieces = []
    last = 0
    for span in CODE_SPAN.finditer(markdown):
        pieces.append(_defuse_text(markdown[last:span.start()]))
        pieces.append(span.group(0))
        last = span.end()
    pieces.append(_defuse_text(markdown[last:]))
    return "".join(pieces)


def _defuse_text(text: str) -> str:
    text = _UNESCAPED_BRACE.sub(lambda match: match.group(1) + "\\{", text)
    return _DESTINATION.sub(lambda match: match.group(1) + _defuse_destination(match.group(2)), text)


def _defuse_destination(url: str) -> str:
    url = re.sub(r"&(?=#|[A-Za-z0-9]+;)", "%26", url)
    scheme = _URL_SCHEME.match(_INVISIBLE.sub("", url))
    if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
        return url.replace(":", "%3A", 1)
    return url


def escape_line_start(line: str) -> str:
    """Backslash a leading character that would start a heading, list, quote or rule."""
    match = _LINE_START.match(line)
    if not match:
        return line
    marker = match.group(0)
    if marker[0] == "^":
        return "&#94;" + line[1:]  # kramdown has no backslash escape for "^"
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
        self.last_delimiter: str | None = None  # the emphasis delimiter that closes the last piece, if any

    def add(self, markdown: str, plain: str, delimiter: str | None = None) -> None:
        if delimiter and delimiter == self.last_delimiter and markdown.startswith(delimiter):
            # *a* right after *b* would read as *b**a*, where ** opens a strong span: one span *ba* instead
            self.md[-1] = self.md[-1][:-len(delimiter)]
            markdown = markdown[len(delimiter):]
        self.md.append(markdown)
        self.plain.append(plain)
        self.last_delimiter = delimiter if markdown else self.last_delimiter

    def finish(self, *, trim: bool = True) -> tuple[str, str]:
        """The paragraph (or span) tidied; `trim=False` keeps one edge space, for a span inside a paragraph."""
        if not self.md:
            return "", ""
        return _tidy("".join(self.md), trim), _tidy("".join(self.plain), trim)


_EDGE_ONLY = "\u200b\ufeff"  # what _EDGE_SPACE trims besides whitespace
# _EDGE_SPACE's characters for str.strip, which trims both ends without trying the pattern at every position:
# \s matches what str.isspace() accepts, and no character from U+3001 up is a space
_EDGE_CHARS = "".join(chr(code) for code in range(0x3001) if chr(code).isspace()) + _EDGE_ONLY


def _tidy(text: str, trim: bool = True) -> str:
    # the regexes only where they can change something: a renderer tidies tens of thousands of short pieces
    if "\n" in text and not text.isascii():  # every _CJK_GAP alternative holds a newline and a non-ASCII character
        text = _CJK_GAP.sub("", text)
    if "  " in text or "\t" in text or "\n" in text or "\r" in text or "\f" in text:  # else only " " → " "
        text = _HTML_SPACE.sub(" ", text)
    return text.strip(_EDGE_CHARS) if trim else text


def _has_block(element: etree._Element) -> bool:
    return any(isinstance(node.tag, str) and node.tag in _BLOCKS for node in element.iterdescendants())


class _BlockRenderer:
    def __init__(self) -> None:
        self.blocks: list[tuple[str, str]] = []
        self.inline = _Inline()

    # --- block level ----------------------------------------------------------------------------
    def flush(self) -> None:
        if not self.inline.md:
            return  # nothing since the last flush (an _Inline with no piece is as good as a new one)
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
                # kramdown drops a heading's closing #s: escape them so they stay text
                closing = len(markdown) - len(markdown.rstrip("#"))
                markdown = markdown[:len(markdown) - closing] + "\\#" * closing
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
            code = _code_text(element).strip("\n")
            if code.strip():
                fence = code_fence(code)
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
            markdown, plain = _inline_of(element, trim=False)
            delimiter = _DELIMITERS.get(tag)
            self.inline.add(markdown, plain, delimiter if delimiter and markdown.endswith(delimiter) else None)

    def _image(self, element: etree._Element) -> None:
        src = element.get("src")
        if not src:
            return
        url = safe_url(src)
        if url is None:
            return  # javascript:, data:… never reach the archive
        alt = _HTML_SPACE.sub(" ", element.get("alt") or element.get("title") or "").strip()
        if _JUNK_ALT.match(alt):
            alt = ""
        self.blocks.append((f"![{escape_alt(alt)}]({url})", alt))

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
            marker = f"{number}." if ordered else "-"
            plain = " ".join(text for _, text in inner.blocks)
            if any("\n" in block for block, _ in inner.blocks):
                # a code block, quote or table in the item: its lines must be indented to the item's text, or
                # they end the list and their raw text is read as Markdown
                continuation = " " * len(f"{indent}{marker} ")
                markdown = "\n\n".join(block for block, _ in inner.blocks)
                markdown = "\n".join(continuation + line if line else "" for line in markdown.split("\n"))[
                    len(continuation):]
            else:
                markdown = " ".join(block for block, _ in inner.blocks)
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
    # a cell is one line: a block of several lines (code, list, quote) is kept as its escaped text
    markdown = " ".join(block if "\n" not in block else escape_text(_HTML_SPACE.sub(" ", text))
                        for block, text in inner.blocks)
    plain = " ".join(text for _, text in inner.blocks)
    return markdown, plain.replace("\n", " ")


def _inline_of(element: etree._Element, *, trim: bool = True) -> tuple[str, str]:
    """Markdown and plain text of an inline element (and what it contains); `trim=False` for an element inside a
    paragraph, whose edge space may be the one between two words (``Hello<span> world</span>``)."""
    collector = _Inline()
    _inline_into(element, collector, top=True)
    return collector.finish(trim=trim)


def _inline_into(element: etree._Element, out: _Inline, top: bool = False, within: frozenset[str] = frozenset()) -> None:
    """`within`: the kinds of span already open around `element` (Markdown cannot nest *…* in *…*, nor links)."""
    tag = element.tag.lower() if isinstance(element.tag, str) else None
    if tag is None or tag in _SKIP:
        if not top and element.tail:
            out.add(escape_text(element.tail), element.tail)
        return
    kind = _KINDS.get(tag or "")
    if kind and kind not in within:
        inner = _Inline()
        if element.text:
            inner.add(escape_text(element.text) if tag != "code" else element.text, element.text)
        for child in element:
            _inline_into(child, inner, within=within | {kind})
        raw = "".join(inner.plain)
        markdown, plain = inner.finish()
        wrapped = _wrap(tag, element, markdown, plain)
        # the span's edge spaces are trimmed (`* you*` is no emphasis), but the space the page has between two
        # words stays, outside the span: "do<i> you</i>" is "do *you*", as a browser shows it
        if wrapped and raw[:1] in _COLLAPSIBLE:
            out.add(" ", " ")
        out.add(wrapped, plain, _DELIMITERS.get(tag) if wrapped else None)
        if wrapped and raw[-1:] in _COLLAPSIBLE:
            out.add(" ", " ")
    elif tag == "br":
        out.add(" ", " ")
    elif tag == "img":
        pass  # inline images (icons, emoji) inside a sentence carry no text
    else:
        if element.text:
            out.add(escape_text(element.text), element.text)
        for child in element:
            _inline_into(child, out, within=within)
    if not top and element.tail:
        out.add(escape_text(element.tail), element.tail)


_COLLAPSIBLE = frozenset(" \t\r\n\f")


def _wrap(tag: str, element: etree._Element, markdown: str, plain: str) -> str:
    if not plain.strip():
        return ""
    if tag in ("strong", "b"):
        return f"**{markdown}**"
    if tag in ("em", "i"):
        return f"*{markdown}*"
    if tag == "code":
        return code_span(plain)
    href = element.get("href")
    if tag == "a" and href and href.startswith(("http://", "https://")):
        url = safe_url(href)
        if url is not None:
            return f"[{_not_footnote(markdown)}]({url})"
    return markdown


def code_span(text: str) -> str:
    """Inline code that no backtick inside can close: the delimiter is longer than any backtick run in it.

    kramdown ends a span at the first occurrence of its delimiter (even inside a longer run) and strips one
    space at each end of a span with a multi-backtick delimiter; a lone backtick between spaces is not a span
    at all, so the content's edge spaces go.
    """
    content = _HTML_SPACE.sub(" ", text).strip()
    if not content:
        return ""
    longest = max((len(run) for run in _BACKTICKS.findall(content)), default=0)
    if longest == 0:
        return f"`{content}`"
    fence = "`" * (longest + 1)
    return f"{fence} {content} {fence}"


def code_fence(code: str) -> str:
    """A fence no line of `code` can close: ``` unless the code holds a run of 3+ backticks, then the shorter of a
    backtick or tilde fence longer than any run of that character in it."""
    candidates = []
    for char in "`~":
        longest = max((len(run) for run in re.findall(re.escape(char) + "+", code)), default=0)
        candidates.append((max(3, longest + 1), char))
    length, char = min(candidates, key=lambda pair: (pair[0], pair[1] != "`"))
    return char * length


# Percent-encoded in link and image destinations: whitespace and control characters (a newline would end the
# Markdown link and free what follows), the characters that end or quote a destination, table pipes, braces
# (Liquid, attribute lists) and an "&" that starts an entity (kramdown copies "&#58;" into the attribute, where
# the browser decodes it: "javascript&#58;" would become a live javascript: URL).
_URL_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f-\x9f()<>\"'`\\{}|\[\]^]|&(?=#|[A-Za-z0-9]+;)")
_URL_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
_BACKTICKS = re.compile(r"`+")
SAFE_SCHEMES = ("http", "https")


def safe_url(url: str) -> str | None:
    """`url` fit for a Markdown link or image destination, or None when it is not http, https or relative.

    Browsers ignore tabs and newlines inside a scheme (``java\\nscript:``), so the scheme is read with them
    removed; everything unsafe is percent-encoded as UTF-8.
    """
    url = url.strip()
    scheme = _URL_SCHEME.match(_INVISIBLE.sub("", url))
    if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
        return None
    if not url:
        return None
    return _URL_UNSAFE.sub(lambda match: quote(match.group(0), safe=""), url)


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


def _code_text(element: lxml.html.HtmlElement) -> str:
    """The text of a code block as it shows: a `<br>` inside it is a line break (highlighters write lines so)."""
    parts: list[str] = []
    # comments and processing instructions come as their own events: their text is unseen, their tail is code
    for event, node in etree.iterwalk(element, events=("start", "end", "comment", "pi")):
        if event == "start":
            parts.append("\n" if node.tag == "br" else node.text or "")
        elif node is not element and node.tail:
            parts.append(node.tail)
    return "".join(parts)
