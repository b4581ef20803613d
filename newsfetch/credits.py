"""Credit and promotion lines of Chinese article bodies: lifted into fields, or dropped.

Sites print, at the top or the bottom of the text, lines that are no prose: who reported (``某某晚报记者 张三``,
``采写：某报记者 张三 李四``, ``执笔/张三``), who helped (``（实习生张三对此文亦有贡献）``), who supplied, shot and
edited it (``某某科供稿 摄影/张三 编辑/李四``), the original headline (``本文原标题：《…》``), an app promotion
(``（本文来自某某新闻，更多原创资讯请下载“某某新闻”APP）``), a WeChat reply menu (``1、回复【关键词】查看…``), and
a ``相关新闻：`` / ``相关资讯请关注：`` label with the link lines after it. Reporters and writers become authors,
editors editors, the original headline `original_title`; the rest is dropped.

A line goes only when the whole of it is such a credit — every part a label with names, or a known promotion —
so a sentence that merely mentions a reporter stays. Called by the clean stage (`clean.clean_body`), so the
generic parser, every site parser and `normalize` get it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import lxml.html

from .page import drop_keeping_tail, squash

_NAME = r"[\u4e00-\u9fff·]{2,4}"
_NAMES = rf"{_NAME}(?:[\s、，,]+{_NAME}){{0,5}}?"  # lazy: 张三 上海报道 is one name and where it was filed
_SEP = r"(?:\s*[:：/｜|]\s*|\s+)"  # a label and its names are always apart: 记者表示 is prose
# An outlet before 记者 (某某晚报 / 澎湃新闻 / 本报 / 新华社): up to 12 characters ending like a news organisation,
# maybe with its app or edition after a middle dot (新华日报·交汇点, 顶端新闻·河南商报).
_OUTLET = (r"(?:(?:[\u4e00-\u9fffA-Za-z0-9]{0,12}?(?:报|网|社|台|新闻|客户端|杂志|周刊|日报|晚报|时报|频道)|本报|本台|本网|总台)"
           r"(?:·[\u4e00-\u9fffA-Za-z0-9]{1,8})?)?")

# …记者 张三 李四 [山东冠县报道 | 发自北京]: where the reporter filed from is part of the credit
_FILED = r"(?:\s*[\u4e00-\u9fff]{0,8}报道|\s*发自[\u4e00-\u9fff]{2,8})?"
_REPORTER = re.compile(rf"^{_OUTLET}\s*(?:首席|特约|驻\S{{1,6}})?记者{_SEP}(?P<names>{_NAMES}){_FILED}$")
# 本报记者张三发自北京 / 某报记者张三/文: the name right after 记者 is a credit when 发自 or /文 closes it
_REPORTER_GLUED = re.compile(rf"^{_OUTLET}\s*(?:首席|特约)?记者(?P<names>{_NAME})"
                             r"(?:\s*/\s*文|\s*发自(?:(?!的)[\u4e00-\u9fff]){2,6})$")
# The signature that closes many Chinese reports: （张三） / （张三 李四） / （姚峰 上海报道） / （总台记者 张倩）
_SIGNATURE = re.compile(rf"^[（(]\s*(?:{_OUTLET}\s*(?:首席|特约)?记者\s*)?"
                        rf"(?P<names>{_NAME}(?:[\s、，,]+{_NAME}){{0,3}}?){_FILED}\s*[）)]$")
_NOT_A_NAME = re.compile(r"^(?:记者|编辑|责编|作者|通讯员|实习生|摄影|完|全文完|本文完|待续|未完待续|续|上|中|下|图|组图|附图|视频|资料|原创|转载|编译|综合|整理|摘编|"
                         r"全文|节选|有删节|删节|译文|原文|昨日|今日|近日|日前|当日|昨天|今天)$|"
                         # 总台记者, 本报记者: a role before the name; 摘自网络: where the text came from
                         r"[社网报台局部委会院所厅处办组站讯]$|记者$|^(?:摘自|来自|转自|选自|引自|出自|据|来源|详见|图片)")
_WRITER = re.compile(rf"^(?:采写|撰稿|撰文|执笔人|执笔|文字|文)\s*[:：/｜|]\s*(?:{_OUTLET}\s*(?:记者|通讯员|实习生)\s*)?"
                     rf"(?P<names>{_NAMES})$")
_EDITOR = re.compile(rf"^{_OUTLET}\s*(?:责任编辑|责编|编辑|校对|审核|审校|编审|值班编辑){_SEP}(?P<names>{_NAMES})$")
_OTHER_CREDIT = re.compile(rf"^(?:(?:摄影|摄|图|图片|视频|制图|设计|海报){_SEP}{_NAMES}"
                           r"|[\u4e00-\u9fffA-Za-z0-9（）()]{2,20}(?:供稿|供图)|(?:图片|图)(?:来源|来自)于?(?:网络|互联网))$")
# Interns and correspondents who wrote with the reporter (本报实习生 张三 李四, 通讯员 王五): authors too.
_HELPER = re.compile(rf"^{_OUTLET}\s*(?:实习生|通讯员){_SEP}(?P<names>{_NAMES})$")
# An outlet alone, before its reporter's part (新华网黑龙江频道 记者 张三): a credit only beside that part.
_OUTLET_ONLY = re.compile(rf"^(?=\S){_OUTLET}$")
# A part that says how the text was made (整合 新华日报记者 张三): a credit only beside a part that names someone.
_COMPILED = re.compile(r"^(?:整合|综合|整理|编译|综编|摘编)$")
_CONTRIBUTED = re.compile(rf"^[（(]\s*(?:实习生|通讯员|记者)?\s*{_NAMES}\s*(?:对此文亦有贡献|对本文亦有贡献|亦有贡献)\s*[）)]$")
_ORIGINAL_TITLE = re.compile(r"^[（(【\[]?\s*(?:本文原标题\s*[:：]\s*|(?:本文)?原(?:标)?题(?:为|是)?\s*[:：]?\s*(?=《))"
                             r"《?(?P<title>[^》]{2,120}?)》?\s*[）)】\]]?$")
_PROMOTION = re.compile(
    r"^[（(【\[]?\s*本文来自.{1,30}?[，,。]\s*更多.{0,20}?(?:请|欢迎)?下载.{1,30}?(?:APP|App|app|客户端)\s*[。.]?\s*[）)】\]]?$"
    r"|^\d{1,2}\s*[、.．]\s*回复\s*[【\[「].{1,20}?[】\]」]\s*.{0,30}$")
# A self-media line asking the reader to follow the author (关注我，带你…！点赞关注，…): one that opens with the ask,
# or asks to follow and to like or share. A report that mentions following or liking stays.
_FOLLOW_ME = re.compile(r"关注我|关注本号|关注公众号|点赞关注|点个关注|点击关注|加个关注|求关注")
_LIKE = re.compile(r"点赞|点个赞|转发|收藏|分享")
_RELATED = re.compile(r"^[【\[]?\s*(?:相关新闻|相关资讯|相关阅读|相关报道|延伸阅读)\s*(?:请关注)?\s*[】\]]?\s*[:：]?")
# Parts of one line: a new part starts where a credit label starts after a space (摄影/张三 编辑/李四).
_PART_SPLIT = re.compile(r"\s+(?=(?:采写|撰稿|执笔|文字|摄影|摄|图片|视频|制图|设计|责任编辑|责编|编辑|校对|审核|审校|编审|"
                         r"值班编辑|通讯员|实习生)(?:\s*[:：/｜|]|\s+)|\S{0,16}记者\s*[:：/]?\s*[\u4e00-\u9fff])"
                         r"|(?<=/文)(?=\S)")   # 张三/文受访者供图: the writer's credit ends at /文
_BLOCKS = frozenset(("p", "div", "section", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "center",
                     "td", "figcaption", "span", "strong", "b", "font"))
_INLINE = frozenset(("span", "strong", "b", "font"))
_MAX_LINE = 120


@dataclass
class Credits:
    """What the credit lines of a body said."""

    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    original_title: str | None = None


def read_line(text: str, credits: Credits, *, closing: bool = False) -> bool:
    """Whether `text` is a credit or promotion line; what it credits is added to `credits`. `closing`: the line
    ends the article, where a bare signature （张三） is a credit (elsewhere it may be a place or a remark)."""
    text = squash(text).lstrip("□■◆● ")
    if not text or len(text) > _MAX_LINE:
        return False
    if _PROMOTION.match(text) or _CONTRIBUTED.match(text) or _asks_to_follow(text):
        return True
    if match := _ORIGINAL_TITLE.match(text):
        credits.original_title = credits.original_title or match["title"].strip()
        return True
    if closing and (match := _SIGNATURE.match(text)) and not any(_NOT_A_NAME.search(n) for n in _names(match["names"])):
        credits.authors.extend(n for n in _names(match["names"]) if n not in credits.authors)
        return True
    found, compiled = Credits(), False
    for part in _PART_SPLIT.split(text):
        part = part.strip(" （）()【】[]□■")
        if match := _REPORTER.match(part) or _WRITER.match(part) or _HELPER.match(part):
            found.authors.extend(_names(match["names"]))
        elif (match := _REPORTER_GLUED.match(part)) and not _NOT_A_NAME.search(match["names"]):
            found.authors.append(match["names"])
        elif match := _EDITOR.match(part):
            found.editors.extend(_names(match["names"]))
        elif _COMPILED.match(part) or _OUTLET_ONLY.match(part):
            compiled = True
        elif not _OTHER_CREDIT.match(part):
            return False
    if compiled and not (found.authors or found.editors):
        return False
    credits.authors.extend(n for n in found.authors if n not in credits.authors)
    credits.editors.extend(n for n in found.editors if n not in credits.editors)
    return True


def _asks_to_follow(text: str) -> bool:
    return len(text) <= 80 and bool((found := _FOLLOW_ME.search(text)) and (found.start() == 0 or _LIKE.search(text)))


def lift_credits(body: lxml.html.HtmlElement) -> Credits:
    """Remove the credit and promotion lines of `body` (in place) and return what they credit."""
    credits = Credits()
    # each line's text is read once: dropping a line changes the text of its ancestors only, which come before it.
    # A line is the innermost block with text (an empty <strong> </strong> inside a <p> does not hide the <p>).
    # A paragraph made of styled spans (<p><span>本报实习生</span> <span>张三</span></p>) is a line too, read
    # before its spans.
    # (every block's text is read once, here: whether a block is a line depends on its children's texts)
    texts = {e: squash(e.text_content()) for e in body.iter(*_BLOCKS)}
    lines = [(e, text) for e, text in texts.items()
             if text and (_innermost(e, texts) or (e.tag not in _INLINE and _of_spans(e, texts)))]
    final = lines[-1][0] if lines else None
    for element, text in lines:
        if not _within(element, body):
            continue   # inside a line already dropped
        if _RELATED.match(text) and len(text) <= 40:
            _drop_related(element)
        elif read_line(text, credits, closing=final is not None and _within(final, element)):
            drop_keeping_tail(_outermost_line(element))
    last = next((e for e, _ in reversed(lines) if _within(e, body) and squash(e.text_content())), None)
    if last is not None:
        _lift_closing_signature(last, credits)
    return credits


# The signature that closes the last paragraph after its final sentence: …吗？”（姚峰 上海报道） / …交流。(信报记者 蔡雪婧)
_CLOSING_SIGNATURE = re.compile(r"(?<=[。！？!?”’」』…])\s*(?P<signature>[（(][^（()）]{2,30}[）)])\s*$")


def _lift_closing_signature(line: lxml.html.HtmlElement, credits: Credits) -> None:
    """Cut a reporter's signature off the end of the article's last line, when its last text piece holds it whole."""
    match = _CLOSING_SIGNATURE.search(squash(line.text_content()))
    if not match:
        return
    signature = _SIGNATURE.match(match["signature"])
    if not signature or any(_NOT_A_NAME.search(n) for n in _names(signature["names"])):
        return
    node, attribute = [(n, a) for n, a in _text_pieces(line) if (getattr(n, a) or "").strip()][-1]
    value = getattr(node, attribute)
    tail = _SIGNATURE_AT_END.search(value)
    if tail and squash(tail.group()) == match["signature"]:   # else split over elements: （记者 <a>张三</a>）
        setattr(node, attribute, value[:tail.start()])
        credits.authors.extend(n for n in _names(signature["names"]) if n not in credits.authors)


_SIGNATURE_AT_END = re.compile(r"[（(][^（()）]{2,60}[）)]\s*$")


def _text_pieces(element: lxml.html.HtmlElement) -> Iterator[tuple[lxml.html.HtmlElement, str]]:
    """The element's text pieces in reading order, as (node, "text" | "tail")."""
    if isinstance(element.tag, str):
        yield element, "text"
    for child in element:
        yield from _text_pieces(child)
        yield child, "tail"


