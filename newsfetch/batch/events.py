"""What a batch run reports while it works, and the summary it ends with (rendered by the CLI)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ItemDone:
    """One URL finished: `status` is new, updated, unchanged, skipped or failed; `reason` says why for the last two."""

    url: str
    host: str
    status: str
    reason: str | None = None
    path: str | None = None
    attempts: int = 0


@dataclass(frozen=True)
class Retrying:
    """An attempt failed with a retryable error; the URL is tried again after `delay` seconds."""

    url: str
    host: str
    attempt: int
    delay: float
    reason: str


@dataclass(frozen=True)
class Queued:
    """`total` URLs are known so far (the list is read as the run goes); `done` when the list is exhausted."""

    total: int
    done: bool


@dataclass
class Summary:
    """Counts of a run. `skipped` and `failed` are counted by reason."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)
    elapsed: float = 0.0

    def add(self, item: ItemDone) -> None:
        if item.status in ("new", "updated", "unchanged"):
            setattr(self, item.status, getattr(self, item.status) + 1)
        elif item.status == "skipped":
            self.skipped[item.reason or "skipped"] += 1
        else:
            self.failed[item.reason or "failed"] += 1

    @property
    def written(self) -> int:
        return self.new + self.updated + self.unchanged

    @property
    def total_failed(self) -> int:
        return sum(self.failed.values())

    @property
    def total_skipped(self) -> int:
        return sum(self.skipped.values())

    @property
    def exit_code(self) -> int:
        """0 all good, 10 some failed, 11 all failed (nothing fetched succeeded)."""
        if not self.total_failed:
            return 0
        return 11 if self.written == 0 else 10

    def to_dict(self) -> dict:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged,
                "skipped": dict(sorted(self.skipped.items())), "failed": dict(sorted(self.failed.items())),
                "elapsed": round(self.elapsed, 3)}
