"""Every setting newsfetch has, declared once: name, type, default, meaning; and the one `newsfetch.toml` loader.

```toml
[archive]                      # how posts are written
layout = "post"
[batch]                        # how hard `newsfetch batch` may hit servers
concurrency = 8
[batch.hosts."eastmoney.com"]  # per-server limits, sub-hosts included; the most specific name wins
per_host = 4
[fetch]                        # every command that fetches (url, discover, batch)
timeout = 20.0
[normalize]
jobs = 0
```

Every key is optional. An unknown table, key or template placeholder, or a value of the wrong type, is a
`ConfigError` (exit 8) naming the file and line: a typo must not fall back to a default silently. Each
effective value remembers where it came from (``default``, ``newsfetch.toml:LINE`` or ``command line``), which
`newsfetch config` prints.
"""

from __future__ import annotations

import re
import string
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError
from .fetch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT, FetchOptions

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_NAME = "newsfetch.toml"
TEMPLATE_FIELDS = ("source", "source_slug", "site", "parser")  # what `render.front_matter` fills templates with
HOST_KEYS = ("per_host", "rate")                                  # what a [batch.hosts."name"] table may set


def _zone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone {value!r}"
    return None


def _inside(value: str) -> str | None:
    if Path(value).is_absolute() or ".." in Path(value).parts:
        return "must be a folder inside the archive"
    return None


def _subheads(value: str) -> str | None:
    return None if value in ("bold", "heading") else 'must be "bold" or "heading"'


def _template(value: str) -> str | None:
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(value) if name is not None]
    except ValueError as error:
        return f"is not a valid template ({error})"
    unknown = [name for name in names if name not in TEMPLATE_FIELDS]
    if unknown:
        return f"unknown placeholder {{{unknown[0]}}} (known: {', '.join('{%s}' % f for f in TEMPLATE_FIELDS)})"
    return None


@dataclass(frozen=True)
class Setting:
    """One setting: `table.key` in newsfetch.toml, its type, default and meaning; `check` says what is wrong."""

    table: str
    key: str
    kind: type
    default: Any
    help: str
    minimum: float | None = None
    check: Callable[[Any], str | None] | None = None

    @property
    def name(self) -> str:
        return f"{self.table}.{self.key}"


SETTINGS: tuple[Setting, ...] = (
    Setting("archive", "layout", str, "post", "layout of new posts"),
    Setting("archive", "timezone", str, "Asia/Shanghai", "time zone of the dates in file names and front matter",
            check=_zone),
    Setting("archive", "category", str, "{source_slug}", "category template", check=_template),
    Setting("archive", "tag", str, "{source}新闻", "tag template", check=_template),
    Setting("archive", "posts_dir", str, "_posts", "folder of the posts, inside the archive", check=_inside),
    Setting("archive", "category_layout", str, "category", "layout of the category pages `archive index` writes"),
    Setting("archive", "subheads", str, "bold", 'a bold line alone between paragraphs: "bold" or "heading" (##)',
            check=_subheads),
    Setting("batch", "concurrency", int, 8, "requests in flight in all", minimum=1),
    Setting("batch", "per_host", int, 2, "requests in flight per server", minimum=1),
    Setting("batch", "rate", float, 1.0, "requests per second per server (0: no cap)", minimum=0),
    Setting("batch", "retries", int, 3, "retries of timeouts, connection errors, 408, 429 and 5xx", minimum=0),
    Setting("batch", "backoff", float, 1.0, "seconds before the first retry; doubles each time", minimum=0),
    Setting("batch", "max_retry_after", float, 600.0, "longest Retry-After obeyed, in seconds (a URL asked to wait "
            "longer is deferred to the next run; its server pauses this long)", minimum=0),
    Setting("fetch", "timeout", float, DEFAULT_TIMEOUT, "seconds to wait for a server", minimum=0.1),
    Setting("fetch", "user_agent", str, DEFAULT_USER_AGENT, "User-Agent header to send"),
    Setting("fetch", "max_bytes", int, DEFAULT_MAX_BYTES, "largest response read, in bytes", minimum=1),
    Setting("normalize", "jobs", int, 0, "worker processes (0: one per core)", minimum=0),
)
SETTING = {s.name: s for s in SETTINGS}  # by name: "batch.per_host"
OUTLETS_TABLE = "outlets"  # [outlets]: "spelling" = "the outlet's one name" (newsfetch.outlets), free keys
TABLES = (*dict.fromkeys(s.table for s in SETTINGS), OUTLETS_TABLE)
DEFAULT_ORIGIN = "default"
COMMAND_LINE = "command line"


def default(name: str) -> Any:
    """The built-in default of setting `name` ("batch.per_host")."""
    return SETTING[name].default


@dataclass(frozen=True)
class Value:
    value: Any
    origin: str  # default, newsfetch.toml:LINE, command line


@dataclass(frozen=True)
class Settings:
    """The effective settings: every declared setting with its value and origin, and the per-host limits."""

    values: Mapping[str, Value]
    hosts: Mapping[str, dict[str, Value]] = field(default_factory=dict)  # host name → {per_host/rate: Value}
    path: Path | None = None  # the newsfetch.toml read, if any
    outlets: tuple[tuple[str, str], ...] = ()  # table [outlets], sorted by spelling

    def __getitem__(self, name: str) -> Any:
        return self.values[name].value

    def table(self, table: str) -> dict[str, Any]:
        """The values of one table, by key (``settings.table("archive")["layout"]``)."""
        prefix = table + "."
        return {name[len(prefix):]: v.value for name, v in self.values.items() if name.startswith(prefix)}

    def given(self, values: Mapping[str, Any]) -> Settings:
        """These settings with the options given on the command line (None: not given) put over them."""
        merged = dict(self.values)
        for name, value in values.items():
            if value is not None:
                if name not in SETTING:
                    raise KeyError(name)  # a bug in the CLI, not a user error
                merged[name] = Value(value, COMMAND_LINE)
        return Settings(merged, self.hosts, self.path, self.outlets)


