"""Last pass over the rendered body blocks: drop what a reader skips, lift credit lines into fields.

Works on blocks (paragraphs, list items, lines between `<br>`) rather than elements, so bodies written as
`<p>`s and bodies written as one text with line breaks are treated alike. Dropped: the headline and the
date/byline line repeated inside the container, disclaimers (免责声明, 风险提示, 版权声明, 平台声明…),
prompts (扫码, 返回搜狐, Subscribe, Share this…), inline "Related:/Baca juga" links, rules like ``___`` and a
short line that holds the page's pager (``第1页/共1页 上一页 | 下一页``).
Lifted: ``（记者 X）``, ``编辑 X 校对 Y``, ``[ 责编：X ]``, ``本文来自微信公众号：X，作者：Y``, ``Reporting by X``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timezone

from newsfetch.credits import Credits, read_line
from newsfetch.dates import find_datetime
from newsfetch.page import squash

from .meta import visible_authors
from .text import units

_BOILERPLATE = re.compile(
    r"^[（(【\[]?\s*(?:免责声明|风险提示|版权声明|郑重声明|特别声明|平台声明|声明[:：]|法律声明|"
    r"本文(?:系|为).{0,24}(?:独家|原创|稿件)|未经(?:授权|许可|允许).{0,10}(?:不得|禁止)|本文仅代表|本内容为作者独立观点|"
    r"文章内容仅供参考|本文首发于|投资有风险|市场有风险|如有侵权|本文创作初衷|以上内容(?:仅供|与本站)|"
    r"(?:更多精彩|关注).{0,12}(?:公众号|客户端|APP)|扫描二维码|扫码|长按识别|点击(?:进入|查看|阅读)|返回.{0,6}查看更多|"
    r"打开.{0,6}APP|返回.{0,8}首页|下载.{0,8}(?:客户端|APP)|正在改变与想要改变世界的人|"
    r"Copyright|©|\(c\)\s|All rights reserved|This material may not be|Our Standards|Sign up for|Subscribe\b|"
    r"Thanks for reading|Share this|Share on|Advertisement|Scroll to continue|Baca juga|Read more\b|Read also|"
    r"Related:|See also:|Halaman \d+ dari \d+|Page \d+ of \d+|第\s*\d+\s*页|Also read|Click here|\[Gambas|"
    r"Simak Video|Source:|.{0,240}is solely responsible for all content|"
    r"(?:责任编辑|编辑|责编)[:：]?\s*[）)】\]]?$|《[^》]{2,12}》\s*[（(]\s*\d{4}年.{0,20}版\s*[）)]$)",
    re.I,
)
_RULE = re.compile(r"^(?:[\s_\-–—=*·•.。]+|[+]?\d{1,3}|(?:【\d{1,3}】\s*)+|(?:\[\d{1,3}\]\s*)+|上一页.*下一页|下一页)$")
# a page's pager printed inside the text (`第1页/共1页<< 上一页 | 下一页 >>`), often in a row with the date and source
_PAGER = re.compile(r"上一页.{0,8}下一页|第\s*\d+\s*页\s*/\s*共\s*\d+\s*页")
_EDITOR = re.compile(r"^[（(【\[]?\s*(?:责任编辑|责编|编辑|校对|审核|编审|审校|监制|策划)\s*[:：｜|]?\s*"
                     r"(?P<v>[\u4e00-\u9fff·]{2,4}(?:[\s、，,]+[\u4e00-\u9fff·]{2,4})*)"
                     r"(?:\s+(?:责任编辑|责编|编辑|校对|审核|审校)\s*[:：｜|]?\s*[\u4e00-\u9fff·\s、，,]{2,20})*\s*[）)】\]]?$")
_REPORTER_ONLY = re.compile(r"^[（(【\[]\s*(?:本报|总台|本台|本网)?(?:特约)?记者\s*[\u4e00-\u9fff·\s、，,]{2,30}[）)】\]]$"
                            r"|^(?:本报|总台)?记者\s*[\u4e00-\u9fff·]{2,4}(?:[\s、，,]+[\u4e00-\u9fff·]{2,4})*$")
_CREDIT_LINE = re.compile(r"^(?:作者|撰文|文)\s*[:：/｜|]|^【文\s*/|^本文来自|^(?:文章|本文)?来源\s*[:：]|"
                          r"^By [A-Z][\w'’. -]{2,60}\(\S+@\S+\)$|"
                          r"^(?:Reporting|Writing|Editing|Additional reporting) by\b", re.I)
_SOURCE = re.compile(r"(?:本文来自(?:微信公众号)?|(?:文章|本文)?来源)\s*[:：]\s*(?P<v>[^\s（(，,。）)]{2,30})")
_BY_LINE = re.compile(r"^(?:By|BY|Oleh)\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}(?:\s*(?:,|and|&)\s*[A-Z][\w'’. -]+)*"
                      r"(?:,\s*[\w ]{0,30})?$")
_MARKDOWN_LINK_ONLY = re.compile(r"^(?:\*\*|\*)?\[[^\]]*\]\([^)]*\)(?:\*\*|\*)?$")


@dataclass
class Lifted:
    """Fields read from credit lines that were removed from the body."""

    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    source: str | None = None
    original_title: str | None = None


def filter_blocks(blocks: list[tuple[str, str]], *, title: str | None,
                  site_names: set[str]) -> tuple[list[tuple[str, str]], Lifted]:
    lifted = Lifted()
    title_key = _key(title or "")
    kept: list[tuple[str, str]] = []
    header: list[int] = []   # positions in `kept` of the date and byline lines dropped at the top
    for index, (markdown, plain) in enumerate(blocks):
        text = squash(plain)
        if not text and not markdown.startswith("!["):
            continue
        if markdown.startswith("!["):
            # an image's alt text repeated by the caption under it is read once, in the caption
            following = squash(blocks[index + 1][1]) if index + 1 < len(blocks) else ""
            kept.append((markdown, "" if text and _key(text) in _key(following) else plain))
            continue
        key = _key(text)
        if title_key and (key == title_key or (title_key in key and units(text) < units(title or "") + 12)):
            continue
        if _is_credit(text, lifted, site_names, closing=index == len(blocks) - 1):
            continue
        if (_BOILERPLATE.match(text) and units(text) <= 240) or _RULE.match(text) \
                or _MARKDOWN_LINK_ONLY.match(markdown.strip()) or (_PAGER.search(text) and units(text) <= 80):
            continue
        if index < 6 and (_is_dateline(text) or (_BY_LINE.match(text) and units(text) < 50)):
            # the byline and date line repeated at the top of the container
            header.append(len(kept))
            kept.append((markdown, plain))
            continue
        kept.append((markdown, plain))
    rest = [markdown for i, (markdown, _) in enumerate(kept) if i not in header]
    if not rest or not all(markdown.startswith("![") for markdown in rest):
        kept = [block for i, block in enumerate(kept) if i not in header]
    # else: a photo post, whose only text is its date and byline: they are its caption, and stay
    return kept, lifted


def _is_credit(text: str, lifted: Lifted, site_names: set[str], *, closing: bool = False) -> bool:
    if units(text) > 80:
        return False
    if match := _EDITOR.match(text):
        names = re.split(r"(?:责任编辑|责编|编辑|校对|审核|审校)\s*[:：｜|]?|[\s、，,]+", text)
        lifted.editors.extend(n.strip("（()）【】[] ") for n in names
                              if re.fullmatch(r"[（(【\[]?[\u4e00-\u9fff·]{2,4}[）)】\]]?", n.strip()))
        return bool(match)
    if _REPORTER_ONLY.match(text):
        lifted.authors.extend(visible_authors(text, site_names))
        return True
    if _CREDIT_LINE.match(text):
        if source := _SOURCE.search(text):
            lifted.source = lifted.source or source["v"]
        lifted.authors.extend(visible_authors(text, site_names))
        if by := re.match(r"^(?:Reporting|Writing) by\s+(?P<v>[^;]+)", text, re.I):
            lifted.authors.extend(n.strip() for n in re.split(r"\s*(?:,|\band\b)\s*", by["v"]) if n.strip())
        return True
    # the clean stage's rules (credits.py) once more, on lines it saw as part of a longer block (<br> lines)
    credits = Credits()
    if read_line(text, credits, closing=closing):
        lifted.authors.extend(credits.authors)
        lifted.editors.extend(credits.editors)
        lifted.original_title = lifted.original_title or credits.original_title
        return True
    return False


def _is_dateline(text: str) -> bool:
    """A short line that is a date and little else (maybe the source or author): the header repeated.
    ``2021年12月30日，会议召开。`` and ``On Dec 30, 2021, the council voted.`` are sentences, not datelines."""
    if units(text) > 45 or find_datetime(text, timezone.utc) is None:
        return False
    rest = _DATE_BITS.sub(" ", text)
    words = re.findall(r"[A-Za-z]{2,}", rest)
    return len(words) <= 2 and len(re.findall(r"[\u4e00-\u9fff]", rest)) <= 10 \
        and not re.search(r"[\u4e00-\u9fff][，。！？；]|[，。！？；][\u4e00-\u9fff]", rest)


_DATE_BITS = re.compile(
    r"\d+|[年月日时分秒:：/\-·|｜]|(?:来源|作者|编辑|发布时间|发布|时间|Published|Updated|Posted(?: on)?)\s*[:：]?|"
    r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?|"
    r"\b(?:[AP]M|UTC|GMT|EST|EDT|ET|BST|WIB|HKT|SGT)\b", re.I)


def _key(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text).casefold()
