"""The headline of any news page as a reader sees it, reconciled with what the page declares.

An `<h1>` (or a block whose class says title) that matches a declared title (JSON-LD `headline`, `og:title`,
`twitter:title`, `parsely-title`, `<title>`; typographic and straight quotes alike) wins; a logo `<h1>` does not
match. Otherwise the page's only long `<h1>`, the declared title without the site name, or the `<title>` segment
the page shows as text.
"""

from __future__ import annotations

import html
import re

import lxml.html

from newsfetch.page import Page, squash

from ..base import strip_site_suffix
from .region import in_noise
from .text import is_chinese, tokens, units

_SEPARATORS = re.compile(r"\s+[-–—|｜:]\s+|\s*[_|｜]\s*|\s*——\s*|\s+-\s*|\s*-\s+|"
                         r"(?<=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef”」])-(?=[\u4e00-\u9fff])")
_TITLE_HINT = {"title", "headline", "heading", "biaoti", "dabiaoti", "tit"}
_TITLE_TAGS = ("h1", "h2", "h3", "div", "p", "b", "strong", "font", "td", "span")


# --- title -------------------------------------------------------------------------------------------

# A site, section, government or university name, never a headline (北医新闻网, 新闻动态, 某某省人民政府网站, 某某的博客).
_SITE_OR_SECTION = re.compile(
    r"^(?:.{1,12}(?:网|网站|门户|门户网站|新闻网|博客|的博客|论坛|社区|频道|人民政府|政府网|大学|学院|研究院|研究所|中心)"
    r"|新闻动态|新闻中心|新闻资讯|通知公告|工作动态|要闻|首页|正文|详情|显示|内容页|文章详情|新闻详情|信息公开)$")


def headline(page: Page) -> tuple[str | None, lxml.html.HtmlElement | None]:
    """The headline as the reader sees it, and the element that shows it (None when only declared). A site or
    section name is never the headline: then the first heading on the page that is neither is."""
    title, element = _headline(page)
    if title and is_site_or_section(page, title):
        for candidate in _title_elements(page, headings=("h1", "h2", "h3")):
            text = squash(candidate.text_content())
            if candidate is not element and 6 <= len(_key(text)) <= 120 and not is_site_or_section(page, text) \
                    and candidate.find(".//a") is None:
                return text, candidate
    return title, element


def is_site_or_section(page: Page, text: str) -> bool:
    """`text` names the site or a section of it rather than an article."""
    text = squash(text)
    site = page.meta("og:site_name")
    return bool(site and text.casefold() == squash(site).casefold()) or bool(_SITE_OR_SECTION.match(text))


def _headline(page: Page) -> tuple[str | None, lxml.html.HtmlElement | None]:
    declared = declared_titles(page)
    # (whole declared title, the same without the site name): a logo <h1> matches only the first
    keys = [(_key(value), _key(_strip_site(page, value))) for value in declared]
    for element in _title_elements(page):
        text = squash(element.text_content())
        key = _key(text)
        if len(key) >= 4 and any(key in whole and len(key) >= 0.6 * len(bare) for whole, bare in keys):
            return heading_text(element), element
    sole = _sole_headline(page)
    # the headline was edited after the <title> was written: the reader sees the <h1> (unless the <h1> is the
    # declared title plus a badge such as 最新); an <h1> that extends the declared title by more than a badge
    # (安全测试 → 安全测试：标题里有"引号") is the fuller headline
    if sole is not None and not any(bare and bare in _key(sole.text_content()) and not _extends(sole, bare)
                                    for _, bare in keys):
        return heading_text(sole), sole
    for value in declared[:-1] if page.title_tag else declared:  # JSON-LD, og:title…, minus the site name
        return _strip_site(page, value), None
    if page.title_tag:
        # <title> is "headline - site" or "site - headline": pick the segment the page shows as text.
        # the longer segment by reading length is the headline (给计算机系学生的建议 over Joel on Software)
        segments = sorted(_SEPARATORS.split(page.title_tag), key=units, reverse=True)
        shown = {_key(squash(e.text_content())): e for e in page.tree.iter(*_TITLE_TAGS)
                 if 4 <= len(squash(e.text_content())) <= 200}
        for segment in segments:
            if _key(segment) in shown and len(_key(segment)) >= 4:
                return squash(segment), shown[_key(segment)]
        return _strip_unshown_tail(page, _strip_site(page, page.title_tag)), None
    for element in _title_elements(page):  # nothing declared at all: the first headline-like element
        text = squash(element.text_content())
        if 4 <= len(text) <= 200:
            return text, element
    return None, None


