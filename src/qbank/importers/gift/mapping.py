"""A parsed GIFT question as a bank question (the keys a bank author writes).

Each loss is a :class:`Loss` (the issue's kind and message); what it concerns is kept as a
comment above the question. Types follow Moodle's: ``=right ~wrong`` with one ``=`` is a
``multiple_choice``; ``~%w%`` weights without ``=`` are a ``multiple_answers`` (every option
keeps its weight, 0 for one written without); true/false, short answer, numerical (first
100 % answer; a ``min..max`` range as its midpoint and half width), matching, essay.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from qbank.importers.gift.answers import matching, numerical, short_answer, true_false
from qbank.importers.gift.mapped import Loss, Mapped, as_number
from qbank.importers.gift.parser import (
    Answer,
    GiftSyntaxError,
    Parsed,
    Part,
    answers,
    split_format,
)
from qbank.importers.gift.text import code_only, split_stem


def question(parsed: Parsed) -> Mapped:
    """The bank data of a parsed question (not a description); raises GiftSyntaxError."""
    mapped = Mapped()
    mapped.data["type"] = ""
    stem, lost = split_stem(Part(parsed.stem, parsed.format))
    if stem.title:
        mapped.data["title"] = stem.title
    mapped.data["prompt"] = stem.prompt
    if stem.code is not None:
        mapped.data["code"] = stem.code
        if stem.language:
            mapped.data["language"] = stem.language
    mapped.html_lost(lost, parsed.stem)
    if parsed.trailing:
        mapped.issue(
            f"{len(parsed.trailing) + 1} answer blocks: Moodle reads the first, the others "
            "stay in the prompt as text",
            kind="cloze",
        )
    _TYPES[parsed.kind](parsed, mapped)
    if parsed.general_feedback is not None and parsed.general_feedback.strip():
        mapped.data["explanation"] = mapped.markdown(parsed.general_feedback, parsed.format)
    return mapped


def _essay(parsed: Parsed, mapped: Mapped) -> None:
    mapped.data["type"] = "essay"


def _choices(parsed: Parsed, mapped: Mapped) -> None:
    lead, items = answers(parsed.body, "~=", weighted="~")
    if lead.strip():
        mapped.issue(
            f"the text {lead.strip()!r} before the first `~`/`=` is read by Moodle as one more "
            "wrong option",
            kind="syntax",
        )
        items.insert(0, Answer(lead.strip(), "~"))
    single = any(item.mark == "=" for item in items)
    mapped.data["type"] = "multiple_choice" if single else "multiple_answers"
    mapped.data["choices"] = [_choice(parsed, mapped, item, single) for item in items]


def _choice(parsed: Parsed, mapped: Mapped, item: Answer, single: bool) -> dict[str, Any]:
    part = split_format(item.text, parsed.format)
    code = code_only(part)
    choice: dict[str, Any] = {"code": code} if code is not None else {}
    if code is None:
        choice["text"] = mapped.markdown(item.text, parsed.format)
    if item.bad_weight is not None:
        mapped.issue(
            f"{item.bad_weight} is not a weight Moodle reads (`%50%`, `%-33.33333%`): "
            "Moodle keeps it as the option's text, worth 0 %",
            kind="weight",
        )
    weight = item.weight
    if item.mark == "=" and part.text.startswith("%") and part.text.find("%", 1) > 0:
        mapped.issue("Moodle reads a weight after `=` as the option's text", kind="weight")
    if single:
        correct = item.mark == "=" or weight == 100
        if weight is not None and weight not in (0, 100):
            mapped.issue(
                f"a single-answer question cannot give {weight}% for an option: "
                "its partial credit is lost",
                kind="weight",
            )
    else:
        correct = weight is not None and weight > 0
        choice["weight"] = as_number(weight if weight is not None else Decimal(0))
    if correct:
        choice["correct"] = True
    if item.feedback is not None and item.feedback.strip():
        choice["feedback"] = mapped.markdown(item.feedback, parsed.format)
    return _ordered(choice)


def _ordered(choice: dict[str, Any]) -> dict[str, Any]:
    order = ("text", "code", "correct", "weight", "feedback")
    return {key: choice[key] for key in order if key in choice}


_TYPES = {
    "essay": _essay,
    "multichoice": _choices,
    "truefalse": true_false,
    "shortanswer": short_answer,
    "numerical": numerical,
    "match": matching,
}


__all__ = ["GiftSyntaxError", "Loss", "Mapped", "as_number", "question"]
