"""How every exporter shows a question: one rule each, so no two formats disagree.

The order of options and their letters, how a choice is shown (text, code or a value), the
key of an `output` question, a number as people read it, and the feedback of a choice
(authored, else how validation refuted it).
"""

from __future__ import annotations

import random
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
    return Shown("pre", shown_value(choice.value))


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


def choice_feedback(
    choice: Choice, index: int, result: QuestionResult | None, refutations: bool = True
) -> str | None:
    """Feedback for a choice as Markdown-ish text: authored, else how it was refuted."""
    if choice.feedback:
        return choice.feedback
    if refutations and not choice.correct and result is not None:
        return result.refutations.get(index)
    return None


__all__ = [
    "KEY",
    "LETTERS",
    "Shown",
    "choice_feedback",
    "letter",
    "option_order",
    "output_key",
    "plain_number",
    "shown_choice",
    "shown_value",
]
