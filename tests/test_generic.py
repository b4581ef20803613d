"""The generic parser: focused snippets for each rule, then the labelled evaluation set (eval/)."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsfetch import extract
from newsfetch.errors import NotAnArticle, ParseError
from newsfetch.page import Page
from newsfetch.parsers.generic import GenericParser
from tests.support.corpus import corpus_path, params

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from evalset import body_f1, load_cases, outlet_match, time_match, title_match  # noqa: E402

CST = timezone(timedelta(hours=8))
PROSE = ("今年以来，新能源汽车下乡活动继续扩围。工信部等四部门近日发布通知，新能源汽车下乡活动新增了多个站点，"
         "参与车型扩大到近百款。")
PROSE2 = "不过，车能下乡，充电桩却未必跟得上。记者走访发现，在不少县城和乡镇，公共充电桩数量少、分布散，部分站点长期无法使用。"
PROSE3 = "业内人士认为，县域充电设施建设面临投入大、回报周期长的问题，如果使用率不足一成，运营商很难盈利。"


def parse(html: str, url: str = "https://www.example-news.cn/a/2021/12/30/123.html"):
    return GenericParser().parse(Page(html=html, url=url))


def page(body: str, head: str = "<title>新能源车下乡再扩围-示例新闻网</title>") -> str:
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


# --- body -------------------------------------------------------------------------------------------

def test_br_separated_lines_become_paragraphs_without_spaces():
    html = page(f"<h1>新能源车下乡再扩围</h1><div id='text'>　　{PROSE}<br><br>　　{PROSE2}<br>\n　　{PROSE3}<br></div>"
                "<div class='nav'><a href='/'>首页</a><a href='/b'>财经</a></div>")
    article = parse(html)
    assert article.text.splitlines() == [PROSE, PROSE2, PROSE3]
    assert "首页" not in article.markdown


def test_bare_text_in_a_layout_table_with_a_year_less_date_from_the_address():
    html = page(f"<table><tr><td class='tit'><b>我县举办冬季农民工专场招聘会</b></td></tr>"
                f"<tr><td>发布时间：12-30 10:20　来源：县人社局　作者：李晓燕</td></tr>"
                f"<tr><td class='c'>{PROSE}<br><br>{PROSE2}<br><br></td></tr></table>"
                "<table><tr><td><a href='/1'>县城新建公园正式开放</a><br><a href='/2'>开展冬季安全生产大检查</a></td></tr></table>",
                head="<title>我县举办冬季农民工专场招聘会-永兴新闻网</title>")
    article = parse(html, "http://www.yxnews.example.cn/html/2021/1230/12345.html")
    assert article.title == "我县举办冬季农民工专场招聘会"
    assert article.published == datetime(2021, 12, 30, 10, 20, tzinfo=CST)
    assert article.source == "县人社局" and article.authors == ("李晓燕",)
    assert article.text.splitlines() == [PROSE, PROSE2]


def test_content_after_a_stray_early_html_end_tag_is_read():
    html = ("<html><head><title>新能源车下乡再扩围_示例网</title></head><body><div class='top'>导航</div></body></html>"
            f"<div class='article'><h1>新能源车下乡再扩围</h1><p>{PROSE}</p><p>{PROSE2}</p></div>")
    assert parse(html).text.splitlines() == [PROSE, PROSE2]


def test_noise_inside_the_container_is_removed_and_credit_lines_become_fields():
    html = page(f"""<h1>新能源车下乡再扩围</h1><div class="info">2021-12-30 18:35:22 来源：观察者网</div>
      <div class="article-content">
        <p>新京报讯（记者 吴为 王某某）{PROSE}</p>
        <div class="share-bar"><a>微信</a><a>微博</a></div>
        <p>{PROSE2}</p>
        <div class="stock-quote-box"><table><tr><td>天齐锂业</td><td>112.50</td><td>+7.32%</td></tr></table></div>
        <div class="box"><h4>相关阅读</h4><ul><li><a href="/1">11月新能源车销量创新高</a></li>
          <li><a href="/2">充电桩企业扎堆上市</a></li></ul></div>
        <p>{PROSE3}</p>
        <p>编辑 张畅 校对 陈荻雁</p>
        <p>免责声明：本文仅代表作者观点，与本站无关。</p>
        <p>风险提示：本文所提到的观点仅代表个人的意见，据此买卖，风险自负。</p>
        <p>版权声明：本文系独家稿件，未经授权不得转载。</p>
      </div>""")
    article = parse(html)
    assert article.text.splitlines() == ["新京报讯（记者 吴为 王某某）" + PROSE, PROSE2, PROSE3]
    assert article.authors == ("吴为", "王某某")
    assert article.editors == ("张畅", "陈荻雁")
    assert article.source == "观察者网"
    assert article.published == datetime(2021, 12, 30, 18, 35, 22, tzinfo=CST)


def test_captions_lists_tables_and_subheadings_are_kept():
    html = page(f"""<h1>新能源车下乡再扩围</h1><div class="content"><p>{PROSE}</p>
      <figure><img src="/img/a.jpg" alt=""><figcaption>县城里的公共充电站。（视觉中国）</figcaption></figure>
      <h2>农村充电：“有车无桩”</h2><p>{PROSE2}</p>
      <ul><li>2022年第一季度，先在广州开放；</li><li>2022年下半年，逐步扩展到北京。</li></ul>
      <table><tr><th>指标</th><th>2021年</th></tr><tr><td>充电桩（万台）</td><td>232.3</td></tr></table>
      <p>{PROSE3}</p></div>""")
    markdown = parse(html).markdown
    assert "县城里的公共充电站。（视觉中国）" in markdown
    assert "## 农村充电：“有车无桩”" in markdown
    assert "- 2022年第一季度，先在广州开放；" in markdown
    assert "| 充电桩（万台） | 232.3 |" in markdown
    assert "![](https://www.example-news.cn/img/a.jpg)" in markdown


def test_a_body_that_only_exists_in_script_json_is_read_from_it():
    state = ('{"detail":{"title":"成渝中线高铁开工建设","author":"王磊","source":"九派新闻",'
             '"publishTime":"2021-12-30 14:26:10","content":"<p>' + PROSE + '</p><p>' + PROSE2 + '</p>"}}')
    html = page(f"<div id='root'>加载中...</div><script>window.__INITIAL_STATE__={state};</script>",
                head="<title>成渝中线高铁开工建设-九派新闻</title>")
    article = parse(html)
    assert article.text.splitlines() == [PROSE, PROSE2]
    assert article.extra == {"body_from_script": True}
    assert article.published == datetime(2021, 12, 30, 14, 26, 10, tzinfo=CST)
    assert article.authors == ("王磊",) and article.source == "九派新闻"


def test_text_left_in_an_unreadable_script_is_a_parse_error_never_an_empty_article():
    encoded = (PROSE + PROSE2 + PROSE3).encode("unicode_escape").decode()
    html = page(f"<div id='root'></div><script>render(\"{encoded}\", \"{encoded}\");</script>",
                head="<title>成渝中线高铁开工建设-九派新闻</title>")
    with pytest.raises(ParseError, match="only in the page's scripts") as caught:
        parse(html)
    assert not isinstance(caught.value, NotAnArticle) and caught.value.exit_code == 7


# --- title, time, people ------------------------------------------------------------------------------

def test_headline_is_reconciled_with_the_declared_title_and_the_site_name_is_dropped():
    head = ("<title>新能源车下乡再扩围，县域充电桩缺口如何补？-观察者网</title>"
            "<meta property='og:title' content='新能源车下乡再扩围，县域充电桩缺口如何补？_观察者网'>")
    body = f"<h1 class='logo'>观察者网</h1><h1>新能源车下乡再扩围，县域充电桩缺口如何补？</h1><p>{PROSE}</p><p>{PROSE2}</p>"
    assert parse(page(body, head)).title == "新能源车下乡再扩围，县域充电桩缺口如何补？"
    no_h1 = f"<div class='x'><p>{PROSE}</p><p>{PROSE2}</p></div>"
    assert parse(page(no_h1, head)).title == "新能源车下乡再扩围，县域充电桩缺口如何补？"


def test_the_date_of_a_related_article_or_a_copyright_line_is_never_the_publication_date():
    body = (f"<div class='side'><ul><li><a href='/1'>川藏铁路雅林段建设提速</a><span>2021-12-28 17:45</span></li>"
            f"<li><a href='/2'>成都发布冬季旅游线路</a><span>2021-12-27 11:03</span></li></ul></div>"
            f"<h1>新能源车下乡再扩围</h1><div class='content'><p>{PROSE}</p><p>{PROSE2}</p></div>"
            "<div class='footer'>Copyright © 2005-2021 示例新闻网 版权所有</div>")
    assert parse(page(body)).published is None
    dated = body.replace("<div class='content'>", "<div class='info'>2021年12月18日 10:02</div><div class='content'>")
    assert parse(page(dated)).published == datetime(2021, 12, 18, 10, 2, tzinfo=CST)


def test_structured_time_wins_and_english_visible_times_keep_their_zone():
    head = ('<title>S&amp;P 500 slips | CNBC</title><script type="application/ld+json">'
            '{"@type":"NewsArticle","headline":"S&P 500 slips","datePublished":"2021-12-30T13:48:00+0000",'
            '"author":{"@type":"Person","name":"Maggie Fitzgerald"}}</script>')
    text = "<p>The S&amp;P 500 slipped on Thursday, retreating from an all-time high in thin holiday trading.</p>" * 3
    article = parse(page(f"<h1>S&amp;P 500 slips</h1><article>{text}</article>", head), "https://www.cnbc.example/a")
    assert article.published == datetime(2021, 12, 30, 13, 48, tzinfo=timezone.utc)
    assert article.authors == ("Maggie Fitzgerald",)
    visible = page(f"<h1>S&amp;P 500 slips</h1><div class='byline'>By MIKE STOBBE and CARLA K. JOHNSON</div>"
                   f"<time>Published Thu, Dec 30 2021 8:48 AM EST</time><article>{text}</article>",
                   "<title>S&amp;P 500 slips | Example</title><meta name='author' content='Mike Stobbe; Email Com'>")
    article = parse(visible, "https://www.example.com/a")
    assert article.published == datetime(2021, 12, 30, 8, 48, tzinfo=timezone(timedelta(hours=-5)))
    assert article.authors == ("Mike Stobbe", "Carla K. Johnson")


# --- pages that are not articles ----------------------------------------------------------------------

def test_a_home_page_is_not_an_article():
    items = "".join(f"<li><a href='/a/{i}'>第{i}条新闻的标题写得比较长一些</a></li>" for i in range(30))
    html = page(f"<div class='nav'><a href='/'>首页</a></div><div class='focus'><ul>{items}</ul></div>",
                head="<title>示例新闻网_首页</title>")
    with pytest.raises(NotAnArticle, match="no article on the page"):
        parse(html, "https://www.example-news.cn/")


def test_a_list_page_with_excerpts_is_not_an_article():
    items = "".join(f"<div class='item'><h3><a href='/a/{i}'>第{i}条新闻：新能源车下乡再扩围</a></h3>"
                    f"<p>{PROSE}</p><span>2021-12-{i + 1:02d}</span></div>" for i in range(12))
    html = page(f"<div class='list'>{items}</div>", head="<title>财经频道_示例新闻网</title>")
    with pytest.raises(NotAnArticle, match="list"):
        parse(html, "https://www.example-news.cn/finance/")


def test_a_video_only_page_is_not_an_article():
    html = page("<h1>视频：泉州湾跨海大桥合龙</h1><div class='player'><video src='/v.mp4'></video></div>"
                "<p>泉州湾跨海大桥合龙现场。</p>", head="<title>视频：泉州湾跨海大桥合龙</title>"
                "<meta property='og:type' content='video.other'>")
    with pytest.raises(NotAnArticle, match="video"):
        parse(html, "https://v.example-news.cn/2021/12/30/v1.html")


def test_extract_routes_unknown_hosts_to_the_generic_parser():
    html = page(f"<h1>新能源车下乡再扩围</h1><div class='content'><p>{PROSE}</p><p>{PROSE2}</p></div>")
    article = extract(html.encode(), "https://news.unknown-site.example/2021/12/30/1.html")
    assert article.parser == "generic" and article.text.startswith(PROSE)


# --- the evaluation set -------------------------------------------------------------------------------

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_eval_page_body_is_nearly_complete_and_clean(case):
    article = GenericParser().parse(Page(html=case.html, url=case.url))
    assert body_f1(article.text, case.body, case.chinese) >= 0.95  # measured minimum 0.976 (bbcen-1)
    assert [noise for noise in case.noise if noise in article.text] == []


def test_eval_set_metadata():
    articles = [GenericParser().parse(Page(html=c.html, url=c.url)) for c in CASES]
    assert len(CASES) >= 31
    # measured: every title, time and outlet right on the 33 pages (31 + 2 corpus pages); allow one slip each
    assert sum(title_match(a.title, c.title) for a, c in zip(articles, CASES)) >= len(CASES) - 1
    assert sum(time_match(a.published, c.time) for a, c in zip(articles, CASES)) >= len(CASES) - 1
    assert sum(outlet_match(a.source, c.outlets) for a, c in zip(articles, CASES)) >= len(CASES) - 1


CORPUS_CASES = load_cases(Path(__file__).resolve().parent.parent / "eval" / "labels-corpus.json", corpus_path())


@pytest.mark.parametrize("case", params(CORPUS_CASES, corpus_path(), ids=[c.name for c in CORPUS_CASES]))
def test_real_pages_of_parser_sites_read_well_through_the_generic_parser(case):
    """The corpus pages (skipped when ../shared/corpus is absent), forced through the generic parser."""
    article = GenericParser().parse(Page(html=case.html, url=case.url))
    assert body_f1(article.text, case.body, case.chinese) >= 0.93  # measured minimum 0.956 (qq-2)
    assert title_match(article.title, case.title)
    assert time_match(article.published, case.time)


def test_a_short_brief_is_still_an_article():
    brief = "证券时报e公司讯，当升科技：9614.5万元竞得常州市工业用地。"
    html = page(f"<h1>当升科技竞得常州工业用地</h1><div class='info'>2019-09-26 12:11</div>"
                f"<div class='txt_con'>{brief}<p></p></div><div class='nav'><a href='/'>首页</a><a href='/kx'>快讯</a></div>",
                head="<title>当升科技竞得常州工业用地_证券时报网</title>")
    article = parse(html, "http://kuaixun.stcn-example.com/2019/0926/1.shtml")
    assert article.text == brief + "\n"
    assert article.published == datetime(2019, 9, 26, 12, 11, tzinfo=CST)


def test_outlet_from_a_nofollow_link_and_date_above_the_headline_and_no_title_tag():
    html = ("<html><head><title></title></head><body><div class='art'>"
            "<div class='fb'>发表于 2019-01-24 07:47:30 网页版</div><h1>光大银行：2018年净利润同比增长6.7%</h1>"
            "<div class='tip'><a href='http://www.cls.example/1' rel='nofollow'>财联社</a></div>"
            f"<div class='text'><p>{PROSE}</p><p>{PROSE2}</p></div></div></body></html>")
    article = parse(html, "https://stock.example.cn/a/1.html")
    assert article.title == "光大银行：2018年净利润同比增长6.7%"
    assert article.published == datetime(2019, 1, 24, 7, 47, 30, tzinfo=CST)
    assert article.source == "财联社"


def test_epoch_seconds_in_next_data_are_the_publication_time():
    data = ('{"props":{"pageProps":{"articleDetail":{"title":"早报","ctime":1783983600,"author":{"name":"财联社"},'
            '"content":"<p>' + PROSE + '</p>"}}}}')
    html = page(f"<div id='__next'><div class='header'>财联社</div></div>"
                f"<script id='__NEXT_DATA__' type='application/json'>{data}</script>",
                head="<title>【早报】央行开展逆回购操作_财联社</title>")
    article = parse(html, "https://www.cls.example/detail/2425210")
    assert article.published == datetime(2026, 7, 14, 7, 0, tzinfo=CST)
    assert article.authors == () and article.text == PROSE + "\n"


def test_dated_sentences_at_the_top_stay_while_repeated_datelines_go():
    from newsfetch.parsers.generic.blocks import filter_blocks

    blocks = [(t, t) for t in ("2021-12-30 18:35:22 来源：观察者网", "Thursday, December 30, 2021",
                               "2021年12月30日，会议在北京召开。", "On December 30, 2021, the council voted.",
                               "By Tuesday, the council had voted to keep the library open on Saturdays.")]
    kept, _ = filter_blocks(blocks, title="标题", site_names=set())
    assert [plain for _, plain in kept] == [
        "2021年12月30日，会议在北京召开。", "On December 30, 2021, the council voted.",
        "By Tuesday, the council had voted to keep the library open on Saturdays."]


def test_a_short_line_holding_the_pager_is_dropped_and_prose_about_pages_stays():
    from newsfetch.parsers.generic.blocks import filter_blocks

    prose = ("他在笔记本的上一页写下计划，又在下一页列出了预算，" + PROSE)   # a sentence, and long: it stays
    blocks = [(t, t) for t in ("2005-04-05 06:40更新 来源：转载文章 第1页/共1页<< 上一页 | 下一页 >>", PROSE,
                               "<< 上一页 | 下一页 >>", "第 2 页 / 共 3 页", prose)]
    kept, _ = filter_blocks(blocks, title="标题", site_names=set())
    assert [plain for _, plain in kept] == [PROSE, prose]


def test_an_edited_headline_in_the_only_h1_wins_and_labels_do_not_run_together():
    html = page(f"<h1>小米 12 系列开售：首销 5 分钟销售额破 10 亿元</h1>"
                "<div class='cv'><span>2021/12/31 10:12:45</span><span>稿源：<a href='/'>IT之家</a></span>"
                "<span>作者：<strong>懒猫</strong></span> <span>责编：<strong>懒猫</strong></span> <span>评论：312</span></div>"
                f"<div class='post_content'><p>{PROSE}</p><p>{PROSE2}</p></div>",
                head="<title>小米 12 系列发布会定档 12 月 28 日 - IT之家</title>")
    article = parse(html, "https://www.ithome.example/0/595/183.htm")
    assert article.title == "小米 12 系列开售：首销 5 分钟销售额破 10 亿元"
    assert article.authors == ("懒猫",) and article.source == "IT之家"
    assert article.published == datetime(2021, 12, 31, 10, 12, 45, tzinfo=CST)


def test_a_long_sidebar_or_footer_box_is_never_taken_for_a_shorter_post():
    # Recent comments in the sidebar and an "about us" box in the footer are long prose, long enough that pruning
    # keeps them; each weighs what its section weighs, so the post beside them stays the body.
    post = ("Jamie Pattyn, whose day job is in the service industry, makes fire logs out of used coffee grounds. "
            "He collects the grounds from three cafés, presses them by hand and sells the logs at a market.")
    snippets = "".join(f"<li><strong>Reader {n}</strong> I read this twice, and I still wonder why the city never "
                       f"tried it, since the winters here are long, cold and dark. Thanks for writing it!</li>"
                       for n in range(6))
    about = " ".join(["Example Media is an independent publisher of news and lifestyle sites, with offices in two "
                      "cities, covering trends, products, art, design and much more."] * 3)
    for beside in (f"<div id='sidebar'><div class='box'><h3>Latest</h3><ul>{snippets}</ul></div></div>",
                   f"<footer><div class='container'><h4>About us</h4><p>{about}</p><p>{about}</p></div></footer>"):
        html = (f"<html><head><title>Coffee fire logs</title></head><body><div class='main'><h1>Coffee fire logs</h1>"
                f"<div class='box'><p>{post}</p><p>{post}</p><p>{post}</p></div></div>{beside}</body></html>")
        article = parse(html, "https://www.blog.example/2012/11/coffee-logs")
        assert article.text.splitlines() == [post, post, post], beside[:30]


def test_a_short_post_in_bloggers_posts_box_is_the_body():
    # Blogger puts every post in `<div class="widget Blog">`: a box of the page's posts, not a widget of furniture,
    # even when the post is two short paragraphs
    first = "Google Reader has finally come to the desktop, as announced on the Reader blog last week."
    second = "The gadget is a quick way to check your subscriptions. Please give it a try and tell us what you think."
    html = ("<html><head><title>Inside Example Desktop: The Reader gadget</title></head><body>"
            "<div id='header'><h1>Inside Example Desktop</h1><h2>The official source of news about it.</h2></div>"
            "<div class='main section' id='main'><div class='widget Blog' id='Blog1'><div class='blog-posts'>"
            "<div class='post'><h3 class='post-title'>The Reader gadget</h3>"
            f"<div class='post-body'><p>{first}</p><p>{second}</p></div></div></div></div></div>"
            "<div class='sidebar section' id='sidebar'><div class='widget BlogArchive'><h2>Archive</h2><ul>"
            "<li><a href='/2009/06/'>June 2009</a></li><li><a href='/2009/05/'>May 2009</a></li></ul></div></div>"
            "</body></html>")
    article = parse(html, "https://desktop.blog.example/2009/06/reader-gadget.html")
    assert article.text.splitlines() == [first, second]
