"""How every exporter shows a question: one rule each, so no two formats disagree.

The heading of a question (its title, else its number: never its id, which may give the
answer away), the fixture files learners see, the order of options and their letters, how a
choice is shown (text, code or a value), the key of an `output` question, a number as people
read it, and the feedback of a choice (authored, else the learner feedback validation
generated: what the code prints or raises, never the author's refutation with hidden code).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from qbank.model import Choice, Output, QuestionBase, WithChoices, shown_value
from qbank.report import QuestionResult

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

#: In :func:`option_order`, the place of an `output` question's right output.
KEY = -1


def option_order(bank_id: str, question: QuestionBase, has_key: bool) -> list[int]:
    """Option indexes in display order; :data:`KEY` is the right output of an `output`
    question (placed among its wrong outputs when `has_key`).

    The authored order when ``shuffle: false``, else a shuffle seeded by the bank and question
    ids: deterministic, and the key is not always "A". Every export that lists options uses it.
    """
    indexes = list(range(len(question.choices_list)))
    if isinstance(question, Output):
        if not indexes:
            return []
        if has_key:
            indexes.insert(0, KEY)
    elif not isinstance(question, WithChoices) or not question.shuffle:
        return indexes
    random.Random(f"{bank_id}/{question.id}").shuffle(indexes)
    return indexes


def letter(index: int) -> str:
    """A, B, ..., Z, then AA, AB, ..."""
    return LETTERS[index] if index < 26 else letter(index // 26 - 1) + LETTERS[index % 26]


@dataclass(frozen=True)
class Shown:
    """How an option is shown: Markdown text, code, or preformatted text."""

    kind: Literal["text", "code", "pre"]
    content: str


def shown_choice(question: QuestionBase, choice: Choice) -> Shown:
    """How a choice is shown to the learner (see the bank format: `text`, `code`, `value`)."""
    if choice.code is not None:
        return Shown("code", choice.code)
    if choice.text is not None:
        # In an `output` question every option is a program output: show it as printed.
        return Shown("pre" if isinstance(question, Output) else "text", choice.text)
    return Shown("pre", choice.shown)  # a value as shown_value shows it, an `expr` as its source


def plain_number(value: float) -> str:
    """A plain decimal number (never `1e-05`), as Moodle's `is_numeric` and people read it."""
    if float(value).is_integer():
        return str(int(value))
    return format(Decimal(repr(float(value))), "f")


def output_key(question: Output, result: QuestionResult | None) -> str | None:
    """The expected output: the authored `answer`, else the one validation computed."""
    if question.answer is not None:
        return question.answer
    return result.computed_answer if result is not None else None


MISSING_KEY = "no `answer` and none computed (validate with execution first)"
"""What every exporter says of an `output` question without a known key."""


def known_output_key(
    question: Output,
    result: QuestionResult | None,
    warn: Callable[[str, str], None],
    outcome: str = "left out",
) -> str | None:
    """:func:`output_key`, with a ``missing-key`` warning (`warn(message, code)`) saying
    what the export does instead (`outcome`) when there is none."""
    key = output_key(question, result)
    if key is None:
        warn(f"{MISSING_KEY}: {outcome}", "missing-key")
    return key


def choice_feedback(
    choice: Choice, index: int, feedback: Mapping[int, str] | None, generated: bool = True
) -> str | None:
    """Feedback for a choice, as Markdown: authored, else (with `generated`, for a wrong
    option) the learner feedback validation generated (:meth:`ExportContext.feedback
    <qbank.exporters.base.ExportContext.feedback>`), never a refutation."""
    if choice.feedback:
        return choice.feedback
    if generated and not choice.correct and feedback:
        return feedback.get(index)
    return None


def heading(question: QuestionBase, number: int) -> str:
    """What learners read as the question's heading (plain text): its title, else
    ``Question <number>``; never the id, which may give the answer away."""
    return question.title.strip() if question.title else f"Question {number}"


_LANGUAGES = {
    "py": "python", "pyi": "python", "pyw": "python", "json": "json", "yaml": "yaml",
    "yml": "yaml", "toml": "toml", "ini": "ini", "cfg": "ini", "csv": "csv", "tsv": "tsv",
    "txt": "text", "md": "markdown", "html": "html", "htm": "html", "xml": "xml", "css": "css",
    "js": "javascript", "ts": "typescript", "sh": "bash", "bash": "bash", "sql": "sql",
    "c": "c", "h": "c", "cpp": "cpp", "hpp": "cpp", "rs": "rust", "go": "go", "java": "java",
    "rb": "ruby", "r": "r", "diff": "diff", "patch": "diff", "dockerfile": "docker",
}  # fmt: skip


def file_language(name: str) -> str:
    """The language of a fixture file, guessed from its extension (``""`` when unknown):
    a name that highlighters (Pygments, GitHub) know."""
    base = name.rsplit("/", 1)[-1].lower()
    extension = base.rsplit(".", 1)[-1] if "." in base else base
    return _LANGUAGES.get(extension, "")


__all__ = [
    "KEY",
    "LETTERS",
    "MISSING_KEY",
    "Shown",
    "choice_feedback",
    "file_language",
    "heading",
    "known_output_key",
    "letter",
    "option_order",
    "output_key",
    "plain_number",
    "shown_choice",
    "shown_value",
]
