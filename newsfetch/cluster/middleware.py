"""Downloader middleware: free the server's slot in the cluster once the final response (or error) is in — sent
with the worker's next request for work, which the engine makes on its next turn (`exchange.Exchange`).

It sits closest to the engine, so a redirect, which Scrapy's RedirectMiddleware turns into a new request before
this sees the response, keeps holding the slot until the redirect chain ends.
"""

from __future__ import annotations

from .codec import TAKEN


class ReleaseSlotMiddleware:
    def __init__(self, crawler) -> None:  # noqa: ANN001
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):  # noqa: ANN001, ANN206 (Scrapy's signature)
        return cls(crawler)

    def process_response(self, request, response, spider=None):  # noqa: ANN001, ANN201 (older Scrapy passes spider)
        self._release(request)
        return response

    def process_exception(self, request, exception, spider=None):  # noqa: ANN001, ANN201
        self._release(request)
        return None

    def _release(self, request) -> None:  # noqa: ANN001
        taken = request.meta.get(TAKEN)
        if taken is not None:
            # with this worker's next request for work (the engine's next turn, or the spider's short ticker): one
            # round trip frees the slot and may take it again
            self.crawler.spider.exchange.release(taken.token)
