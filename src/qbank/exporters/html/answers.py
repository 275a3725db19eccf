"""How each question kind is answered in the page, and what marks it.

==================  ===========  ==============================================================
qbank               form         marked by
==================  ===========  ==============================================================
multiple_choice     radios       the key's position
code_choice, bug    radios       the key's position (options as code; the fix after answering)
output + choices    radios       the key (the output as printed) among the wrong outputs
true_false          radios       True or False
multiple_answers    checkboxes   the sum of the ticked options' weights, between 0 and 100 %
short_answer        text field   any accepted answer, spaces around ignored, case by the rule
numerical           text field   the answer within the tolerance
output              text area    the comparison qbank proves with (:mod:`qbank.model.rules`)
matching            a select     one share per item matched
                    per item
essay               text area    not marked: the explanation is the model answer
==================  ===========  ==============================================================

The marking data (:attr:`Answer.key`) holds no hidden code: option feedback is authored,
else the learner feedback validation generated (:meth:`ExportContext.feedback
<qbank.exporters.base.ExportContext.feedback>`). An `output` question with no key (not
validated with execution) is shown but cannot be marked (``missing-key``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from qbank.exporters.display import (
    KEY,
    Shown,
    choice_feedback,
    known_output_key,
    letter,
    option_order,
    plain_number,
    shown_choice,
)
from qbank.exporters.gift.weights import answer_weights
from qbank.exporters.html import text
from qbank.exporters.html.item import Item
from qbank.model import (
    Bug,
    Choice,
    CodeChoice,
    Essay,
    Matching,
    MultipleAnswers,
    Numerical,
    Output,
    ShortAnswer,
    TrueFalse,
    WithChoices,
)

Key = dict[str, object]
"""What the page's script marks with (JSON): `kind`, the kind's own fields, and `answer`,
the right answer as HTML, shown after answering."""


@dataclass(frozen=True)
class Option:
    """One option of a radio or checkbox group, in display order."""

    position: int
    letter: str
    """``A``, ``B``, ... (empty for True and False)."""
    body: str
    """HTML fit for a ``<label>``."""


@dataclass
class Answer:
    """The form of a question and the data that marks it."""

    kind: str
    """``one``, ``many``, ``text``, ``number``, ``output``, ``match``, ``essay`` or ``none``
    (shown, not answerable)."""
    legend: str
    """What the form asks for (a ``<legend>`` or a ``<label>``)."""
    key: Key = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    rows: tuple[str, ...] = ()
    """Matching: the left side of each pair, HTML fit for a ``<label>``."""
    choices: tuple[str, ...] = ()
    """Matching: what each select offers (plain text)."""
    note: str = ""
    """A rule learners need before answering ("Case matters.")."""


def answer(item: Item) -> Answer:
    """The form and marking data of `item`'s question."""
    q = item.question
    if isinstance(q, WithChoices):
        return _choices(item, q)
    if isinstance(q, TrueFalse):
        options = (Option(0, "", "True"), Option(1, "", "False"))
        key = {"kind": "one", "correct": [0 if q.answer else 1], "feedback": {}}
        said = f"<p>Answer: <strong>{q.answer}</strong></p>"
        return Answer("one", "True or false?", {**key, "answer": said}, options)
    if isinstance(q, ShortAnswer):
        return _short(q)
    if isinstance(q, Numerical):
        return _numerical(q)
    if isinstance(q, Matching):
        return _matching(item, q)
    if isinstance(q, Output):
        return _output(item, q)
    if isinstance(q, Essay):
        return Answer("essay", "Your answer", {"kind": "essay", "answer": ""})
    item.warn(f"the page has no form for `{type(q).__name__}` questions", "lossy-type")
    return Answer("none", "", {"kind": "none", "answer": ""})


_LEGENDS = {
    MultipleAnswers: "Choose every answer that applies",
    CodeChoice: "Choose the line that fills the gap",
    Bug: "Choose what is wrong with the program",
}


def _choices(item: Item, q: WithChoices) -> Answer:
    order = option_order(item.loaded.id, q, False)
    options = _options(item, q.choices_list, order)
    feedback = _feedback(item, q.choices_list, order)
    right = [p for p, i in enumerate(order) if q.choices[i].correct]
    if isinstance(q, MultipleAnswers):
        weights = option_weights(q.choices)
        # `correct` says which options are the key (a right option may be worth 0 %)
        key: Key = {"kind": "many", "weights": [weights[i] for i in order], "correct": right}
        said = f"Answers: <strong>{', '.join(letter(p) for p in right)}</strong>"
    else:
        key = {"kind": "one", "correct": right}
        said = f"Answer: <strong>{', '.join(letter(p) for p in right)}</strong>"
    legend = _LEGENDS.get(type(q), "Choose one answer")
    return Answer(
        str(key["kind"]), legend, {**key, "feedback": feedback, "answer": f"<p>{said}</p>"}, options
    )


