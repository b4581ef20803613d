"""Writing articles into an archive: ids, paths, unchanged → no write, config, category pages, CLI --archive."""

from __future__ import annotations

import json
import os
import re
import threading
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from newsfetch.archive.config import load_config
from newsfetch.archive.ids import article_id
from newsfetch.archive.index import write_category_pages
from newsfetch.archive.normalize import normalize_bytes
from newsfetch.archive.writer import write_article
from newsfetch.article import Article
from newsfetch.cli import app
from newsfetch.errors import ArchiveError
from tests.support.cli import run_cli

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CST = timezone(timedelta(hours=8))


def article(**changes) -> Article:
    base = Article(title="快手电商发布服务商体系2.0", url="https://finance.eastmoney.com/a/202112302231746483.html",
                   published=datetime(2021, 12, 30, 18, 35, 35, tzinfo=CST), source="中国新闻网",
                   parser="eastmoney", parser_version="2", markdown="正文。\n", text="正文。\n")
    return replace(base, **changes)


@pytest.mark.parametrize("url, expected", [
    ("https://finance.eastmoney.com/a/202112302231746483.html", "202112302231746483"),
    ("http://stock.eastmoney.com/news/1611,202112082206703990.html", "202112082206703990"),
    ("http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202112302231746483", "202112302231746483"),
    ("https://www.chinanews.com.cn/cj/2021/12-30/9641234.shtml", "chinanews-9641234"),
    ("https://www.chinanews.com/cj/2021/12-30/9641234.shtml", "chinanews-9641234"),
])
def test_source_ids(url: str, expected: str) -> None:
    assert article_id(url) == expected


def test_other_sites_get_a_stable_hash_of_the_normalized_address() -> None:
    one = article_id("https://news.example.com/x/../a b?id=1&utm_source=rss#top")
    assert re.fullmatch(r"u-[0-9a-f]{12}", one)
    assert one == article_id("HTTPS://NEWS.EXAMPLE.COM/x/../a b?id=1")
    assert one != article_id("https://news.example.com/x/../a b?id=2")
    assert "/" not in article_id("https://evil.test/../../etc/passwd") and ".." not in article_id("https://e.test/..")


def test_new_unchanged_updated_and_mtime_kept(tmp_path: Path) -> None:
    first = write_article(tmp_path, article())
    assert first.status == "new" and first.path == tmp_path / "_posts" / "2021-12-30-202112302231746483.md"
    text = first.path.read_text(encoding="utf-8")
    assert text.startswith("---\nlayout: post\ntitle: 快手电商发布服务商体系2.0\ndate: 2021-12-30 18:35:35 +0800\n"
                           "categories: zhongguoxinwenwang\ntags: 中国新闻网新闻\nsource: 中国新闻网\n")
    os.utime(first.path, ns=(1_000_000_000, 1_000_000_000))
    again = write_article(tmp_path, article())
    assert again.status == "unchanged" and first.path.stat().st_mtime_ns == 1_000_000_000
    changed = write_article(tmp_path, article(markdown="更正后的正文。\n"))
    assert changed.status == "updated" and changed.path == first.path
    assert "更正后的正文" in first.path.read_text(encoding="utf-8")


def test_same_article_same_path_even_when_its_date_moves_or_old_name_has_nw(tmp_path: Path) -> None:
    old = tmp_path / "_posts" / "2021-12-29-NW202112302231746483.md"
    old.parent.mkdir()
    old.write_text("---\nlayout: post\n---\nold\n", encoding="utf-8")
    outcome = write_article(tmp_path, article(published=datetime(2021, 12, 31, 1, 0, tzinfo=CST)))
    assert outcome.path == old and outcome.status == "updated"
    assert sorted(p.name for p in old.parent.iterdir()) == [old.name]


