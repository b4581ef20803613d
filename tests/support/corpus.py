"""Where the real corpus is, found one way: ``$NEWSFETCH_SHARED``, else ``../shared`` beside the checkout.

The corpus is read where it lies (never copied into the repository). A test that needs it calls `corpus_path`
and `require`, which skip with a reason that says where it looked and how to point elsewhere; a parametrized
test over corpus files uses `params`, so an absent corpus is one loud skip, never an empty (silent) test.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

CHECKOUT = Path(__file__).resolve().parents[2]
ENV = "NEWSFETCH_SHARED"


def shared_dir() -> Path:
    """The shared folder (it may not exist)."""
    return Path(os.environ[ENV]) if os.environ.get(ENV) else CHECKOUT.parent / "shared"


def corpus_path(*parts: str) -> Path:
    """A path under ``<shared>/corpus`` (it may not exist)."""
    return shared_dir().joinpath("corpus", *parts)


def _why(path: Path) -> str:
    return f"corpus not available: {path} is missing (set {ENV} to the shared folder)"


def require(path: Path) -> Path:
    """`path`, or skip the test saying it is missing."""
    if not path.exists():
        pytest.skip(_why(path))
    return path


def params(items: Sequence[Any], where: Path, ids: Sequence[str] | None = None) -> list[Any]:
    """`items` for ``pytest.mark.parametrize``; one skipped parameter naming `where` when there are none."""
    if items:
        return [pytest.param(item, id=name) for item, name in zip(items, ids)] if ids else list(items)
    return [pytest.param(None, marks=pytest.mark.skip(reason=_why(where)), id="corpus-missing")]
