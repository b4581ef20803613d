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
from dataclasses import dataclass, field

import lxml.html

from .page import drop_keeping_tail, squash

_NAME = r"[\u4e00-\u9fff·]{2,4}"
_NAMES = rf"{_NAME}(?:[\s、，,]+{_NAME}){{0,5}}?"  # lazy: 张三 上海报道 is one name and where it was filed
_SEP = r"(?:\s*[:：/｜|]\s*|\s+)"  # a label and its names are always apart: 记者表示 is prose
# An outlet before 记者 (某某晚报 / 澎湃新闻 / 本报 / 新华社): up to 12 characters ending like a news organisation.
_OUTLET = r"(?:[\u4e00-\u9fffA-Za-z0-9]{0,12}?(?:报|网|社|台|新闻|客户端|杂志|周刊|日报|晚报|时报)|本报|本台|本网|总台)?"

# …记者 张三 李四 [山东冠县报道 | 发自北京]: where the reporter filed from is part of the credit
_FILED = r"(?:\s*[\u4e00-\u9fff]{0,8}报道|\s*发自[\u4e00-\u9fff]{2,8})?"
_REPORTER = re.compile(rf"^{_OUTLET}\s*(?:首席|特约|驻\S{{1,6}})?记者{_SEP}(?P<names>{_NAMES}){_FILED}$")
# The signature that closes many Chinese reports: （张三） / （张三 李四） / （姚峰 上海报道） / （总台记者 张倩）
_SIGNATURE = re.compile(rf"^[（(]\s*(?:{_OUTLET}\s*(?:首席|特约)?记者\s*)?"
                        rf"(?P<names>{_NAME}(?:[\s、，,]+{_NAME}){{0,3}}?){_FILED}\s*[）)]$")
_NOT_A_NAME = re.compile(r"^(?:记者|编辑|责编|作者|通讯员|实习生|摄影|完|全文完|本文完|待续|未完待续|续|上|中|下|图|组图|附图|视频|资料|原创|转载|编译|综合|整理|摘编)$|"
                         r"[社网报台局部委会院所厅处办组站]$|记者$")   # 总台记者, 本报记者: a role before the name
_WRITER = re.compile(rf"^(?:采写|撰稿|撰文|执笔人|执笔|文字|文)\s*[:：/｜|]\s*(?:{_OUTLET}\s*(?:记者|通讯员|实习生)\s*)?"
                     rf"(?P<names>{_NAMES})$")
_EDITOR = re.compile(rf"^(?:责任编辑|责编|编辑|校对|审核|审校|编审|值班编辑){_SEP}(?P<names>{_NAMES})$")
_OTHER_CREDIT = re.compile(rf"^(?:(?:摄影|摄|图|图片|视频|制图|设计|海报|通讯员|实习生){_SEP}{_NAMES}"
                           r"|[\u4e00-\u9fffA-Za-z0-9（）()]{2,20}供稿)$")
_CONTRIBUTED = re.compile(rf"^[（(]\s*(?:实习生|通讯员|记者)?\s*{_NAMES}\s*(?:对此文亦有贡献|对本文亦有贡献|亦有贡献)\s*[）)]$")
_ORIGINAL_TITLE = re.compile(r"^[（(【\[]?\s*本文原标题\s*[:：]\s*《?(?P<title>[^》]{2,120}?)》?\s*[）)】\]]?$")
_PROMOTION = re.compile(
    r"^[（(【\[]?\s*本文来自.{1,30}?[，,。]\s*更多.{0,20}?(?:请|欢迎)?下载.{1,30}?(?:APP|App|app|客户端)\s*[。.]?\s*[）)】\]]?$"
    r"|^\d{1,2}\s*[、.．]\s*回复\s*[【\[「].{1,20}?[】\]」]\s*.{0,30}$")
_RELATED = re.compile(r"^[【\[]?\s*(?:相关新闻|相关资讯|相关阅读|相关报道|延伸阅读)\s*(?:请关注)?\s*[】\]]?\s*[:：]?")
# Parts of one line: a new part starts where a credit label starts after a space (摄影/张三 编辑/李四).
_PART_SPLIT = re.compile(r"\s+(?=(?:采写|撰稿|执笔|文字|摄影|摄|图片|视频|制图|设计|责任编辑|责编|编辑|校对|审核|审校|编审|"
                         r"值班编辑|通讯员|实习生)(?:\s*[:：/｜|]|\s+)|\S{0,16}记者\s*[:：/]?\s*[\u4e00-\u9fff])")
_BLOCKS = frozenset(("p", "div", "section", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "center",
                     "td", "figcaption", "span", "strong", "b", "font"))
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
    if _PROMOTION.match(text) or _CONTRIBUTED.match(text):
        return True
    if match := _ORIGINAL_TITLE.match(text):
        credits.original_title = credits.original_title or match["title"].strip()
        return True
    if closing and (match := _SIGNATURE.match(text)) and not any(_NOT_A_NAME.search(n) for n in _names(match["names"])):
        credits.authors.extend(n for n in _names(match["names"]) if n not in credits.authors)
        return True
    found = Credits()
    for part in _PART_SPLIT.split(text):
        part = part.strip(" （）()【】[]□■")
        if match := _REPORTER.match(part) or _WRITER.match(part):
            found.authors.extend(_names(match["names"]))
        elif match := _EDITOR.match(part):
            found.editors.extend(_names(match["names"]))
        elif not _OTHER_CREDIT.match(part):
            return False
    credits.authors.extend(n for n in found.authors if n not in credits.authors)
    credits.editors.extend(n for n in found.editors if n not in credits.editors)
    return True


def lift_credits(body: lxml.html.HtmlElement) -> Credits:
    """Remove the credit and promotion lines of `body` (in place) and return what they credit."""
    credits = Credits()
    # each line's text is read once: dropping a line changes the text of its ancestors only, which come before it
    lines = [(e, text) for e in body.iter(*_BLOCKS)
             if not any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in e) and (text := squash(e.text_content()))]
    for position, (element, text) in enumerate(lines):
        if element.getparent() is None:
            continue
        if _RELATED.match(text) and len(text) <= 40:
            _drop_related(element)
        elif read_line(text, credits, closing=position == len(lines) - 1):
            drop_keeping_tail(_outermost_line(element))
    return credits


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
