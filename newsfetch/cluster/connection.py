"""Connecting to a crawl's Redis: one URL (``redis://HOST:PORT/DB``), one key prefix per crawl."""

from __future__ import annotations

import redis

from newsfetch.errors import ExitStatus, InputError, NewsfetchError

DEFAULT_NAME = "crawl"


class ClusterError(NewsfetchError):
    """Redis cannot be reached: a network error (exit code 4, as a fetch that cannot connect)."""

    exit_status = ExitStatus.NETWORK


def prefix_of(name: str) -> str:
    return f"newsfetch:{name}"


def connect(url: str) -> redis.Redis:
    """A client for `url`, checked with a PING; raises InputError for a bad URL, ClusterError when unreachable."""
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5, health_check_interval=30)
    except ValueError as error:
        raise InputError(f"not a Redis URL ({error})", where=url) from None
    try:
        client.ping()
    except redis.RedisError as error:
        raise ClusterError(f"cannot reach Redis ({error})", where=url) from None
    return client
