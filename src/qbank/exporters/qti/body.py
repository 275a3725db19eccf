"""The parts of an ``<item>`` that depend on its type, and the QTI pieces they are made of.

A :class:`Body` is what a question type contributes: Canvas's ``question_type``, the
response element shown after the question text, the scoring and feedback conditions, the
per-option feedback texts, and the option ids (``original_answer_ids``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qbank.exporters.qti.xml import block, element, leaf, mattext

RESPONSE = "response1"
"""The response of every item with one answer (Canvas's own name for it)."""


@dataclass(frozen=True)
class Body:
    """A question's Canvas type and the parts specific to it."""

    qtype: str
    response: str
    """The response element (``response_lid`` / ``response_str``), XML."""
    conditions: tuple[str, ...] = ()
    """The ``respcondition`` elements: per-option feedback first, then scoring."""
    feedback: tuple[tuple[str, str], ...] = ()
    """(itemfeedback ident, HTML) of each option that has feedback."""
    answer_ids: tuple[str, ...] = field(default=())
    """The option idents, in order (Canvas keeps them as the answers' ids)."""


def label(ident: str, content: str, texttype: str = "text/html") -> str:
    """One option: ``<response_label>`` holding its text."""
    return element("response_label", mattext(content, texttype), {"ident": ident})


def choice_lid(ident: str, cardinality: str, labels: list[str], prompt: str = "") -> str:
    """A ``response_lid`` offering `labels` (a matching row has its left side as `prompt`)."""
    inner = [prompt] if prompt else []
    inner.append(block("render_choice", labels, 6))
    return block("response_lid", inner, 5, {"ident": ident, "rcardinality": cardinality})


def fib(fibtype: str = "String") -> str:
    """A typed answer: ``response_str`` with one blank."""
    blank = element("response_label", "", {"ident": "answer1", "rshuffle": "No"})
    render = element("render_fib", blank, {"fibtype": fibtype} if fibtype != "String" else {})
    return block("response_str", [render], 5, {"ident": RESPONSE, "rcardinality": "Single"})


def varequal(value: str, respident: str = RESPONSE, *, case: bool = False) -> str:
    """``<varequal>``: the response is `value` (``case="Yes"``: in the same case)."""
    attributes = {"respident": respident, **({"case": "Yes"} if case else {})}
    return leaf("varequal", value, attributes)


def condition(
    tests: list[str],
    *,
    score: str | None = None,
    action: str = "Set",
    feedback: str | None = None,
    stop: bool = False,
) -> str:
    """A ``respcondition``: when `tests` hold, set (or add to) the score and show feedback;
    `stop` (``continue="No"``) ends processing there, as Canvas writes scoring conditions."""
    children = [block("conditionvar", tests, 6)]
    if score is not None:
        children.append(leaf("setvar", score, {"action": action, "varname": "SCORE"}))
    if feedback is not None:
        children.append(
            element("displayfeedback", "", {"feedbacktype": "Response", "linkrefid": feedback})
        )
    return block("respcondition", children, 5, {"continue": "No" if stop else "Yes"})


def feedback_id(ident: str) -> str:
    """The itemfeedback ident of an option's feedback (Canvas's ``<answer id>_fb``)."""
    return f"{ident}_fb"


__all__ = [
    "RESPONSE",
    "Body",
    "choice_lid",
    "condition",
    "feedback_id",
    "fib",
    "label",
    "varequal",
]
