"""What workers hand the archive writer through Redis: an extracted article with its post rendered, or a URL's
final failure or skip.

Records are pickled (like scrapy-redis's requests): an Article, datetimes with their time zones included, comes
back exactly as the worker made it, so the writer renders the same bytes ``batch`` would. Redis must therefore
be a trusted server of the crawl's own (as it must be for scrapy-redis).
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass

from newsfetch.archive.writer import post_bytes
from newsfetch.article import Article
from newsfetch.render import PostStyle


@dataclass(frozen=True)
class Record:
    """`kind` is "article" (with `article`), "failed" (with `reason`, `error`) or "skipped" (with `reason`)."""

    kind: str
    url: str
    final_url: str = ""
    attempts: int = 1
    article: Article | None = None
    reason: str = ""
    error: str = ""
    post: bytes | None = None          # the article's post as the worker rendered it (`archive.writer.post_bytes`) …
    style: PostStyle | None = None     # … in this archive style; the writer uses it only if the archive's is the same

    @classmethod
    def of_article(cls, url: str, article: Article, style: PostStyle | None, *, final_url: str = "",
                   attempts: int = 1) -> Record:
        """An article's record, its post rendered here in `style` (the archive's, from the crawl's settings) —
        with `post_bytes`, the function ``batch --archive`` renders with — so that the writer only places it.
        Without a style, or when rendering fails, the writer renders it (and reports the failure)."""
        post = None
        if style is not None:
            try:
                post = post_bytes(article, style)
            except Exception:  # noqa: BLE001 — the writer renders it again and fails it with the reason
                post = None
        return cls("article", url=url, final_url=final_url, attempts=attempts, article=article, post=post,
                   style=style if post is not None else None)

    def dumps(self) -> bytes:
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def loads(data: bytes) -> Record:
        record = pickle.loads(data)
        if not isinstance(record, Record):
            raise TypeError(f"not a crawl record: {type(record).__name__}")
        return record
