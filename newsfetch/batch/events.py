"""What a batch run reports while it works, and the summary it ends with (rendered by the CLI)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from newsfetch.errors import ExitStatus
from newsfetch.stats import Tally

WRITTEN = ("new", "updated", "unchanged")  # the outcomes of a URL that reached the archive


@dataclass(frozen=True)
class ItemDone:
    """One URL finished: `status` is new, updated, unchanged, skipped or failed; `reason` says why for the last two."""

    url: str
    host: str
    status: str
    reason: str | None = None      # a slug: http-404, timeout, robots, already-archived, …
    path: str | None = None
    attempts: int = 0
    message: str | None = None     # the full message of a failure


@dataclass(frozen=True)
class Retrying:
    """An attempt failed with a retryable error; the URL is tried again after `delay` seconds."""

    url: str
    host: str
    attempt: int
    delay: float
    reason: str
    message: str = ""


@dataclass(frozen=True)
class Queued:
    """`total` URLs are known so far (the list is read as the run goes); `done` when the list is exhausted."""

    total: int
    done: bool


@dataclass
class Summary:
    """Counts of a run (a `Tally`): `skipped` and `failed` are counted by reason slug."""

    tally: Tally = field(default_factory=Tally)
    elapsed: float = 0.0

    def add(self, item: ItemDone) -> None:
        if item.status in WRITTEN:
            self.tally.add(item.status)
        else:
            self.tally.add(item.status, item.reason or item.status, item.message)

    @property
    def new(self) -> int:
        return self.tally.count("new")

    @property
    def updated(self) -> int:
        return self.tally.count("updated")

    @property
    def unchanged(self) -> int:
        return self.tally.count("unchanged")

    @property
    def skipped(self) -> Counter:
        return self.tally.by_reason("skipped")

    @property
    def failed(self) -> Counter:
        return self.tally.by_reason("failed")

    @property
    def messages(self) -> dict[str, str]:
        """Reason slug → the first full message seen with it."""
        return self.tally.messages

    @property
    def written(self) -> int:
        return self.tally.count(*WRITTEN)

    @property
    def total_failed(self) -> int:
        return self.tally.count("failed")

    @property
    def total_skipped(self) -> int:
        return self.tally.count("skipped")

    @property
    def exit_code(self) -> ExitStatus:
        """OK all good, SOME_FAILED some failed, ALL_FAILED all failed (nothing fetched succeeded)."""
        return self.tally.exit_status(WRITTEN)

    def to_dict(self) -> dict:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged,
                "skipped": dict(sorted(self.skipped.items())), "failed": dict(sorted(self.failed.items())),
                "messages": dict(sorted(self.messages.items())), "elapsed": round(self.elapsed, 3)}