def test_the_post_index_sees_this_process_writes_and_other_writers(tmp_path: Path) -> None:
    first = write_article(tmp_path, article(url="https://finance.eastmoney.com/a/202112302231700001.html"))
    # a post of this process, then found again under a later date: updated in place, not duplicated
    moved = write_article(tmp_path, article(url="https://finance.eastmoney.com/a/202112302231700001.html",
                                            published=datetime(2022, 1, 2, tzinfo=CST), markdown="新。\n"))
    assert moved.path == first.path and moved.status == "updated"
    # a post another program dropped into the folder after the index was built is found too
    time.sleep(0.05)  # folder mtimes tick in jiffies: a write in the same tick as ours is not seen (documented)
    foreign = tmp_path / "_posts" / "2021-12-01-NW202112302231700002.md"
    foreign.write_text("---\nlayout: post\n---\nold\n", encoding="utf-8")
    outcome = write_article(tmp_path, article(url="https://finance.eastmoney.com/a/202112302231700002.html"))
    assert outcome.path == foreign and outcome.status == "updated"
    assert len(list((tmp_path / "_posts").iterdir())) == 2


def test_file_date_is_in_the_archive_time_zone(tmp_path: Path) -> None:
    utc_evening = datetime(2021, 12, 30, 20, 0, tzinfo=timezone.utc)  # 04:00 next day in Shanghai
    assert write_article(tmp_path, article(published=utc_evening)).path.name.startswith("2021-12-31-")
    (tmp_path / "ny").mkdir()
    (tmp_path / "ny" / "newsfetch.toml").write_text('[archive]\ntimezone = "America/New_York"\n')
    assert write_article(tmp_path / "ny", article(published=utc_evening)).path.name.startswith("2021-12-30-")


def test_missing_url_or_date_is_an_archive_error(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="address"):
        write_article(tmp_path, article(url=None))
    with pytest.raises(ArchiveError, match="date"):
        write_article(tmp_path, article(published=None))
    assert not (tmp_path / "_posts").exists()


def test_config_templates_and_errors(tmp_path: Path) -> None:
    (tmp_path / "newsfetch.toml").write_text(
        '[archive]\nlayout = "news"\ncategory = "{source_slug}"\ntag = "来自{source}"\nposts_dir = "_posts/news"\n',
        encoding="utf-8")
    outcome = write_article(tmp_path, article(source="Reuters (UK)"))
    front = yaml.safe_load(outcome.path.read_text(encoding="utf-8").split("---\n")[1])
    assert outcome.path.parent == tmp_path / "_posts" / "news"
    assert (front["layout"], front["categories"], front["tags"]) == ("news", "reuters-uk", "来自Reuters (UK)")
    for bad, message in (('[archive]\nlayuot = "x"\n', "unknown key"), ('[archive]\ntimezone = "Mars/Base"\n', "time zone"),
                         ("[archive\n", "cannot read"), ('[archive]\nposts_dir = "../x"\n', "inside")):
        folder = tmp_path / ("bad-" + message.replace(" ", "-"))
        folder.mkdir()
        (folder / "newsfetch.toml").write_text(bad, encoding="utf-8")
        with pytest.raises(ArchiveError, match=message):
            load_config(folder)


