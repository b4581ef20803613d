"""A local stand-in for Eastmoney's news-list and news-text APIs, and the article pages they point to.

Shaped after the field lists in shared/sites/eastmoney.md ("News-text API"): list records carry ``title``,
``digest``, ``id``, ``url_w``, ``showtime`` and ``infoCode``; the text API answers ``{"content": …}`` with the
inner markup of ``#ContentBody``. Bodies and titles are written for these tests (not copied from real pages);
they carry the markup the parser must handle: a K-line widget block, stock keytips with live-quote slots, a
repeat-mention span, the hidden first paragraph, an image placeholder and the ``em_media`` source line.

Article pages live on real Eastmoney host names and are served through the local server acting as an HTTP
proxy (``HTTP_PROXY``), so the Eastmoney parser reads them as it would the real site; the APIs are reached
directly on 127.0.0.1 through the ``NEWSFETCH_EASTMONEY_*_URL`` templates.
"""

from __future__ import annotations

import json
from html import escape
from urllib.parse import parse_qs, urlsplit

from .server import LocalServer, Reply, Request

JSON = {"Content-Type": "application/json; charset=utf-8"}
JS = {"Content-Type": "application/javascript; charset=utf-8"}


def content(n: int) -> str:
    """The body markup of article `n`, as the text API answers it and the page holds it in #ContentBody."""
    return (
        '<!--文章主体--><p style="display:none;height:1px;overflow:hidden;"><br /></p>'
        '<!-- EM_StockImg_Start --><p style="text-align:center;"><a href="http://quote.eastmoney.com/unify/r/1.600030" '
        'data-code="600030|1|5" class="EmImageRemark" target="_blank"><img '
        'src="https://webquoteklinepic.eastmoney.com/GetPic.aspx?nid=1.600030&imageType=k&token=0000&at=1" '
        'border="0" alt="K图 600030_0" /></a></p><!-- EM_StockImg_End -->'
        f'<p>　　测试第{n}号：<span id="stock_1.600030"><a target="_blank" href="http://quote.eastmoney.com/unify/r/1.600030" '
        'class="keytip" data-code="1,600030">中信证券</a></span><span id="quote_1.600030"></span>'
        f'今日发布公告称，公司第{n}季度经营情况平稳，营业收入同比增长百分之{n + 10}，市场关注度上升。</p>'
        '<p>　　分析人士指出，<span web="1" target="_blank" href="http://quote.eastmoney.com/unify/r/1.600030" '
        'class="em_stock_key_common" data-code="1,600030">中信证券</span>的业务结构仍在调整之中。</p>'
        '<!-- EM_StockImg_Start --><!--IMG#0--><!-- EM_StockImg_End -->'
        '<p>　　后续进展仍有待观察。<!--Link#1--></p>'
        '<p class="em_media">（文章来源：证券时报网）</p>'
    )


def article_id(n: int) -> str:
    return f"20260819{n:010d}"


def page_url(n: int) -> str:
    return f"http://finance.eastmoney.com/a/{article_id(n)}.html"


def record(n: int) -> dict:
    """A roll-list record for article `n` (newer articles have larger numbers and later times)."""
    return {"title": f"测试公司发布第{n}季度经营公告", "digest": f"【测试公司发布第{n}季度经营公告】营业收入同比增长。",
            "id": article_id(n), "url_w": page_url(n), "showtime": f"2026-08-19 {8 + n % 12:02d}:{n % 60:02d}:00",
            "infoCode": f"NW{article_id(n)}"}


