"""Clean an article body: one pure pass over the body element, shared by every parser and by
`normalize`.

It removes what a reader should never see (scripts, hidden nodes, the sites' stock widgets, ads, share and QR blocks,
tracking pixels and parameters) and lifts the metadata lines that sites put in the body (来源, 责任编辑,
原标题, 作者) into fields. Stock quote links become plain text and their codes are collected.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from .credits import lift_credits
from .page import css, drop_keeping_tail, squash
from .registry import default_registry
from .tracking import is_tracking_pixel, strip_tracking

# Elements that never hold article text.
_DROP_TAGS = ("script", "style", "noscript", "iframe", "form", "button", "input", "select", "textarea",
              "object", "embed", "svg", "canvas", "template", "link", "meta", "audio", "video", "nav")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Class/id words of share bars, QR codes, ads and similar furniture found inside article containers.
_NOISE_WORDS = re.compile(
    r"(?:^|[\s_-])(share|sharebox|share-bar|bdshare|fenxiang|jiathis|qrcode|qr-code|erweima|ewm|"
    r"advert|advertisement|ad|ads|adv|adbox|ad_context\d*|adincontent|gg|guanggao|sponsor|promo|"
    r"app-download|appdown|download-app|toolbar|social|wechat-follow|comment|comments|"
    r"related|relate|xgyd|xgxw|recommend|tuijian|hot-news|hotnews|readmore|more-news|"
    r"editor-recommend|breadcrumb|pager-ad|subscribe|copyright|shengming|disclaimer)(?:$|[\s_-])",
    re.I,
)
# Prompts and boilerplate lines that are never article text.
_PROMPT_LINE = re.compile(
    r"^(打开微信|点击底部的?“发现”|使用“扫一扫”|扫描二维码|扫码|长按识别二维码|关注.{0,12}公众号|"
    r"下载.{0,8}(客户端|APP|App|app)|在东方财富看资讯行情|全新妙想投研助理|"
    r"郑重声明：东方财富发布此内容|风险提示及免责条款|点击进入专题|更多精彩内容|"
    r"本文首发于|未经授权.{0,6}(禁止|不得)转载|版权声明[:：]|免责声明[:：])"
)
_SOURCE_LINE = re.compile(r"^[（(【\[]?\s*(?:文章|本文|稿件)?来源\s*[:：]\s*(?P<v>[^）)】\]]{1,40}?)\s*[）)】\]]?$")
_EDITOR_LINE = re.compile(
    r"^[（(【\[]?\s*(?:责任编辑|责编|版面编辑|编辑|校对|审核|编审)\s*[:：]\s*(?P<v>[^）)】\]]{1,40}?)\s*[）)】\]]?$"
)
_ORIGINAL_TITLE_LINE = re.compile(r"^[（(【\[]?\s*原标题\s*[:：]\s*(?P<v>.{1,120}?)\s*[）)】\]]?$")
_AUTHOR_LINE = re.compile(r"^[（(【\[]?\s*(?:作者|文)\s*[:：/|｜]\s*(?P<v>[^）)】\]]{1,40}?)\s*[）)】\]]?$")
_LABEL_MARK = re.compile(r"[:：/|｜]")  # what follows the label in _SOURCE_LINE … _AUTHOR_LINE (a colon, or / |)
_NAME_SPLIT = re.compile(r"[\s、,，;；/]+")
_PART_SPLIT = re.compile(r"\s*[|｜]\s*(?=\S+\s*[:：])"
                         r"|\s+(?=(?:[（(【\[]?\s*(?:文章|本文)?来源|责任编辑|版面编辑|编辑|作者)\s*[:：])")
_BLOCK_TAGS = frozenset(("p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "li",
                         "blockquote", "center", "td", "figcaption", "header", "footer", "aside"))


# A site's widget rule: drops the widgets from a body (in place), returns the stock codes they marked.
BodyRule = Callable[[lxml.html.HtmlElement], list[str]]


@dataclass
class CleanResult:
    """The cleaned body and what was lifted out of it."""

    body: lxml.html.HtmlElement
    stocks: list[str] = field(default_factory=list)
    source: str | None = None
    editors: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    original_title: str | None = None


def clean_body(body: lxml.html.HtmlElement, *, base_url: str | None = None,
               noise: Iterable[str] = (), lift_metadata: bool = True,
               body_rules: Iterable[BodyRule] | None = None) -> CleanResult:
    """Clean `body` in place and return it with the lifted fields.

    `noise` are extra CSS selectors of the site's own furniture. `body_rules` are the sites' widget rules
    (default: every registered parser's `body_rules`, e.g. Eastmoney's stock widgets in parsers/eastmoney.py),
    run on every body because sites repost each other's articles widgets and all. The stages run in an order
    that matters: stock widgets are read before generic noise removal drops their images.
    """
    result = CleanResult(body=body)
    for selector in noise:
        for element in css(selector)(body):
            drop_keeping_tail(element)
    for rule in default_registry().body_rules() if body_rules is None else body_rules:
        result.stocks.extend(rule(body))
    _remove_noise(body)
    _fix_links_and_images(body, base_url)
    if lift_metadata:
        _lift_metadata_lines(body, result)
        credits = lift_credits(body)  # reporter, editor and promotion lines (credits.py)
        result.authors.extend(name for name in credits.authors if name not in result.authors)
        result.editors.extend(name for name in credits.editors if name not in result.editors)
        result.original_title = result.original_title or credits.original_title
    return result


# --- generic noise ------------------------------------------------------------------------------

def _remove_noise(body: lxml.html.HtmlElement) -> None:
    for node in list(body.iter(etree.Comment, etree.ProcessingInstruction)):
        drop_keeping_tail(node)
    for element in list(body.iter(*_DROP_TAGS)):
        drop_keeping_tail(element)
    for element in list(body.iter()):
        if element.getparent() is None or not isinstance(element.tag, str):
            continue
        style = element.get("style")
        if (style and _HIDDEN_STYLE.search(style)) or element.get("hidden") is not None \
                or element.get("aria-hidden") == "true" and not squash(element.text_content()):
            drop_keeping_tail(element)
            continue
        marker = f"{element.get('class') or ''} {element.get('id') or ''}"
        if marker.strip() and _NOISE_WORDS.search(marker) and not _is_main_text(element):
            drop_keeping_tail(element)
            continue
        if element.tag in _BLOCK_TAGS:
            text = squash(element.text_content())
            if len(text) <= 120 and _PROMPT_LINE.match(text):
                drop_keeping_tail(element)


def _is_main_text(element: lxml.html.HtmlElement) -> bool:
    """Guard against class names that merely contain a noise word on a large block of prose."""
    text = squash(element.text_content())
    return len(text) > 400 and len(element.findall(".//a")) * 40 < len(text)


def image_address(img: lxml.html.HtmlElement, base_url: str | None) -> str | None:
    """The address the clean stage gives `img` (lazy-load attributes first, absolute, tracking parameters off);
    None for an inline or tracking image, which it drops. Field hooks that take a picture from the body call it,
    since they read the page before the clean stage."""
    src = _first_attr(img, "data-original", "data-src", "data-lazy-src", "data-url", "src")
    if not src or src.startswith("data:") or is_tracking_pixel(src, img.get("width"), img.get("height")):
        return None
    return strip_tracking(_absolute(src, base_url))


def _fix_links_and_images(body: lxml.html.HtmlElement, base_url: str | None) -> None:
    for img in list(body.iter("img")):
        if address := image_address(img, base_url):
            img.set("src", address)
        else:
            drop_keeping_tail(img)
    for link in body.iter("a"):
        href = (link.get("href") or "").strip()
        if href and not href.lower().startswith(("javascript:", "#", "mailto:", "tel:")):
            link.set("href", strip_tracking(_absolute(href, base_url)))
        elif "href" in link.attrib:
            del link.attrib["href"]


def _first_attr(element: lxml.html.HtmlElement, *names: str) -> str | None:
    for name in names:
        value = (element.get(name) or "").strip()
        if value:
            return value
    return None


def _absolute(href: str, base_url: str | None) -> str:
    from urllib.parse import urljoin

    if href.startswith("//"):
        return "https:" + href
    return urljoin(base_url, href) if base_url else href


# --- metadata lines -----------------------------------------------------------------------------

def _lift_metadata_lines(body: lxml.html.HtmlElement, result: CleanResult) -> None:
    """Turn short 来源/责任编辑/原标题/作者 paragraphs into fields and remove them from the body."""
    for element in list(body.iter(*_BLOCK_TAGS)):
        if element.getparent() is None or any(child.tag in _BLOCK_TAGS for child in element.iterchildren()):
            continue
        text = squash(element.text_content())
        if not text or len(text) > 140:
            continue
        if _lift_line(text, result):
            drop_keeping_tail(element)


def _lift_line(text: str, result: CleanResult) -> bool:
    """Record `text` if it is a metadata line; several may share one line (``来源：X 责任编辑：Y``)."""
    if not _LABEL_MARK.search(text):
        return False  # each line pattern needs one of these after its label: most lines of a body have none
    # Labelled parts follow each other after a space or a bar (`责任编辑：张帆 | 版面编辑：邓宇`).
    parts = [p for p in _PART_SPLIT.split(text) if p]
    matches = []
    for part in parts:
        for pattern, kind in ((_SOURCE_LINE, "source"), (_EDITOR_LINE, "editor"),
                              (_ORIGINAL_TITLE_LINE, "original_title"), (_AUTHOR_LINE, "author")):
            if match := pattern.match(part):
                matches.append((kind, match["v"].strip()))
                break
        else:
            return False
    for kind, value in matches:
        if kind == "source":
            result.source = result.source or value
        elif kind == "original_title":
            result.original_title = result.original_title or value
        else:
            names = [n for n in _NAME_SPLIT.split(value) if n]
            (result.editors if kind == "editor" else result.authors).extend(names)
    return True
