"""Find the article body on any page by content scoring (the generic parser's main job).

The page is copied, stripped of what never holds article text (scripts, forms, hidden nodes, navigation,
sections of readers' comments, and blocks whose class or id says "related", "share"… unless they are long
prose), then every run of prose is scored by its weight in `units` and its punctuation, and the score flows to
the blocks above it: the parent gets it all, the grandparent half, further ancestors less. The block with the
best score, discounted by its link density, is the body; siblings that score nearly as well join it (sites that
split an article into several boxes). Bodies made of `<br>`-separated lines or bare text score on the
element that holds them.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import lxml.html
from lxml import etree

from newsfetch.page import drop_keeping_tail, squash

from .text import (is_negative, is_positive, link_density, link_units, negative_words, punctuation, text_of,
                   text_within, tokens, units)

_DROP_TAGS = frozenset(("script", "style", "noscript", "template", "iframe", "svg", "canvas", "form", "button",
                        "input", "select", "textarea", "object", "embed", "link", "meta", "head", "title",
                        "video", "audio", "map", "dialog"))
_FURNITURE_TAGS = frozenset(("nav", "aside", "footer", "header", "menu"))
_INLINE = frozenset(("a", "span", "font", "b", "strong", "i", "em", "u", "small", "big", "sub", "sup", "abbr",
                     "cite", "code", "label", "time", "mark", "q", "s", "strike", "del", "ins", "img", "br",
                     "wbr", "bsp-timestamp"))
_PARAGRAPHS = frozenset(("p", "pre", "li", "dd", "dt", "blockquote", "h2", "h3", "h4", "h5", "h6", "figcaption",
                         "caption", "th"))
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SENTENCE_END = re.compile(r"[。！？.!?”\"」』）)]$")
_MIN_PARAGRAPH_UNITS = 8
_PROSE_PARAGRAPH = 40     # a paragraph of sentences: ~80 letters or 40 CJK characters, two punctuation marks
_RELATED_HEAD = re.compile(
    r"^(?:相关|延伸阅读|推荐阅读|热门|热点|热文|更多|猜你喜欢|你可能|大家都在看|精彩推荐|编辑推荐|排行|"
    r"Related|More (?:on|from|in|stories)|Read (?:more|next)|Keep reading|Top stories|Most (?:read|viewed|popular)|"
    r"Recommended|You may also like|Explore more|Trending|Latest)", re.I)


# Notices about the reader's browser or cookies (consent banners, "enable JavaScript", "best viewed in…"): a
# paragraph that opens like this is never article text, however long it is.
_NOTICE = re.compile(
    r"^\W{0,3}(?:we (?:and our partners )?use cookies|this (?:web ?)?site uses cookies|(?:by )?(?:continuing to|"
    r"using this (?:web ?)?site)[^.]{0,60}cookies|we value your privacy|your privacy (?:choices|settings)|"
    r"this page is best viewed|(?:please )?(?:enable|turn on) javascript|you (?:need|must) (?:to )?enable javascript|"
    r"your browser (?:is|does)|(?:please )?(?:upgrade|update) your browser|cookies? (?:policy|settings|consent)|"
    r"本(?:网站|站)使用\s*cookie|我们使用\s*cookie|您的浏览器(?:版本)?(?:过低|不支持)|请(?:启用|开启|打开)\s*javascript)",
    re.I)


@dataclass
class Body:
    """The chosen body element (detached copy) and what the decision was based on."""

    element: lxml.html.HtmlElement
    score: float
    prose_units: float      # text outside links
    link_share: float       # link density of the body
    prose_share: float = 1.0  # share of the page's prose paragraphs (by weight) that the body holds


def find_body(tree: lxml.html.HtmlElement) -> Body | None:
    """The best-scoring body block of `tree` (left untouched), or None when nothing holds prose."""
    root = tree.find("body")
    work = copy.deepcopy(root if root is not None else tree)
    prune(work)
    prose: list[tuple[lxml.html.HtmlElement, float]] = []
    scores = _score_paragraphs(work, prose)
    if not scores:
        return None
    sizes = _block_sizes(work, scores)
    furniture: dict[lxml.html.HtmlElement, bool] = {}  # the scored blocks share their ancestors
    final = {element: value * (1 - link_density(element, sizes[element][0], sizes[element][1]))
             * _class_factor(element, furniture) for element, value in scores.items()}
    top = max(final, key=lambda element: final[element])
    if final[top] <= 0:
        return None
    if _is_slideshow(top) and top.getparent() is not None:
        # a gallery of numbered slides in an article or beside it: without it, the article is the best block
        parent, index = top.getparent(), top.getparent().index(top)
        parent.remove(top)
        rest: list[tuple[lxml.html.HtmlElement, float]] = []
        furniture = {}  # (the tree changed: verdicts are learnt again)
        again = {element: value * (1 - link_density(element)) * _class_factor(element, furniture)
                 for element, value in _score_paragraphs(work, rest).items()}
        second = max(again, key=lambda element: again[element], default=None)
        if second is not None and again[second] >= _BESIDE * final[top]:
            top, final, prose = second, again, rest
        else:
            parent.insert(index, top)  # a gallery page: its captions are the body
    best = final[top]
    top = _common_container(top, final)
    before, after = _twin_boxes(top, final, best)
    element = _with_siblings(top, final, best)
    if before or after:
        element = _joined(before + [element] + after)
    total = units(element.text_content())
    links = link_units(element)
    page_prose = sum(size for _, size in prose)
    held = sum(size for node, size in prose if node is element or element in node.iterancestors())
    return Body(element=element, score=best, prose_units=max(total - links, 0.0),
                link_share=links / total if total else 0.0, prose_share=held / page_prose if page_prose else 1.0)


_SLIDE = re.compile(r"^\s*\d{1,3}\s*(?:/|of)\s*(\d{1,3})\b")
_SLIDES = 5              # numbered items that make a block a gallery's captions
_GALLERY_WORDS = frozenset(("slideshow", "slideshows", "gallery", "carousel", "slider"))
_BESIDE = 0.2            # score, against the gallery's, of the article beside it (what a sibling needs to join a body)


def _is_slideshow(element: lxml.html.HtmlElement) -> bool:
    """Items numbered `k/N` (or `k of N`) with one N, five or more, or a block its class or id calls a slideshow
    or gallery: the captions of a gallery's slides."""
    if not _GALLERY_WORDS.isdisjoint(tokens(element)):
        return True
    totals: dict[str, int] = defaultdict(int)
    for item in element:
        if isinstance(item.tag, str) and (match := _SLIDE.match(item.text_content())):
            totals[match.group(1)] += 1
    return bool(totals) and max(totals.values()) >= _SLIDES