def page(n: int) -> bytes:
    """Article `n`'s page, built from the same record and content as the APIs answer."""
    rec = record(n)
    day, clock = rec["showtime"].split()
    y, m, d = day.split("-")
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{escape(rec['title'])}_东方财富网</title>
<meta name="description" content="{escape(rec['digest'])}"></head>
<body><div class="main"><div class="contentwrap"><div class="contentbox"><div class="mainleft"><div class="zwinfos">
<div class="title">{escape(rec['title'])}</div>
<div class="infos"><div class=" item">{y}年{m}月{d}日 {clock[:5]}</div><div class="item">来源：证券时报网</div></div>
<div id="ContentBody" class="txtinfos" style="margin-top:0;">{content(n)}</div>
</div></div><div class="mainright">推荐阅读</div></div></div></div></body></html>""".encode("utf-8")


def _column_item(rec: object) -> object:
    if not isinstance(rec, dict) or "url_w" not in rec:
        return rec
    return {"code": rec["id"], "showTime": rec["showtime"], "title": rec["title"], "summary": rec["digest"],
            "url": rec["url_w"], "mediaName": "证券时报网"}


class EastmoneyStandIn:
    """The roll list (newest first, `size` a page, JSON or JSONP), the text API, and pages behind a proxy.

    `articles` are the article numbers the list holds now (edit it between runs); `gone` pages answer 404;
    `broken` records are malformed; `text_status` answers the text API with that status instead.
    """

    def __init__(self, articles: list[int], *, jsonp: bool = False) -> None:
        self.articles = list(articles)
        self.jsonp = jsonp
        self.gone: set[int] = set()
        self.broken_records: list[object] = []
        self.text_status: int | None = None
        self.list_status: int | None = None
        self.robots = b""  # robots.txt of the article host
        self.server = LocalServer({"/roll": self._roll, "/text": self._text}, fallback=self._page)

    def __enter__(self) -> EastmoneyStandIn:
        self.server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.__exit__(*exc)

    def env(self) -> dict[str, str]:
        base = self.server.base
        return {"NEWSFETCH_EASTMONEY_ROLL_URL": f"{base}/roll?page={{page}}&size={{size}}",
                "NEWSFETCH_EASTMONEY_COLUMN_URL": f"{base}/roll?column={{column}}&page={{page}}&size={{size}}",
                "NEWSFETCH_EASTMONEY_TEXT_URL": f"{base}/text?id={{id}}",
                "HTTP_PROXY": base, "http_proxy": base, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}

    # ---- what the log says

    def list_pages(self) -> list[int]:
        return [int(parse_qs(urlsplit(r.path).query)["page"][0]) for r in self.server.log if r.path.startswith("/roll")]

    def texts(self) -> list[str]:
        return [parse_qs(urlsplit(r.path).query)["id"][0] for r in self.server.log if r.path.startswith("/text")]

    def pages(self) -> list[str]:
        return [r.path for r in self.server.log if r.path.startswith("http://") and "/a/" in r.path]

    # ---- the routes

    def _roll(self, request: Request) -> Reply:
        if self.list_status:
            return Reply(b"busy", status=self.list_status, headers={"Content-Type": "text/plain"})
        query = parse_qs(urlsplit(request.path).query)
        number, size = int(query["page"][0]), int(query["size"][0])
        newest_first = sorted(self.articles, reverse=True)
        records: list[object] = [record(n) for n in newest_first[(number - 1) * size:number * size]]
        if number == 1:
            records = self.broken_records + records
        if "column" in query:  # getNewsByColumns' shape: data.list, the 18-digit id as `code`, no infoCode
            answer: object = {"code": "1", "data": {"list": [_column_item(r) for r in records], "page_index": number}}
        else:
            answer = {"records": records}
        body = json.dumps(answer, ensure_ascii=False)
        if self.jsonp:
            return Reply(f"jQuery1830_1({body});".encode("utf-8"), headers=JS)
        return Reply(body.encode("utf-8"), headers=JSON)

    def _text(self, request: Request) -> Reply:
        if self.text_status:
            return Reply(b"error", status=self.text_status, headers={"Content-Type": "text/plain"})
        code = parse_qs(urlsplit(request.path).query)["id"][0]
        for n in self.articles:
            if record(n)["infoCode"] == code:
                return Reply(json.dumps({"content": content(n)}, ensure_ascii=False).encode("utf-8"), headers=JSON)
        return Reply(json.dumps({"content": ""}).encode("utf-8"), headers=JSON)

    def _page(self, request: Request) -> Reply | None:
        if request.path == "http://finance.eastmoney.com/robots.txt" and self.robots:
            return Reply(self.robots, headers={"Content-Type": "text/plain"})
        for n in self.articles:
            if request.path == page_url(n):
                return None if n in self.gone else Reply(page(n))
        return None
