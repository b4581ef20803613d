"""Unit tests of the core's pure functions: clean_body, the Markdown renderer, render_post, stocks, tracking,
dates. Each input is a small piece of markup as the sites write it (shared/sites/*.md)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import lxml.html
import pytest
import yaml

from newsfetch.article import Article
from newsfetch.clean import clean_body
from newsfetch.dates import CHINA_TZ, date_from_url, jekyll_date, parse_cn_datetime, parse_iso_datetime
from newsfetch.markdown import escape_line_start, render
from newsfetch.page import drop_keeping_tail, hand_tail_back
from newsfetch.render import PostStyle, front_matter, render_json, render_post
from newsfetch.stocks import code_from_data_code, code_from_eastmoney_href, eastmoney_code, prefixed_code, unique
from newsfetch.tracking import is_tracking_pixel, normalize_url, strip_tracking


def body(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html, create_parent="div")


def cleaned_markdown(html: str, **options):
    result = clean_body(body(html), **options)
    return result, render(result.body).markdown


# --- clean_body: stock widgets ------------------------------------------------------------------------

KLINE = ('<p style="display:none;height:1px;overflow:hidden;"><br /></p><!-- EM_StockImg_Start -->'
         '<p style="text-align:center;"><a href="http://quote.eastmoney.com/unify/r/116.01024" data-code="01024|116|5" '
         'class="EmImageRemark" target="_blank"><img src="https://webquoteklinepic.eastmoney.com/GetPic.aspx?'
         'nid=116.01024&amp;imageType=k" alt="K图 01024_0" /></a></p><!-- EM_StockImg_End -->'
         '<p>快手电商发布服务商体系2.0。</p>')


def test_kline_widget_goes_and_its_stock_is_kept():
    result, markdown = cleaned_markdown(KLINE)
    assert markdown == "快手电商发布服务商体系2.0。\n"
    assert unique(result.stocks) == ("01024.HK",)


def test_keytips_become_text_and_stocks_boards_do_not():
    result, markdown = cleaned_markdown(
        '<p>国内首款<span id="bk_90.BK0493"><a href="http://quote.eastmoney.com/unify/r/90.BK0493" class="keytip" '
        'data-code="90,BK0493">新能源</a></span><span id="bkquote_90.BK0493"></span>汽车，'
        '<span id="stock_106.NIO"><a href="http://quote.eastmoney.com/unify/r/106.NIO" class="keytip" '
        'data-code="106,NIO">蔚来</a></span><span id="quote_106.NIO"></span>与<span web="1" '
        'href="http://quote.eastmoney.com/unify/r/1.600160" class="em_stock_key_common" data-code="1,600160">'
        '巨化股份</span>的<span id="Info.3321"><a href="http://data.eastmoney.com/bbsj/" class="infokey">业绩</a>'
        '</span>。</p>')
    assert markdown == "国内首款新能源汽车，蔚来与巨化股份的业绩。\n"
    assert unique(result.stocks) == ("NIO.US", "600160.SH")


def test_keytip_inside_the_source_line_still_lifts_the_source():
    result, markdown = cleaned_markdown(
        '<p>正文内容在这里，足够长的一段。</p><p class="em_media">（文章来源：上海<span id="bk_90.BK0473"><a '
        'href="http://quote.eastmoney.com/unify/r/90.BK0473" class="keytip" data-code="90,BK0473">证券</a>'
        '</span><span id="bkquote_90.BK0473"></span>报）</p>')
    assert result.source == "上海证券报"
    assert markdown == "正文内容在这里，足够长的一段。\n"


# --- clean_body: noise -------------------------------------------------------------------------------

@pytest.mark.parametrize("noise", [
    '<p style="display: none">隐藏段落</p>', '<p style="visibility:hidden">隐藏段落</p>', "<p hidden>隐藏段落</p>",
    "<script>var 隐藏段落 = 1;</script>", "<style>p{}</style>", '<iframe src="https://x.example/ad"></iframe>',
    '<form><input name="q"><button>搜索</button></form>', '<div class="share-bar">分享到：微信 微博</div>',
    '<div class="qrcode"><img src="/qr.png"><p>扫码关注</p></div>', '<div class="ad_context3">广告</div>',
    '<div id="adv-box"><a href="https://ads.example.com/">广告</a></div>', "<p>　　打开微信，</p>",
    "<p>点击底部的“发现”，</p>", "<p>下载东方财富APP，查看更多资讯</p>", "<!-- 注释 -->",
    '<div class="related-news"><a href="/1">相关阅读一</a></div>',
])
def test_noise_is_removed(noise):
    result, markdown = cleaned_markdown(f"<p>第一段正文。</p>{noise}<p>第二段正文。</p>")
    assert markdown == "第一段正文。\n\n第二段正文。\n"


def test_site_noise_selectors():
    _, markdown = cleaned_markdown('<p>正文。</p><div class="fenxiang-x"><p>站点自己的栏目</p></div>',
                                   noise=("div.fenxiang-x",))
    assert markdown == "正文。\n"


def test_long_prose_in_a_noisy_class_is_kept():
    prose = "这是一段很长的正文内容，讨论市场走势和政策变化。" * 20
    _, markdown = cleaned_markdown(f'<div class="article-share-content"><p>{prose}</p></div>')
    assert prose in markdown


def test_tracking_parameters_and_pixels():
    _, markdown = cleaned_markdown(
        '<p>见<a href="https://example.com/a?id=7&amp;utm_source=wx&amp;spm=1.2">报告</a>。</p>'
        '<img src="https://img.example.com/p.jpg?utm_medium=feed&amp;w=800">'
        '<img src="https://hm.baidu.com/hm.gif?si=1"><img src="/t.gif" width="1" height="1">',
        base_url="https://news.example.com/2021/1.html")
    assert markdown == "见[报告](https://example.com/a?id=7)。\n\n![](https://img.example.com/p.jpg?w=800)\n"


def test_relative_and_protocol_relative_addresses_are_made_absolute():
    _, markdown = cleaned_markdown('<p><img src="//i2.chinanews.com.cn/a.jpg"></p><p><a href="../b.html">上一篇报道</a></p>',
                                   base_url="https://www.chinanews.com.cn/cj/2021/12-30/1.shtml")
    assert "![](https://i2.chinanews.com.cn/a.jpg)" in markdown
    assert "[上一篇报道](https://www.chinanews.com.cn/cj/2021/b.html)" in markdown


@pytest.mark.parametrize("line,field,value", [
    ("（文章来源：中国新闻网）", "source", "中国新闻网"),
    ("来源：证券时报网", "source", "证券时报网"),
    ("（责任编辑：DF064）", "editors", ["DF064"]),
    ("责任编辑：张三 李四", "editors", ["张三", "李四"]),
    ("原标题：英特尔紫光展锐5G合作“分手”", "original_title", "英特尔紫光展锐5G合作“分手”"),
    ("作者：王思文", "authors", ["王思文"]),
])
def test_metadata_lines_become_fields(line, field, value):
    result, markdown = cleaned_markdown(f"<p>正文第一段。</p><p>　　{line}</p>")
    assert getattr(result, field) == value
    assert markdown == "正文第一段。\n"


def test_two_metadata_items_on_one_line():
    result, markdown = cleaned_markdown("<p>正文。</p><p>来源：新华社 责任编辑：王昊</p>")
    assert (result.source, result.editors, markdown) == ("新华社", ["王昊"], "正文。\n")


def test_sentences_that_mention_a_source_stay():
    line = "据新华社报道，来源：不明的消息称市场将上涨，但这一说法并未得到证实，分析人士对此持谨慎态度。"
    result, markdown = cleaned_markdown(f"<p>{line}</p>")
    assert result.source is None and markdown == line + "\n"


def test_lift_metadata_can_be_turned_off():
    result, markdown = cleaned_markdown("<p>正文。</p><p>责任编辑：王昊</p>", lift_metadata=False)
    assert result.editors == [] and "责任编辑：王昊" in markdown


# --- Markdown rendering ------------------------------------------------------------------------------

def md(html: str) -> str:
    return render(body(html)).markdown


def test_cjk_line_breaks_add_no_spaces_latin_ones_do():
    assert md("<p>\r\n快手电商\n发布服务商\r\n体系。\n</p>") == "快手电商发布服务商体系。\n"
    assert md("<p>Factory\nactivity   expands\n</p>") == "Factory activity expands\n"
    assert md("<p>快手\nKuaishou\n电商</p>") == "快手Kuaishou电商\n"


def test_full_width_indent_and_empty_paragraphs_go():
    assert md("<p>　　第一段。</p><p>&nbsp;</p><p>\u3000</p><p><br></p><p>　　第二段。</p>") == "第一段。\n\n第二段。\n"


def test_inline_formatting_and_links():
    assert md('<p><strong>加粗</strong>、<em>强调</em>、<a href="https://a.example/x">链接</a>、'
              '<a href="javascript:void(0)">假链接</a>、<code>x_y</code></p>') == \
        "**加粗**、*强调*、[链接](https://a.example/x)、假链接、`x_y`\n"


@pytest.mark.parametrize("html, expected", [
    ("<p>what do<i> you</i> think</p>", "what do *you* think\n"),
    ("<p>what do <i>you </i>think</p>", "what do *you* think\n"),
    ('<p>read<a href="https://a.example/x"> the report </a>now</p>', "read [the report](https://a.example/x) now\n"),
    ("<p>Hello<span> world</span>!</p>", "Hello world!\n"),
    ("<p>x<span><b> y</b></span>z</p>", "x **y**z\n"),
    ("<p><b> Lead</b> text</p>", "**Lead** text\n"),              # a paragraph's own edges are still trimmed
    ("<p>中文<b>加粗</b>文字</p>", "中文**加粗**文字\n"),           # and no space is made where the page has none
])
def test_the_space_between_two_words_survives_an_inline_edge(html, expected):
    assert md(html) == expected


def test_headings_lists_quotes_code():
    html = ("<h2>小标题</h2><ul><li>甲</li><li>乙<ul><li>乙一</li></ul></li></ul><ol start='3'><li>三</li>"
            "<li>四</li></ol><blockquote><p>引用一</p><p>引用二</p></blockquote><pre>code  line\n  two</pre>")
    assert md(html) == ("## 小标题\n\n- 甲\n- 乙\n  - 乙一\n\n3. 三\n4. 四\n\n> 引用一\n>\n> 引用二\n\n"
                        "```\ncode  line\n  two\n```\n")


def test_a_code_block_keeps_its_highlighted_tokens_and_its_br_line_breaks():
    # a syntax highlighter's markup (v8.dev): lines ended by <br>, tokens in spans named `token keyword`
    html = ('<pre><span class="token directive-hash">#</span><span class="token keyword directive">include</span> '
            '<span class="token string">&lt;stdio.h&gt;</span><br><br><span class="token keyword">int</span> x;</pre>')
    assert md(html) == "```\n#include <stdio.h>\n\nint x;\n```\n"
    assert md("<pre>a = 1<!-- set -->;<br>b = 2</pre>") == "```\na = 1;\nb = 2\n```\n"  # a comment's tail is code


def test_images_keep_meaningful_alt_only():
    assert md('<center><img src="https://x.example/a.jpg" alt="K线图说明"></center><p><img src="https://x.example/b.jpg" '
              'alt="图片"></p><img src="https://x.example/c (1).jpg" title="配图标题">') == \
        ("![K线图说明](https://x.example/a.jpg)\n\n![](https://x.example/b.jpg)\n\n"
         "![配图标题](https://x.example/c%20%281%29.jpg)\n")


@pytest.mark.parametrize("alt, kept", [
    ("0225-lupita-nyongo-getty-01", ""), ("IMG_6695_edited-1", ""), ("An image", ""), ("photo.JPG", ""),
    ("Lupita Nyong'o at the Oscars", "Lupita Nyong'o at the Oscars"), ("well-known", "well-known"), ("配图", "配图"),
])
def test_an_alt_text_that_is_a_file_name_or_a_placeholder_is_no_caption(alt, kept):
    assert md(f'<p><img src="https://x.example/p.jpg" alt="{alt}"></p>') == f"![{kept}](https://x.example/p.jpg)\n"


def test_tables_as_pipe_tables():
    html = ("<table><tr><th>项目</th><th>说明</th></tr><tr><td>A|B</td><td>第一行<br>第二行</td></tr>"
            "<tr><td>只有一格</td></tr></table>")
    assert md(html) == "| 项目 | 说明 |\n|---|---|\n| A\\|B | 第一行 第二行 |\n| 只有一格 |  |\n"


def test_layout_tables_render_as_blocks():
    assert md('<table><tr><td><img src="https://x.example/a.jpg"></td></tr><tr><td>图注文字</td></tr></table>') == \
        "![](https://x.example/a.jpg)\n\n图注文字\n"
    # an old page that wraps its article in a one-cell table
    assert md("<table><tr><td><p>第一段正文。</p><p>第二段正文。</p></td></tr></table>") == "第一段正文。\n\n第二段正文。\n"
    # while Word-style data tables keep their grid even with <p> in the cells
    assert md("<table><tr><td><p>项目</p></td><td><p>数值</p></td></tr><tr><td><p>A</p></td><td><p>1</p></td></tr>"
              "</table>") == "| 项目 | 数值 |\n|---|---|\n| A | 1 |\n"


@pytest.mark.parametrize("html,expected", [
    ("<p>1. 不是列表</p>", "1\\. 不是列表\n"),
    ("<p># 不是标题</p>", "\\# 不是标题\n"),
    ("<p>- 不是列表</p>", "\\- 不是列表\n"),
    ("<p>> 不是引用</p>", "\\> 不是引用\n"),
    ("<p>a*b*c_d_[e](f)`g`</p>", "a\\*b\\*c\\_d\\_\\[e\\](f)\\`g\\`\n"),
    ("<p>&lt;script&gt;alert(1)&lt;/script&gt; 与 &lt;蒙特利尔议定书&gt;</p>",
     "\\<script>alert(1)\\</script> 与 <蒙特利尔议定书>\n"),
    ("<p>模板 {{ site.title }} 与 {% include x %}</p>", "模板 &#123;{ site.title }} 与 &#123;% include x %}\n"),
    ("<p>价格 $$100</p>", "价格 \\$\\$100\n"),
])
def test_text_is_escaped(html, expected):
    assert md(html) == expected


def test_escape_line_start_leaves_plain_lines():
    assert escape_line_start("2021年12月30日") == "2021年12月30日"
    assert escape_line_start("12. 第十二条") == "12\\. 第十二条"


def test_plain_text_is_one_paragraph_a_line():
    rendered = render(body("<h2>标题</h2><p>第一段<strong>加粗</strong>。</p><ul><li>甲</li><li>乙</li></ul>"))
    assert rendered.text == "标题\n第一段加粗。\n甲\n乙\n"


def test_rendering_is_deterministic():
    html = KLINE + '<table><tr><td>1</td></tr></table><p><a href="https://a.example">x</a></p>'
    assert md(html) == md(html)


# --- render_post ---------------------------------------------------------------------------------------

ARTICLE = Article(
    title='快手电商: "服务商体系2.0" #发布',
    url="https://finance.eastmoney.com/a/202112302231746483.html",
    published=datetime(2021, 12, 30, 10, 35, 35, tzinfo=timezone.utc),
    authors=("张三",), editors=("李四", "王五"), source="中国新闻网", site="东方财富网", parser="eastmoney",
    parser_version="2", original_title="原来的标题", stocks=("01024.HK",), markdown="正文。\n", text="正文。\n",
    extra={"paywalled": True, "more_pages": []},
)


def test_front_matter_order_values_and_yaml():
    post = render_post(ARTICLE)
    head, _, rest = post.partition("\n---\n")
    data = yaml.safe_load(head.removeprefix("---\n"))
    assert list(data) == ["layout", "title", "date", "categories", "tags", "source", "url", "author", "editor",
                          "original_title", "stocks", "parser", "paywalled"]
    assert data["title"] == '快手电商: "服务商体系2.0" #发布'       # quoted by YAML, read back intact
    assert data["date"] == "2021-12-30 18:35:35 +0800"              # UTC shown in the archive's time zone
    assert data["categories"] == "zhongguoxinwenwang" and data["tags"] == "中国新闻网新闻"
    assert data["author"] == "张三" and data["editor"] == ["李四", "王五"]
    assert data["parser"] == "eastmoney@2" and data["paywalled"] is True
    assert rest == "\n正文。\n"


def test_absent_facts_are_left_out():
    post = render_post(Article(title="标题", markdown="正文。\n"))
    assert post == "---\nlayout: post\ntitle: 标题\nparser: generic@1\n---\n\n正文。\n"


def test_post_style_templates():
    style = PostStyle(layout="news", timezone="UTC", category="{site}", tag="")
    data = front_matter(ARTICLE, style)
    assert data["layout"] == "news" and data["categories"] == "东方财富网" and "tags" not in data
    assert data["date"] == "2021-12-30 10:35:35 +0000"
    assert "categories" not in front_matter(Article(title="t"), PostStyle(category="{source_slug}"))


def test_render_json():
    import json

    data = json.loads(render_json(ARTICLE))
    assert data["published"] == "2021-12-30T10:35:35+00:00" and data["markdown"] == "正文。\n"
    assert data["stocks"] == ["01024.HK"] and data["text"] == "正文。\n"


def test_render_is_deterministic():
    assert render_post(ARTICLE) == render_post(ARTICLE)


# --- stocks, tracking, dates -------------------------------------------------------------------------------

@pytest.mark.parametrize("market,code,expected", [
    ("1", "600030", "600030.SH"), ("0", "300343", "300343.SZ"), ("0", "830799", "830799.BJ"),
    ("116", "01024", "01024.HK"), ("106", "nio", "NIO.US"), ("105", "AAPL", "AAPL.US"),
    ("90", "BK0493", None), ("8", "IF2203", None), ("999", "X", None),
])
def test_eastmoney_code(market, code, expected):
    assert eastmoney_code(market, code) == expected


@pytest.mark.parametrize("href,expected", [
    ("http://quote.eastmoney.com/unify/r/1.600030", "600030.SH"),
    ("https://quote.eastmoney.com/unify/r/116.01024?from=news", "01024.HK"),
    ("http://quote.eastmoney.com/sz002049.html", "002049.SZ"),
    ("http://quote.eastmoney.com/us/NIO.html", "NIO.US"), ("http://quote.eastmoney.com/hk/00700.html", "00700.HK"),
    ("http://quote.eastmoney.com/unify/r/90.BK1036", None),
    ("http://data.eastmoney.com/bbsj/", None), (None, None),
])
def test_code_from_eastmoney_href(href, expected):
    assert code_from_eastmoney_href(href) == expected


@pytest.mark.parametrize("value,expected", [
    ("1,600030", "600030.SH"), ("01024|116|5", "01024.HK"), ("K NIO|106|7", "NIO.US"),
    ("601818,1,1", "601818.SH"), ("000001,2,0", "000001.SZ"), ("90,BK0493", None), ("", None),
])
def test_code_from_data_code(value, expected):
    assert code_from_data_code(value) == expected


def test_prefixed_codes_and_unique():
    assert [prefixed_code(v) for v in ("sh600000", "hk00700", "gb_aapl", "sz000001", "xx1")] == \
        ["600000.SH", "00700.HK", "AAPL.US", "000001.SZ", None]
    assert unique(["600000.SH", None, "00700.HK", "600000.SH"]) == ("600000.SH", "00700.HK")


@pytest.mark.parametrize("url,expected", [
    ("https://a.example/x?id=1&utm_source=wx&spm=a.b&from=timeline", "https://a.example/x?id=1"),
    ("https://a.example/x?utm_campaign=y", "https://a.example/x"),
    ("https://a.example/x?b=2&a=1&c=%E4%B8%AD", "https://a.example/x?b=2&a=1&c=%E4%B8%AD"),  # untouched
    ("https://a.example/x?fbclid=1#frag", "https://a.example/x#frag"),
    ("https://a.example/x", "https://a.example/x"),
])
def test_strip_tracking(url, expected):
    assert strip_tracking(url) == expected


def test_tracking_pixels_and_url_identity():
    assert is_tracking_pixel("https://hm.baidu.com/hm.gif?x=1")
    assert is_tracking_pixel("https://img.example.com/a.gif", "1", "1")
    assert not is_tracking_pixel("https://img.example.com/chart.png", "600", "400")
    assert normalize_url("HTTPS://News.Example.com/a?utm_source=x#top") == "https://news.example.com/a"


@pytest.mark.parametrize("text,expected", [
    ("2021年12月30日 18:35", datetime(2021, 12, 30, 18, 35, tzinfo=CHINA_TZ)),
    ("发表于 2019-01-24 07:47:30 股吧网页版", datetime(2019, 1, 24, 7, 47, 30, tzinfo=CHINA_TZ)),
    ("2021/12/30", datetime(2021, 12, 30, tzinfo=CHINA_TZ)),
    ("2021.12.30 8:05", datetime(2021, 12, 30, 8, 5, tzinfo=CHINA_TZ)),
    ("2022-01-01T12:00:00Z", datetime(2022, 1, 1, 12, tzinfo=timezone.utc)),
    ("2021-02-30 10:00 然后 2021-03-01 09:00", datetime(2021, 3, 1, 9, tzinfo=CHINA_TZ)),  # impossible date skipped
    ("没有日期", None), (None, None),
])
def test_parse_cn_datetime(text, expected):
    assert parse_cn_datetime(text) == expected


def test_iso_dates_url_dates_and_jekyll_format():
    assert parse_iso_datetime("2022-03-14T09:30:00+00:00") == datetime(2022, 3, 14, 9, 30, tzinfo=timezone.utc)
    assert parse_iso_datetime("2022-03-14 09:30").tzinfo == CHINA_TZ
    assert parse_iso_datetime("2022年03月14日 09:30") == datetime(2022, 3, 14, 9, 30, tzinfo=CHINA_TZ)
    assert date_from_url("https://finance.eastmoney.com/a/202112302231746483.html") == date(2021, 12, 30)
    assert date_from_url("http://culture.people.com.cn/n1/2019/0615/c1013-31153719.html") == date(2019, 6, 15)
    assert date_from_url("https://stock.hexun.com/2019-09-26/198678130.html") == date(2019, 9, 26)
    assert date_from_url("https://example.com/about") is None
    when = datetime(2021, 12, 30, 10, 35, 35, tzinfo=timezone.utc)
    assert jekyll_date(when, CHINA_TZ) == "2021-12-30 18:35:35 +0800"
    assert jekyll_date(when.astimezone(timezone(timedelta(hours=-5)))) == "2021-12-30 05:35:35 -0500"


def test_a_widget_start_marker_without_its_end_does_not_eat_the_article():
    html = KLINE.replace("<!-- EM_StockImg_End -->", "") + "<p>第二段正文。</p>"
    result, markdown = cleaned_markdown(html)
    assert markdown == "快手电商发布服务商体系2.0。\n\n第二段正文。\n"
    assert unique(result.stocks) == ("01024.HK",)


@pytest.mark.parametrize("html, expected", [
    ("<p>Abigail Williams and Beomsu Jo<button>Share</button> contributed.</p>",
     "Abigail Williams and Beomsu Jo contributed."),
    ("<p><!-- ad --> voraus. (bsc)</p>", " voraus. (bsc)"),
    ("<p>前文<span>去掉</span>后文</p>", "前文后文"),
])
def test_a_removed_node_leaves_its_tail_whitespace_included(html, expected):
    # a whitespace-only tail is the space between two words: dropping it glues them ("Jocontributed")
    paragraph = lxml.html.fragment_fromstring(html)
    victim = next(node for node in paragraph.iter() if node is not paragraph)
    drop_keeping_tail(victim)
    assert paragraph.text_content() == expected


def test_handing_the_tail_back_keeps_the_text_where_the_node_was():
    body = lxml.html.fragment_fromstring("<div><p>一</p><nav>1 2 3</nav>尾巴</div>")
    pager = body.find("nav")
    hand_tail_back(pager)
    assert (pager.tail, body.find("p").tail) == (None, "尾巴")
