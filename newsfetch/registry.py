"""The parser registry: the built-in parsers listed in code, plug-ins found through entry points, and routing.

Every parser, built-in or not, goes through the one `Registry.register` call (the llm/pluggy pattern): the
built-ins are the `BUILTINS` list below, registered first; a third party's come in through the
``newsfetch.parsers`` entry points, registered after them, so routing works with or without installed
metadata. A plug-in that fails to load, a parser whose name+version or host another parser already has, and a
layout chain whose dates do not increase are recorded in `problems` (the CLI shows them as warnings) and
logged; the others keep working. The later registration wins a clash, so a plug-in can replace a built-in on
purpose, and says so.
"""

from __future__ import annotations

import importlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.metadata import EntryPoint, entry_points
from urllib.parse import urlsplit

from .errors import ParseError
from .page import Page

# The names a parser's `selectors` may use (parsers/base.py FIELDS but stocks, and body and paywall). Kept
# here, not imported, because parsers/base.py imports the clean stage, which imports this module.
SELECTOR_NAMES = frozenset({"title", "published", "source", "authors", "editors", "section", "summary", "image",
                            "body", "paywall"})

log = logging.getLogger("newsfetch")
ENTRY_POINT_GROUP = "newsfetch.parsers"
FALLBACK = "generic"

# The built-in parsers, `module:class`, all layout versions of a site together, oldest first.
BUILTINS: tuple[str, ...] = (
    "newsfetch.parsers.generic:GenericParser",
    "newsfetch.parsers.eastmoney:EastmoneyLegacyParser", "newsfetch.parsers.eastmoney:EastmoneyParser",
    "newsfetch.parsers.chinanews:ChinanewsLegacyParser", "newsfetch.parsers.chinanews:ChinanewsParser",
    "newsfetch.parsers.sina:SinaLegacyParser", "newsfetch.parsers.sina:SinaParser",
    "newsfetch.parsers.sina:SinaMobileParser",
    "newsfetch.parsers.netease:NeteaseLegacyParser", "newsfetch.parsers.netease:NeteaseParser",
    "newsfetch.parsers.qq:QQLegacyParser", "newsfetch.parsers.qq:QQParser",
    "newsfetch.parsers.ifeng:IfengLegacyParser", "newsfetch.parsers.ifeng:IfengParser",
    "newsfetch.parsers.thepaper:ThepaperParser", "newsfetch.parsers.thepaper:ThepaperMobileParser",
    "newsfetch.parsers.thepaper:ThepaperNextParser",
    "newsfetch.parsers.people:PeopleLegacyParser", "newsfetch.parsers.people:PeopleParser",
    "newsfetch.parsers.xinhuanet:XinhuanetLegacyParser", "newsfetch.parsers.xinhuanet:XinhuanetParser",
    "newsfetch.parsers.stcn:StcnLegacyParser", "newsfetch.parsers.stcn:StcnParser",
    "newsfetch.parsers.hexun:HexunLegacyParser", "newsfetch.parsers.hexun:HexunParser",
    "newsfetch.parsers.cs:CsLegacyParser", "newsfetch.parsers.cs:CsParser",
    "newsfetch.parsers.cnstock:CnstockLegacyParser", "newsfetch.parsers.cnstock:CnstockParser",
    "newsfetch.parsers.yicai:YicaiLegacyParser", "newsfetch.parsers.yicai:YicaiParser",
    "newsfetch.parsers.cls:ClsLegacyParser", "newsfetch.parsers.cls:ClsParser",
    "newsfetch.parsers.jiemian:JiemianParser",
    "newsfetch.parsers.jingji21:Jingji21LegacyParser", "newsfetch.parsers.jingji21:Jingji21Parser",
    "newsfetch.parsers.nbd:NbdParser",
    "newsfetch.parsers.caixin:CaixinParser",
)


class NoParserError(ParseError):
    """No registered parser reads the page: its host has none and the registry has no fallback."""


@dataclass(frozen=True)
class ParserInfo:
    """One registered parser class and where it came from."""

    name: str
    hosts: tuple[str, ...]
    version: str
    valid_from: date | None
    origin: str          # "built-in" or the installed distribution that provides it
    entry_point: str     # `module:class` of a built-in, `name = module:class` of a plug-in's entry point
    cls: type


