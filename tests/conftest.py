"""Run against the installed package: refuse, in one line, a checkout that was not installed editable."""

from __future__ import annotations

import importlib.util

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # From a checkout, newsfetch/ on sys.path shadows any installed copy; only the editable install maps
    # newsfetch.cli and newsfetch.parsers to cli/ and parsers/. Without it every test would fail on an import.
    if importlib.util.find_spec("newsfetch.parsers") is None:
        pytest.exit("newsfetch.parsers is not importable: install the checkout first, pip install -e '.[test]'",
                    returncode=4)
