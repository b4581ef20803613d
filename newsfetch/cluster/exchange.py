"""A worker's conversation with the frontier: one round trip per turn of its event loop, not several per URL.

What the worker has to tell the frontier — slots its responses freed, leases it ends (an article for the writer,
a final failure, a retry, a following page, a robots.txt) — waits here until the worker next asks for work, and
goes to Redis with that request in one pipeline. Every call stays its own atomic script, so the guarantees are
those of each call alone; only the waiting for Redis is shared. A turn that asks for nothing (the worker is full,
or the crawl is draining) still sends what is waiting, from the spider's short ticker (`flush`).

A worker killed before its news is sent loses nothing: the leases it would have ended run out and their URLs are
fetched again by another worker, exactly as if it had been killed a moment earlier.
"""

from __future__ import annotations

import logging
import time

from .frontier import Call, Frontier, Taken

log = logging.getLogger(__name__)


class Exchange:
    def __init__(self, frontier: Frontier, lease: float, poll: float) -> None:
        self.frontier = frontier
        self.lease = lease
        self.poll = poll                 # seconds before asking again after the frontier had less than asked for
        self.released: list[str] = []    # tokens whose responses are in: their servers' slots are free
        self.calls: list[Call] = []      # leases to end, in the order they were ended
        self._quiet_until = 0.0
        self.round_trips = 0

    def release(self, token: str) -> None:
        self.released.append(token)

    def send(self, call: Call) -> None:
        self.calls.append(call)

    @property
    def pending(self) -> bool:
        return bool(self.released or self.calls)

    def take(self, most: int) -> list[Taken]:
        """Up to `most` requests, with everything waiting sent first in the same round trip.

        After an answer with fewer than asked, the next asks wait `poll` s (the cluster's slots are taken; asking
        on every turn of the loop would cost Redis a scan of every server each time) — unless this worker has
        freed slots since, which it may well take again at once."""
        if not self.released and time.monotonic() < self._quiet_until:
            if self.calls:
                self.flush()
            return []
        calls, released = self._drain()
        results = self._run([*calls, self.frontier.take_call(self.lease, most, released)])
        taken = results[-1] if results else []
        if len(taken) < most:
            self._quiet_until = time.monotonic() + self.poll
        return taken

    def flush(self) -> None:
        """Send what is waiting, asking for nothing."""
        calls, released = self._drain()
        if released:
            calls.append(self.frontier.take_call(self.lease, 0, released))
        self._run(calls)

    def _drain(self) -> tuple[list[Call], list[str]]:
        calls, released = self.calls, self.released
        self.calls, self.released = [], []
        return calls, released

    def _run(self, calls: list[Call]) -> list:
        if not calls:
            return []
        self.round_trips += 1
        try:
            results = self.frontier.run(calls)
        except Exception as error:  # Redis away: the leases run out and other workers take the URLs again
            log.warning("could not reach the frontier (%d calls lost, their URLs will be fetched again): %s",
                        len(calls), error)
            return []
        for call, result in zip(calls, results):
            if call.script != "take" and result is False:
                log.warning("a lease had run out before its result was handed on: another worker has its URL")
        return results
