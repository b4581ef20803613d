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


def effective(archive: Path | None, given: Mapping[str, Any]) -> Settings:
    """The settings for a command: the archive's newsfetch.toml (if any) under the options `given` (None: not given).

    A value given on the command line is checked like one in the file; a bad one is a usage error (exit 2).
    """
    for name, value in given.items():
        if value is not None and (problem := problem_with(name, value)):
            raise UsageError(f"--{name.split('.', 1)[1].replace('_', '-')} {value!r}: {problem}")
    archive = archive.expanduser() if archive is not None else None  # `--archive=~/x` reaches us unexpanded
    return load_settings(archive if archive is not None and archive.is_dir() else None).given(given)
