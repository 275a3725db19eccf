"""What a question kind adds to its item (:class:`Interaction`), and its options' feedback."""

from __future__ import annotations

from dataclasses import dataclass

from qbank.exporters.display import choice_feedback
from qbank.exporters.qti21.item import Item


@dataclass(frozen=True)
class Interaction:
    """What one question kind adds to its item."""

    declarations: tuple[str, ...]
    """``responseDeclaration`` elements."""
    body: str
    """The interaction, a block of the ``itemBody``."""
    rules: tuple[str, ...] = ()
    """The scoring rules of ``responseProcessing`` (none: a person scores it)."""
    template: str | None = None
    """The standard template the rules are, if they are one."""
    choice_feedback: tuple[tuple[str, str], ...] = ()
    """(choice identifier, QTI XHTML) for the options that have feedback."""
    by_response: bool = False
    """Whether the response is the identifiers of choices (then ``FEEDBACK`` holds them)."""


def option_feedback(item: Item, index: int) -> str:
    """An option's feedback as QTI XHTML: authored, else the learner feedback validation
    generated (never for a question that fails validation)."""
    choice = item.question.choices_list[index]
    said = choice_feedback(choice, index, item.feedback, item.generated_feedback)
    return item.md(said) if said and said.strip() else ""


__all__ = ["Interaction", "option_feedback"]
