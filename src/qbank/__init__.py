"""qbank: banks of code-based quiz questions, proven by running them, exported everywhere.

The public surface::

    collection = qbank.load("banks/")          # a Collection of LoadedBank
    report = qbank.validate("banks/")          # a Report: problems + per-question results
    qbank.export("banks/", "gift", "out/")     # write files through a registered exporter
    qbank.import_banks("old.gift", "banks/imported", infer=True)  # legacy banks -> YAML

The face is light: ``import qbank`` loads only the version; each name below is imported on
first use, so the command line answers ``--help`` without loading the library.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from qbank._version import __version__

if TYPE_CHECKING:
    from qbank.errors import (
        BankLoadError,
        ExporterNotFound,
        ExportError,
        ExportRefused,
        ImporterNotFound,
        ImportRefused,
        Problem,
        QbankError,
        RunnerError,
    )
    from qbank.exporters.base import ExporterOptions
    from qbank.exporting import ExportResult
    from qbank.importers.pipeline import ImportReport
    from qbank.model import (
        Bank,
        Bug,
        Choice,
        CodeChoice,
        Collection,
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
    from qbank.options import Options
    from qbank.report import QuestionResult, Report

PathsArg = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]

#: Where each public name lives (imported on first use).
_LAZY = {
    **dict.fromkeys(
        (
            "BankLoadError",
            "ExportError",
            "ExportRefused",
            "ExporterNotFound",
            "ImportRefused",
            "ImporterNotFound",
            "Problem",
            "QbankError",
            "RunnerError",
        ),
        "qbank.errors",
    ),
    **dict.fromkeys(
        (
            "Bank",
            "Bug",
            "Choice",
            "CodeChoice",
            "Collection",
            "Essay",
            "Expect",
            "LoadedBank",
            "Matching",
            "MultipleAnswers",
            "MultipleChoice",
            "Numerical",
            "Output",
            "Pair",
            "Question",
            "ShortAnswer",
            "TrueFalse",
        ),
        "qbank.model",
    ),
    "ExportResult": "qbank.exporting",
    "ImportReport": "qbank.importers.pipeline",
    "ExporterOptions": "qbank.exporters.base",
    "Options": "qbank.options",
    "QuestionResult": "qbank.report",
    "Report": "qbank.report",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'qbank' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


def _as_list(paths: PathsArg) -> list[str | os.PathLike[str]]:
    if isinstance(paths, str | os.PathLike):
        return [paths]
    return list(paths)


def load(paths: PathsArg = "banks") -> Collection:
    """Load the banks under `paths`; raises :class:`BankLoadError` listing every problem."""
    from qbank.errors import BankLoadError
    from qbank.loading import load_paths

    collection, problems = load_paths(_as_list(paths))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise BankLoadError(errors)
    return collection


def validate(paths: PathsArg = "banks", options: Options | None = None) -> Report:
    """Validate the banks under `paths`: static checks, then proof by execution."""
    from qbank.validation import validate as _validate

    return _validate(_as_list(paths), options)


def export(
    paths: PathsArg | Collection,
    format: str,
    out: str | os.PathLike[str],
    *,
    tags: Iterable[str] | None = None,
    allow_invalid: bool = False,
    strict: bool = False,
    options: ExporterOptions | dict[str, object] | None = None,
    validation: Options | None = None,
    variants: Literal["first", "all"] = "first",
) -> ExportResult:
    """Validate, then export the banks under `paths` (or a loaded collection) to `out` in
    `format` (a name from ``qbank formats``, or ``"all"``).

    `tags` keeps only questions with one of them; `allow_invalid` exports banks that fail
    validation; `strict` makes warnings (lossy conversions included) fatal; `options` are the
    exporter's own (its options model, or a mapping); `validation` says how to validate;
    `variants` what formats that cannot draw a question's variants at random get of them.
    Raises :class:`ExportRefused`, :class:`ExporterNotFound` or :class:`ExportError`; nothing
    is written unless every file rendered.
    """
    from qbank.exporting import export as _export
    from qbank.model import Collection

    target = paths if isinstance(paths, Collection) else _as_list(paths)
    return _export(
        target,
        format,
        out,
        tags=tags,
        allow_invalid=allow_invalid,
        strict=strict,
        options=options,
        validation=validation,
        variants=variants,
    )


def import_banks(
    sources: PathsArg,
    out: str | os.PathLike[str],
    *,
    format: str | None = None,
    infer: bool = False,
    force: bool = False,
) -> ImportReport:
    """Import legacy banks (GIFT, Moodle XML, qbank JSON, ...) as YAML banks under `out`.

    `format` is an importer name (default: guessed from each file); `infer` turns "what does
    this print?" items into `output` questions, so that ``qbank.validate(out)`` audits their
    keys; `force` overwrites existing files. Nothing is written if the import is refused.
    """
    from qbank.importers.pipeline import import_banks as _import

    return _import(_as_list(sources), out, format=format, infer=infer, force=force)


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
    "ExportResult",
    "ExporterNotFound",
    "ExporterOptions",
    "ImportRefused",
    "ImportReport",
    "ImporterNotFound",
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
    "import_banks",
    "load",
    "validate",
]
