"""The options several commands share, declared once, and the settings they feed.

An option that is also a setting (``--timeout`` is ``fetch.timeout``) defaults to None here: its effective
value comes from `newsfetch.settings` (built-in default < the archive's newsfetch.toml < the command line),
checked by the same rules wherever it was given; `newsfetch config` shows which one won.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import typer

from newsfetch.errors import UsageError
from newsfetch.settings import SETTING, Settings, load_settings, problem_with


def setting_help(name: str) -> str:
    """The help of an option that sets `name`: the setting's own words and its built-in default."""
    setting = SETTING[name]
    value = f"{setting.default:g}" if isinstance(setting.default, float) else setting.default
    return f"{setting.help[0].upper()}{setting.help[1:]} [default: {value}]."


def archive_option(help: str) -> Any:
    return typer.Option(None, "--archive", "-a", metavar="DIR", file_okay=False, help=help)


def json_option(help: str = "Print the result as JSON (for scripts).") -> Any:
    return typer.Option(False, "--json", help=help)


def timeout_option() -> Any:
    return typer.Option(None, "--timeout", metavar="SECONDS",
                        help=setting_help("fetch.timeout"))


def user_agent_option() -> Any:
    return typer.Option(None, "--user-agent", metavar="TEXT", help="User-Agent header to send [default: newsfetch/"
                        "VERSION and the project address].")


def max_bytes_option() -> Any:
    return typer.Option(None, "--max-bytes", metavar="BYTES",
                        help=setting_help("fetch.max_bytes"))


def lock_wait_option() -> Any:
    """``--wait``: every command that takes the archive lock (batch, crawl, normalize, archive index)."""
    return typer.Option(0.0, "--wait", metavar="SECONDS", show_default=False, callback=_not_negative,
                        help="If another run holds the archive lock, wait this long for it instead of exiting with "
                             "code 12.")


def _not_negative(value: float) -> float:
    if value < 0:  # a usage error (exit 2) naming the option, without click's "x>=0" range notation in --help
        raise typer.BadParameter("must be at least 0")
    return value


# --- the fetching options of batch and crawl (crawl's per-host limits hold for all its workers together) ---

def per_host_option(scope: str = "") -> Any:
    return typer.Option(None, "--per-host", metavar="N", help=_scoped(scope, setting_help("batch.per_host")))


def rate_option(scope: str = "") -> Any:
    return typer.Option(None, "--rate", metavar="PER_SECOND", help=_scoped(scope, setting_help("batch.rate")))


def _scoped(scope: str, help: str) -> str:
    """``All workers together: requests in flight per server …``."""
    return f"{scope}{help[0].lower()}{help[1:]}" if scope else help


def retries_option() -> Any:
    return typer.Option(None, "--retries", metavar="N", help=setting_help("batch.retries"))


def backoff_option() -> Any:
    return typer.Option(None, "--backoff", metavar="SECONDS", help=setting_help("batch.backoff"))


def refresh_option() -> Any:
    return typer.Option(False, "--refresh", help="Fetch again URLs already in the archive.")


def retry_failed_option() -> Any:
    return typer.Option(False, "--retry-failed", help="Fetch again the URLs that failed before.")


def ignore_robots_option() -> Any:
    return typer.Option(False, "--ignore-robots", help="Do not read or obey robots.txt.")


def export_failures_option() -> Any:
    """``--export-failures FILE``: batch and crawl, which keep the same state table of failed URLs."""
    return typer.Option(None, "--export-failures", metavar="FILE", dir_okay=False,
                        help="Write every failed URL as JSON lines to this file (-: standard output).")


def git_commit_option(what: str) -> Any:
    return typer.Option(False, "--git-commit", help=f"Commit the posts and pages this {what} wrote (nothing else) "
                        "in the archive's git repository.")


def fetch_settings(archive: Path | None, *, per_host: int | None = None, rate: float | None = None,
                   retries: int | None = None, backoff: float | None = None, max_retry_after: float | None = None,
                   concurrency: int | None = None, timeout: float | None = None,
                   user_agent: str | None = None) -> Settings:
    """`effective` for the fetching options of batch and crawl, by their option names."""
    return effective(archive, {
        "batch.concurrency": concurrency, "batch.per_host": per_host, "batch.rate": rate, "batch.retries": retries,
        "batch.backoff": backoff, "batch.max_retry_after": max_retry_after, "fetch.timeout": timeout,
        "fetch.user_agent": user_agent})


def effective(archive: Path | None, given: Mapping[str, Any]) -> Settings:
    """The settings for a command: the archive's newsfetch.toml (if any) under the options `given` (None: not given).

    A value given on the command line is checked like one in the file; a bad one is a usage error (exit 2).
    """
    for name, value in given.items():
        if value is not None and (problem := problem_with(name, value)):
            raise UsageError(f"--{name.split('.', 1)[1].replace('_', '-')} {value!r}: {problem}")
    archive = archive.expanduser() if archive is not None else None  # `--archive=~/x` reaches us unexpanded
    return load_settings(archive if archive is not None and archive.is_dir() else None).given(given)
