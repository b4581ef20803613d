"""The effective settings (`newsfetch.settings`: defaults, ``newsfetch.toml``, command line) → `BatchOptions`.

Per-server limits come from ``[batch.hosts."name"]`` tables (sub-hosts included; the most specific name wins);
a key such a table leaves out falls back to ``[batch]``. ``--per-host`` or ``--rate`` on the command line set
one limit for every server, so they replace the per-server tables for that run.
"""

from __future__ import annotations

from newsfetch.settings import COMMAND_LINE, HOST_KEYS, Settings, fetch_options

from .politeness import HostPolicy
from .retry import RetryPolicy
from .runner import BatchOptions


def batch_options(settings: Settings, *, refresh: bool = False, retry_failed: bool = False,
                  respect_robots: bool = True) -> BatchOptions:
    """The options of a batch run under `settings`, with the run's own switches."""
    per_host, rate = settings["batch.per_host"], settings["batch.rate"]
    given_on_command_line = any(settings.values[f"batch.{key}"].origin == COMMAND_LINE for key in HOST_KEYS)
    overrides = {} if given_on_command_line else {
        host: HostPolicy.from_rate(spec["per_host"].value if "per_host" in spec else per_host,
                                   spec["rate"].value if "rate" in spec else rate)
        for host, spec in settings.hosts.items()}
    return BatchOptions(
        concurrency=settings["batch.concurrency"],
        host_policy=HostPolicy.from_rate(per_host, rate),
        host_overrides=overrides,
        refresh=refresh,
        retry_failed=retry_failed,
        respect_robots=respect_robots,
        retry=RetryPolicy(attempts=settings["batch.retries"] + 1, base=settings["batch.backoff"],
                          max_retry_after=settings["batch.max_retry_after"]),
        fetch=fetch_options(settings),
    )