# --- pruning ----------------------------------------------------------------------------------------

def prune(root: lxml.html.HtmlElement) -> None:
    """Remove from `root` (in place) what never holds article text: scripts, forms, hidden nodes, navigation
    and blocks marked as related, share or comment furniture."""
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        drop_keeping_tail(node)
    # A sidebar or footer never holds both the page's headline and most of its text: a block around the only
    # <h1> that holds most of the page is the page's wrapper, whatever its class says (`content-sidebar-wrap`
    # wraps the post and the sidebar; a blog's `widget Header` around its name is small, and stays furniture).
    headings = root.findall(".//h1")
    ancestors = _ancestor_sizes(headings[0]) if len(headings) == 1 else []
    # the page's size is `root`'s entry there (units add up piece by piece): its text is not weighed twice
    page_size = next((size for ancestor, size in ancestors if ancestor is root), 0.0)
    around = frozenset(a for a, size in ancestors if size >= 0.5 * page_size) if page_size else frozenset()
    stack = [root]
    while stack:
        element = stack.pop()
        for child in list(element):
            if not isinstance(child.tag, str):
                continue
            if _is_furniture(child, holds_headline=child in around):
                drop_keeping_tail(child)
            elif child.tag not in _CODE_TAGS:
                stack.append(child)  # inside code, class words are syntax highlighting (`token keyword`)


_CODE_TAGS = frozenset(("pre", "code"))


def _ancestor_sizes(element: lxml.html.HtmlElement) -> list[tuple[lxml.html.HtmlElement, float]]:
    """Each ancestor of `element` with `units` of its text, from the parent up. Each is summed from the one below
    it and the rest of its children (units add up piece by piece): the page's text is weighed once, not once
    per level of nesting."""
    found = []
    size = units(element.text_content())
    for parent in element.iterancestors():
        size += units(parent.text or "")
        for child in parent:
            if child is not element and isinstance(child.tag, str):
                size += units(child.text_content())
            size += units(child.tail or "")  # a comment's tail is text too
        found.append((parent, size))
        element = parent
    return found


