"""Shared test options and fixtures.

``pytest --update-goldens`` rewrites the golden files of the exporter tests instead of
comparing with them (then review the diff before committing).
"""

from __future__ import annotations

import copy
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from qbank.options import Options
from qbank.report import Report
from qbank.validation import validate

# Property tests explore the same examples on every run: a gate that passes here passes in CI
# (new examples come from changing the strategies or max_examples, never from luck).
settings.register_profile("qbank", derandomize=True, deadline=None)
settings.load_profile("qbank")

TESTS = Path(__file__).resolve().parent
TRAPS = TESTS / "cases" / "traps.yaml"
GOLDENS = TESTS / "exporters" / "goldens"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite the exporters' golden files instead of comparing with them.",
    )


_TRAPS: dict[str, Report] = {}


def traps_report() -> Report:
    """The traps bank, proven by running it (once per test session): exporters get the real
    computed keys and refutations."""
    if "report" not in _TRAPS:
        cache = tempfile.mkdtemp(prefix="qbank-traps-cache-")
        try:
            report = validate([str(TRAPS)], Options(cache_dir=cache))
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        assert report.ok, [p.format() for p in report.problems]
        _TRAPS["report"] = report
    return copy.deepcopy(_TRAPS["report"])  # tests may change their copy


@pytest.fixture(name="traps_report")
def _traps_report() -> Report:
    return traps_report()


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str | bytes], None]:
    """Compare content with ``tests/exporters/goldens/<name>`` (or rewrite it)."""

    def check(name: str, content: str | bytes) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = GOLDENS / name
        if request.config.getoption("--update-goldens"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        assert path.exists(), f"{path} is missing: run `pytest --update-goldens`"
        assert data == path.read_bytes(), (
            f"{name} differs from its golden file: if the change is intended, "
            "run `pytest --update-goldens` and review the diff"
        )

    return check
