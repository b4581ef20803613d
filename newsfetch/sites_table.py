"""The README's table of supported sites, generated from the parser registry.

``python -m newsfetch.sites_table`` prints the section; ``--write README.md`` replaces what lies between
``<!-- section: sites -->`` and ``<!-- end section: sites -->``. The table lists the built-in parsers only
(a user's plug-ins do not belong in the project's README); tests/test_registry.py checks it is current.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import InputError, NewsfetchError
from .output import write_atomic
from .parsers.base import FIELDS, SiteParser
from .registry import FALLBACK, ParserInfo, Registry, default_registry

START = "<!-- section: sites -->"
END = "<!-- end section: sites -->"

def fields_of(parser_cls: type) -> list[str]:
    """The fields `parser_cls` reads from its own markup: those it sets a selector for or overrides the hook
    of (one name for both, see parsers/base.py), in `FIELDS` order, then the paywall marker."""
    found = [field for field in FIELDS if field in parser_cls.selectors
             or getattr(parser_cls, field, None) is not getattr(SiteParser, field)]
    return found + (["paywall"] if "paywall" in parser_cls.selectors else [])


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _row(name: str, versions: list[ParserInfo]) -> str:
    newest_first = sorted(versions, key=lambda i: (i.valid_from is not None, i.valid_from, i.version), reverse=True)
    newest = newest_first[0].cls
    hosts = sorted({host for info in versions for host in info.hosts})
    fields: list[str] = []
    for info in newest_first:
        fields += [f for f in fields_of(info.cls) if f not in fields]
    fields.sort(key=[*FIELDS, "paywall"].index)
    version_text = ", ".join(f"v{info.version}" + (f" from {info.valid_from.isoformat()}" if info.valid_from else "")
                             for info in newest_first)
    notes = list(dict.fromkeys(note for info in newest_first if (note := getattr(info.cls, "notes", ""))))
    confidence = getattr(newest, "confidence", "high")
    site = getattr(newest, "site_name", None) or ("any other site" if name == FALLBACK else name)
    cells = [
        f"`{name}`",
        site,
        ", ".join(f"`{h}`" for h in hosts) or "any other host",
        version_text,
        ", ".join(fields) or "metadata only",
        confidence + (f": {' '.join(notes)}" if notes else ""),
    ]
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def render_table(registry: Registry | None = None) -> str:
    """The Markdown table of the built-in parsers: one row per parser name, the fallback last."""
    registry = registry or default_registry()
    families: dict[str, list[ParserInfo]] = {}
    for info in registry.infos:
        if info.origin == "built-in":
            families.setdefault(info.name, []).append(info)
    names = sorted(families, key=lambda n: (n == FALLBACK, n))
    lines = ["| parser | site | hosts (sub-hosts included) | versions (layout valid from) | fields read from the page "
             "| confidence |", "|---|---|---|---|---|---|"]
    lines += [_row(name, families[name]) for name in names]
    return "\n".join(lines)


def render_section(registry: Registry | None = None) -> str:
    """What goes between the README's sites markers (the markers themselves excluded)."""
    return (
        "\n## Supported sites\n\n"
        "Generated from the parser registry by `python -m newsfetch.sites_table --write README.md`; do not edit "
        "by hand. Fields not listed come from the page's JSON-LD, OpenGraph and `<meta>` tags and from the "
        "body's own 来源/责任编辑/原标题 lines; stock codes marked by Eastmoney quote links and widgets are "
        "collected from any body. A page is read by the newest version whose date and layout "
        "match. Confidence says how well the site's markup is evidenced (see `shared/sites/`).\n\n"
        + render_table(registry) + "\n"
    )


def replace_section(text: str, section: str) -> str:
    """`text` with the sites section replaced by `section`; InputError when the markers are missing."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise InputError(f"no {START} … {END} markers")
    return text[:start + len(START)] + section + text[end:]


def current_section(text: str) -> str | None:
    """The README's present sites section, or None when the markers are missing."""
    start, end = text.find(START), text.find(END)
    return text[start + len(START):end] if 0 <= start < end else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsfetch.sites_table", description=__doc__.splitlines()[0])
    parser.add_argument("--write", metavar="README", help="replace the sites section of this file in place")
    args = parser.parse_args(argv)
    section = render_section()
    if not args.write:
        sys.stdout.write(section.lstrip("\n"))
        return 0
    path = Path(args.write)
    try:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot read the file ({exc.strerror or exc})", where=str(path)) from None
        updated = replace_section(text, section)
        if updated != text:
            write_atomic(path, updated.encode("utf-8"))
    except NewsfetchError as exc:
        print(f"newsfetch.sites_table: {exc if exc.where else f'{path}: {exc}'}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
