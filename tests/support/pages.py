"""Small valid article pages for batch tests and benchmarks, shaped after an Eastmoney article page."""

from __future__ import annotations


def article_page(n: int, title: str | None = None) -> bytes:
    """An Eastmoney-shaped article page numbered `n` (distinct title, date and body per number)."""
    title = title or f"测试新闻标题第{n}号"
    day = 1 + n % 28
    minute = n % 60
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta property="article:published_time" content="2024-01-{day:02d}T10:{minute:02d}:00+08:00">
<title>{title}_东方财富网</title></head>
<body><div class="newsContent"><h1>{title}</h1>
<div class="infos"><div class="item">2024年01月{day:02d}日 10:{minute:02d}</div><div class="item">来源：中国新闻网</div></div>
<div id="ContentBody" class="txtinfos">
<p>　　这是第{n}篇测试文章的第一段，讲述了市场在这一天的变化，内容足够长以便被识别为正文。</p>
<p>　　第二段继续说明情况，并补充了更多的细节和数字，例如成交额增长了百分之{n % 97}。</p>
</div></div></body></html>""".encode("utf-8")


def article_routes(count: int, *, delay: float = 0.0, prefix: str = "/a/", start: int = 0) -> dict:
    """Routes `{prefix}{n}.html` → article page n, for n in start … start+count-1."""
    from .server import Reply

    return {f"{prefix}{n}.html": Reply(article_page(n), delay=delay) for n in range(start, start + count)}


TEXT = {"Content-Type": "text/plain"}