def _is_furniture(element: lxml.html.HtmlElement, *, holds_headline: bool = False) -> bool:
    tag = element.tag
    if tag in _DROP_TAGS:
        return True
    style = element.get("style")
    if (style and _HIDDEN_STYLE.search(style)) or element.get("hidden") is not None:
        return True
    words = tokens(element)
    if words and _unseen_words(words):
        return True
    if tag in _INLINE and _in_sentence(element):
        return False  # class words judge blocks, not the words of a sentence (a glossary link `class=popup`)
    if not holds_headline and (not _COMMENT_SECTION.isdisjoint(words) or _is_author_box(words)):
        return True   # readers' comments and the author's bio are not the article, however long they run
    # (`negative_words(words)` is `is_negative(element)`, from the words already read)
    if tag in _FURNITURE_TAGS or (words and negative_words(words) and not holds_headline
                                  and not _is_blog_posts(element)) or _is_headed_list(element):
        # A long block of prose survives a misleading class name (e.g. `post-content share-enabled`).
        text = element.text_content()
        size = units(text)
        limit = 100 if is_positive(element) else 300
        return size < limit or link_density(element, size) > 0.5
    return False


# class/id words of a section of readers' comments (`comments`, `commentlist`, `comments-list`, `jc_commentsDiv`):
# not the bare `comment`, which also names opinion articles (`content--type-comment`)
_COMMENT_SECTION = frozenset(("comments", "commentlist", "commentlisting", "commentslist", "commentwrap",
                              "commentblock", "postcomments", "disqus"))

# class/id words of the box about the author after a post (`author-bio`, `author_info`, `about-author`)
_AUTHOR_BOX_PAIRS = (frozenset(("author", "bio")), frozenset(("author", "info")), frozenset(("author", "box")),
                     frozenset(("about", "author")), frozenset(("author", "description")))
_AUTHOR_BOX_WORDS = frozenset(("authorbio", "authorbox", "authorinfo", "aboutauthor"))


@lru_cache(maxsize=4096)
def _is_author_box(words: frozenset[str]) -> bool:
    return not _AUTHOR_BOX_WORDS.isdisjoint(words) or any(pair <= words for pair in _AUTHOR_BOX_PAIRS)


_UNSEEN_PAIRS = (frozenset(("sr", "only")), frozenset(("visually", "hidden")), frozenset(("screen", "reader")),
                 frozenset(("stock", "quote")))


@lru_cache(maxsize=4096)
def _unseen_words(words: frozenset[str]) -> bool:
    """Class words of text for screen readers only, or of a stock quote box (decided once per set of words)."""
    return any(pair <= words for pair in _UNSEEN_PAIRS)


def _is_blog_posts(element: lxml.html.HtmlElement) -> bool:
    """Blogger's posts box (`class="widget Blog"`, the platform's name for the box of the page's posts): the post
    lives there however short it is, so the box is no widget of furniture."""
    return {"widget", "Blog"} <= set((element.get("class") or "").split())


_WORD_END = re.compile(r"\w$")
_WORD_START = re.compile(r"^\w")


def _in_sentence(element: lxml.html.HtmlElement) -> bool:
    """An inline element with a word of the same sentence right before or after it (no punctuation between):
    a word of that sentence, not a separate control ("Share: <a>…</a>", ", <a>tag</a>" are not)."""
    previous = element.getprevious()
    before = (previous.tail if previous is not None else element.getparent().text) or ""
    after = (element.tail or "").lstrip()
    return bool(_WORD_END.search(before.rstrip()) or _WORD_START.match(after))


def _is_headed_list(element: lxml.html.HtmlElement) -> bool:
    """A box that starts with a heading such as 相关阅读 / Related / More stories (the links follow)."""
    if element.tag not in ("div", "section", "ul", "ol", "table", "td", "dl"):
        return False
    for child in element:  # (the first descendant with text is a child: a child without text has none inside)
        if not isinstance(child.tag, str):
            continue
        # the first descendant with text decides; a heading is short, so its text is read no further than 12
        # units (a longer one answers no without joining a whole wrapper's text)
        short = text_within(child, 12)
        if short is None:
            return False
        text = squash(short)
        if text:
            return bool(_RELATED_HEAD.match(text))
    return False


# --- scoring ------------------------------------------------------------------------------------------

def _score_paragraphs(root: lxml.html.HtmlElement,
                      prose: list[tuple[lxml.html.HtmlElement, float]]) -> dict[lxml.html.HtmlElement, float]:
    """Scores of the blocks that hold paragraphs; `prose` collects the paragraphs of sentences with their size."""
    scores: dict[lxml.html.HtmlElement, float] = defaultdict(float)
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str) or tag in _INLINE:
            continue
        own, has_block, breaks = _own_text(element)
        size = units(own)
        if size < _MIN_PARAGRAPH_UNITS or _NOTICE.match(own.lstrip()):
            continue
        marks = punctuation(own)
        value = 1 + marks + min(size / 25, 4)
        if size >= _PROSE_PARAGRAPH and marks >= 2:
            prose.append((element, size))
        # A paragraph credits its container; an element whose own text is split by <br> (or sits beside
        # blocks) is itself the container of its lines.
        start = element if (tag not in _PARAGRAPHS and (has_block or breaks >= 2)) else element.getparent()
        level = 0
        while start is not None and level < 4:
            scores[start] += value / (1 if level == 0 else 2 if level == 1 else level * 3)
            start = start.getparent()
            level += 1
    return scores


