"""Routing: every registered host and the article URL forms each site really uses reach their parser;
look-alike hosts fall through to the generic parser, and odd input never raises.

The hosts come from the registry itself; the URL forms are the examples in shared/sites/<site>.md (desktop,
mobile, old and new layouts), written out here so that a parser dropping a host it must serve is caught.
"""

from __future__ import annotations

import pytest

from newsfetch.registry import FALLBACK, default_registry

REGISTRY = default_registry()
HOSTS = sorted({(host, info.name) for info in REGISTRY.infos for host in info.hosts})

# (address, parser) — from the "URLs" tables of shared/sites/*.md.
URL_FORMS = [
    # 东方财富
    ("https://finance.eastmoney.com/a/202510223540307843.html", "eastmoney"),
    ("http://finance.eastmoney.com/news/1344,20180912944502216.html", "eastmoney"),
    ("http://stock.eastmoney.com/news/1407,20170807763593890.html", "eastmoney"),
    ("https://fund.eastmoney.com/a/202606133770617971.html", "eastmoney"),
    ("https://caifuhao.eastmoney.com/news/20211230183535123456789", "eastmoney"),
    ("http://guba.eastmoney.com/news,600030,1126633712.html", "eastmoney"),
    ("https://mguba.eastmoney.com/mguba/article/0/802527008", "eastmoney"),
    ("http://wap.eastmoney.com/3g/news/article,8,344,1,20171101797350781.shtml", "eastmoney"),
    # 中国新闻网
    ("http://www.chinanews.com/gn/2019/01-19/8733684.shtml", "chinanews"),
    ("https://www.chinanews.com.cn/cj/2021/12-30/9641234.shtml", "chinanews"),
    # 新浪
    ("http://finance.sina.com.cn/china/jrxw/20140318/011918532340.shtml", "sina"),
    ("https://finance.sina.com.cn/stock/usstock/c/2019-09-09/doc-iicezzrq4681677.shtml", "sina"),
    ("https://news.sina.com.cn/c/2019-11-25/doc-iihnzahi3275702.shtml", "sina"),
    ("http://news.sina.com.cn/c/nd/2017-04-05/doc-ifycwymx3892472.shtml", "sina"),
    ("https://tech.sina.com.cn/i/2021-06-01/doc-ikmxzfmm5902132.shtml", "sina"),
    ("https://finance.sina.cn/2026-07-02/detail-inifmfcy4159917.d.html", "sina"),
    ("https://finance.sina.cn/7x24/2024-08-27/detail-inckzssp7511764.d.html?vt=4&cid=76524", "sina"),
    ("https://news.sina.cn/gn/2019-11-25/detail-iihnzahi3275702.d.html", "sina"),
    # 网易
    ("https://www.163.com/news/article/KC12OUHK000189FH.html", "netease"),
    ("https://www.163.com/dy/article/KC0PPGAK05568W0A.html", "netease"),
    ("https://money.163.com/19/0907/13/EOFOC8MJ00258105.html", "netease"),
    ("http://news.163.com/16/0519/20/BNF3R3KV0001121M.html", "netease"),
    ("https://m.163.com/news/article/KC12OUHK000189FH.html", "netease"),
    ("https://m.163.com/touch/article.html?docid=KC12OUHK000189FH", "netease"),
    # 腾讯
    ("https://news.qq.com/rain/a/20251016A07W8J00", "qq"),
    ("https://new.qq.com/rain/a/20200917A0H3B100", "qq"),
    ("https://new.qq.com/omn/20200917/20200917A0H3B100.html", "qq"),
    ("http://finance.qq.com/a/20190923/000843.htm", "qq"),
    # 凤凰网
    ("https://news.ifeng.com/c/7rtKNyg6PU9", "ifeng"),
    ("https://finance.ifeng.com/c/8uX19tvXhRq", "ifeng"),
    ("http://tech.ifeng.com/elec/home/detail_2012_04/09/13747768_0.shtml", "ifeng"),
    # 澎湃
    ("https://www.thepaper.cn/newsDetail_forward_4506347", "thepaper"),
    ("http://m.thepaper.cn/newsDetail_forward_1787647", "thepaper"),
    ("https://m.thepaper.cn/detail/34111615", "thepaper"),
    # 人民网
    ("http://culture.people.com.cn/n1/2019/0615/c1013-31153719.html", "people"),
    ("http://culture.people.com.cn/n1/2019/0615/c1013-31153719-2.html", "people"),
    ("http://js.people.com.cn/n2/2018/1220/c360300-32429943.html", "people"),
    ("http://cpc.people.com.cn/xuexi/n/2015/0527/c387492-27065648-25.html", "people"),
    ("http://health.people.cn/n1/2022/0508/c14739-32416935.html", "people"),
    ("http://m.people.cn/n4/2019/0619/c131-12845109.html", "people"),
    # 新华网
    ("http://www.xinhuanet.com/world/2019-12/10/c_1125327450.htm", "xinhuanet"),
    ("http://www.hb.xinhuanet.com/2019-12/07/c_1125316060.htm", "xinhuanet"),
    ("http://m.xinhuanet.com/hb/2019-12/07/c_1125319425.htm", "xinhuanet"),
    ("http://www.news.cn/politics/2023-12/17/c_1130031441.htm", "xinhuanet"),
    ("https://www.news.cn/20241231/5da64c8e2b6b42aa88e3ebf2fecc1048/c.html", "xinhuanet"),
    # 证券时报
    ("http://kuaixun.stcn.com/2019/0926/15409036.shtml", "stcn"),
    ("http://news.stcn.com/2019/0930/15414346.shtml", "stcn"),
    ("https://www.stcn.com/article/detail/1476734.html", "stcn"),
    ("https://stcn.com/article/detail/4196224.html", "stcn"),
    # 和讯
    ("https://stock.hexun.com/2019-09-26/198678130.html", "hexun"),
    ("http://m.hexun.com/stock/2019-09-26/198678130.html", "hexun"),
    ("https://pe.hexun.com/2024-03-01/211234567.html?from=rss", "hexun"),
    # 中国证券报
    ("http://www.cs.com.cn/ssgs/gsxw/201409/t20140913_4511124.html", "cs"),
    ("https://www.cs.com.cn/sylm/jsbd/202403/t20240301_6391234.html", "cs"),
    # 中国证券网
    ("http://news.cnstock.com/news,yw-201908-4413224.htm", "cnstock"),
    ("https://news.cnstock.com/news,bwkx-202309-5130055.htm", "cnstock"),
    ("https://company.cnstock.com/company/scp_gsxw/202001/4480123.htm", "cnstock"),
    ("https://www.cnstock.com/commonDetail/448150", "cnstock"),
    ("https://m.cnstock.com/commonDetail/790841", "cnstock"),
    # 第一财经
    ("https://www.yicai.com/news/100569749.html", "yicai"),
    ("https://www.yicai.com/news/5378058.html", "yicai"),
    ("https://www.yicai.com/vip/news/103103790.html", "yicai"),
    # 财联社
    ("https://www.cls.cn/detail/2425210", "cls"),
    ("https://api3.cls.cn/share/article/2036118?os=web&sv=7.7.5&app=", "cls"),
    # 界面新闻
    ("https://www.jiemian.com/article/14880171.html", "jiemian"),
    ("https://www.jiemian.com/video/14880172.html", "jiemian"),
    ("https://m.jiemian.com/article/2451982.html?from=share", "jiemian"),
    # 21世纪经济报道
    ("https://www.21jingji.com/article/20230809/herald/b955bbb1419a679d269ca5ef3657fcfa.html", "21jingji"),
    ("https://m.21jingji.com/article/20260924/herald/b9e88cebffa743d247b8aec434413559.html", "21jingji"),
    # 每日经济新闻
    ("https://www.nbd.com.cn/articles/2023-02-17/2674072.html", "nbd"),
    ("http://www.nbd.com.cn/articles/2019-06-13/1342411.html", "nbd"),
    # 财新
    ("https://companies.caixin.com/2023-05-08/102051234.html", "caixin"),
    ("https://companies.caixin.com/2023-05-08/102051234.html?p2", "caixin"),
    ("https://weekly.caixin.com/2026-07-11/102345678.html", "caixin"),
    ("https://economy.caixin.com/2026-01-05/102399999.html", "caixin"),
    ("https://wuhongyi.blog.caixin.com/archives/278123", "caixin"),
]

