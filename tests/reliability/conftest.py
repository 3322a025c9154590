"""Fixtures for the load and fault tests: real servers on loopback, their own databases, printed figures."""

from __future__ import annotations

import os

import pytest

from tests import databases

FIGURES_FILE = os.environ.get("TRACKER_RELIABILITY_FIGURES", "")


@pytest.fixture
def report(capsys):
    """Print a run's figures on the terminal (even under capture), and append them to a file if asked."""

    def _report(line: str) -> None:
        with capsys.disabled():
            print(f"\n[reliability] {line}")
        if FIGURES_FILE:
            with open(FIGURES_FILE, "a", encoding="utf-8") as lines:
                lines.write(line + "\n")

    return _report


@pytest.fixture
def database_url():
    """A new, empty database on the suite's backend, dropped afterwards."""
    with databases.fresh_database("load") as url:
        yield url


@pytest.fixture
def backend() -> str:
    return databases.backend()
