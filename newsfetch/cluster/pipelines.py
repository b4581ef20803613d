"""The Scrapy item pipeline: hand each article to the archive writer through Redis, ending its URL's lease."""

from __future__ import annotations

import logging

from scrapy.exceptions import DropItem

from .item import ArticleItem

log = logging.getLogger(__name__)


class WriterQueuePipeline:
    """Push the record into the writer's queue and end the lease in one atomic step (`Frontier.finish`)."""

    def __init__(self, crawler) -> None:  # noqa: ANN001
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):  # noqa: ANN001, ANN206 (Scrapy's signature)
        return cls(crawler)

    def process_item(self, item: ArticleItem, spider=None):  # noqa: ANN001, ANN201 (older Scrapy passes spider)
        spider = self.crawler.spider
        taken = item["taken"]
        handed = spider.frontier.finish(taken, item["record"].dumps())
        spider.held.discard(taken.token)
        if not handed:
            # the lease ran out and the URL went back to the queue: the worker that takes it hands it on
            raise DropItem(f"lease of {item['record'].url} expired before its article was handed on")
        return item
