"""qbank: banks of code-based quiz questions, proven by running them, exported everywhere.

The public surface::

    collection = qbank.load("banks/")          # a Collection of LoadedBank
    report = qbank.validate("banks/")          # a Report: problems + per-question results
    qbank.export("banks/", "gift", "out/")     # write files through a registered exporter
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from qbank.errors import (
    BankLoadError,
    ExporterNotFound,
    ExportError,
    ExportRefused,
    Problem,
    QbankError,
    RunnerError,
)
from qbank.loader import Collection, load_paths
from qbank.model import (
    Bank,
    Bug,
    Choice,
    CodeChoice,
    Essay,
    Expect,
    LoadedBank,
    Matching,
    MultipleAnswers,
    MultipleChoice,
    Numerical,
    Output,
    Pair,
    Question,
    ShortAnswer,
    TrueFalse,
)
from qbank.report import QuestionResult, Report
from qbank.validate import Options

if TYPE_CHECKING:
    from qbank.exporting import ExportResult

__version__ = "0.1.0"

PathsArg = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]


def _as_list(paths: PathsArg) -> list[str | os.PathLike[str]]:
    if isinstance(paths, str | os.PathLike):
        return [paths]
    return list(paths)


def load(paths: PathsArg = "banks") -> Collection:
    """Load the banks under `paths`; raises :class:`BankLoadError` listing every problem."""
    collection, problems = load_paths(_as_list(paths))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise BankLoadError(errors)
    return collection


def export(
    paths: PathsArg | Collection, format: str, out: str | os.PathLike[str], **options: Any
) -> ExportResult:
    """Validate, then export the banks under `paths` (or a loaded collection) to `out` in
    `format`; keyword options as :func:`qbank.exporting.export` takes them."""
    from qbank.exporting import export as _export

    target = paths if isinstance(paths, Collection) else _as_list(paths)
    return _export(target, format, out, **options)


def validate(paths: PathsArg = "banks", options: Options | None = None) -> Report:
    """Validate the banks under `paths`: static checks, then proof by execution."""
    from qbank.validate import validate as _validate

    return _validate(_as_list(paths), options)


__all__ = [
    "Bank",
    "BankLoadError",
    "Bug",
    "Choice",
    "CodeChoice",
    "Collection",
    "Essay",
    "Expect",
    "ExportError",
    "ExportRefused",
    "ExporterNotFound",
    "LoadedBank",
    "Matching",
    "MultipleAnswers",
    "MultipleChoice",
    "Numerical",
    "Options",
    "Output",
    "Pair",
    "Problem",
    "QbankError",
    "Question",
    "QuestionResult",
    "Report",
    "RunnerError",
    "ShortAnswer",
    "TrueFalse",
    "__version__",
    "export",
    "load",
    "validate",
]
