"""Batch runs: many URLs into an archive, politely, resumably, with progress reported through events.

`run_batch` (runner.py) is the entry point; the CLI (`newsfetch batch`) only renders its events.
"""

from __future__ import annotations

from .events import ItemDone, Retrying, Summary
from .runner import BatchOptions, run_batch

__all__ = ["BatchOptions", "ItemDone", "Retrying", "Summary", "run_batch"]