def declared_titles(page: Page) -> list[str]:
    """The titles the page declares for machines, in order of trust: JSON-LD `headline`, `og:title`,
    `twitter:title`, Parse.ly's `parsely-title`, `<title>` last. Dublin Core `dc:title` is not one: on real pages
    it is as often the site's name (``Ed Brill``) or carries a section (``Press Announcements - …``)."""
    values = (jsonld_str(page, "headline"), page.meta("og:title"), page.meta("twitter:title"),
              page.meta("parsely-title"), page.title_tag)
    return [value for value in values if value]


# "Headline – My website": the last segment of a <title>, after a spaced dash or bar, of at most three words
_UNSHOWN_TAIL = re.compile(r"\s+[-–—|｜]\s+(?P<tail>[^-–—|｜]+)$")


def _strip_unshown_tail(page: Page, title: str) -> str:
    """A `<title>` whose last segment (a few words after a spaced dash or bar) appears nowhere in the page's text,
    while the rest opens it, ends with the site's name: ``Lorem ipsum dolor sit amet – My website``."""
    match = _UNSHOWN_TAIL.search(title)
    if match is None or len(match["tail"].split()) > 3 or len(title[:match.start()].split()) < 3:
        return title
    body = page.tree.find("body")
    text = _key(body.text_content()) if body is not None else ""
    head = _key(title[:match.start()])
    return title[:match.start()].strip() if _key(match["tail"]) not in text and head in text[:len(head) * 4] else title


