"""The parser contract and how parsers come in: one `register` call for built-ins and plug-ins, routing without
installed metadata, clashes and broken layout chains reported, a clear error without a fallback, the site hooks
the core calls, `newsfetch parsers --url`, and one identity per class (no second copy of the package).
"""

from __future__ import annotations

import importlib.util
import logging
import subprocess
import sys
from dataclasses import replace
from datetime import date
from importlib.metadata import EntryPoint
from importlib.resources import files
from pathlib import Path

import lxml.html
import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

import newsfetch.parsers.base
from newsfetch import extract
from newsfetch.clean import clean_body
from newsfetch.errors import ParseError
from newsfetch.parsers.base import FIELDS, SiteParser
from newsfetch.parsers.eastmoney import EastmoneyParser, remove_stock_widgets
from newsfetch.parsers.stcn import StcnParser
from newsfetch.registry import BUILTINS, ENTRY_POINT_GROUP, FALLBACK, SELECTOR_NAMES, NoParserError, Registry
from tests.support.cli import run_cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
STCN_PAGE = FIXTURES / "stcn" / "detail-2024.html"
STCN_URL = "https://www.stcn.com/article/detail/1476734.html"
STCN_OLD_PAGE = FIXTURES / "stcn" / "company-2019.html"
STCN_OLD_URL = "http://company.stcn.com/2019/0930/15414346.shtml"


class ExampleParser(SiteParser):
    """A third party's parser, as the README's plug-in example writes one (loaded here via an entry point)."""

    name = "example_news"
    hosts = ("news.example.org",)
    selectors = {"title": "h1", "body": "div.story"}

    @classmethod
    def post_id(cls, url: str) -> str | None:
        return "example-42" if "news.example.org/42" in url else None


class BetterStcnParser(StcnParser):
    """A plug-in that replaces the built-in stcn v2 on purpose (same name and version)."""


class StcnClaimParser(SiteParser):
    """A plug-in with its own name claiming the built-in stcn's host."""

    name = "my_stcn"
    hosts = ("stcn.com",)
    selectors = {"title": "div.detail-title", "body": "div.detail-content"}


def _point(name: str, obj: type) -> EntryPoint:
    return EntryPoint(name=name, value=f"{__name__}:{obj.__name__}", group=ENTRY_POINT_GROUP)


# --- registering -------------------------------------------------------------------------------------

