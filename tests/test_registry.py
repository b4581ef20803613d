"""The parser registry: every parser module is registered, (name, version) pairs are unique, every parser has
fixtures, a broken plug-in only warns, and the README's table of sites is generated from the registry.
(Registering, clashes, chain checks and `parsers --url`: tests/test_parser_contract.py.)
"""

from __future__ import annotations

import importlib
import inspect
import logging
import pkgutil
from collections import Counter
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

import newsfetch.parsers
from newsfetch import extract
from newsfetch.parsers.base import SiteParser
from newsfetch.registry import BUILTINS, ENTRY_POINT_GROUP, FALLBACK, Registry, default_registry
from newsfetch.sites_table import (current_section, fields_of, main, render_section, render_table,
                                   replace_section)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
REGISTRY = default_registry()


def _parser_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(newsfetch.parsers.__path__))


def _fixture_pairs(name: str) -> list[Path]:
    return [page for page in sorted((FIXTURES / name).glob("*.html")) if page.with_suffix(".md").exists()]


def _point(name: str, value: str) -> EntryPoint:
    return EntryPoint(name=name, value=value, group=ENTRY_POINT_GROUP)


def test_the_installed_parsers_load_without_problems() -> None:
    assert REGISTRY.problems == []
    assert FALLBACK in REGISTRY.names()


@pytest.mark.parametrize("module_name", _parser_modules())
def test_every_parser_module_is_registered(module_name: str) -> None:
    """Every parser class defined in parsers/ is a built-in; modules without one (base, helpers) pass, and so do
    site base classes (`…Site`, no version of their own: what a site's layout versions share)."""
    module = importlib.import_module(f"newsfetch.parsers.{module_name}")
    classes = [obj for _, obj in inspect.getmembers(module, inspect.isclass)
               if issubclass(obj, SiteParser) and obj.__module__.split(".")[:3] == module.__name__.split(".")[:3]
               and obj.name and not (obj.__name__.endswith("Site") and "version" not in vars(obj))]
    if not classes:
        assert module_name not in REGISTRY.names(), f"parsers/{module_name}.py is named like a parser but has none"
        return
    registered = {info.cls for info in REGISTRY.infos}
    missing = [c.__name__ for c in classes if c not in registered]
    assert not missing, f"not listed in newsfetch/registry.py BUILTINS: {missing}"


def test_names_and_versions_are_unique() -> None:
    pairs = Counter((info.name, info.version) for info in REGISTRY.infos)
    assert [pair for pair, count in pairs.items() if count > 1] == []


def test_versions_of_a_name_have_distinct_dates() -> None:
    """Layout versions are chosen by date first: at most one undated (the oldest), no two on one date."""
    for name in REGISTRY.names():
        versions = [i for i in REGISTRY.infos if i.name == name]
        undated = [i for i in versions if i.valid_from is None]
        assert len(undated) <= 1, f"{name}: only the oldest version may lack valid_from"
        dated = [i.valid_from for i in versions if i.valid_from is not None]
        assert len(dated) == len(set(dated)), f"{name}: two versions valid from the same date"


def test_the_builtins_are_the_code_list_not_installed_metadata() -> None:
    """Every built-in comes from BUILTINS (module:class), none from an entry point of the installed package."""
    builtins = [info for info in REGISTRY.infos if info.origin == "built-in"]
    assert sorted(info.entry_point for info in builtins) == sorted(BUILTINS)
    for info in builtins:
        module, _, attr = info.entry_point.partition(":")
        assert getattr(importlib.import_module(module), attr) is info.cls


@pytest.mark.parametrize("name", REGISTRY.names())
def test_every_parser_has_fixture_pairs(name: str) -> None:
    pairs = _fixture_pairs(name)
    needed = 5 if name == FALLBACK else 2
    assert len(pairs) >= needed, f"fixtures/{name}/ has {len(pairs)} pairs (.html + .md), needs {needed}"


def test_a_broken_plugin_warns_and_the_others_keep_working(caplog: pytest.LogCaptureFixture) -> None:
    points = [
        _point("generic", "newsfetch.parsers.generic:GenericParser"),
        _point("broken", "newsfetch_no_such_plugin.sites:Parser"),            # import fails
        _point("eastmoney", "newsfetch.parsers.eastmoney:EastmoneyParser"),
        _point("not_a_parser", "os.path:join"),                               # no name/hosts
        _point("cls", "newsfetch.parsers.cls:ClsParser"),
    ]
    with caplog.at_level(logging.WARNING, logger="newsfetch"):
        registry = Registry.from_entry_points(points)
    assert len(registry.problems) == 2
    assert "'broken'" in registry.problems[0] and "'not_a_parser'" in registry.problems[1]
    assert sum("failed to load" in r.getMessage() for r in caplog.records) == 2
    assert sorted(registry.names()) == ["cls", "eastmoney", "generic"]
    assert registry.family_for_url("https://www.cls.cn/detail/2425210") == "cls"
    page = FIXTURES / "cls" / "detail-2026.html"
    article = extract(page.read_bytes(), "https://www.cls.cn/detail/2425210", registry=registry)
    assert article.parser == "cls" and article.title.startswith("【早报】")


def test_fields_are_read_off_the_parser_class() -> None:
    """A field counts when the parser sets its selector or overrides its hook: one name for both."""
    class OnlyTitle(SiteParser):
        name = "only_title"
        selectors = {"title": "h1", "body": "div.text"}  # body is no field

    class TimeByMethod(OnlyTitle):
        selectors = {**OnlyTitle.selectors, "paywall": "div.paid"}

        def published(self, page):  # noqa: ANN001, ANN201 - a stub
            return None

    assert fields_of(SiteParser) == []
    assert fields_of(OnlyTitle) == ["title"]
    assert fields_of(TimeByMethod) == ["title", "published", "paywall"]


def test_the_sites_table_has_one_row_per_builtin_parser() -> None:
    table = render_table(REGISTRY)
    rows = [line for line in table.splitlines()[2:] if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows][-1] == FALLBACK
    assert sorted(row.split("`")[1] for row in rows) == sorted(REGISTRY.names())
    for info in REGISTRY.infos:
        row = next(r for r in rows if r.startswith(f"| `{info.name}` |"))
        assert all(f"`{host}`" in row for host in info.hosts)
        assert f"v{info.version}" in row


def test_the_readme_sites_table_is_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert current_section(readme) == render_section(REGISTRY), (
        "README.md is out of date: run `python -m newsfetch.sites_table --write README.md`")


def test_write_replaces_only_the_sites_section(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    readme = tmp_path / "README.md"
    stale = "# x\n\n<!-- section: sites -->\nSTALE-ROWS\n<!-- end section: sites -->\n\ntail\n"
    readme.write_text(stale, encoding="utf-8")
    assert main(["--write", str(readme)]) == 0
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# x\n\n<!-- section: sites -->\n## Supported sites") and text.endswith("-->\n\ntail\n")
    assert "STALE-ROWS" not in text and current_section(text) == render_section()
    assert main([]) == 0 and capsys.readouterr().out.startswith("## Supported sites")


def test_write_without_markers_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# no markers\n", encoding="utf-8")
    assert main(["--write", str(readme)]) == 3
    assert readme.read_text(encoding="utf-8") == "# no markers\n"
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "markers" in err
    assert main(["--write", str(tmp_path / "missing.md")]) == 3
    with pytest.raises(Exception, match="markers"):
        replace_section("nothing", "x")
