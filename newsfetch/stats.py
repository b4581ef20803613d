"""One counter of outcomes for every command that processes many items (batch URLs, normalized files).

Outcomes are counted; the ones that need a why (skipped, failed) are also counted by reason slug, and the
first full message seen for each reason is kept so a summary can show what the slug stands for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import ExitStatus


@dataclass
class Tally:
    """Counts by outcome, by reason within an outcome, and one example message per reason."""

    outcomes: Counter = field(default_factory=Counter)
    reasons: dict[str, Counter] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)

    def add(self, outcome: str, reason: str | None = None, message: str | None = None) -> None:
        self.outcomes[outcome] += 1
        if reason is not None:
            self.reasons.setdefault(outcome, Counter())[reason] += 1
            if message and reason not in self.messages:
                self.messages[reason] = message

    def count(self, *outcomes: str) -> int:
        return sum(self.outcomes[outcome] for outcome in outcomes)

    def by_reason(self, outcome: str) -> Counter:
        """Reason → count for `outcome` (empty when none)."""
        return self.reasons.get(outcome, Counter())

    def exit_status(self, succeeded: Iterable[str]) -> ExitStatus:
        """OK without failures; SOME_FAILED with some; ALL_FAILED when nothing reached a `succeeded` outcome."""
        if not self.outcomes["failed"]:
            return ExitStatus.OK
        return ExitStatus.SOME_FAILED if self.count(*succeeded) else ExitStatus.ALL_FAILED
