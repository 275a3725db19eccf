"""Shared test options and fixtures.

``pytest --update-goldens`` rewrites the golden files of the exporter tests instead of
comparing with them (then review the diff before committing).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from qbank.report import Report
from qbank.validate import Options, validate

TESTS = Path(__file__).resolve().parent
TRAPS = TESTS / "cases" / "traps.yaml"
GOLDENS = TESTS / "exporters" / "goldens"

#: What execution would establish for the traps bank (set by hand until tests run code).
TRAPS_COMPUTED = {"computed": "###\n ##\n  #\n"}
TRAPS_REFUTATIONS = {
    "fill-gap": {
        1: "AssertionError: squares == {} after the loop",
        2: "SyntaxError: invalid syntax (line 3)",
        3: "AssertionError: {'n': '\\n'} != {0: 0, 1: 1, 2: 4}",
    },
    "values": {1: "TypeError: unsupported operand type(s) for *: 'NoneType' and 'int'"},
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite the exporters' golden files instead of comparing with them.",
    )


def traps_report() -> Report:
    """The traps bank, validated statically, with the computed keys and refutations that
    execution would add."""
    report = validate([str(TRAPS)], Options(execute=False))
    assert report.ok, [p.format() for p in report.problems]
    for question, answer in TRAPS_COMPUTED.items():
        result = report.result("traps/everything", question)
        assert result is not None
        result.computed_answer = answer
    for question, refutations in TRAPS_REFUTATIONS.items():
        result = report.result("traps/everything", question)
        assert result is not None
        result.refutations = dict(refutations)
    return report


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