def _block_sizes(root: lxml.html.HtmlElement, blocks: dict[lxml.html.HtmlElement, float]
                 ) -> dict[lxml.html.HtmlElement, tuple[float, float]]:
    """`units` of the text and of the link text (`link_units`) of each of `blocks` (elements of `root`).

    The scored blocks nest (a paragraph credits four levels above it), so each is summed from its children,
    the deepest first (units add up piece by piece, and a link's text counts once per link around it): the
    text of a page-wide wrapper is not weighed again at every level."""
    sizes: dict[lxml.html.HtmlElement, tuple[float, float]] = {}
    for block in reversed([element for element in root.iter() if element in blocks]):  # children before parents
        text = units(block.text or "")
        links = 0.0
        for child in block:
            if child in sizes:
                child_text, child_links = sizes[child]
            elif isinstance(child.tag, str):
                child_text, child_links = units(child.text_content()), link_units(child)
            else:
                child_text = child_links = 0.0  # a comment's or processing instruction's own text is not text
            text += child_text + units(child.tail or "")
            links += child_links
        sizes[block] = (text, links + text if block.tag == "a" else links)
    return sizes


def _own_text(element: lxml.html.HtmlElement) -> tuple[str, bool, int]:
    """Text of `element` outside its block children, whether it has any, and how many <br> it holds."""
    parts = [element.text or ""]
    has_block = False
    breaks = 0
    for child in element:
        tag = child.tag
        if isinstance(tag, str):
            if tag == "br":
                breaks += 1
            elif tag in _INLINE:
                parts.append(child.text_content())
                breaks += sum(1 for _ in child.iter("br"))
            else:
                has_block = True
        parts.append(child.tail or "")
    return " ".join(parts), has_block, breaks


def _class_factor(element: lxml.html.HtmlElement, furniture: dict[lxml.html.HtmlElement, bool] | None = None
                  ) -> float:
    if element.tag in ("body", "html"):
        return 0.8
    if is_negative(element) or _in_furniture(element, furniture):
        return 0.5
    return 1.25 if is_positive(element) else 1.0


def _in_furniture(element: lxml.html.HtmlElement, known: dict[lxml.html.HtmlElement, bool] | None = None) -> bool:
    """Inside a sidebar, footer or comment section (a long one that pruning kept): a block there weighs what the
    section weighs, so recent comments in a sidebar or an "about us" box in the footer never outweigh the post.
    A section whose class also says content/post/article… (`post-content share-enabled`), or that holds a headline
    `<h1>` (a `main-sidebar-wrap` around the post and the sidebar), is no furniture. `known`: the answers for the
    elements already climbed through, kept by a caller that asks of many blocks of one unedited tree."""
    passed = []
    verdict = False
    for ancestor in chain((element,), element.iterancestors()):
        if known is not None and ancestor in known:
            verdict = known[ancestor]  # the climb from here was made before
            break
        if ancestor.tag in ("body", "html"):
            break
        passed.append(ancestor)
        if (ancestor.tag in ("aside", "footer") or (not _SECTION_WORDS.isdisjoint(tokens(ancestor))
                                                   and not is_positive(ancestor))) and ancestor.find(".//h1") is None:
            verdict = True
            break
    if known is not None:
        known.update(dict.fromkeys(passed, verdict))  # each element passed climbs the same way from there
    return verdict


# the class/id words of the page's sections beside the article (not the weaker words of NEGATIVE: Blogger's posts
# sit in a `widget Blog`, a "more features" section can be the page's text)
_SECTION_WORDS = frozenset(("sidebar", "side", "aside", "footer", "foot", "comment", "comments", "reply"))


# --- siblings -----------------------------------------------------------------------------------------

