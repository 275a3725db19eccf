"""Exceptions qbank raises, and the problems it reports.

The exception tree (each also inherits the matching built-in)::

    QbankError
     ├── BankLoadError(QbankError, ValueError)     a bank or collection could not be loaded
     ├── ExporterNotFound(QbankError, LookupError) no exporter of that name
     ├── ExportError(QbankError, RuntimeError)     an export failed
     │    └── ExportRefused                        refused: invalid bank or strict warnings
     ├── ImporterNotFound(QbankError, LookupError) no importer of that name, or a file whose
     │                                             format cannot be told
     ├── ImportRefused(QbankError, RuntimeError)   an import would overwrite files (no --force)
     └── RunnerError(QbankError, RuntimeError)     the runner could not start

Problems with a bank's content are not exceptions: they are collected as :class:`Problem`
values (one per finding, compiler style) so that every problem of a collection is reported
at once. :class:`BankLoadError` carries them when a caller asks for a bank that did not load.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from qbank.codes import meaning as _meaning

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about a bank, located at a line of its file."""

    path: str
    """The bank file, as the user named it."""
    line: int
    """1-based line in that file."""
    message: str
    """What is wrong, and how to fix it where qbank can tell."""
    code: str
    """A stable slug (`duplicate-key`, `answer-mismatch`, ...) to filter on."""
    severity: Severity = "error"
    """`error` fails validation; `warning` does not (unless strict)."""
    question: str | None = None
    """The id of the question concerned, if any."""

    @property
    def meaning(self) -> str:
        """What this problem's code means and what to do, from :data:`qbank.codes.CODES`
        ("" for a code not listed there)."""
        return _meaning(self.code)

    def format(self) -> str:
        """The report line: ``path:line: error: question-id: message [code]``.

        Details of a multi-line message (a diff, an assertion's operands) follow on indented
        lines, so the first line always stands alone for grep.
        """
        where = f"{self.question}: " if self.question else ""
        first, *details = self.message.splitlines() or [""]
        line = f"{self.path}:{self.line}: {self.severity}: {where}{first} [{self.code}]"
        return "\n".join([line, *("    " + d.rstrip() for d in details if d.strip())])

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form of the problem."""
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "question": self.question,
            "message": self.message,
            "code": self.code,
        }


def has_errors(problems: Iterable[Problem]) -> bool:
    """Whether any of the problems is an error (not just a warning)."""
    return any(p.severity == "error" for p in problems)


class QbankError(Exception):
    """Base of every exception qbank raises on purpose."""


class BankLoadError(QbankError, ValueError):
    """A bank or collection did not load; ``problems`` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(p.format() for p in problems) or "no bank found"
        super().__init__(lines)


class ExporterNotFound(QbankError, LookupError):
    """No exporter has that name."""


class ExportError(QbankError, RuntimeError):
    """An export was refused (invalid bank, strict warnings) or failed."""


class ExportRefused(ExportError):
    """The export was refused; ``problems`` lists why (the problems, or the strict warnings)."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(p.format() for p in problems)
        super().__init__(f"{message}\n{lines}" if lines else message)


class ImporterNotFound(QbankError, LookupError):
    """No importer has that name, or the format of a source file cannot be told."""


class ImportRefused(QbankError, RuntimeError):
    """An import was refused before writing anything (it would overwrite files)."""


class RunnerError(QbankError, RuntimeError):
    """The runner could not start (e.g. the interpreter given does not exist)."""


__all__ = [
    "BankLoadError",
    "ExportError",
    "ExportRefused",
    "ExporterNotFound",
    "ImportRefused",
    "ImporterNotFound",
    "Problem",
    "QbankError",
    "RunnerError",
    "Severity",
    "has_errors",
]
