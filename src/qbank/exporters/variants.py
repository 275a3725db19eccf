"""Which questions of a bank are variants of one question, for the exporters.

Validation expands a question with ``variants: N`` into N plain questions with the ids
``id#1`` … ``id#N``, in the template's place (:mod:`qbank.variants`); exporters see only
those. A format that can draw one of a group at random (Moodle's "random question" from a
category, a QTI section that selects one) keeps them together; the others take variant 1
unless asked for all (``variants="all"``). This module is how every exporter tells them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from qbank.model import LoadedBank, QuestionBase

VariantsChoice = Literal["first", "all"]
"""How a format that cannot draw one at random exports a question's variants."""

SEPARATOR = "#"


def variant_of(question: QuestionBase) -> tuple[str, int] | None:
    """(the template's id, k) for a variant ``id#k``; None for a plain question."""
    base, sep, number = question.id.rpartition(SEPARATOR)
    if not sep or not number.isdigit():
        return None
    return base, int(number)


@dataclass(frozen=True)
class Group:
    """One plain question, or the variants of one question, in the bank's order."""

    id: str
    """The question's id (the template's, for variants)."""
    questions: tuple[QuestionBase, ...]
    """The question, or its variants in order (``id#1`` first)."""

    @property
    def varied(self) -> bool:
        """Whether these are the variants of a question with `variants`."""
        return variant_of(self.questions[0]) is not None


def groups(questions: Iterable[QuestionBase]) -> list[Group]:
    """The questions grouped: each plain question alone, a template's variants together."""
    found: list[Group] = []
    for question in questions:
        of = variant_of(question)
        if of is not None and found and found[-1].varied and found[-1].id == of[0]:
            last = found.pop()
            found.append(Group(last.id, (*last.questions, question)))
        else:
            found.append(Group(of[0] if of else question.id, (question,)))
    return found


def chosen(loaded: LoadedBank, choice: VariantsChoice) -> tuple[QuestionBase, ...]:
    """The questions of `loaded` a format without random draws exports: every plain
    question, and of each question with variants its first (`first`) or all (`all`)."""
    if choice == "all":
        return loaded.bank.questions
    return tuple(group.questions[0] for group in groups(loaded.bank.questions))


__all__ = ["SEPARATOR", "Group", "VariantsChoice", "chosen", "groups", "variant_of"]