def _common_container(top: lxml.html.HtmlElement, final: dict) -> lxml.html.HtmlElement:
    """Climb to the block that holds the other near-best candidates (one article split into boxes), and
    out of wrappers that hold nothing else."""
    best = final[top]
    ancestors = set(top.iterancestors())
    rivals = [e for e, value in final.items() if value >= 0.75 * best and e is not top and e not in ancestors
              and top not in set(e.iterancestors())]
    if len(rivals) >= 2:
        needed = min(3, len(rivals))
        for ancestor in top.iterancestors():
            if ancestor.tag in ("body", "html"):
                break
            inside = sum(1 for rival in rivals if ancestor in set(rival.iterancestors()))
            if inside >= needed:
                top = ancestor
                break
    while top.getparent() is not None and top.getparent().tag not in ("body", "html") \
            and len([c for c in top.getparent() if isinstance(c.tag, str)]) == 1:
        top = top.getparent()
    return top


def _with_siblings(top: lxml.html.HtmlElement, final: dict, best: float) -> lxml.html.HtmlElement:
    parent = top.getparent()
    if parent is None:
        return top
    threshold = max(10.0, best * 0.2)
    top_class = top.get("class")
    chosen = []
    for sibling in parent:
        if sibling is top:
            chosen.append(sibling)
            continue
        if not isinstance(sibling.tag, str) or sibling.tag in _DROP_TAGS:
            continue
        value = final.get(sibling, 0.0)
        if top_class and sibling.get("class") == top_class:
            value += best * 0.2
        if sibling.find(".//h1") is not None and value < best * 0.75 \
                and (_is_header(sibling) or link_density(sibling) > _HEADER_LINKS):
            continue  # the header block (headline, deck, byline; or teasers under a heading): not the body
        if value >= threshold or _is_loose_paragraph(sibling) or _is_lead_figure(sibling, top):
            chosen.append(sibling)
    if len(chosen) == 1:
        top.getparent().remove(top)
        top.tail = None
        return top
    return _joined(chosen)


_HEADER_TEXT = 200        # units beside the headings of a header block: a deck, a byline and a date line
_HEADER_LINKS = 0.3       # share of links in a block under an <h1> beyond which it is teasers, not sections


def _is_header(element: lxml.html.HtmlElement) -> bool:
    """A block with the headline and little else (deck, byline, date); a block that holds an `<h1>` and sections of
    prose is the first part of the article (blogs that mark each section heading `<h1>`)."""
    headings = sum(units(h1.text_content()) for h1 in element.iter("h1"))
    return units(element.text_content()) - headings < _HEADER_TEXT


def _twin_boxes(top: lxml.html.HtmlElement, final: dict,
                best: float) -> tuple[list[lxml.html.HtmlElement], list[lxml.html.HtmlElement]]:
    """Blocks that share the body block's first class word, each in a box of the same class as the box that
    holds the body, before and after it (detached): an article that ads split into twin boxes
    (`story-body-supplemental > story-body story-body-1`, then `… > story-body story-body-2`)."""
    parent = top.getparent()
    words = (top.get("class") or "").split()
    if parent is None or not words or not parent.get("class") or parent.getparent() is None:
        return [], []
    threshold = max(10.0, best * 0.2)
    before: list[lxml.html.HtmlElement] = []
    after: list[lxml.html.HtmlElement] = []
    side = before
    for box in parent.getparent():
        if box is parent:
            side = after
            continue
        if not isinstance(box.tag, str) or box.get("class") != parent.get("class"):
            continue
        for block in box.iter(top.tag):
            if (block.get("class") or "").split()[:1] == words[:1] and final.get(block, 0.0) >= threshold:
                side.append(block)
                break
    for block in before + after:
        block.getparent().remove(block)
        block.tail = None
    return before, after


def _joined(elements: list[lxml.html.HtmlElement]) -> lxml.html.HtmlElement:
    """The blocks moved, in order and without their tails, into one new `<div>`."""
    wrapper = lxml.html.Element("div")
    for element in elements:
        element.tail = None
        wrapper.append(element)
    return wrapper


def _is_lead_figure(element: lxml.html.HtmlElement, top: lxml.html.HtmlElement) -> bool:
    """An image with its caption right before or after the body block (the lead photo)."""
    if element.getnext() is not top and element.getprevious() is not top:
        return False
    images = element.findall(".//img")
    return len(images) == 1 and element.find(".//a") is None and units(text_of(element)) <= 80


def _is_loose_paragraph(element: lxml.html.HtmlElement) -> bool:
    """A `<p>` of prose beside the body block (sites that close the body box early)."""
    if element.tag != "p":
        return False
    text = text_of(element)
    size = units(text)
    if size > 40:
        return link_density(element, size) < 0.25 and punctuation(text) > 0
    return size > 0 and not link_units(element) and bool(_SENTENCE_END.search(text))