def option_weights(choices: Sequence[Choice]) -> list[float]:
    """Each option's weight in percent, as GIFT and Moodle XML score it
    (:func:`qbank.exporters.gift.weights.answer_weights`), except that correct options
    without a `weight` share what the others leave of 100 % exactly: the page needs no
    rounding to Moodle's grade list, so ticking every right option always scores 100 %."""
    moodle = answer_weights(tuple(choices)).weights
    explicit = sum(c.weight for c in choices if c.correct and c.weight is not None)
    unweighted = sum(1 for c in choices if c.correct and c.weight is None)
    share = max((100 - explicit) / unweighted, 0.0) if unweighted else 0.0
    return [
        share if c.correct and c.weight is None else float(w)
        for c, w in zip(choices, moodle, strict=True)
    ]


def _options(
    item: Item, choices: Sequence[Choice], order: list[int], key: str = ""
) -> tuple[Option, ...]:
    """The options in display order; :data:`KEY` is an `output` question's right output."""
    question = item.question
    return tuple(
        Option(
            p,
            letter(p),
            item.shown(Shown("pre", key) if i == KEY else shown_choice(question, choices[i])),
        )
        for p, i in enumerate(order)
    )


def _feedback(item: Item, choices: Sequence[Choice], order: list[int]) -> dict[str, str]:
    """Display position -> feedback HTML (authored, else generated), for options with one."""
    found = {}
    for position, index in enumerate(order):
        if index == KEY:
            continue
        said = choice_feedback(choices[index], index, item.feedback)
        if said and said.strip():
            found[str(position)] = item.md(said)
    return found


def _short(q: ShortAnswer) -> Answer:
    accepted = ", ".join(f"<code>{escape(a, quote=False)}</code>" for a in q.answers)
    case = "case matters" if q.case_sensitive else "case does not matter"
    label = "Accepted answers" if len(q.answers) > 1 else "Accepted answer"
    key = {"kind": "text", "answers": list(q.answers), "caseSensitive": q.case_sensitive}
    note = "Case matters." if q.case_sensitive else "Case does not matter."
    return Answer(
        "text", "Your answer", {**key, "answer": f"<p>{label}: {accepted} ({case}).</p>"}, note=note
    )


def _decimal(value: float) -> Decimal:
    """The number as written (`3.14`, not the double nearest to it)."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _plain_decimal(value: Decimal) -> str:
    """`3.13`, `100`: no exponent, no trailing zeros (the ends of a tolerance, which binary
    floats would show as 3.1300000000000003)."""
    return format(value.normalize(), "f") if value else "0"


def _numerical(q: Numerical) -> Answer:
    value, tolerance = plain_number(q.answer), plain_number(q.tolerance)
    said = f"Answer: <strong>{value}</strong>"
    if q.tolerance:
        answer, margin = _decimal(q.answer), _decimal(q.tolerance)
        low, high = _plain_decimal(answer - margin), _plain_decimal(answer + margin)
        said += f" ± {tolerance} (from {low} to {high})"
    key = {"kind": "number", "value": q.answer, "tolerance": q.tolerance}
    return Answer("number", "Your answer (a number)", {**key, "answer": f"<p>{said}.</p>"})


def _matching(item: Item, q: Matching) -> Answer:
    choices = tuple(sorted({p.right for p in q.pairs} | set(q.distractors)))
    rows = tuple(item.shown(Shown("text", p.left)) for p in q.pairs)
    key: Key = {"kind": "match", "correct": [choices.index(p.right) for p in q.pairs], "answer": ""}
    return Answer("match", "Choose the match of each item", key, rows=rows, choices=choices)


def _output(item: Item, q: Output) -> Answer:
    expected = known_output_key(
        q, item.result, item.warn, "the page shows the question but cannot mark it"
    )
    if expected is None:
        return Answer("none", "", {"kind": "none", "answer": ""})
    order = option_order(item.loaded.id, q, True)
    if order:
        options = _options(item, q.choices, order, expected)
        key: Key = {
            "kind": "one",
            "correct": [order.index(KEY)],
            "feedback": _feedback(item, q.choices, order),
        }
        said = f"<p>Answer: <strong>{letter(order.index(KEY))}</strong></p>"
        return Answer("one", "Choose what the program prints", {**key, "answer": said}, options)
    note = (
        "Every character counts, spaces and line breaks included (end with a line break only "
        "if the program prints one)."
        if q.exact
        else "Spaces at the ends of lines and blank lines at the end do not count."
    )
    note += " In the box, Tab types a tab; Esc, then Tab, moves on."
    key = {"kind": "output", "expected": expected, "exact": q.exact}
    said = "<p>The program prints:</p>" + text.code(expected, None)
    return Answer("output", "What the program prints", {**key, "answer": said}, note=note)


__all__ = ["Answer", "Key", "Option", "answer", "option_weights"]