def test_concurrent_writes_of_many_articles_from_threads(tmp_path: Path) -> None:
    articles = [article(url=f"https://finance.eastmoney.com/a/2021123022317464{i:02d}.html", title=f"标题{i}")
                for i in range(40)]
    outcomes: list = []
    threads = [threading.Thread(target=lambda a=a: outcomes.append(write_article(tmp_path, a))) for a in articles * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    files = sorted((tmp_path / "_posts").iterdir())
    assert len(files) == 40 and all(not f.name.startswith(".") for f in files)
    assert sum(o.status == "new" for o in outcomes) >= 40
    assert all(f.read_text(encoding="utf-8").endswith("正文。\n") for f in files)


def test_written_posts_are_a_fixed_point_of_normalize(tmp_path: Path) -> None:
    tricky = article(title='He said "{{ x }}": --- <script>', markdown="\\<script>alert(1)\\</script>\n\n&#123;{ a }}\n\n"
                     "- one\n  - two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n代码 `<p>` 与 \\---\n", stocks=("01024.HK",))
    path = write_article(tmp_path, tricky).path
    data = path.read_bytes()
    assert normalize_bytes(data, path.name).data == data


def test_cli_file_with_archive_writes_fixtures(tmp_path: Path) -> None:
    pages = sorted(FIXTURES.glob("eastmoney/*.html")) + sorted(FIXTURES.glob("chinanews/*.html"))
    assert len(pages) >= 10, "the eastmoney and chinanews fixtures are part of the repository"
    runner = CliRunner()
    written = set()
    for page in pages:
        url = re.match(r"<!--\s*url:\s*(\S+)", page.read_text(encoding="utf-8", errors="replace")).group(1)
        result = runner.invoke(app, ["file", str(page), "--url", url, "--archive", str(tmp_path)])
        # every fixture whose expected post has a date must be archived; none is dropped for failing
        assert result.exit_code == 0, (page.name, result.output, result.exception)
        written.add(result.output.split(": ", 1)[1].strip())
    assert len(written) == len(pages)  # one post per page: no two fixtures share an id
    for name in written:
        data = Path(name).read_bytes()
        assert re.fullmatch(r"\d{4}-\d\d-\d\d-[A-Za-z0-9-]+\.md", Path(name).name)
        assert normalize_bytes(data, Path(name).name).data == data
    again = runner.invoke(app, ["file", str(pages[0]), "--url", re.match(r"<!--\s*url:\s*(\S+)",
                          pages[0].read_text(encoding="utf-8", errors="replace")).group(1), "--archive", str(tmp_path)])
    assert again.output.startswith("unchanged: ")


def test_category_pages(tmp_path: Path) -> None:
    posts = tmp_path / "_posts"
    posts.mkdir()
    for i, (category, tag) in enumerate([("emnews", "东财滚动新闻"), ("emnews", "东财滚动新闻"), ("emnews", "别的"),
                                         ("zhongguoxinwenwang", "中国新闻网新闻"), ("Reuters (UK)", None)]):
        tags = f"tags: {tag}\n" if tag else ""
        (posts / f"2021-12-0{i + 1}-{i}.md").write_text(
            f"---\nlayout: post\ntitle: t\ncategories: [\"{category}\"]\n{tags}---\nx\n", encoding="utf-8")
    (posts / "2021-12-09-broken.md").write_text("---\ntitle: [\n", encoding="utf-8")
    outcomes = {o.path.name: o for o in write_category_pages(tmp_path)}
    assert sorted(outcomes) == ["emnews.html", "reuters-uk.html", "zhongguoxinwenwang.html"]
    page = yaml.safe_load((tmp_path / "category" / "emnews.html").read_text(encoding="utf-8").split("---\n")[1])
    assert page == {"layout": "category", "title": "东财滚动新闻", "category": "emnews"}
    assert outcomes["reuters-uk.html"].title == "Reuters (UK)"
    assert all(o.status == "unchanged" for o in write_category_pages(tmp_path))
    listed = json.loads(CliRunner().invoke(app, ["archive", "index", str(tmp_path), "--json"]).stdout)
    assert {(o["status"], Path(o["path"]).name, o["category"]) for o in listed} == {
        ("unchanged", "emnews.html", "emnews"), ("unchanged", "reuters-uk.html", "Reuters (UK)"),
        ("unchanged", "zhongguoxinwenwang.html", "zhongguoxinwenwang")}
    result = run_cli("archive", "index", str(tmp_path / "missing"))
    assert result.returncode == 8 and result.stderr.startswith("newsfetch: error: "), result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_config_changes_are_seen_by_a_running_process(tmp_path: Path) -> None:
    assert load_config(tmp_path).layout == "post"
    (tmp_path / "newsfetch.toml").write_text('[archive]\nlayout = "article"\n', encoding="utf-8")
    assert load_config(tmp_path).layout == "article"
