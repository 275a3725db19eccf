"""What an exporter is: a class with a name, a file extension and a render method.

Exporters receive the loaded collection **and** the validation report (computed keys, how each
wrong option was refuted) through an :class:`ExportContext`; they never run code. A text
exporter returns ``str`` per output file, a binary one ``bytes``; the caller writes them
atomically. Anything an exporter cannot carry is reported with :meth:`ExportContext.warn`
(a warning naming the question; ``--strict`` makes it fatal), never dropped silently.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from qbank.errors import Problem
from qbank.model import Collection, LoadedBank, QuestionBase
from qbank.report import QuestionResult, Report

INVALID_TAG = "qbank-invalid"
"""The tag of a question exported although it fails validation (``allow_invalid``)."""


@dataclass
class ExportContext:
    """What an exporter may use besides the collection, and where its warnings go."""

    report: Report
    """The validation report of the collection being exported."""
    template_dirs: tuple[str, ...] = ()
    """Project-local template folders that override the built-in templates (searched first)."""
    warnings: list[Problem] = field(default_factory=list)
    """Lossy conversions found while rendering."""
    _seen: set[Problem] = field(default_factory=set, repr=False, compare=False)
    _failing: set[tuple[str, str | None]] | None = field(default=None, repr=False, compare=False)

    def result(self, loaded: LoadedBank, question: QuestionBase) -> QuestionResult | None:
        """The validation result of a question (computed key, refutations), if any."""
        return self.report.result(loaded.id, question.id)

    def fails(self, loaded: LoadedBank, question: QuestionBase) -> bool:
        """Whether `question` fails validation (an error names it or its whole bank): it is
        exported only with ``allow_invalid``, tagged ``qbank-invalid`` where the format has
        tags, and without generated feedback."""
        if self._failing is None:
            self._failing = {
                (p.path, p.question) for p in self.report.problems if p.severity == "error"
            }
        return (loaded.path, question.id) in self._failing or (loaded.path, None) in self._failing

    def feedback(self, loaded: LoadedBank, question: QuestionBase) -> dict[int, str]:
        """Choice index -> the learner feedback validation generated for that wrong option
        (Markdown: what the code prints, or the exception it raises). Never the author's
        refutations, which quote hidden code; empty for a question that :meth:`fails`, whose
        generated feedback could contradict its authored key."""
        result = self.result(loaded, question)
        if result is None or self.fails(loaded, question):
            return {}
        return result.feedback

    def warn(
        self, loaded: LoadedBank, question: QuestionBase | None, message: str, code: str
    ) -> None:
        """Report a lossy conversion of `question` (or of the whole bank)."""
        line = 1
        if question is not None:
            result = self.report.result(loaded.id, question.id)
            if result is not None:  # right even when the bank was filtered (by tags)
                line = result.line
            else:
                index = next(
                    (i for i, q in enumerate(loaded.bank.questions) if q is question), None
                )
                line = loaded.question_line(index) if index is not None else 1
        problem = Problem(
            loaded.path, line, message, code, "warning", question.id if question else None
        )
        if problem not in self._seen:
            self._seen.add(problem)
            self.warnings.append(problem)


class ExporterOptions(BaseModel):
    """Options of an exporter (none by default); subclass it to add some."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Exporter(ABC):
    """Base of every exporter; register subclasses under the `qbank.exporters` entry point."""

    options_model: ClassVar[type[ExporterOptions]] = ExporterOptions
    """The model of this exporter's options (`qbank.export(..., options={...})`)."""

    name: ClassVar[str]
    """The format's name, as given to `qbank export --format`."""
    file_extension: ClassVar[str]
    """Suffix of the files written, with the dot (`.gift`)."""
    description: ClassVar[str] = ""
    """One line for `qbank formats`."""
    binary: ClassVar[bool] = False
    """Whether `render` returns bytes."""
    highlights_code: ClassVar[bool] = False
    """Whether it highlights code with :mod:`qbank.exporters.highlight` (then `qbank export`
    keeps the highlights in the project's cache between runs)."""
    collection_file: ClassVar[bool] = False
    """Whether the format can hold a whole collection in one file (else one file per bank)."""
    draws_variants: ClassVar[bool] = False
    """Whether the format can draw one of a question's variants at random (a Moodle
    category, a QTI section that selects one): then it gets every variant, grouped with
    :func:`qbank.exporters.variants.groups`. Other formats get variant 1 of each question,
    or every variant when the export asks for all (``--variants all``)."""

    def __init__(self, options: ExporterOptions | Mapping[str, object] | None = None) -> None:
        """Configure the exporter; `options` are checked against :attr:`options_model`."""
        if isinstance(options, ExporterOptions):
            self.options = options
        else:
            self.options = self.options_model.model_validate(dict(options or {}))

    @abstractmethod
    def render_bank(self, loaded: LoadedBank, context: ExportContext) -> str | bytes:
        """The content of one bank's file."""

    def render_collection(self, collection: Collection, context: ExportContext) -> str | bytes:
        """The content of one file holding the whole collection (if `collection_file`)."""
        raise NotImplementedError(f"{self.name} writes one file per bank")

    def render_bank_files(
        self, loaded: LoadedBank, context: ExportContext
    ) -> dict[str, str | bytes]:
        """Every file of one bank: name suffix before the extension (`""`, `".key"`) -> content.

        Most formats write one file per bank (the default); Markdown adds an answer key.
        """
        return {"": self.render_bank(loaded, context)}

    def render_bank_assets(self, loaded: LoadedBank, context: ExportContext) -> dict[str, bytes]:
        """Extra files of one bank, written beside its files: a relative POSIX path from the
        folder of the bank's files (`media/tree-1a2b3c4d5e6f.png`) -> bytes. None by default;
        Markdown and JSON copy the bank's images (:func:`qbank.exporters.media.media_assets`).

        Two banks written to one folder may give the same path only with the same bytes (one
        file is written); any other clash with a file of the export refuses it.
        """
        return {}
