"""Which of the times a page states is its publication time, and which its last modification.

Every parser feeds this one resolver: site parsers give the text of their own time element, the generic
parser the lines printed around the headline; the resolver adds what the page declares for machines. Each
candidate has a kind (published / modified), an origin, and says whether it has a clock time and a zone.

Order of trust for the publication time:

1. the time printed near the headline (with a clock time). It wins over machine metadata that disagrees with
   it on the same day, or that is later (up to a year) — portals put the republish or update time in
   `article:published_time` and JSON-LD, and a republish never moves a time earlier; machine metadata earlier
   than the printed time on another day wins (the printed date can belong to something else, a date banner).
   When both agree to the minute, the more precise machine value is kept;
2. JSON-LD `datePublished` / `dateCreated` of the article;
3. `<meta>` publication names, in a fixed order (`weibo: article:create_at`, the original publication, before
   `article:published_time`); names are compared without their punctuation, so `article:published:time`,
   `article_published_time` and `Article.Published_Time` are one name;
4. `<time datetime>` outside link lists and furniture;
5. script data: `publish_time`-like fields of page-state JSON, `var ct = "1569470460"` Unix timestamps;
6. a labelled time anywhere in the page text (``发表于 2005-06-14 03:25``, ``由某某张贴 @ …``, ``Posted on …``),
   for blogs and forums that print it under the post;
7. the bare dates of the same sources, given the clock time of a candidate on the same day when there is one;
8. a date labelled 成文日期 (the day a document was written and signed): only when the page states no other.

A time labelled 最后更新 / 更新时间 / 修改于 / Updated, JSON-LD `dateModified`, `article:modified_time` and the like is
a modification time: never the publication time. It is returned on its own (`last_modified_at`).

Zones: a value without a zone takes the zone other evidence on the page states — a machine value with a
non-zero offset, or the whole-hour difference between a printed time and a UTC machine value of the same
minute (that difference is the page's zone; a printed ``3:48`` beside ``T15:48+00:00`` is read as 15:48) —
and only then the caller's default (the site's, or +08:00 for Chinese pages, UTC for others).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone, tzinfo

import lxml.html
from lxml import etree

from .dates import find_datetime_at, from_epoch, parse_iso_datetime
from .page import Page, squash

PUBLISHED, MODIFIED = "published", "modified"

# Origins in their order of trust (lower is more trusted).
_RANK = {"printed": 1, "jsonld": 2, "meta": 3, "time": 4, "script": 5, "labelled": 6, "written": 7}

# <meta> names, compared lower-cased without punctuation (article:published_time = articlepublishedtime).
_META_PUBLISHED = ("weiboarticlecreateat", "articlepublishedtime", "articlepublished", "ogreleasedate",
                   "ogpublishedtime", "pubdate", "publishdate", "publishtime", "publishdatetime", "datepublished",
                   "dtkpublishdate", "sailthrudate", "parselypubdate", "dcdateissued", "dctermsissued",
                   "csepublishdate", "publicationdate", "dcdate", "date", "ogtime", "releasedate")
_META_MODIFIED = ("weiboarticleupdateat", "articlemodifiedtime", "articlemodified", "ogupdatedtime",
                  "datemodified", "lastmodified", "dctermsmodified", "dtkupdatedate", "updatedate", "modified")
_JSONLD_PUBLISHED = ("datePublished", "dateCreated")
_JSONLD_MODIFIED = ("dateModified",)

# Script data: "publish_time": "2019-10-08 12:00", pubtime:'…', var ct = "1569470460".
_SCRIPT_KEYS_PUBLISHED = (r"publish_?time|publishTime|publishDate|publish_date|pub_?time|pubTime|pubDate|ptime|"
                          r"newsTime|datePublished|create_?time|createTime|ctime|ct|publishedAt|published_at")
_SCRIPT_KEYS_MODIFIED = r"update_?time|updateTime|modify_?time|modifyTime|mtime|dateModified|updatedAt|updated_at"
_SCRIPT_VALUE = (r"""\s*["']?(?P<key>{keys})["']?\s*[:=]\s*["']?"""
                 r"(?P<v>(?:19|20)\d\d[-/]\d\d?[-/]\d\d?(?:[ T]\d\d?:\d\d(?::\d\d)?(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)?"
                 r"|1\d{{9}}(?:\d{{3}})?)[\"']?")
_SCRIPT_PUBLISHED = re.compile(r"(?<![\w.])" + _SCRIPT_VALUE.format(keys=_SCRIPT_KEYS_PUBLISHED))
_SCRIPT_MODIFIED = re.compile(r"(?<![\w.])" + _SCRIPT_VALUE.format(keys=_SCRIPT_KEYS_MODIFIED))
# The same patterns from the key on: they start with the keys' first letters, which the regex engine skips to
# directly, where the whole pattern's leading look-behind is tried at every character of a long script (~10x
# slower). A hit counts where the whole pattern matches at its start (`_first_script_value`).
_SCRIPT_KEY_FIRST = {pattern: re.compile(pattern.pattern[pattern.pattern.index("(?P<key>"):])
                     for pattern in (_SCRIPT_PUBLISHED, _SCRIPT_MODIFIED)}

# Labels printed before a time: what follows them is a modification time, or a publication time.
_MODIFIED_LABEL = re.compile(r"(?:最后更新|更新时间|更新于|修改于|修改时间|最后修改|编辑于|"
                             r"\b(?:last\s+)?(?:updated|modified|aktualisiert|actualizado|mis à jour|mise à jour)\b)"
                             r"(?:\s*(?:on|at|am|le|el))?\s*[:：]?\s*$", re.I)
# 成文日期: the day a (government) document was written and signed; it is published later (发布日期).
_WRITTEN_LABEL = re.compile(r"成文(?:日期|时间)\s*[:：]?\s*$")
_LABELLED = re.compile(r"(?:发表于|发布于|发表时间|发布时间|发表日期|发布日期|张贴\s*@|本贴由\s*\S{1,24}?\s*于|"
                       r"\bposted\s+(?:on|at)\b|\bpublished\s+(?:on|at)\b)\s*[:：]?\s*", re.I)
_CLOCK = re.compile(r"\d{1,2}[:：]\d{2}")
_AMPM = re.compile(r"\d{1,2}[:：.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\b|上午|下午|晚上|早上|中午)|(?:上午|下午|晚上)\s*\d", re.I)
_FURNITURE_TAGS = frozenset(("a", "li", "aside", "nav", "footer"))


@dataclass(frozen=True)
class Candidate:
    """One time the page states. `value` is naive when the source gives no zone."""

    value: datetime
    kind: str          # PUBLISHED or MODIFIED
    origin: str        # printed, jsonld, meta, time, script, labelled
    has_time: bool
    order: int = 0     # position among candidates of the same origin (meta names: their order of trust)
    twelve_hour: bool = False  # a printed clock time without am/pm that may be afternoon (3:48 = 15:48?)

    @property
    def rank(self) -> tuple[int, int]:
        return _RANK[self.origin], self.order


@dataclass(frozen=True)
class Times:
    """The resolved publication and modification times (aware), each None when the page states none."""

    published: datetime | None = None
    modified: datetime | None = None


# --- candidates ---------------------------------------------------------------------------------------------

def machine_candidates(page: Page) -> list[Candidate]:
    """What the page declares for machines: JSON-LD, `<meta>` (and the e-paper property comment), `<time
    datetime>` and script data."""
    return [*_jsonld(page), *_meta(page), *_enp_property(page), *_time_elements(page), *_scripts(page)]


def printed_candidates(text: str | None, *, year_hint: date | None = None, origin: str = "printed") -> list[Candidate]:
    """Dates a reader sees in `text` (the line under the headline), each with the kind its label gives."""
    found: list[Candidate] = []
    if not text:
        return found
    position = 0
    while position < len(text) and len(found) < 6:
        hit = find_datetime_at(text[position:], None, year_hint=year_hint)
        if hit is None:
            break
        start, value = position + hit[0], hit[1]
        label = text[max(0, start - 16):start]
        kind = MODIFIED if _MODIFIED_LABEL.search(label) else PUBLISHED
        clock = value.hour != 0 or value.minute != 0 or bool(_CLOCK.search(text[start:start + 30]))
        twelve = clock and value.hour <= 12 and not _AMPM.search(text[start:start + 40])
        where = "written" if _WRITTEN_LABEL.search(label) else origin
        found.append(Candidate(value, kind, where, clock, order=start, twelve_hour=twelve))
        position = start + 10
    return found


def labelled_candidates(page: Page) -> list[Candidate]:
    """A time after a 发表于 / 发布时间 / Posted on label anywhere in the page text (blogs, forums)."""
    text = _page_text(page)
    found = []
    for match in _LABELLED.finditer(text):
        for candidate in printed_candidates(text[match.end():match.end() + 40], origin="labelled"):
            found.append(replace(candidate, order=match.start()))
            break
        if len(found) >= 3:
            break
    return found


def _jsonld(page: Page) -> Iterable[Candidate]:
    article = page.jsonld_article()
    objects = ([article] if article else []) + [obj for obj in page.jsonld if obj is not article]
    for kind, keys in ((PUBLISHED, _JSONLD_PUBLISHED), (MODIFIED, _JSONLD_MODIFIED)):
        for obj in objects:
            values = [(i, obj.get(key)) for i, key in enumerate(keys)]
            hits = [(i, v[0] if isinstance(v, list) and v else v) for i, v in values]
            hits = [(i, v) for i, v in hits if isinstance(v, str) and v.strip()]
            for i, raw in hits:
                candidate = _machine(raw, kind, "jsonld", i)
                if candidate is not None:
                    yield candidate
            if hits:
                break


def _meta(page: Page) -> Iterable[Candidate]:
    for element in page.tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop") or ""
        key = re.sub(r"[^a-z0-9]", "", key.lower())
        raw = element.get("content") or ""
        if key in _META_PUBLISHED:
            candidate = _machine(raw, PUBLISHED, "meta", _META_PUBLISHED.index(key))
        elif key in _META_MODIFIED:
            candidate = _machine(raw, MODIFIED, "meta", _META_MODIFIED.index(key))
        else:
            continue
        if candidate is not None:
            yield candidate


# Founder's newspaper CMS (e-papers and many Chinese portals) states an article's properties in a comment:
# <!--enpproperty <articleid>…</articleid><date>2022-02-13 00:00:00:0</date><author></author>…/enpproperty-->
_ENP_DATE = re.compile(r"<!--\s*enpproperty\b.*?<date>\s*(?P<v>[^<]{8,40}?)\s*</date>", re.S | re.I)


def _enp_property(page: Page) -> Iterable[Candidate]:
    """The `<date>` of the enpproperty comment: a publication time, the issue date where it is midnight."""
    if "enpproperty" not in page.html:
        return
    match = _ENP_DATE.search(page.html)
    if match is None:
        return
    candidate = _machine(re.sub(r"(\d\d:\d\d:\d\d)[:.]\d+$", r"\1", match["v"]), PUBLISHED, "meta",
                         len(_META_PUBLISHED))
    if candidate is not None:
        midnight = (candidate.value.hour, candidate.value.minute, candidate.value.second) == (0, 0, 0)
        yield replace(candidate, has_time=candidate.has_time and not midnight)


def _time_elements(page: Page) -> Iterable[Candidate]:
    seen = set()
    for position, element in enumerate(page.tree.iter("time")):
        raw = element.get("datetime")
        if not raw or _in_furniture(element):
            continue
        marker = f"{element.get('itemprop') or ''} {element.get('class') or ''}".lower()
        kind = MODIFIED if re.search(r"modif|updat", marker) else PUBLISHED
        if kind in seen:
            continue
        candidate = _machine(raw, kind, "time", position)
        if candidate is not None:
            seen.add(kind)
            yield candidate


def _scripts(page: Page) -> Iterable[Candidate]:
    for script in page.tree.iter("script"):
        source = script.text or ""
        if not source or (script.get("type") or "").lower() == "application/ld+json":
            continue
        for pattern, kind in ((_SCRIPT_PUBLISHED, PUBLISHED), (_SCRIPT_MODIFIED, MODIFIED)):
            match = _first_script_value(pattern, source)
            if match is None:
                continue
            raw = match["v"]
            if raw.isdigit():
                value = from_epoch(raw, timezone.utc)
                if value is not None:
                    yield Candidate(value, kind, "script", True)
            elif (candidate := _machine(raw, kind, "script", 0)) is not None:
                yield candidate


def _first_script_value(pattern: re.Pattern[str], source: str) -> re.Match[str] | None:
    """`pattern.search(source)`, found faster. The whole pattern can match only where its key-first form does,
    at the key (its leading whitespace and quote are optional, and the look-behind holds before them exactly when
    it holds before the key); so the first key-first hit where the whole pattern matches is its first match."""
    key_first = _SCRIPT_KEY_FIRST[pattern]
    position = 0
    while (hit := key_first.search(source, position)) is not None:
        if (match := pattern.match(source, hit.start())) is not None:
            return match
        position = hit.start() + 1
    return None


def _machine(raw: str, kind: str, origin: str, order: int) -> Candidate | None:
    raw = squash(raw)
    if not re.match(r"(?:19|20)\d\d", raw):
        return None
    value = parse_iso_datetime(raw.replace("/", "-") if "T" not in raw else raw, None)  # type: ignore[arg-type]
    if value is None:
        return None
    return Candidate(value, kind, origin, bool(re.search(r"\d[T ]?\d{1,2}:\d\d", raw)), order)


def _in_furniture(element: lxml.html.HtmlElement) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in _FURNITURE_TAGS or re.search(r"related|comment|recommend|sidebar|footer",
                                                         f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}",
                                                         re.I):
            return True
    return False


_UNSEEN = frozenset(("script", "style", "noscript", "title", "head"))


def _page_text(page: Page) -> str:
    """The text a reader sees, in document order (scripts, styles, comments and the head left out)."""
    parts: list[str] = []
    # depth first, an element's tail after its children's text (`<p>发布时间：<b>2021-12-30</b> 来源</p>`
    # reads in that order); lxml's walker hands out the elements in C, and skips the unseen ones' subtrees
    walker = etree.iterwalk(page.tree, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        if event == "start":
            if node.tag in _UNSEEN:
                walker.skip_subtree()  # its text and children unseen; its "end" still comes, with its tail
            elif node.text:
                parts.append(node.text)
        elif node.tail:  # text after an element (a script's or a comment's too) is on the page
            parts.append(node.tail)
    return squash(" ".join(parts))


# --- resolution ---------------------------------------------------------------------------------------------

def resolve(candidates: Iterable[Candidate], default_tz: tzinfo) -> Times:
    """The publication and modification times by the order of trust (see the module's docstring)."""
    candidates = list(candidates)
    zone = _page_zone(candidates, default_tz)
    placed = [_placed(c, zone, candidates) for c in candidates]
    published = _published([c for c in placed if c.kind == PUBLISHED])
    modified = _modified([c for c in placed if c.kind == MODIFIED])
    if published is not None and modified is not None and \
            modified.replace(second=0, microsecond=0) <= published.replace(second=0, microsecond=0):
        modified = None  # "modified" at (or before) the publication: nothing was modified
    return Times(published, modified)


def _page_zone(candidates: list[Candidate], default_tz: tzinfo) -> tzinfo:
    """The zone the page states: a machine value's non-zero offset, or the offset that makes a printed time and
    a UTC machine value of the same minute agree; else the default."""
    for candidate in sorted((c for c in candidates if c.value.tzinfo is not None and c.origin != "script"),
                            key=lambda c: c.rank):
        offset = candidate.value.utcoffset()
        if offset:
            return candidate.value.tzinfo  # type: ignore[return-value]
    utc_values = [c.value for c in candidates if c.value.tzinfo is not None and c.has_time and c.origin != "script"]
    for printed in (c for c in candidates if c.origin == "printed" and c.has_time and c.value.tzinfo is None):
        for machine in utc_values:
            for wall in _readings(printed):
                diff = wall - machine.astimezone(timezone.utc).replace(tzinfo=None)
                minutes = diff.total_seconds() / 60
                if abs(minutes) <= 14 * 60 and abs(minutes - 15 * round(minutes / 15)) < 1:
                    offset = timedelta(minutes=15 * round(minutes / 15))
                    if offset == default_tz.utcoffset(wall):
                        return default_tz
                    return timezone(offset)
    return default_tz


def _readings(candidate: Candidate) -> list[datetime]:
    """A printed clock time as read, and 12 hours later when it may be an afternoon time without pm."""
    readings = [candidate.value]
    if candidate.twelve_hour and candidate.value.hour < 12:
        readings.append(candidate.value + timedelta(hours=12))
    return readings


def _placed(candidate: Candidate, zone: tzinfo, everything: list[Candidate]) -> Candidate:
    """The candidate in its zone; a 12-hour printed time read as afternoon when a machine value says so."""
    if candidate.value.tzinfo is not None:
        return candidate
    value = candidate.value.replace(tzinfo=zone)
    if candidate.twelve_hour and value.hour < 12:
        later = value + timedelta(hours=12)
        if any(c.has_time and c.value.tzinfo is not None and _same_minute(c.value, later) for c in everything):
            value = later
    return replace(candidate, value=value)


def _same_minute(a: datetime, b: datetime) -> bool:
    return a.astimezone(timezone.utc).replace(second=0, microsecond=0) == \
        b.astimezone(timezone.utc).replace(second=0, microsecond=0)


def _same_day(a: datetime, b: datetime) -> bool:
    return a.date() == b.astimezone(a.tzinfo).date()


def _published(candidates: list[Candidate]) -> datetime | None:
    # of the dates printed near the headline only the first is the article's; later ones belong to its text
    first_printed = min((c for c in candidates if c.origin == "printed"), key=lambda c: c.order, default=None)
    candidates = [c for c in candidates if c.origin != "printed" or c is first_printed]
    timed = sorted((c for c in candidates if c.has_time), key=lambda c: c.rank)
    dated = min((c for c in candidates if not c.has_time), key=lambda c: c.rank, default=None)
    printed = next((c for c in timed if c.origin == "printed"), None)
    machine = next((c for c in timed if c.origin in ("jsonld", "meta", "time", "script")), None)
    best: Candidate | None = timed[0] if timed else None
    if printed is not None and machine is not None:
        if _same_minute(printed.value, machine.value):
            # the same time: keep the machine's seconds, shown in the printed zone
            best = replace(machine, value=machine.value.astimezone(printed.value.tzinfo))
        else:
            # a republish or update moves machine metadata later, never earlier: a printed time before it is
            # the original; one later than it on another day is likely not the article's (today's date banner)
            earlier = machine.value - timedelta(days=366) <= printed.value < machine.value
            best = printed if earlier or _same_day(printed.value, machine.value) else machine
    if dated is not None and best is None:
        return dated.value
    if dated is not None and best is not None and dated.rank < timed[0].rank and not _same_day(dated.value, best.value):
        # a better-trusted bare date on another day than the best clock time; a printed one only when it is
        # earlier (within a year), as for printed clock times: later machine values are republish times
        if dated.origin != "printed" or best.value - timedelta(days=366) <= dated.value < best.value:
            return dated.value
    return best.value if best is not None else None


def _modified(candidates: list[Candidate]) -> datetime | None:
    ordered = sorted(candidates, key=lambda c: (not c.has_time, c.rank))
    return ordered[0].value if ordered else None


# 06/02/2022 - 13:48: day and month in an order only the page's other evidence can tell
_NUMERIC = re.compile(r"(?<!\d)(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d\d)(?:\s*[-,|]?\s*(?P<H>\d{1,2}):(?P<M>\d\d)"
                      r"(?::(?P<S>\d\d))?(?:\s*(?P<ampm>[AaPp])\.?[Mm]\b)?)?")


def states_date(text: str | None, *, year_hint: date | None = None) -> bool:
    """Whether `text` prints a date (of any form the resolver reads)."""
    return bool(text) and (find_datetime_at(text, None, year_hint=year_hint) is not None  # type: ignore[arg-type]
                           or _NUMERIC.search(text) is not None)


def numeric_candidates(text: str | None, machine: list[Candidate]) -> list[Candidate]:
    """A printed ``dd/mm/yyyy`` or ``mm/dd/yyyy`` date. The order is plain when a part is over 12, or a 12-hour
    clock follows (``7/5/2005 9:23:57 PM`` is the US month-first form); else it is read the way a machine value
    of the page confirms (the same day), and unconfirmed not at all."""
    match = _NUMERIC.search(text or "")
    if match is None:
        return []
    hour = int(match["H"] or 0)
    if match["ampm"]:
        hour = hour % 12 + (12 if match["ampm"] in "Pp" else 0)
    clock = (hour, int(match["M"] or 0), int(match["S"] or 0))
    a, b = int(match["a"]), int(match["b"])
    if match["ampm"] or a > 12 or b > 12:
        month, day = (a, b) if match["ampm"] or b > 12 else (b, a)
        try:
            value = datetime(int(match["y"]), month, day, *clock)
        except ValueError:
            return []
        return [Candidate(value, PUBLISHED, "printed", bool(match["H"]), order=match.start())]
    for month, day in ((b, a), (a, b)):
        try:
            value = datetime(int(match["y"]), month, day, *clock)
        except ValueError:
            continue
        for other in machine:
            seen = other.value.astimezone(other.value.tzinfo) if other.value.tzinfo else other.value
            if abs((seen.replace(tzinfo=None) - value).total_seconds()) < 86400 * 1.5 and seen.day == day:
                return [Candidate(value, PUBLISHED, "printed", bool(match["H"]), order=match.start())]
    return []


def resolve_page(page: Page, printed: str | None, default_tz: tzinfo, *, year_hint: date | None = None,
                 labelled: bool = False) -> Times:
    """The page's times from its machine metadata and the printed text `printed` (the line under the headline);
    `labelled` also reads 发表于-style labels anywhere in the page, after everything else."""
    machine = machine_candidates(page)
    shown = printed_candidates(printed, year_hint=year_hint) + numeric_candidates(printed, machine)
    candidates = machine + shown
    if labelled:
        candidates += labelled_candidates(page)
    return resolve(candidates, default_tz)
