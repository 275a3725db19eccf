"""pytest plugin: every question of the configured banks becomes a test item.

Opt in by listing bank files or folders in the ini file::

    [pytest]
    qbank_banks = banks/

Each question is an item named by its id; a failing question reports its problems with
``path:line`` exactly as ``qbank validate`` does. A bank is validated once (in one pool of
workers, using the cache), when its first question runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qbank.errors import Problem


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "qbank_banks", "Bank files or folders whose questions become test items", type="paths"
    )
    parser.addini(
        "qbank_execute", "Run the questions' code (default true)", type="bool", default=True
    )


def _configured(config: pytest.Config) -> list[Path]:
    return [Path(p).resolve() for p in config.getini("qbank_banks")]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix not in (".yaml", ".yml"):
        return None
    roots = _configured(parent.config)
    resolved = file_path.resolve()
    if any(resolved == root or root in resolved.parents for root in roots):
        return BankFile.from_parent(parent, path=file_path)
    return None


class QbankFailure(Exception):
    """The problems of one question (or one bank)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems


class BankFile(pytest.File):
    """A bank file: one item per question, plus one for problems of the whole file."""

    _report: Any = None

    def report(self) -> Any:
        if self._report is None:
            from qbank.options import Options
            from qbank.validation import validate

            execute = bool(self.config.getini("qbank_execute"))
            # Relative to the working folder, so messages read as `qbank validate` prints them.
            shown = (
                os.path.relpath(self.path)
                if self.path.is_relative_to(Path.cwd())
                else str(self.path)
            )
            self._report = validate([shown], Options(execute=execute))
        return self._report

    def collect(self) -> Iterator[pytest.Item]:
        from qbank.loading import load_file

        shown = (
            os.path.relpath(self.path) if self.path.is_relative_to(Path.cwd()) else str(self.path)
        )
        loaded, _ = load_file(shown)
        yield BankItem.from_parent(self, name="[bank]")
        if loaded is None:
            return
        seen: set[str] = set()
        for _, question in loaded.bank.placed():  # a template is one item
            if question.id not in seen:
                seen.add(question.id)
                yield QuestionItem.from_parent(self, name=question.id)


class _Item(pytest.Item):
    parent: BankFile

    def _problems(self) -> list[Problem]:
        raise NotImplementedError

    def runtest(self) -> None:
        errors = [p for p in self._problems() if p.severity == "error"]
        if errors:
            raise QbankFailure(errors)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, QbankFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))


class BankItem(_Item):
    """Problems about the whole file (YAML syntax, schema, duplicate bank ids)."""

    def _problems(self) -> list[Problem]:
        return [p for p in self.parent.report().problems if p.question is None]

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, 0, f"bank {self.path.name}"


def _of(question: str | None, name: str) -> bool:
    """Whether `question` is the question `name`, or one of its variants (`name#k`)."""
    return question == name or (question or "").startswith(name + "#")


class QuestionItem(_Item):
    """One question: fails with its problems, at its line; a question a `python`
    requirement keeps from this interpreter is a pytest skip, with the reason."""

    def _problems(self) -> list[Problem]:
        report = self.parent.report()
        return [p for p in report.problems if _of(p.question, self.name)]

    def runtest(self) -> None:
        report = self.parent.report()
        for result in report.results.values():
            if _of(result.question, self.name) and result.state == "skipped":
                pytest.skip(f"skipped: {result.reason}")
        super().runtest()

    def reportinfo(self) -> tuple[Path, int | None, str]:
        report = self.parent.report()
        line = next((r.line for r in report.results.values() if _of(r.question, self.name)), 1)
        return self.path, line - 1, f"question {self.name}"
