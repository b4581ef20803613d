"""robots.txt: fetched once per server per run, read with urllib.robotparser."""

from __future__ import annotations

import logging
from urllib.robotparser import RobotFileParser

from newsfetch.errors import FetchError, HTTPStatusError, NewsfetchError
from newsfetch.fetch import Fetcher

log = logging.getLogger(__name__)
AGENT = "newsfetch"


def fetch_robots(fetcher: Fetcher, origin: str) -> RobotFileParser:
    """The rules of `origin` (scheme://host:port). Missing or unreachable robots.txt allows everything,
    except 401/403, which (as in robotparser and RFC 9309) forbid everything."""
    rules = RobotFileParser(origin + "/robots.txt")
    try:
        response = fetcher.get(origin + "/robots.txt", accept_any=True)
    except HTTPStatusError as error:
        if error.status in (401, 403):
            rules.disallow_all = True
        else:
            rules.allow_all = True
        return rules
    except (FetchError, NewsfetchError) as error:
        log.info("robots.txt of %s unreadable (%s): allowing all", origin, error)
        rules.allow_all = True
        return rules
    rules.parse(response.content.decode("utf-8", "replace").splitlines())
    return rules


def allow_all(origin: str) -> RobotFileParser:
    rules = RobotFileParser(origin + "/robots.txt")
    rules.allow_all = True
    return rules


def allowed(rules: RobotFileParser, url: str) -> bool:
    return rules.can_fetch(AGENT, url)


def crawl_delay(rules: RobotFileParser) -> float | None:
    try:
        value = rules.crawl_delay(AGENT)
    except (AttributeError, TypeError):
        return None
    return float(value) if value is not None else None
