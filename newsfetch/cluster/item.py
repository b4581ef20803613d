"""The Scrapy item a worker's spider yields: the writer's record and the lease it settles."""

from __future__ import annotations

import scrapy


class ArticleItem(scrapy.Item):
    """`record` (records.Record) goes to the writer; `taken` (frontier.Taken) is the lease it ends."""

    record = scrapy.Field()
    taken = scrapy.Field()