def test_routing_works_without_any_installed_metadata() -> None:
    """A child process whose importlib.metadata finds no entry points at all still routes to the built-ins."""
    code = ("import importlib.metadata as m, sys; m.entry_points = lambda **kw: []; "
            "import newsfetch, newsfetch.registry as r; reg = r.default_registry(); "
            "a = newsfetch.extract(open(sys.argv[1], 'rb').read(), sys.argv[2]); "
            "print(a.parser, a.parser_version, len(reg.infos), len(reg.problems))")
    out = subprocess.run([sys.executable, "-c", code, str(STCN_PAGE), STCN_URL], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.split()
    assert out == ["stcn", "2", str(len(BUILTINS)), "0"]


def test_builtins_and_plugins_go_through_the_same_register_call() -> None:
    registry = Registry.default(points=[_point("example_news", ExampleParser)])
    assert registry.problems == []
    info = next(i for i in registry.infos if i.cls is ExampleParser)
    assert info.origin == "plug-in" and info.entry_point == f"example_news = {__name__}:ExampleParser"
    assert registry.family_for_url("https://news.example.org/42") == "example_news"
    page = "<html><head><title>t</title></head><body><h1>示例新闻标题</h1><div class='story'><p>" + "正文" * 30 \
           + "</p></div></body></html>"
    article = extract(page, "https://news.example.org/42", registry=registry)
    assert (article.parser, article.title) == ("example_news", "示例新闻标题")
    # built-ins still route, and registering the same class again changes nothing (a stale install's entry point)
    assert registry.family_for_url(STCN_URL) == "stcn"
    before = registry.infos
    assert registry.register(StcnParser, origin="newsfetch 0.1.0") in before and registry.infos == before
    assert registry.problems == []


def test_register_refuses_what_is_not_a_parser() -> None:
    with pytest.raises(TypeError, match="not a parser class"):
        Registry().register(dict)


def test_a_duplicate_name_and_version_warns_and_the_later_wins(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="newsfetch"):
        registry = Registry.default(points=[_point("stcn", BetterStcnParser)])
    assert len(registry.problems) == 1 and "'stcn' version 2 is registered twice" in registry.problems[0]
    assert "BetterStcnParser" in registry.problems[0] and "StcnParser (built-in)" in registry.problems[0]
    assert [r.getMessage() for r in caplog.records if "registered twice" in r.getMessage()] == registry.problems
    stcn = [i.cls for i in registry.infos if i.name == "stcn"]
    assert BetterStcnParser in stcn and StcnParser not in stcn and len(stcn) == 2
    assert type(registry.parser_for(_page(STCN_PAGE, STCN_URL))) is BetterStcnParser


class StcnV3Parser(StcnParser):
    """A plug-in adding a version to the built-in stcn's chain."""

    version = "3"
    valid_from = date(2026, 1, 1)


def test_a_version_added_to_another_origins_name_warns_and_joins_the_chain() -> None:
    registry = Registry.default(points=[_point("stcn_v3", StcnV3Parser)])
    assert registry.problems == [
        f"parser name 'stcn' comes from two places: stcn_v3 = {__name__}:StcnV3Parser (plug-in) adds version 3 "
        "to the versions from built-in"]
    assert [i.version for i in registry.infos if i.name == "stcn"] == ["1", "2", "3"]


def test_a_host_claimed_twice_warns_and_the_later_registration_wins() -> None:
    registry = Registry.default(points=[_point("my_stcn", StcnClaimParser)])
    assert registry.problems == [
        "host 'stcn.com' is claimed by parser 'stcn' and by 'my_stcn' "
        f"(my_stcn = {__name__}:StcnClaimParser, plug-in): 'my_stcn' wins (registered later)"]
    assert registry.family_for_url(STCN_URL) == "my_stcn"
    assert extract(STCN_PAGE.read_bytes(), STCN_URL, registry=registry).parser == "my_stcn"


def test_without_a_fallback_an_unknown_host_is_a_clear_error() -> None:
    registry = Registry()
    registry.register(StcnParser)
    assert extract(STCN_PAGE.read_bytes(), STCN_URL, registry=registry).parser == "stcn"
    with pytest.raises(NoParserError, match="no 'generic' fallback parser is registered") as caught:
        extract("<html><body><p>text</p></body></html>", "https://elsewhere.example/a", registry=registry)
    assert isinstance(caught.value, ParseError) and caught.value.where == "https://elsewhere.example/a"


# --- layout chains, checked when the registry is built -------------------------------------------------

def _family(*versions: tuple[str, date | None], base: type = SiteParser) -> list[type]:
    made = []
    for version, valid_from in versions:
        made.append(type(f"V{version}", (made[-1] if made else base,),
                         {"name": "chain", "hosts": ("chain.example",), "version": version, "valid_from": valid_from}))
    return made


def _problems(classes: list[type]) -> list[str]:
    registry = Registry()
    for cls in classes:
        registry.register(cls)
    registry.check_versions()
    return registry.problems


def test_a_well_formed_chain_passes() -> None:
    assert _problems(_family(("1", None), ("2", date(2018, 1, 1)), ("10", date(2022, 1, 1)))) == []


def test_dates_must_grow_with_the_version() -> None:
    problems = _problems(_family(("1", None), ("2", date(2020, 1, 1)), ("3", date(2019, 6, 1))))
    assert problems == ["parser 'chain': version 3 is valid from 2019-06-01, not after version 2 (2020-01-01)"]
    assert _problems(_family(("1", None), ("2", date(2020, 1, 1)), ("3", date(2020, 1, 1))))[0].startswith(
        "parser 'chain': version 3 is valid from 2020-01-01, not after")


def test_only_the_oldest_version_may_be_undated() -> None:
    problems = _problems(_family(("1", date(2015, 1, 1)), ("2", None)))
    assert problems == ["parser 'chain': version 2 has no valid_from; only the oldest version (1) may lack one"]


def test_an_older_version_may_not_subclass_a_newer_one() -> None:
    newer, older = _family(("2", date(2020, 1, 1)), ("1", None))  # built the old way: v1 extends v2
    assert _problems([newer, older]) == [
        "parser 'chain': version 1 subclasses the newer version 2; a newer layout extends an older one, never "
        "the reverse"]


class BrokenV1(SiteParser):
    name = "broken_chain"
    hosts = ("broken.example",)


class BrokenV2(BrokenV1):
    version = "2"  # and no valid_from: two undated versions


def test_building_the_registry_checks_the_chains() -> None:
    registry = Registry.default(points=[_point("broken_chain_v2", BrokenV2), _point("broken_chain", BrokenV1)])
    assert registry.problems == ["parser 'broken_chain': version 2 has no valid_from; only the oldest version (1) "
                                 "may lack one"]
    assert registry.family_for_url("https://broken.example/a") == "broken_chain"  # reported, still registered


def test_an_unknown_selector_name_is_reported() -> None:
    misspelt = type("Misspelt", (SiteParser,), {"name": "misspelt", "hosts": ("m.example",),
                                                "selectors": {"title": "h1", "time": "span.date"}})
    registry = Registry()
    registry.register(misspelt)
    assert len(registry.problems) == 1 and "unknown selector names ['time']" in registry.problems[0]


def test_the_selector_names_are_the_fields_and_the_body_and_paywall_markers() -> None:
    assert SELECTOR_NAMES == set(FIELDS) - {"stocks"} | {"body", "paywall"}
    for field in FIELDS:  # every field has its hook on the base, of the same name as the Article field
        assert callable(getattr(SiteParser, field))


# --- site knowledge in the site's module, called by the core ------------------------------------------

_WIDGET = ('<div><p>快手<a href="http://quote.eastmoney.com/unify/r/116.01024" class="keytip">快手-W</a>'
           '上涨。</p><!--EM_StockImg_Start--><a href="http://quote.eastmoney.com/hk/01024.html">'
           '<img src="http://webquoteklinepic.eastmoney.com/GetPic.aspx?nid=116.01024"></a><!--EM_StockImg_End-->'
           '</div>')


def test_the_clean_stage_runs_the_sites_body_rules() -> None:
    assert remove_stock_widgets in Registry.default(points=[]).body_rules()
    assert EastmoneyParser.body_rules == (remove_stock_widgets,)
    cleaned = clean_body(lxml.html.fragment_fromstring(_WIDGET))
    assert cleaned.stocks == ["01024.HK", "01024.HK"] and "webquoteklinepic" not in lxml.html.tostring(cleaned.body,
                                                                                                      encoding=str)
    untouched = clean_body(lxml.html.fragment_fromstring(_WIDGET), body_rules=())
    assert untouched.stocks == []  # no site rule given: nothing knows Eastmoney's widgets


def test_post_ids_come_from_the_site_hooks() -> None:
    registry = Registry.default(points=[_point("example_news", ExampleParser)])
    assert registry.post_id("https://finance.eastmoney.com/a/202112302231746483.html") == "202112302231746483"
    assert registry.post_id("https://wap.example.net/NewsShare.html?infoCode=NW202112302231746483") \
        == "202112302231746483"
    assert registry.post_id("https://www.chinanews.com.cn/cj/2021/12-30/9641234.shtml") == "chinanews-9641234"
    assert registry.post_id("https://news.example.org/42") == "example-42"
    assert registry.post_id("https://news.example.org/43") is None
    assert registry.id_aliases("202112302231746483") == ("202112302231746483", "NW202112302231746483")
    assert registry.id_aliases("u-0123456789ab") == ("u-0123456789ab",)


# --- newsfetch parsers --url -----------------------------------------------------------------------------

def test_parsers_url_names_the_parser_and_its_versions_in_order() -> None:
    result = run_cli("parsers", "--url", STCN_URL)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{STCN_URL}\tstcn"
    assert lines[1].startswith("  stcn v2 from 2022-01-01 (built-in, newsfetch.parsers.stcn:StcnParser)")
    assert lines[2].startswith("  stcn v1 (built-in, newsfetch.parsers.stcn:StcnLegacyParser)")
    # an address dated before v2: v1 is offered the page first
    old = run_cli("parsers", "--url", STCN_OLD_URL).stdout.splitlines()
    assert [line.split()[1] for line in old[1:3]] == ["v1", "v2"]
    other = run_cli("parsers", "--url", "https://blog.example.com/post/1").stdout.splitlines()
    assert other == ["https://blog.example.com/post/1\tgeneric",
                     "  generic v2 (built-in, newsfetch.parsers.generic:GenericParser)"]


def test_parsers_url_with_the_saved_page_names_the_exact_version() -> None:
    for page, url, label in ((STCN_PAGE, STCN_URL, "stcn v2"), (STCN_OLD_PAGE, STCN_OLD_URL, "stcn v1")):
        result = run_cli("parsers", "--url", url, "--file", str(page))
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"{url}\t{label} ") and result.stdout.count("\n") == 1
    assert run_cli("parsers", "--file", str(STCN_PAGE)).returncode == 2  # a page without its address
    missing = run_cli("parsers", "--url", STCN_URL, "--file", str(ROOT / "no-such-page.html"))
    assert missing.returncode == 3 and missing.stderr.strip().endswith("no-such-page.html: no such file")


