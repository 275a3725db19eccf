"""Fixtures of the variants tests: a bank in a temporary folder, a count of runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_variants import Bank, count_runs


@pytest.fixture
def bank(tmp_path: Path) -> Bank:
    return Bank(tmp_path)


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many runs each `Pool.run_many` call of the test asked for."""
    return count_runs(monkeypatch)
