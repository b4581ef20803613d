"""Per-host politeness: at most N requests in flight and a minimum interval between request starts.

Only the scheduler thread touches a `Hosts` table, so it needs no locks. Limits are per server (host:port).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from newsfetch.settings import default


@dataclass(frozen=True)
class HostPolicy:
    """How hard one server may be hit: `max_in_flight` concurrent requests, `min_interval` s between starts."""

    max_in_flight: int = default("batch.per_host")
    min_interval: float = 1.0 / default("batch.rate")

    @classmethod
    def from_rate(cls, max_in_flight: int, rate: float | None) -> HostPolicy:
        """`rate` requests per second (0 or None: no cap)."""
        return cls(max_in_flight=max(1, max_in_flight), min_interval=1.0 / rate if rate else 0.0)


@dataclass
class HostState:
    policy: HostPolicy
    in_flight: int = 0
    next_start: float = 0.0   # monotonic time before which no request may start

    def ready(self, now: float) -> bool:
        return self.in_flight < self.policy.max_in_flight and now >= self.next_start


@dataclass
class Hosts:
    """The live politeness state of every server seen in a run."""

    default: HostPolicy = field(default_factory=HostPolicy)
    overrides: Mapping[str, HostPolicy] = field(default_factory=dict)  # host name (sub-hosts included) → policy
    states: dict[str, HostState] = field(default_factory=dict)

    def policy_for(self, host: str) -> HostPolicy:
        """The most specific configured policy: `finance.eastmoney.com` falls back to `eastmoney.com`."""
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        if host in self.overrides:
            return self.overrides[host]
        while name:
            if name in self.overrides:
                return self.overrides[name]
            _, _, name = name.partition(".")
        return self.default

    def state(self, host: str) -> HostState:
        if host not in self.states:
            self.states[host] = HostState(self.policy_for(host))
        return self.states[host]

    def ready(self, host: str, now: float) -> bool:
        return self.state(host).ready(now)

    def start(self, host: str, now: float) -> None:
        self.state(host).in_flight += 1
        self.pace(host, now)

    def pace(self, host: str, now: float) -> None:
        """Book a request start at `now` without a new slot (a following page of an article under way)."""
        state = self.state(host)
        state.next_start = max(state.next_start, now + state.policy.min_interval)

    def finish(self, host: str) -> None:
        self.state(host).in_flight -= 1

    def hold(self, host: str, until: float) -> None:
        """Start nothing on `host` before `until` (a 429's Retry-After slows the whole server down)."""
        state = self.state(host)
        state.next_start = max(state.next_start, until)

    def slow_down(self, host: str, min_interval: float) -> None:
        """Raise the interval (robots.txt Crawl-delay), never lower it."""
        state = self.state(host)
        if min_interval > state.policy.min_interval:
            state.policy = HostPolicy(state.policy.max_in_flight, min_interval)

    def wake_time(self, host: str) -> float:
        return self.state(host).next_start
