"""The parser registry: parsers found through the ``newsfetch.parsers`` entry points, and routing.

Built-in parsers are registered in pyproject.toml exactly like a third party's. A plug-in that fails to load
is recorded in `problems` (the CLI shows them as warnings) and the others keep working.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.metadata import EntryPoint, entry_points
from urllib.parse import urlsplit

from .page import Page

log = logging.getLogger("newsfetch")
ENTRY_POINT_GROUP = "newsfetch.parsers"
FALLBACK = "generic"


@dataclass(frozen=True)
class ParserInfo:
    """One registered parser class and where it came from."""

    name: str
    hosts: tuple[str, ...]
    version: str
    valid_from: date | None
    origin: str          # "built-in" or the installed distribution that provides it
    entry_point: str
    cls: type


class Registry:
    """Parsers grouped by name (a name's versions are its layouts over time), routed by host."""

    def __init__(self, infos: list[ParserInfo], problems: list[str] | None = None) -> None:
        self.infos = sorted(infos, key=lambda i: (i.name, i.valid_from or date.min))
        self.problems = problems or []
        self._families: dict[str, list[ParserInfo]] = defaultdict(list)
        for info in self.infos:
            self._families[info.name].append(info)
        self._by_host = {host: info.name for info in self.infos for host in info.hosts}
        self._instances: dict[type, object] = {}

    @classmethod
    def from_entry_points(cls, points: Iterable[EntryPoint] | None = None) -> Registry:
        """Load parsers from `points` (default: the installed ``newsfetch.parsers`` entry points)."""
        infos: list[ParserInfo] = []
        problems: list[str] = []
        for point in entry_points(group=ENTRY_POINT_GROUP) if points is None else points:
            dist = getattr(point, "dist", None)
            origin = "built-in" if dist is None or dist.name == "newsfetch" else f"{dist.name} {dist.version}"
            try:
                parser_cls = point.load()
                info = ParserInfo(
                    name=parser_cls.name, hosts=tuple(h.lower() for h in parser_cls.hosts),
                    version=str(parser_cls.version), valid_from=parser_cls.valid_from,
                    origin=origin, entry_point=f"{point.name} = {point.value}", cls=parser_cls,
                )
            except Exception as exc:  # a broken plug-in must not take the tool down
                problems.append(f"parser plug-in {point.name!r} ({point.value}) failed to load: {exc}")
                log.warning(problems[-1])
                continue
            infos.append(info)
        return cls(infos, problems)

    def names(self) -> list[str]:
        return list(self._families)

    def family_for_url(self, url: str | None) -> str:
        """The parser name for `url`: the most specific registered host wins, else the fallback."""
        host = _host(url)
        while host:
            if host in self._by_host:
                return self._by_host[host]
            _, _, host = host.partition(".")
        return FALLBACK if FALLBACK in self._families else next(iter(self._families), FALLBACK)

    def parser_for(self, page: Page):
        """An instance of the parser version that reads `page`: newest first, by URL date and layout."""
        versions = self._families.get(self.family_for_url(page.url)) or self._families[FALLBACK]
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
        fallback = self._families.get(FALLBACK)
        if fallback and fallback is not versions:
            return self._instance(fallback[-1].cls)
        return instances[0]

    def _instance(self, parser_cls: type):
        if parser_cls not in self._instances:
            self._instances[parser_cls] = parser_cls()
        return self._instances[parser_cls]


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        return (urlsplit(url if "//" in url else "//" + url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The registry of installed parsers, loaded once per process."""
    return Registry.from_entry_points()
