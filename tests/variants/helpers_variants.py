"""Helpers of the variants tests (imported by them; fixtures in conftest.py): a bank written to a temporary project, validated, and a
count of the runs a validation starts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qbank.errors import Problem
from qbank.options import Options
from qbank.report import Report
from qbank.runner.pool import Pool
from qbank.validation import validate


class Bank:
    """A bank file in `tmp_path`, validated with its own cache folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "bank.yaml"

    def write(self, questions: str) -> Bank:
        self.path.write_text("id: var\nquestions:\n" + questions, encoding="utf-8")
        return self

    def validate(self, **options: Any) -> Report:
        options.setdefault("cache_dir", str(self.folder / "cache"))
        return validate([str(self.path)], Options(**options))

    @staticmethod
    def of(report: Report, code: str) -> list[Problem]:
        """The problems of `report` with `code`."""
        return [p for p in report.problems if p.code == code]

    def line(self, needle: str) -> int:
        """The 1-based line of the first line of the file holding `needle`."""
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return next(i for i, line in enumerate(lines, start=1) if needle in line)


def count_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many runs each `Pool.run_many` call of the test asked for."""
    counts: list[int] = []
    original = Pool.run_many

    def counted(self: Pool, specs: Any, on_result: Any = None) -> Any:
        counts.append(len(specs))
        return original(self, specs, on_result)

    monkeypatch.setattr(Pool, "run_many", counted)
    return counts
