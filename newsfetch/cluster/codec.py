"""Scrapy requests as the frontier stores them: scrapy-redis's encoding (a pickled `Request.to_dict`).

Requests are stored without callbacks (the spider picks its callback by the request's kind when it takes one),
so the crawl coordinator can encode them without a spider, and every request is `dont_filter`: duplicates are
dropped once, by scrapy-redis's filter, when the list is enqueued.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.utils.request import request_from_dict
from scrapy_redis import picklecompat

from .frontier import HostSetup
from .settings import CrawlSettings

# Request.meta keys of ours (Scrapy adds its own beside them)
URL = "nf_url"            # the normalized URL of the list (what the state and the counts are about)
ATTEMPT = "nf_attempt"    # 1 for the first try
KIND = "nf_kind"          # "page" or "robots"
FIRST = "nf_first"        # for a following page: the first page (article.Page) …
PAGES = "nf_pages"        # … and the following pages read so far ({address: article.Page})
ADDRESS = "nf_address"    # … and the address the pager gave for this one
TAKEN = "nf_taken"        # frontier.Taken: the lease this request is held under (never stored)


def page_request(url: str, *, attempt: int = 1, first: Any = None, pages: dict | None = None,
                 address: str | None = None, origin_url: str | None = None) -> bytes:
    meta: dict[str, Any] = {URL: origin_url or url, ATTEMPT: attempt, KIND: "page"}
    if first is not None:
        meta.update({FIRST: first, PAGES: pages or {}, ADDRESS: address or url})
    return encode(Request(url, meta=meta, dont_filter=True))


def robots_request(origin: str) -> bytes:
    return encode(Request(origin + "/robots.txt", meta={KIND: "robots", URL: origin + "/robots.txt"},
                          dont_filter=True))


def encode(request: Request) -> bytes:
    return picklecompat.dumps(request.to_dict())


def decode(data: bytes, spider: Any = None) -> Request:
    return request_from_dict(picklecompat.loads(data), spider=spider)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def host_setup(settings: CrawlSettings, host: str, url: str) -> HostSetup:
    """A server's starting policy: the crawl's defaults or its newsfetch.toml override, robots.txt first."""
    policy = settings.hosts().policy_for(host)
    return HostSetup(policy.max_in_flight, policy.min_interval, "unknown" if settings.respect_robots else "ignored",
                     robots_request(origin_of(url)))
