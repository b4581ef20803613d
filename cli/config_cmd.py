"""`newsfetch config [--archive DIR]`: the effective settings and where each came from."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from newsfetch.errors import ArchiveError
from newsfetch.settings import SETTING

from .app import app
from .options import archive_option, effective, json_option, timeout_option, user_agent_option


@app.command("config")
def config_command(
    archive: Path | None = archive_option("The archive whose newsfetch.toml to read (else the built-in defaults)."),
    as_json: bool = json_option("Print the settings as one JSON object: {name: {value, origin, help}}."),
    timeout: float | None = timeout_option(),
    user_agent: str | None = user_agent_option(),
) -> None:
    """Print every setting, its value and where it came from: default, newsfetch.toml:LINE or command line.

    The shared options (--timeout, --user-agent) are accepted to show how they combine with the file.

    Examples:

    \b
      newsfetch config --archive ~/news
      newsfetch config --archive ~/news --timeout 5 --json
    """
    if archive is not None and not archive.is_dir():
        raise ArchiveError("no such folder", where=str(archive))
    settings = effective(archive, {"fetch.timeout": timeout, "fetch.user_agent": user_agent})
    rows = [(name, value.value, value.origin, SETTING[name].help) for name, value in settings.values.items()]
    for host, spec in sorted(settings.hosts.items()):
        rows += [(f'batch.hosts."{host}".{key}', value.value, value.origin, f"{key} for {host} and its sub-hosts")
                 for key, value in spec.items()]
    if as_json:
        typer.echo(json.dumps({name: {"value": value, "origin": origin, "help": text}
                               for name, value, origin, text in rows}, ensure_ascii=False, indent=2))
        return
    # TOML-like lines, never wrapped: `archive.layout = "news"  # newsfetch.toml:2`
    width = max(len(name) for name, *_ in rows)
    typer.echo(f"# newsfetch config: {settings.path or 'no newsfetch.toml, built-in defaults'}")
    for name, value, origin, _ in rows:
        typer.echo(f"{name:<{width}} = {json.dumps(value, ensure_ascii=False)}  # {origin}")
