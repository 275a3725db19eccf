"""Fixtures of the runner tests: a warm pool and a unique process marker."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from qbank.runner import Pool


@pytest.fixture(scope="module")
def pool() -> Iterator[Pool]:
    with Pool(jobs=2) as started:
        yield started


@pytest.fixture
def marker() -> str:
    """A unique number to put in the command line of processes a run starts."""
    return f"1000.{uuid.uuid4().int % 10**9}"
