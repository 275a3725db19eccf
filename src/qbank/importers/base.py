"""What an importer is: a class that reads one source file into banks, as plain data.

An importer never writes: it turns a file (GIFT, Moodle XML, a QTI package, an `.apkg`, ...)
into :class:`ImportedBank` values, one per source category, whose questions are mappings in
the bank format (the keys a bank author writes, text as Markdown), each with the line it
came from, and into :class:`ImportIssue` values for what has no place in the model (a cloze
question, an unknown type, HTML Markdown cannot hold): ``source:line: warning: ...
[import-<kind>]``. Nothing is dropped silently: what an importer cannot map is an issue
*and* is kept, as a comment above the question (:attr:`ImportedQuestion.comments`) or as
raw text in a field. :mod:`qbank.importers.writing` turns the result into house-style YAML;
the model checks the data when the written bank is loaded.

Register an importer under the entry-point group ``qbank.importers`` (qbank's own too).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar


@dataclass(frozen=True)
class ImportIssue:
    """Something the source holds that the bank cannot, or holds only in part."""

    path: str
    """The source file."""
    line: int
    """The line (1-based) of the source where the item starts; 1 for a whole file."""
    message: str
    """What was lost or changed, and what the author should do."""
    kind: str
    """The problem code without its prefix: `cloze` -> ``import-cloze``."""
    question: str | None = None
    """The id the question gets in the written bank, if it is about one question."""

    @property
    def code(self) -> str:
        return f"import-{self.kind}"

    def format(self) -> str:
        where = f"{self.question}: " if self.question else ""
        return f"{self.path}:{self.line}: warning: {where}{self.message} [{self.code}]"


@dataclass
class ImportedQuestion:
    """One question, as the bank format writes it."""

    data: dict[str, Any]
    """`id`, `type`, `prompt`, ... as in a bank file (Markdown text; multi-line strings are
    written as `|` blocks). An `id` may be left out: the writer derives one from the title
    or the source's idnumber and makes every id of a bank unique."""
    line: int
    """Where it starts in the source (the writer names it in a comment)."""
    comments: list[str] = field(default_factory=list)
    """Lines written as YAML comments above the question: what the source held that the
    model cannot (raw text kept, never lost)."""
    idnumber: str | None = None
    """The source's own identifier (Moodle idnumber, GIFT title, Anki GUID), used for the id."""
    title: str | None = None
    """The source's name of the question, used for the id when there is no idnumber."""
    preceding: list[str] = field(default_factory=list)
    """Lines written as YAML comments before the question's ``# from`` line: items of the
    source just before it that have no place in a bank (a cloze question), each with its
    own source line."""


@dataclass
class ImportedBank:
    """The questions of one source category."""

    source: str
    """The source file (as given)."""
    category: tuple[str, ...] = ()
    """The source's category path (`("Python", "Loops")`); empty: the file itself."""
    title: str | None = None
    """The bank's title (default: the last part of the category, else the file's name)."""
    questions: list[ImportedQuestion] = field(default_factory=list)
    media: dict[str, bytes] = field(default_factory=dict)
    """Image files the questions reference: path relative to the bank (`media/tree.png`,
    as written in the Markdown) -> bytes; written beside the bank."""
    comments: list[str] = field(default_factory=list)
    """Lines written as YAML comments above ``questions:``: items of the source that have no
    place in a bank and no question to be kept beside (a file of cloze questions only)."""
    tags: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    """Other bank keys, as a bank file writes them (`id`, `description`, `language`,
    `requires`, `timeout`, ...): written before the questions. `title: None` here means
    the bank has no title (else it defaults as above)."""


@dataclass
class ImportResult:
    """What reading one source file gave."""

    banks: list[ImportedBank] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)


class Importer(ABC):
    """Base of every importer; register subclasses under the `qbank.importers` entry point."""

    name: ClassVar[str]
    """The format's name, as given to `qbank import --from`."""
    description: ClassVar[str] = ""
    """One line for `qbank import --help` and `qbank formats`."""
    suffixes: ClassVar[tuple[str, ...]] = ()
    """File suffixes this format is usually found in (`.gift`, `.txt`), lower case."""

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        """Whether the file at `path`, whose first 4 KiB are `head`, looks like this format
        (used when `--from` is not given). The default trusts the suffix."""
        return path.suffix.lower() in cls.suffixes

    @abstractmethod
    def read(self, path: Path) -> ImportResult:
        """Read the source at `path`. Malformed input is issues (with the line), never a
        traceback; a file that is not this format at all raises
        :class:`qbank.errors.QbankError` with a message naming it."""


__all__ = ["ImportIssue", "ImportResult", "ImportedBank", "ImportedQuestion", "Importer"]