def _innermost(element: lxml.html.HtmlElement, texts: dict) -> bool:
    """Whether no block inside `element` has text (`texts`: each block's text)."""
    return not any(texts[c] for c in element.iterchildren(*_BLOCKS))


def _of_spans(element: lxml.html.HtmlElement, texts: dict) -> bool:
    """Whether every block with text inside `element` is inline (span, strong, b, font)."""
    return all(d.tag in _INLINE or not texts[d] for d in element.iterdescendants(*_BLOCKS))


def _within(element: lxml.html.HtmlElement, root: lxml.html.HtmlElement) -> bool:
    return element is root or any(a is root for a in element.iterancestors())


def _names(text: str) -> list[str]:
    return [name for name in re.split(r"[\s、，,]+", text) if name]


def _outermost_line(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The block that is the whole line (`<p><strong>记者 张三</strong></p>` → the `<p>`)."""
    text = squash(element.text_content())
    while (parent := element.getparent()) is not None and parent.tag in _BLOCKS and \
            squash(parent.text_content()) == text:
        element = parent
    return element


def _drop_related(label: lxml.html.HtmlElement) -> None:
    """A 相关新闻： label and the link lines after it (short lines, or lines that are mostly links)."""
    line = _outermost_line(label)
    for sibling in list(line.itersiblings()):
        text = squash(sibling.text_content()) if isinstance(sibling.tag, str) else ""
        links = sum(len(squash(a.text_content())) for a in sibling.iter("a")) if isinstance(sibling.tag, str) else 0
        if text and not (links >= 0.6 * len(text) or (len(text) <= 40 and not re.search(r"[。！？]", text))):
            break
        drop_keeping_tail(sibling)
    drop_keeping_tail(line)
