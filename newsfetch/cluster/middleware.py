"""Downloader middleware: free the server's slot in the cluster as soon as the final response (or error) is in.

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
            # at once, on the event loop: the next request this worker asks for may be for the same server
            self.crawler.spider.frontier.release(taken.token)
