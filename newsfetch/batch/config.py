"""Batch settings from the archive config (``newsfetch.toml``, table ``[batch]``), beside ``[archive]``.

```toml
[batch]
concurrency = 8          # requests in flight in all
per_host = 2             # requests in flight per server
rate = 1.0               # requests per second per server (0: no cap)

[batch.hosts."eastmoney.com"]   # sub-hosts included; the most specific name wins
per_host = 4
rate = 2.0
```

Command-line options win over the file; a bad key or value is an ArchiveError (exit code 8).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from newsfetch.archive.config import CONFIG_NAME
from newsfetch.errors import ArchiveError

from .politeness import HostPolicy

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_KEYS = {"concurrency", "per_host", "rate", "hosts"}


@dataclass(frozen=True)
class BatchConfig:
    concurrency: int | None = None
    per_host: int | None = None
    rate: float | None = None
    hosts: dict[str, HostPolicy] = field(default_factory=dict)


def load_batch_config(archive: str | Path, *, default_per_host: int = 2, default_rate: float = 1.0) -> BatchConfig:
    """The `[batch]` table of the archive's config file (an empty config when there is none)."""
    path = Path(archive).expanduser() / CONFIG_NAME
    if not path.is_file():
        return BatchConfig()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("batch", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ArchiveError(f"cannot read the archive config ({exc})", where=str(path)) from None
    if not isinstance(table, dict):
        raise ArchiveError("[batch] must be a table", where=str(path))
    for key in table:
        if key not in _KEYS:
            raise ArchiveError(f"unknown key {key!r} in [batch] (known: {', '.join(sorted(_KEYS))})", where=str(path))
    per_host = _number(table, "per_host", int, path)
    rate = _number(table, "rate", float, path)
    hosts: dict[str, HostPolicy] = {}
    for name, spec in (table.get("hosts") or {}).items():
        if not isinstance(spec, dict) or set(spec) - {"per_host", "rate"}:
            raise ArchiveError(f"[batch.hosts.{name!r}] takes per_host and rate", where=str(path))
        host_per = _number(spec, "per_host", int, path)
        host_rate = _number(spec, "rate", float, path)
        hosts[name.lower()] = HostPolicy.from_rate(
            host_per if host_per is not None else (per_host or default_per_host),
            host_rate if host_rate is not None else (rate if rate is not None else default_rate))
    return BatchConfig(_number(table, "concurrency", int, path), per_host, rate, hosts)


def _number(table: dict, key: str, kind: type, path: Path):
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or \
            (kind is int and (not isinstance(value, int) or value < 1)):
        raise ArchiveError(f"{key} must be a {'positive whole' if kind is int else 'non-negative'} number",
                           where=str(path))
    return kind(value)
