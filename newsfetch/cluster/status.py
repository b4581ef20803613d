"""``newsfetch status --redis URL``: a crawl's counts as Redis holds them (any machine may ask, at any time)."""

from __future__ import annotations

from typing import Any

import redis

from .connection import prefix_of
from .coordinator import summary_of
from .frontier import Frontier


def crawl_status(client: redis.Redis, name: str) -> dict[str, Any]:
    """Outcomes (as batch counts them), retries, requeued leases, and what is queued, held and still to write."""
    frontier = Frontier(client, prefix_of(name))
    meta = {k.decode(): v.decode("utf-8", "replace") for k, v in client.hgetall(frontier.key("meta")).items()}
    counts = client.hgetall(frontier.key("counts"))
    summary = summary_of(counts)
    raw = {k.decode(): int(v) for k, v in counts.items()}
    return {
        "crawl": name,
        "state": meta.get("state", "none"),
        "archive": meta.get("archive"),
        "done": {"new": summary.new, "updated": summary.updated, "unchanged": summary.unchanged},
        "failed": dict(sorted(summary.failed.items())),
        "skipped": dict(sorted(summary.skipped.items())),
        "retried": raw.get("retried", 0),
        "requeued": raw.get("requeued", 0),
        "left": frontier.work(),
        "in_flight": frontier.in_flight(),
        "to_write": int(client.llen(frontier.key("out"))) + int(client.llen(frontier.key("writing"))),
        "workers": frontier.workers(),
        "writer": (client.get(frontier.key("writer")) or b"").decode() or None,
    }