LOOK_ALIKES = [
    "https://sina.com.cn.evil.com/news/2019-11-25/doc-iihnzahi3275702.shtml",
    "https://evilsina.com.cn/c/2019-11-25/doc-iihnzahi3275702.shtml",
    "https://eastmoney.com.attacker.net/a/202112302231746483.html",
    "https://finance.eastmoney.com.attacker.net/a/202112302231746483.html",
    "https://noteastmoney.com/a/202112302231746483.html",
    "https://cls.cn.example.org/detail/2425210",
    "https://fakecaixin.com/2023-05-08/102051234.html",
    "https://www.cs.com.cn.phish.io/ssgs/gsxw/201409/t20140913_4511124.html",
    "https://eastmoney.com@evil.example/a/202112302231746483.html",       # userinfo, the host is evil.example
    "https://evil.example/?u=https://finance.sina.com.cn/roll/2025-07-04/doc-x.shtml",
    "https://evil.example/finance.sina.com.cn/doc.shtml",
]


def test_the_registry_has_hosts_to_route() -> None:
    assert FALLBACK in REGISTRY.names()
    assert len(HOSTS) >= 17, "every dedicated parser names the hosts it serves"


@pytest.mark.parametrize(("host", "name"), HOSTS, ids=[f"{n}:{h}" for h, n in HOSTS])
def test_every_registered_host_and_its_sub_hosts_reach_the_parser(host: str, name: str) -> None:
    assert REGISTRY.family_for_url(f"https://{host}/article/1.html") == name
    assert REGISTRY.family_for_url(f"http://{host.upper()}:8080/article/1.html") == name
    assert REGISTRY.family_for_url(f"https://nf-test-sub.{host}./a.html") == name


@pytest.mark.parametrize(("url", "name"), URL_FORMS, ids=[u.split("//")[1][:60] for u, _ in URL_FORMS])
def test_url_forms_of_each_site_reach_their_parser(url: str, name: str) -> None:
    assert name in REGISTRY.names(), f"no parser named {name!r} is registered"
    assert REGISTRY.family_for_url(url) == name


def test_url_forms_cover_every_dedicated_parser() -> None:
    covered = {name for _, name in URL_FORMS}
    assert set(REGISTRY.names()) - {FALLBACK} <= covered, "add the URL forms of a new parser here"


@pytest.mark.parametrize("url", LOOK_ALIKES)
def test_look_alike_hosts_go_to_the_generic_parser(url: str) -> None:
    assert REGISTRY.family_for_url(url) == FALLBACK


@pytest.mark.parametrize("url", [None, "", "not a url", "http://[::1", "https://", "mailto:a@b.c", "//cls.cn/x"])
def test_odd_input_never_raises(url: str | None) -> None:
    assert REGISTRY.family_for_url(url) in REGISTRY.names()
