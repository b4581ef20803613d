"""A crawl's settings, written into Redis by `newsfetch crawl` so that every worker, on any machine, uses the same."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from newsfetch.batch.politeness import HostPolicy, Hosts
from newsfetch.batch.retry import RetryPolicy
from newsfetch.batch.runner import BatchOptions
from newsfetch.fetch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT
from newsfetch.render import PostStyle


@dataclass(frozen=True)
class CrawlSettings:
    """The politeness, retry and fetch options of a crawl (the same ones as ``batch``) and its lease timeout."""

    per_host: int = 2
    interval: float = 1.0                    # seconds between request starts on one server (1 / --rate)
    host_overrides: dict[str, tuple[int, float]] = field(default_factory=dict)  # newsfetch.toml [batch.hosts]
    respect_robots: bool = True
    attempts: int = 4
    backoff: float = 1.0
    max_delay: float = 60.0
    timeout: float = DEFAULT_TIMEOUT
    user_agent: str = DEFAULT_USER_AGENT
    max_bytes: int = DEFAULT_MAX_BYTES
    lease: float = 60.0                      # a taken URL not renewed for this long goes back to the queue
    concurrency: int = 8                     # requests in flight per worker process

    @classmethod
    def from_batch(cls, options: BatchOptions, *, lease: float, concurrency: int) -> CrawlSettings:
        """The crawl's settings from the options a batch run would use (`batch.config.batch_options`)."""
        return cls(per_host=options.host_policy.max_in_flight, interval=options.host_policy.min_interval,
                   host_overrides={host: (policy.max_in_flight, policy.min_interval)
                                   for host, policy in options.host_overrides.items()},
                   respect_robots=options.respect_robots, attempts=options.retry.attempts, backoff=options.retry.base,
                   max_delay=options.retry.max_delay, timeout=options.fetch.timeout,
                   user_agent=options.fetch.user_agent, max_bytes=options.fetch.max_bytes, lease=lease,
                   concurrency=concurrency)

    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(attempts=self.attempts, base=self.backoff, max_delay=self.max_delay)

    def hosts(self) -> Hosts:
        """The batch politeness table, for its `policy_for` (sub-host overrides, most specific wins)."""
        return Hosts(HostPolicy(self.per_host, self.interval),
                     {name: HostPolicy(*policy) for name, policy in self.host_overrides.items()})

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> CrawlSettings:
        data = json.loads(text)
        data["host_overrides"] = {name: tuple(policy) for name, policy in data.get("host_overrides", {}).items()}
        return cls(**data)


def style_to_json(style: PostStyle) -> str:
    """The archive's post style, for the workers that render posts ahead of the writer (`records.Record.of_article`)."""
    return json.dumps(asdict(style), sort_keys=True, ensure_ascii=False)


def style_from_json(text: str | bytes) -> PostStyle:
    data = json.loads(text)
    data["outlets"] = tuple(tuple(pair) for pair in data.get("outlets", ()))
    return PostStyle(**data)
