"""Real saved pages of the group-A sites (shared/corpus) read by their dedicated parsers.

The pages are read where they lie (never copied into the repository); the tests skip when the corpus is absent.
Set NEWSFETCH_SHARED to use a shared folder elsewhere (see tests/support/corpus.py). For each page: the parser
that claims it, title, time (+08:00), credited outlet, the first and last sentences of the body, and no site
furniture left in the body.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from newsfetch import extract
from newsfetch.decode import decode_html
from tests.support.corpus import corpus_path, require

CORPUS = corpus_path()

# Text that only the site's furniture carries: navigation, related links, share bars, prompts, footers.
FURNITURE = ("相关阅读", "相关推荐", "热点推荐", "为你推荐", "分享到", "分享至", "返回顶部", "我要评论", "跟贴",
             "下载地址", "客户端", "扫一扫", "二维码", "责任编辑", "责编", "版权所有", "未经授权",
             "免责声明", "网易首页", "首页 >", "正文已结束", "原标题", "原题为", "【纠错】", "点击进入", "关键词")


@dataclass(frozen=True)
class Case:
    file: str
    url: str
    parser: str
    title: str
    published: str          # ISO 8601 with +08:00
    source: str | None
    first: str              # the body's first paragraph starts with this
    last: str               # its last text paragraph (images aside) ends with this
    editors: tuple[str, ...] = ()


CASES = [
    Case("news-pages/sina-1.html", "https://news.sina.com.cn/c/2019-11-25/doc-iihnzahi3275702.shtml", "sina",
         "中国人习以为常的地方 为何老外却说“了不得”？", "2019-11-25T18:57:38+08:00", "参考消息",
         "“你们将开始明白为什么我这么喜欢中国", "打造鼓励市民健身运动的公园。", ("张迪",)),
    Case("news-pages/sina-3.html",
         "https://finance.sina.com.cn/stock/usstock/c/2019-09-09/doc-iicezzrq4681677.shtml", "sina",
         "债券市场是否存在泡沫？世界知名首席投资官们这么说", "2019-09-09T20:52:38+08:00", "新浪财经-自媒体综合",
         "随着低增长、低利率、低通胀成为新的常态", "并通过同时购买政府和企业债券重启量化宽松。（完）", ("郭明煜",)),
    Case("news-pages/163-1.html", "https://money.163.com/19/0907/13/EOFOC8MJ00258105.html", "netease",
         "多地项目连环爆雷 狂奔的龙湖集团\"暗伤\"曝露？", "2019-09-07T13:43:45+08:00", "证券市场红周刊",
         "2019年，龙湖集团即将迎来赴港上市10周年。", "这需要龙湖给投资者作一个交代。", ("杨倩",)),
    Case("news-pages-extra/netease-2025.html", "https://www.163.com/news/article/KC12OUHK000189FH.html", "netease",
         "全球媒体聚焦｜美国政府停摆将对整个经济系统产生冲击", "2025-10-16T20:02:18+08:00", "总台环球资讯广播",
         "“受（政府停摆）影响的不只是联邦政府的工作人员和承包商", "“停业”这个词不能让任何人心情愉快地成为活跃的消费者。",
         ("雷晓",)),
    Case("news-pages/qq-2.html", "http://finance.qq.com/a/20190923/000843.htm", "qq",
         "棱镜|数据业大整顿：爬虫与现金贷共生共荣，用户信息几元不等", "2019-09-23T07:48:00+08:00", "棱镜",
         "划重点：", "可以预见的是，第三方数据行业的整顿仍将持续。", ("biaoffeng",)),
    Case("news-pages-extra/qq-1.html", "https://new.qq.com/rain/a/20201130A0G1JJ00", "qq",
         "流感疫苗副作用大不能接种？腾讯新闻较真平台发布11月最全辟谣榜", "2020-11-30T21:48:28+08:00", "较真",
         "11月份腾讯新闻较真平台也依旧在全力终结谣言、播种知识。", "在正常用法用量下使用没有问题。"),
    Case("news-pages/ifeng-1.html", "https://news.ifeng.com/c/7rtKNyg6PU9", "ifeng",
         "女童眼睛被塞几十片纸，“无法用科学解释”", "2019-11-25T16:04:30+08:00", "澎湃新闻网",
         "7岁小花（化名）“眼睛被塞纸”事件，仍有许多疑问。", "此外，学校还多次组织观看了校园欺凌教育片。"),
    Case("news-pages/thepaper-1.html", "https://www.thepaper.cn/newsDetail_forward_4506347", "thepaper",
         "共享充电宝涨价告别1元时代：是“收割韭菜”还是回归理性", "2019-09-24T09:10:00+08:00", "中国青年报",
         "共享充电宝。视觉中国 资料", "共享充电宝的需求量会越来越大。", ("张珺",)),
    Case("news-pages-extra/thepaper-1.html", "http://m.thepaper.cn/newsDetail_forward_1787647", "thepaper",
         "一周文化讲座｜书店与城市风格：书店对于城市有指标意义吗？", "2017-09-08T10:30:00+08:00", "澎湃新闻",
         "北京│从《劳燕》到《二十二》——战争与女性", "从崭新的角度为读者解读长沙的历史和文化。", ("顾明",)),
    Case("news-pages/people-1.html", "http://culture.people.com.cn/n1/2019/0615/c1013-31153719.html", "people",
         "女儿出嫁，郑板桥画了几笔兰花当嫁妆", "2019-06-15T08:18:00+08:00", "人民网-文化频道",
         "父亲的教诲像一盏灯，为我们照亮前行的路；", "字里行间都是对儿子的爱。", ("汤诗瑶", "丁涛")),
    Case("news-pages/xinhuanet-1.html", "http://www.xinhuanet.com/world/2019-12/10/c_1125327450.htm", "xinhuanet",
         "法国全国大罢工再次严重影响交通", "2019-12-10T07:57:40+08:00", "新华网",
         "新华社巴黎12月9日电（记者唐霁）法国9日再次爆发全国跨行业大罢工", "总理菲利普将于11日宣布退休制度改革的总体架构。",
         ("尹世杰",)),
    Case("news-pages/stcn-1.html", "http://kuaixun.stcn.com/2019/0926/15409036.shtml", "stcn",
         "午间公告：天奇股份中标广汽丰田项目；运达股份中标7亿元项目", "2019-09-26T12:11:00+08:00", "证券时报网",
         "证券时报e公司讯，当升科技：9614.5万元竞得常州市工业用地", "伊戈尔：拟1079.6万元收购控股子公司日本伊戈尔少数股权。"),
    Case("news-pages/hexun-1.html", "https://stock.hexun.com/2019-09-26/198678130.html", "hexun",
         "交通运输部：着力打造京津冀区域综合立体交通网络", "2019-09-26T10:56:28+08:00", "证券时报网",
         "据财联社9月26日消息，今日从交通运输部行新闻发布会获悉", "形成相邻城市间基本实现“1.5小时交通圈”。", ("HN666",)),
]

# Bylines the parsers must find (outside the body or lifted out of it), and stocks the site marks.
AUTHORS = {
    "qq-2.html": ("周纯",), "ifeng-1.html": ("段彦超", "廖艳"), "xinhuanet-1.html": ("唐霁",),
    "stcn-1.html": ("李在山",), "news-pages/thepaper-1.html": ("石佳",),
    "news-pages-extra/thepaper-1.html": ("杨卓君",),
}
STOCKS = {"sina-3.html": ("JPM.US", "BLK.US", "PMTG.US")}


def _lookup(table: dict[str, tuple[str, ...]], case: Case) -> tuple[str, ...]:
    return table.get(case.file) or table.get(case.file.split("/")[-1]) or ()


def _read(case: Case):
    path = CORPUS / case.file
    require(path)
    return extract(path.read_bytes(), case.url)


def _paragraphs(markdown: str) -> list[str]:
    """Text blocks of the body, images left out; emphasis markers removed for comparison."""
    blocks = [block.replace("**", "") for block in markdown.split("\n\n")]
    return [block.strip() for block in blocks if block.strip() and not block.startswith("![")]


@pytest.mark.parametrize("case", CASES, ids=[c.file.split("/")[-1] for c in CASES])
def test_real_page_fields(case: Case) -> None:
    article = _read(case)
    assert article.parser == case.parser
    assert article.title == case.title
    assert article.published == datetime.fromisoformat(case.published)
    assert article.published.utcoffset().total_seconds() == 8 * 3600
    assert article.source == case.source
    assert article.editors == case.editors
    assert article.authors == _lookup(AUTHORS, case)
    assert article.stocks == _lookup(STOCKS, case)


def test_people_page_lists_its_following_pages() -> None:
    case = next(c for c in CASES if c.parser == "people")
    assert _read(case).extra["more_pages"] == [
        f"http://culture.people.com.cn/n1/2019/0615/c1013-31153719-{n}.html" for n in (2, 3, 4)]


@pytest.mark.parametrize("case", CASES, ids=[c.file.split("/")[-1] for c in CASES])
def test_real_page_body(case: Case) -> None:
    article = _read(case)
    paragraphs = _paragraphs(article.markdown)
    assert paragraphs[0].startswith(case.first), paragraphs[0][:80]
    assert paragraphs[-1].endswith(case.last), paragraphs[-1][-80:]
    left = [word for word in FURNITURE if word in article.markdown]
    assert not left, f"site furniture left in the body: {left}"


GROUP_A = ("sina", "netease", "qq", "ifeng", "thepaper", "people", "xinhuanet", "stcn", "hexun")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FIXTURE_PAGES = sorted(page for name in GROUP_A for page in (FIXTURES / name).glob("*.html"))


@pytest.mark.parametrize("page", FIXTURE_PAGES, ids=[f"{p.parent.name}/{p.stem}" for p in FIXTURE_PAGES])
def test_fixture_bodies_have_no_site_furniture(page: Path) -> None:
    """The hand-written fixtures carry each site's share bars, prompts and related links: none may survive."""
    url = page.read_text(encoding="utf-8").split("\n", 1)[0].removeprefix("<!-- url: ").removesuffix(" -->")
    article = extract(page.read_bytes(), url)
    left = [word for word in FURNITURE if word in article.markdown]
    assert not left, f"site furniture left in the body: {left}"
    assert article.published is not None and article.published.utcoffset().total_seconds() == 8 * 3600
    # every group-A page credits an outlet: the reviewed expected post names it, and the page itself says it
    expected = yaml.safe_load(page.with_suffix(".md").read_text(encoding="utf-8").split("---\n")[1])
    assert article.source == expected["source"]
    assert article.source in decode_html(page.read_bytes(), None), "the outlet is read from the page, not made up"


def test_every_group_a_parser_has_two_fixture_pairs_and_a_version_pair() -> None:
    for name in GROUP_A:
        pairs = [p for p in FIXTURE_PAGES if p.parent.name == name and p.with_suffix(".md").exists()]
        assert len(pairs) >= 2, name
        posts = [p.with_suffix(".md").read_text(encoding="utf-8") for p in pairs]
        versions = {post.split(f"parser: {name}@", 1)[1].split("\n", 1)[0] for post in posts}
        assert len(versions) >= 2, f"{name}: fixtures should show at least two layout versions"