def load_settings(archive: str | Path | None = None) -> Settings:
    """The settings of the archive rooted at `archive` (defaults when it has no newsfetch.toml, or no archive)."""
    if archive is None:
        return _defaults()
    root = Path(archive).expanduser().resolve()
    try:
        stat = (root / CONFIG_NAME).stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        return _defaults()
    return _load(root / CONFIG_NAME, stamp)


@lru_cache(maxsize=1)
def _defaults() -> Settings:
    return Settings({s.name: Value(s.default, DEFAULT_ORIGIN) for s in SETTINGS})


@lru_cache(maxsize=64)  # batch writes look the settings up per article: parse once per version of the file
def _load(path: Path, stamp: tuple[int, int]) -> Settings:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the archive config ({exc})", where=str(path)) from None
    lines = _line_numbers(text)

    def fail(message: str, *where: str) -> ConfigError:
        line = next((lines[w] for w in where if w in lines), None)
        return ConfigError(message, where=f"{path}:{line}" if line else str(path))

    values = dict(_defaults().values)
    hosts: dict[str, dict[str, Value]] = {}
    outlets: tuple[tuple[str, str], ...] = ()
    for table, content in data.items():
        if table not in TABLES:
            known = ", ".join(f"[{t}]" for t in TABLES)
            raise fail(f"unknown table [{table}] (known: {known})" if isinstance(content, dict) else
                       f"unknown key {table!r} outside a table (settings go in {known})", table)
        if not isinstance(content, dict):
            raise fail(f"{table} must be a table ([{table}])", table)
        if table == OUTLETS_TABLE:
            if not all(isinstance(v, str) and v.strip() for v in content.values()):
                raise fail('[outlets] maps names to names: "证券时报网" = "证券时报"', table)
            outlets = tuple(sorted(content.items()))
            continue
        for key, value in content.items():
            name = f"{table}.{key}"
            if name == "batch.hosts":
                hosts = _hosts(value, fail, lines)
                continue
            setting = SETTING.get(name)
            if setting is None:
                known = ", ".join(s.key for s in SETTINGS if s.table == table)
                raise fail(f"unknown key {key!r} in [{table}] (known: {known})", name, table)
            problem = _problem(setting, value)
            if problem:
                raise fail(f"{name} {problem}", name)
            values[name] = Value(setting.kind(value), f"{CONFIG_NAME}:{lines.get(name, '?')}")
    return Settings(values, hosts, path, outlets)


def _hosts(table: Any, fail: Callable[..., ConfigError], lines: dict[str, int]) -> dict[str, dict[str, Value]]:
    if not isinstance(table, dict):
        raise fail('batch.hosts must hold tables: [batch.hosts."example.com"]', "batch.hosts")
    hosts: dict[str, dict[str, Value]] = {}
    for host, spec in table.items():
        where = f"batch.hosts.{host}"
        if not isinstance(spec, dict) or set(spec) - set(HOST_KEYS):
            raise fail(f'[batch.hosts."{host}"] takes {" and ".join(HOST_KEYS)}', where)
        hosts[host.lower()] = {}
        for key, value in spec.items():
            problem = _problem(SETTING[f"batch.{key}"], value)
            if problem:
                raise fail(f'[batch.hosts."{host}"] {key} {problem}', f"{where}.{key}", where)
            origin = f"{CONFIG_NAME}:{lines.get(f'{where}.{key}', '?')}"
            hosts[host.lower()][key] = Value(SETTING[f"batch.{key}"].kind(value), origin)
    return hosts


def _problem(setting: Setting, value: Any) -> str | None:
    """What is wrong with `value` for `setting`, or None."""
    kind = setting.kind
    if kind is str:
        if not isinstance(value, str):
            return "must be a string"
    elif isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and not isinstance(value, int)):
        return f"must be a {'whole ' if kind is int else ''}number"
    elif setting.minimum is not None and value < setting.minimum:
        return f"must be at least {setting.minimum:g}"
    return setting.check(value) if setting.check else None


_HEADER = re.compile(r"^\s*\[+\s*([^\]]+?)\s*\]+")
_KEY = re.compile(r"^\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)\s*=")


def _line_numbers(text: str) -> dict[str, int]:
    """Line of each table header and key, by dotted name ("archive", "archive.layout", "batch.hosts.x.rate")."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), 1):
        if match := _HEADER.match(line):
            table = ".".join(part.strip().strip("\"'") for part in re.split(r"\.(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)",
                                                                             match.group(1)))
            lines.setdefault(table, number)
        elif match := _KEY.match(line):
            key = match.group(1).strip("\"'")
            lines.setdefault(f"{table}.{key}" if table else key, number)
    return lines


def fetch_options(settings: Settings) -> FetchOptions:
    """The HTTP client's options under `settings` (table ``[fetch]``)."""
    return FetchOptions(timeout=settings["fetch.timeout"], user_agent=settings["fetch.user_agent"],
                        max_bytes=settings["fetch.max_bytes"])


def problem_with(name: str, value: Any) -> str | None:
    """What is wrong with `value` for setting `name` ("must be at least 1"), or None."""
    return _problem(SETTING[name], value)
