"""The Scrapy item pipeline: hand each article to the archive writer through Redis, ending its URL's lease."""

from __future__ import annotations

from .item import ArticleItem


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
        # in one step, sent with the worker's next request for work; a lease that ran out meanwhile refuses it
        # (the URL is another worker's by then, and that worker hands it on)
        spider.settle(spider.frontier.finish_call(taken, item["record"].dumps()))
        spider.held.discard(taken.token)
        return item
