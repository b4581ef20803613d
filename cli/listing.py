"""`newsfetch parsers`: what parsers are installed, for which hosts, from where; and which one reads a URL."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from newsfetch.decode import decode_html
from newsfetch.page import Page
from newsfetch.pipeline import read_file
from newsfetch.registry import FALLBACK, ParserInfo, Registry, default_registry

from .app import app
from .options import json_option
from .rows import show_rows


@app.command("parsers")
def parsers_command(
    plain: bool = typer.Option(False, "--plain", help="Tab-separated lines instead of a table."),
    url: str = typer.Option(None, "--url", metavar="URL",
                            help="Show the parser (name, version) a page at this address gets."),
    page_file: Path = typer.Option(None, "--file", metavar="PAGE", dir_okay=False,
                                   help="With --url: a saved copy of the page, to name the exact version."),
    as_json: bool = json_option("Print the parsers as one JSON array ({name, version, valid_from, hosts, origin})."),
) -> None:
    """List every source parser: name, version, valid-from date, hosts and origin.

    With --url, show which parser reads a page at that address: its name and the versions the page is
    offered to in order (the page's layout decides among them); with --file as well, the exact version.

    Examples:

    \b
      newsfetch parsers --url https://www.stcn.com/article/detail/1234567.html
      newsfetch parsers --url https://news.ifeng.com/c/7rtKNyg6PU9 --file saved.html
      newsfetch parsers --json
    """
    registry = default_registry()  # a plug-in that fails to load is logged once, by the registry
    if page_file is not None and url is None:
        raise typer.BadParameter("--file needs --url (the address the page was saved from)", param_hint="--file")
    if url is not None:
        _show_route(registry, url, page_file)
        return
    if as_json:
        typer.echo(json.dumps([{"name": i.name, "version": i.version,
                                "valid_from": i.valid_from.isoformat() if i.valid_from else None,
                                "hosts": list(i.hosts), "origin": i.origin} for i in registry.infos],
                              ensure_ascii=False, indent=2))
        return
    rows = [(i.name, i.version, i.valid_from.isoformat() if i.valid_from else "-",
             ", ".join(i.hosts) or "(fallback for any site)", i.origin) for i in registry.infos]
    show_rows(("parser", "version", "valid from", "hosts", "origin"), rows, plain=plain)


def _show_route(registry: Registry, url: str, page_file: Path | None) -> None:
    """Print `url`'s parser: `name vN (origin, module:class)` when the page is given, else the candidates."""
    if page_file is not None:
        html = decode_html(read_file(page_file), None, where=str(page_file))
        parser = registry.parser_for(Page(html=html, url=url))
        info = next(i for i in registry.infos if i.cls is type(parser))
        typer.echo(f"{url}\t{_label(info)}")
        return
    versions = registry.versions_for(url)
    if not versions:
        typer.echo(f"{url}\t(no parser: none for this host and no {FALLBACK} fallback)")
        return
    typer.echo(f"{url}\t{versions[0].name}")
    for info in versions:
        typer.echo(f"  {_label(info)}")
    if versions[0].name != FALLBACK:
        typer.echo(f"  (the first version whose layout the page has reads it; else {FALLBACK}. "
                   "Give the saved page with --file for the exact one.)")


def _label(info: ParserInfo) -> str:
    since = f" from {info.valid_from.isoformat()}" if info.valid_from else ""
    return f"{info.name} v{info.version}{since} ({info.origin}, {info.entry_point.split(' = ')[-1]})"