def _page(path: Path, url: str):
    from newsfetch.page import Page
    return Page(html=path.read_text(encoding="utf-8"), url=url)


# --- one identity per class ------------------------------------------------------------------------------

@pytest.mark.parametrize("folder", ["parsers", "cli"])
def test_the_folders_do_not_import_as_a_second_copy(folder: str) -> None:
    result = subprocess.run([sys.executable, "-c", f"import {folder}"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert f"ImportError: {folder}/ is the package newsfetch.{folder}" in result.stderr


@pytest.mark.parametrize("name", ["newsfetch.tests", "newsfetch.benchmarks", "newsfetch.fixtures"])
def test_the_checkout_is_not_part_of_the_package(name: str) -> None:
    assert importlib.util.find_spec(name) is None


def test_every_registered_class_is_the_one_the_package_defines() -> None:
    registry = Registry.default(points=[])
    for info in registry.infos:
        assert issubclass(info.cls, newsfetch.parsers.base.SiteParser), info
        assert info.cls.__module__.startswith("newsfetch.parsers."), info
        assert sys.modules[info.cls.__module__].__file__.startswith(str(ROOT / "parsers")), info
    assert not {"parsers", "cli"} & set(sys.modules)


def test_the_package_ships_its_type_hints() -> None:
    assert files("newsfetch").joinpath("py.typed").is_file()
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in config["tool"]["setuptools"]["package-data"]["newsfetch"]
    assert FALLBACK in {i.name for i in Registry.default(points=[]).infos}


def test_the_readme_plugin_example_registers_cleanly_beside_the_builtins(tmp_path: Path) -> None:
    """The README's example plug-in runs as written, clashes with no built-in and forms a valid chain."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = readme.split("# my_package/sites/example.py\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(compile(code, "README example", "exec"), namespace)  # noqa: S102 - the project's own README
    v1, v2 = namespace["ExampleDailyParser"], namespace["ExampleDailyV2Parser"]
    registry = Registry.default(points=[])
    for cls in (v1, v2):
        registry.register(cls, origin="my_package 1.0")
    registry.check_versions()
    assert registry.problems == []
    assert v1.name not in {info.name for info in Registry.default(points=[]).infos}
    page = ("<html><body><div class='headline'><h2>Old layout headline</h2></div><div class='info'>"
            "<span class='time'>2021-03-04 10:00</span><span class='source'>Wire</span>"
            "<a class='author'>Ann Lee</a></div><div class='article-text'><p>" + "Some words. " * 10
            + "</p><div class='share-bar'>share</div></div></body></html>")
    article = extract(page, "https://www.example-daily.com/2021/03/04/story.html", registry=registry)
    assert (article.parser, article.parser_version, article.title) == ("example_daily", "1", "Old layout headline")
    assert article.source == "Wire" and article.authors == ("Ann Lee",) and "share" not in article.markdown
    assert article.published.isoformat() == "2021-03-04T10:00:00+08:00"


class _SourceInBodyParser(SiteParser):
    """A site whose 来源 line sits inside the body and is furniture there (its noise)."""

    name = "source-in-body"
    hosts = ("source-in-body.example",)
    selectors = {"title": "h1", "body": "div.text", "source": "p.origin"}
    noise = ("p.origin",)


_SOURCE_IN_BODY = """<html><head><title>t</title></head><body><h1>央行开展逆回购操作</h1>
<div class="text"><p class="origin">来源：证券日报</p>
<p>央行今日开展逆回购操作，市场流动性保持合理充裕，资金面将保持平稳。</p></div></body></html>"""


def test_fields_are_read_from_the_page_before_the_clean_stage_edits_it() -> None:
    from newsfetch.page import Page

    article = _SourceInBodyParser().parse(Page(html=_SOURCE_IN_BODY, url="https://source-in-body.example/a/1.html"))
    assert article.source == "证券日报"  # read before the noise rule dropped p.origin
    assert "证券日报" not in article.markdown and "逆回购" in article.markdown  # and the body is still cleaned


class _RefiningParser(SiteParser):
    """A plug-in that picks its body itself and settles a field once the body is rendered."""

    name = "refining_example"
    hosts = ("refining.example",)
    selectors = {"title": "h1"}

    def find_body(self, page, fields):
        from newsfetch.parsers.base import FoundBody

        return FoundBody(page.select_one("div.story"), extra={"picked_by": "find_body"})

    def refine(self, page, fields, body, cleaned, blocks):
        fields, blocks = super().refine(page, fields, body, cleaned, blocks)
        # the site prints its channel as the last line of the body: a field, not a paragraph
        *kept, last = blocks
        return replace(fields, section=last[1].removeprefix("栏目：")), kept


_REFINING = """<html><head><title>t</title></head><body><h1>沪指收涨</h1>
<div class="story"><p>沪指今日收涨，成交额放大，市场情绪回暖。</p><p>栏目：股市直播</p></div></body></html>"""


def test_a_parser_may_pick_its_body_and_settle_fields_after_the_markdown_stage() -> None:
    from newsfetch.page import Page

    article = _RefiningParser().parse(Page(html=_REFINING, url="https://refining.example/a/1.html"))
    assert article.section == "股市直播" and "栏目" not in article.markdown and "沪指今日收涨" in article.markdown
    assert article.extra == {"picked_by": "find_body"} and article.site == "refining_example"


def test_the_generic_parser_runs_through_the_pipelines_stages_not_its_own_parse() -> None:
    from newsfetch.parsers.generic.parser import GenericParser

    assert GenericParser.parse is SiteParser.parse
    page = ("<html><head><title>A storm hits the coast - Coast News</title></head><body><h1>A storm hits the "
            "coast</h1><p>By Dana Whitfield</p><div><p>" + "The storm reached the coast on Monday night. " * 6
            + "</p><p>Byline: none</p></div></body></html>")
    article = extract(page, "https://coast.example/2024/storm.html")
    assert article.parser == "generic" and article.title == "A storm hits the coast"
    assert article.authors == ("Dana Whitfield",) and article.site == "Coast News"
    assert "The storm reached the coast" in article.markdown and "Dana Whitfield" not in article.markdown