class Registry:
    """Parsers grouped by name (a name's versions are its layouts over time), routed by host."""

    def __init__(self, infos: Iterable[ParserInfo] = (), problems: list[str] | None = None) -> None:
        self.problems: list[str] = problems or []
        self._registered: list[ParserInfo] = []  # in registration order: the later one wins a host
        self._instances: dict[type, object] = {}
        self._index: tuple[list[ParserInfo], dict[str, list[ParserInfo]], dict[str, str]] | None = None
        self._rules: list[Callable] | None = None
        for info in infos:
            self._add(info)

    # --- building ----------------------------------------------------------------------------------
    @classmethod
    def default(cls, points: Iterable[EntryPoint] | None = None) -> Registry:
        """The built-ins, then the plug-ins of `points` (default: the installed entry points), checked."""
        registry = cls()
        registry.register_builtins()
        registry.load_entry_points(points)
        registry.check_versions()
        return registry

    @classmethod
    def from_entry_points(cls, points: Iterable[EntryPoint] | None = None) -> Registry:
        """Only the parsers of `points` (default: the installed ``newsfetch.parsers`` entry points), checked."""
        registry = cls()
        registry.load_entry_points(points)
        registry.check_versions()
        return registry

    def register(self, parser_cls: type, *, origin: str = "built-in", entry_point: str | None = None) -> ParserInfo:
        """Add one parser class; TypeError when it is not one (no `name`, `hosts`, `version`).

        Registering the class already registered is a no-op (a stale install may still list a built-in as
        an entry point). A second class with the same name and version, or claiming a host another parser
        name has, replaces the earlier one there and leaves a warning in `problems`; so does a new version
        of a name another origin registered (it joins that name's versions).
        """
        info = _info(parser_cls, origin, entry_point or f"{parser_cls.__module__}:{parser_cls.__qualname__}")
        known = next((i for i in self._registered if i.cls is parser_cls), None)
        if known is not None:
            return known
        same_name = [other for other in self._registered if other.name == info.name]
        for other in same_name:
            if other.version == info.version:
                self._problem(f"parser {info.name!r} version {info.version} is registered twice: "
                              f"{info.entry_point} ({info.origin}) replaces {other.entry_point} ({other.origin})")
        foreign = sorted({o.origin for o in same_name if o.origin != info.origin})
        if foreign and all(o.version != info.version for o in same_name):  # (a replacement said so above)
            self._problem(f"parser name {info.name!r} comes from two places: {info.entry_point} ({info.origin}) "
                          f"adds version {info.version} to the versions from {', '.join(foreign)}")
        self._registered = [i for i in self._registered if (i.name, i.version) != (info.name, info.version)]
        self._index = self._rules = None
        by_host = self._by_host
        for host in info.hosts:
            if by_host.get(host, info.name) != info.name:
                self._problem(f"host {host!r} is claimed by parser {by_host[host]!r} and by {info.name!r} "
                              f"({info.entry_point}, {info.origin}): {info.name!r} wins (registered later)")
        unknown = sorted(set(getattr(parser_cls, "selectors", {})) - SELECTOR_NAMES)
        if unknown:
            self._problem(f"parser {info.name!r} ({info.entry_point}): unknown selector names {unknown}; "
                          f"known: {sorted(SELECTOR_NAMES)}")
        self._add(info)
        return info

    def register_builtins(self) -> None:
        """Register every parser of `BUILTINS` (a built-in that fails to import is a bug: it raises)."""
        for spec in BUILTINS:
            module, _, attr = spec.partition(":")
            self.register(getattr(importlib.import_module(module), attr), entry_point=spec)

    def load_entry_points(self, points: Iterable[EntryPoint] | None = None) -> None:
        """Register the parsers of `points` (default: the installed entry points), in a stable order."""
        if points is None:
            points = sorted(entry_points(group=ENTRY_POINT_GROUP),
                            key=lambda p: (getattr(p.dist, "name", ""), p.name))
        for point in points:
            dist = getattr(point, "dist", None)
            origin = f"{dist.name} {dist.version}" if dist is not None else "plug-in"
            try:
                self.register(point.load(), origin=origin, entry_point=f"{point.name} = {point.value}")
            except Exception as exc:  # a broken plug-in must not take the tool down
                self._problem(f"parser plug-in {point.name!r} ({point.value}) failed to load: {exc}")

    def check_versions(self) -> None:
        """Check each name's layout chain: versions in date order, only the oldest without `valid_from`,
        no version a subclass of a newer one (a chain runs oldest → newest)."""
        for name, versions in self._families.items():
            by_number = sorted(versions, key=lambda i: _version_key(i.version))
            for older, newer in zip(by_number, by_number[1:]):
                if issubclass(older.cls, newer.cls):
                    self._problem(f"parser {name!r}: version {older.version} subclasses the newer version "
                                  f"{newer.version}; a newer layout extends an older one, never the reverse")
                if newer.valid_from is None:
                    self._problem(f"parser {name!r}: version {newer.version} has no valid_from; only the "
                                  f"oldest version ({by_number[0].version}) may lack one")
                elif older.valid_from is not None and newer.valid_from <= older.valid_from:
                    self._problem(f"parser {name!r}: version {newer.version} is valid from "
                                  f"{newer.valid_from.isoformat()}, not after version {older.version} "
                                  f"({older.valid_from.isoformat()})")

    def _add(self, info: ParserInfo) -> None:
        self._registered.append(info)
        self._index = self._rules = None

    def _indexed(self) -> tuple[list[ParserInfo], dict[str, list[ParserInfo]], dict[str, str]]:
        """(infos by name and date, versions by name, name by host), built once after the last change."""
        if self._index is None:
            infos = sorted(self._registered, key=lambda i: (i.name, i.valid_from or date.min))
            families: dict[str, list[ParserInfo]] = defaultdict(list)
            for info in infos:
                families[info.name].append(info)
            by_host = {host: info.name for info in self._registered for host in info.hosts}
            self._index = (infos, dict(families), by_host)
        return self._index

    def _problem(self, text: str) -> None:
        self.problems.append(text)
        log.warning(text)

    # --- reading -----------------------------------------------------------------------------------
    @property
    def infos(self) -> list[ParserInfo]:
        """Every registered parser, by name, oldest layout first."""
        return list(self._indexed()[0])

    @property
    def _families(self) -> dict[str, list[ParserInfo]]:
        return self._indexed()[1]

    @property
    def _by_host(self) -> dict[str, str]:
        return self._indexed()[2]

    def names(self) -> list[str]:
        return list(self._families)

    def family_for_url(self, url: str | None) -> str:
        """The parser name for `url`: the most specific registered host wins, else the fallback."""
        host, by_host = _host(url), self._by_host
        while host:
            if host in by_host:
                return by_host[host]
            _, _, host = host.partition(".")
        return FALLBACK

    def versions_for(self, url: str | None) -> list[ParserInfo]:
        """The versions a page at `url` is offered to, in order: those valid at the address's date newest
        first, then the others newest first; the first whose layout the page has reads it (else the fallback).
        What `newsfetch parsers --url` shows."""
        families = self._families
        versions = list(reversed(families.get(self.family_for_url(url)) or families.get(FALLBACK) or []))
        if not versions:
            return []
        # the newest version's own reading of the address; a blank page: nothing but the address is known
        when = self._instance(versions[0].cls).page_date(Page(html="<html></html>", url=url))
        if when is None:
            return versions
        dated = [i for i in versions if i.valid_from is None or i.valid_from <= when]
        return dated + [i for i in versions if i not in dated]

    def parser_for(self, page: Page):
        """An instance of the parser version that reads `page`: newest first, by URL date and layout.

        Raises NoParserError when the page's host has no parser and no fallback is registered."""
        families = self._families
        fallback = families.get(FALLBACK)
        versions = families.get(self.family_for_url(page.url)) or fallback
        if not versions:
            raise NoParserError(f"no parser for this page's host and no {FALLBACK!r} fallback parser is registered",
                                where=page.url)
        instances = [self._instance(info.cls) for info in reversed(versions)]
        when = instances[0].page_date(page)
        if when is not None:
            dated = [p for p in instances if p.valid_from is None or p.valid_from <= when]
            for parser in dated:
                if parser.accepts(page):
                    return parser
        for parser in instances:
            if parser.accepts(page):
                return parser
        # No layout of the site's parser fits (a new redesign, a mobile page nobody has described):
        # the generic parser does better than a parser that would find no body.
        if fallback and fallback is not versions:
            return self._instance(fallback[-1].cls)
        return instances[0]

    # --- site knowledge the core asks for ------------------------------------------------------------
    def body_rules(self) -> list[Callable]:
        """Every parser's widget rules (`SiteParser.body_rules`), once each, in registration order."""
        if self._rules is None:
            rules = (rule for info in self._registered for rule in getattr(info.cls, "body_rules", ()))
            self._rules = list(dict.fromkeys(rules))
        return self._rules

    def post_id(self, url: str) -> str | None:
        """The first site's own id for `url` (`SiteParser.post_id`), in registration order; None: no site's."""
        for hook in self._hooks("post_id"):
            if found := hook(url):
                return found
        return None

    def id_aliases(self, post_id: str) -> tuple[str, ...]:
        """`post_id` and the other names the sites say it may have in older archives."""
        return tuple(dict.fromkeys((post_id,) + tuple(a for hook in self._hooks("id_aliases") for a in hook(post_id))))

    def _hooks(self, name: str) -> list[Callable]:
        """The distinct implementations of class hook `name` (versions of a site share one)."""
        found: dict[object, Callable] = {}
        for info in self._registered:
            hook = getattr(info.cls, name, None)
            if hook is not None:
                found.setdefault(getattr(hook, "__func__", hook), hook)
        return list(found.values())

    def _instance(self, parser_cls: type):
        if parser_cls not in self._instances:
            self._instances[parser_cls] = parser_cls()
        return self._instances[parser_cls]


def _info(parser_cls: type, origin: str, entry_point: str) -> ParserInfo:
    try:
        name, hosts, version = parser_cls.name, parser_cls.hosts, parser_cls.version  # type: ignore[attr-defined]
    except AttributeError:
        raise TypeError(f"{entry_point} is not a parser class (no name, hosts and version)") from None
    if not isinstance(name, str) or not name:
        raise TypeError(f"{entry_point} has no parser name")
    return ParserInfo(name=name, hosts=tuple(h.lower() for h in hosts), version=str(version),
                      valid_from=getattr(parser_cls, "valid_from", None), origin=origin, entry_point=entry_point,
                      cls=parser_cls)


def _version_key(version: str) -> tuple:
    """"2" < "10"; a version that is not dotted numbers sorts after the numbered ones, by its text."""
    parts = version.split(".")
    return (0, tuple(int(p) for p in parts), "") if all(p.isdigit() for p in parts) else (1, (), version)


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        return (urlsplit(url if "//" in url else "//" + url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The built-in parsers and the installed plug-ins, loaded once per process."""
    return Registry.default()