def _extends(element: lxml.html.HtmlElement, bare: str) -> bool:
    """The element's text starts with the declared title and goes on with more than a badge (最新, (图))."""
    key = _key(element.text_content())
    return key.startswith(bare) and len(key) - len(bare) >= max(4, len(bare) // 4) and \
        bool(re.match(r"[:：,，;；\-–—|｜!！?？]", key[len(bare):]))


def _sole_headline(page: Page) -> lxml.html.HtmlElement | None:
    """The page's only `<h1>`, when it reads like a headline (a logo `<h1>` is short or the site's name)."""
    found = [h for h in page.tree.iter("h1") if not in_noise(h) and squash(h.text_content())]
    if len(found) != 1:
        return None
    text = squash(found[0].text_content())
    site = (page.meta("og:site_name") or "").casefold()
    long_enough = len(text) >= 8 if is_chinese(text) else len(text.split()) >= 4
    return found[0] if long_enough and (not site or site not in text.casefold()) and \
        not _names_title_site(page, text) else None


_BRACKETED_TAIL = re.compile(r"[\[【(（]\s*(?P<name>[^\[\]【】()（）]{2,40}?)\s*[\]】)）]\s*$")


def _names_title_site(page: Page, text: str) -> bool:
    """`text` is the site name the `<title>` ends with (``… | My Hero Academia [Archive of Our Own]``), perhaps
    with a badge (``Archive of Our Own beta``) or its tagline (``Bossip | Gossip for the Hardcore``): a logo, not
    the headline."""
    if not page.title_tag:
        return False
    segments = [s for s in _SEPARATORS.split(page.title_tag) if s.strip()]
    names = [segments[-1]] if len(segments) > 1 else []
    if (bracketed := _BRACKETED_TAIL.search(page.title_tag)) and bracketed.start() > 0:
        names.append(bracketed["name"])
    key = _key(text)
    # the name alone, with a badge (beta), or with its tagline after a stop or a bar (Bossip | Gossip for …)
    return any(len(name) >= 4 and key.startswith(name) and (len(key) - len(name) <= 5 or key[len(name)] in ".|｜:,")
               for name in (_key(n) for n in names))


def _title_elements(page: Page, headings: tuple[str, ...] = ()) -> list[lxml.html.HtmlElement]:
    """`<h1>`s, then blocks whose class says title; with `headings`, those tags and titled blocks in page order."""
    if headings:
        found = [e for e in page.tree.iter(*_TITLE_TAGS, *headings)
                 if e.tag in headings or not tokens(e).isdisjoint(_TITLE_HINT)]
    else:
        found = [h for h in page.tree.iter("h1")]
        for element in page.tree.iter(*_TITLE_TAGS):
            if element.tag != "h1" and not tokens(element).isdisjoint(_TITLE_HINT):
                found.append(element)
    return [e for e in found if not in_noise(e)][:20]


# Typographic quotes fold to straight ones for comparing: an <h1> printing ‘Star Wars’ is the declared 'Star Wars'.
_QUOTES = str.maketrans("‘’‚‛“”„‟", "''''\"\"\"\"")


def _key(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text).translate(_QUOTES).casefold()


def _strip_site(page: Page, title: str) -> str:
    title = squash(title)
    for name in (page.meta("og:site_name"), page.meta("application-name")):
        if name and len(title) > len(name) + 4:
            title = re.sub(rf"\s*(?:[-–—|｜_:]|——)\s*{re.escape(name)}\s*$", "", title, flags=re.I)
            title = re.sub(rf"^{re.escape(name)}\s*(?:[-–—|｜_:]|——)\s*", "", title, flags=re.I)
    return strip_site_suffix(_strip_site_tail(page, title))


# The segment separators of <title>s, including the Hangul letter ㅣ Korean sites use as a bar.
_TAIL = re.compile(r"\s*(?:[-–—|｜_ㅣ]|——)\s*(?P<tail>[^-–—|｜_ㅣ]{1,30})$")
_SITE_ENDING = re.compile(r"(?:일보|신문|뉴스|방송|日报|晚报|早报|新闻网|网)$")
_SPACED_SITE = re.compile(r"\s+[\u4e00-\u9fff]{2,8}(?:网|日报|晚报)$")  # 标题 松花江网


def _strip_site_tail(page: Page, title: str) -> str:
    """Drop a trailing site segment that names the host (``…-EDN 电子技术设计`` on ednchina.com) or ends like a
    paper's name (``…-정치ㅣ한국일보``), then a short section segment left before it (``정치``)."""
    brand = _brand(page.host)
    stripped = False
    while (match := _TAIL.search(title)) and len(title[:match.start()].strip()) >= 6:
        tail = match["tail"].strip()
        words = {w.casefold() for w in re.findall(r"[A-Za-z]{3,}", tail)}
        names_host = bool(brand) and any(brand.startswith(w) or w in brand for w in words)
        if names_host or _SITE_ENDING.search(tail) or (stripped and tail.casefold() in _menu_words(page)):
            title, stripped = title[:match.start()].strip(), True
            continue
        break
    if not stripped and (spaced := _SPACED_SITE.search(title)) and len(title[:spaced.start()]) >= 8:
        title = title[:spaced.start()].strip()
    return title


def _menu_words(page: Page) -> set[str]:
    """Short link texts of the page (its menus and breadcrumbs): a section named there is no part of a title."""
    return {squash(a.text_content()).casefold() for a in page.tree.iter("a") if 0 < len(squash(a.text_content())) <= 8}


def _brand(host: str) -> str:
    """``www.ednchina.com`` → ``ednchina``: the name a site registers, where its titles repeat it."""
    labels = [label for label in host.lower().split(".") if label and label not in ("www", "m", "news")]
    generic_endings = {"com", "cn", "net", "org", "co", "kr", "jp", "de", "uk", "gov", "edu", "ac", "info"}
    while labels and labels[-1] in generic_endings:
        labels.pop()
    return labels[-1] if labels else ""


_KICKER = re.compile(r"kicker|overline|dachzeile|topline|roofline|eyebrow|supertitle|spitzmarke", re.I)


def heading_text(element: lxml.html.HtmlElement) -> str:
    """A headline as the reader sees it: a kicker span joined to the rest with a colon (``Nationale Demo: Der 9.
    Juli``), block-like spans kept apart, no space before a colon where spans meet (``49-Euro-Ticket : Pendler``);
    a space the page itself types before a colon (French typography) stays."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        text = squash(child.text_content())
        tail = child.tail or ""
        if text[:1] in ":：" and parts and parts[-1].endswith(" "):  # "49-Euro-Ticket <span>: Pendler</span>"
            parts[-1] = parts[-1].rstrip()
        marker = f"{child.get('class') or ''} {child.get('id') or ''}"
        if text and _KICKER.search(marker) and not re.search(r"[:：.!?|–—-]\s*$", text):
            text += ": "
        elif text and child.tag in ("span", "div", "p", "strong", "b", "em") and parts and parts[-1] \
                and not parts[-1][-1].isspace() and not child.tag == "em":
            parts.append(" ")
        parts.append(text)
        parts.append(tail.lstrip() if tail.lstrip()[:1] in (":", "：") and tail[:1].isspace() and text else tail)
    return squash("".join(parts)).replace(": :", ":")


def site_from_title(page: Page, title: str | None) -> str | None:
    """The site name a `<title>` carries beside the headline (``…_央广网`` → 央广网)."""
    if not page.title_tag or not title:
        return None
    segments = [s.strip() for s in _SEPARATORS.split(page.title_tag) if s.strip()]
    whole = _key(title)
    rest = [s for s in segments if len(s) <= 30 and _key(s) != whole
            and not (_key(s) in whole and len(_key(s)) > 0.5 * len(whole))]
    return rest[-1] if rest else None


def jsonld_str(page: Page, key: str) -> str | None:
    ordered = ([page.jsonld_article()] if page.jsonld_article() else []) + page.jsonld
    for obj in ordered:
        value = obj.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and value.strip():
            return squash(unescape_once(value))
    return None


_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{2,6}|#x[0-9A-Fa-f]{2,5});")


def unescape_once(text: str) -> str:
    """JSON-LD strings written with HTML entities (``&quot;``, ``&#039;``) decoded once — the HTML parser already
    decoded the attribute and text layer, so a literal ``&amp;quot;`` stays ``&quot;``."""
    return html.unescape(text) if _ENTITY.search(text) else text


