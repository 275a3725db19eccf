"""Each Canvas ``question_type`` as a bank question (see the package's docstring)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from qbank.importers.qti.item import Item, mattext, number


def as_number(value: Decimal) -> int | float:
    """An int when the value is whole and written so, else a float."""
    if value == value.to_integral_value() and "." not in str(value) and "E" not in str(value):
        return int(value)
    return float(value)


def _correct(item: Item) -> set[str]:
    return {value for c in item.scoring() for _, value in c.equals}


def _choice(text: str, correct: bool, feedback: str | None) -> Any:
    if not correct and not feedback:
        return text
    choice: dict[str, Any] = {"text": text}
    if correct:
        choice["correct"] = True
    if feedback:
        choice["feedback"] = feedback
    return choice


def choices(item: Item, kind: str) -> None:
    item.data["type"] = kind
    correct = _correct(item)
    feedback = item.choice_feedback()
    labels = item.labels()
    item.data["choices"] = [
        _choice(text, ident in correct, feedback.get(ident)) for ident, text in labels
    ]
    if not any(ident in correct for ident, _ in labels):
        item.issue(
            "no option is scored as correct: mark the right one (`correct: true`)", "invalid"
        )


def true_false(item: Item) -> None:
    item.data["type"] = "true_false"
    correct = _correct(item)
    labels = item.labels()
    keyed = [text for ident, text in labels if ident in correct]
    if len(keyed) != 1:
        choices(item, "multiple_choice")
        item.issue(
            "a true/false question without one keyed option: read as multiple choice", "invalid"
        )
        return
    item.data["answer"] = keyed[0].strip().lower() in ("true", "yes", "vrai", "wahr")
    for ident, text in item.choice_feedback().items():
        shown = next((t for i, t in labels if i == ident), ident)
        item.issue(
            "per-option feedback of a true/false question has no place",
            "lost",
            f"feedback for {shown}: {text}",
        )


def short_answer(item: Item) -> None:
    item.data["type"] = "short_answer"
    answers = [value for c in item.scoring() for _, value in c.equals if value]
    item.data["answers"] = list(dict.fromkeys(answers))
    if any(c.case for c in item.scoring()):  # QTI's `case="Yes"` (Canvas ignores it)
        item.data["case_sensitive"] = True
    if not answers:
        item.issue("no accepted answer: write `answers`", "invalid")


def numerical(item: Item) -> None:
    item.data["type"] = "numerical"
    scoring = item.scoring()
    if not scoring:
        item.issue("no scored answer: write `answer`", "invalid")
        return
    first = scoring[0]
    exact = next((Decimal(v) for _, v in first.equals if _decimal(v)), None)
    low = _decimal(first.bounds.get("vargte") or first.bounds.get("vargt"))
    high = _decimal(first.bounds.get("varlte") or first.bounds.get("varlt"))
    if exact is None and low is not None and high is not None:
        exact = (low + high) / 2
    if exact is None:
        item.issue("the numerical answer could not be read", "invalid")
        return
    item.data["answer"] = as_number(exact)
    tolerance = max((abs(b - exact) for b in (low, high) if b is not None), default=Decimal(0))
    if tolerance:
        item.data["tolerance"] = as_number(tolerance.normalize())
    if len(scoring) > 1:
        item.issue(
            f"{len(scoring)} accepted answers: the first is the key, the others are lost",
            "weight",
        )


def _decimal(text: str | None) -> Decimal | None:
    return number(text) if text else None


def matching(item: Item) -> None:
    item.data["type"] = "matching"
    lids = item.element.findall("presentation/response_lid")
    rights: dict[str, str] = {}
    for lid in lids:
        for label in lid.findall(".//response_label"):
            text, texttype = mattext(label)
            rights.setdefault(label.get("ident", ""), item.markdown(text, texttype, "option"))
    keyed = {rid: value for c in item.scoring() for rid, value in c.equals}
    pairs = []
    for lid in lids:
        text, texttype = mattext(lid.find("material"))
        right = rights.get(keyed.get(lid.get("ident", ""), ""))
        if right is None:
            item.issue(f"the item {text!r} has no keyed match: left out", "invalid")
            continue
        pairs.append({"left": item.markdown(text, texttype, "item"), "right": right})
    item.data["pairs"] = pairs
    used = {p["right"] for p in pairs}
    distractors = [t for t in dict.fromkeys(rights.values()) if t not in used]
    if distractors:
        item.data["distractors"] = distractors


def essay(item: Item) -> None:
    item.data["type"] = "essay"


def upload(item: Item) -> None:
    item.data["type"] = "essay"
    item.issue(
        "a file-upload question has no qbank form: imported as an essay (learners cannot "
        "upload a file)",
        "unknown-type",
        "file upload question: learners uploaded a file",
    )


KINDS: dict[str, Callable[[Item], None]] = {
    "multiple_choice_question": lambda item: choices(item, "multiple_choice"),
    "multiple_answers_question": lambda item: choices(item, "multiple_answers"),
    "true_false_question": true_false,
    "short_answer_question": short_answer,
    "numerical_question": numerical,
    "matching_question": matching,
    "essay_question": essay,
    "file_upload_question": upload,
}
CLOZE = ("fill_in_multiple_blanks_question", "multiple_dropdowns_question")
CALCULATED = ("calculated_question",)


__all__ = ["CALCULATED", "CLOZE", "KINDS", "as_number"]
