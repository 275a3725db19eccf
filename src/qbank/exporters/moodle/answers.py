"""Each question kind as a Moodle question type and the elements only that type has.

================  ==============  ====================================================
qbank             Moodle          how
================  ==============  ====================================================
multiple_choice   multichoice     ``single`` true, the key at 100 %
multiple_answers  multichoice     ``single`` false, weights from Moodle's grade list
true_false        truefalse       answers ``true`` / ``false`` (lower case), both
code_choice       multichoice     options as code; the program with its gap in the text
bug               multichoice     the buggy program in the text, the fix in the feedback
output + choices  multichoice     the key (as printed) first, then the wrong outputs
output            shortanswer     case-sensitive; one line, as Moodle trims it
short_answer      shortanswer     ``usecase`` from ``case_sensitive``, ``*`` escaped
numerical         numerical       the answer and its ``tolerance``
matching          matching        one subquestion per pair, distractors without text
essay             essay           ``monospaced`` when the question shows code
================  ==============  ====================================================
"""

from __future__ import annotations

from dataclasses import dataclass

from qbank.exporters.display import choice_feedback, known_output_key, plain_number, shown_choice
from qbank.exporters.gift.weights import answer_weights, format_weight
from qbank.exporters.moodle import text as t
from qbank.exporters.moodle.item import Item
from qbank.exporters.moodle.xml import Field, element, rich
from qbank.model import (
    Essay,
    Matching,
    MultipleAnswers,
    Numerical,
    Output,
    ShortAnswer,
    TrueFalse,
    WithChoices,
)
from qbank.model.rules import normalise_output


@dataclass(frozen=True)
class Body:
    """A question's Moodle type and the elements specific to it."""

    qtype: str
    elements: tuple[str, ...]


def body(item: Item, shuffle: bool, numbering: str) -> Body | None:
    """The type and answers of `item`'s question; None (warned) when it cannot be written."""
    q = item.question
    if isinstance(q, WithChoices):
        return _choices(item, q, shuffle and q.shuffle, numbering)
    if isinstance(q, TrueFalse):
        feedback = (_answer(item, "true", 100 if q.answer else 0),)
        return Body("truefalse", (*feedback, _answer(item, "false", 0 if q.answer else 100)))
    if isinstance(q, ShortAnswer):
        return _short(item, q.answers, q.case_sensitive)
    if isinstance(q, Numerical):
        tolerance = element("tolerance", plain_number(q.tolerance))
        return Body("numerical", (_answer(item, plain_number(q.answer), 100, tolerance),))
    if isinstance(q, Matching):
        return _matching(item, q, shuffle)
    if isinstance(q, Output):
        return _output(item, q, shuffle, numbering)
    if isinstance(q, Essay):
        return _essay(item)
    item.warn(f"Moodle XML has no form for `{type(q).__name__}` questions", "lossy-type")
    return None


def _answer(item: Item, value: str, fraction: float, extra: str = "", feedback: str = "") -> str:
    """A plain-text answer (true/false, short answer, numerical) and its feedback."""
    inner = f"<text>{t.cdata(value)}</text>" + rich("feedback", item.field(feedback)) + extra
    return element("answer", inner, fraction=format_weight(fraction), format="plain_text")


def _html_answer(item: Item, html: str, fraction: float, feedback: str) -> str:
    """A multichoice answer: HTML text (never empty: Moodle drops those) and its feedback."""
    extra = rich("feedback", item.field(feedback))
    return rich("answer", item.field(html), extra, fraction=format_weight(fraction))


def _options(shuffle: bool, numbering: str, single: bool) -> tuple[str, ...]:
    return (
        element("single", "true" if single else "false"),
        element("shuffleanswers", "true" if shuffle else "false"),
        element("answernumbering", numbering),
    )


def _choices(item: Item, q: WithChoices, shuffle: bool, numbering: str) -> Body:
    """Multiple choice (one key) or multiple answers (weights from Moodle's grade list)."""
    if isinstance(q, MultipleAnswers):
        weights = answer_weights(q.choices)
        if not weights.exact:
            item.warn(
                "the correct options cannot share 100 % in Moodle's allowed grades: "
                "give them explicit `weight`s",
                "lossy-weight",
            )
        fractions = list(weights.weights)
    else:
        fractions = [100.0 if c.correct else 0.0 for c in q.choices]
    answers = [
        _html_answer(item, _shown(item, q, index), fractions[index], _feedback(item, index))
        for index in range(len(q.choices))
    ]
    single = not isinstance(q, MultipleAnswers)
    return Body("multichoice", (*_options(shuffle, numbering, single), *answers))


def _shown(item: Item, q: WithChoices | Output, index: int) -> str:
    choice = q.choices_list[index]
    shown = shown_choice(q, choice)
    return item.shown(shown) or t.code(shown.content, None)


def _feedback(item: Item, index: int) -> str:
    """An option's feedback: authored, else the learner feedback validation generated."""
    choice = item.question.choices_list[index]
    said = choice_feedback(choice, index, item.feedback, item.generated_feedback)
    return item.md(said) if said and said.strip() else ""


def _short(item: Item, answers: tuple[str, ...], case_sensitive: bool) -> Body | None:
    """A short answer: every accepted answer at 100 % (`*` escaped: Moodle's wildcard)."""
    kept = []
    for answer in answers:
        text = item.plain(answer, "the short answer").strip()
        if not text:
            item.warn(f"Moodle trims short answers: {answer!r} is blank, left out", "lossy-answer")
            continue
        kept.append(_answer(item, text.replace("*", "\\*"), 100))
    if not kept:
        item.warn("no answer of this question fits in Moodle: question left out", "lossy-type")
        return None
    return Body("shortanswer", (element("usecase", "1" if case_sensitive else "0"), *kept))


def _matching(item: Item, q: Matching, shuffle: bool) -> Body | None:
    """One subquestion per pair (HTML left side, plain right side); each distractor a
    subquestion without text, which Moodle offers as an answer that matches nothing."""
    rights = [item.plain(p.right, "the right side").strip() for p in q.pairs]
    extras = [item.plain(d, "the distractor").strip() for d in q.distractors]
    written = [*(p.right for p in q.pairs), *q.distractors]
    if not _distinct(item, written, [*rights, *extras]):
        return None
    subquestions = [
        rich("subquestion", item.field(item.md(p.left, compact=True) or t.code(p.left, None)),
             element("answer", f"<text>{t.cdata(right)}</text>"))
        for p, right in zip(q.pairs, rights, strict=True)
    ] + [
        rich("subquestion", Field(""), element("answer", f"<text>{t.cdata(extra)}</text>"))
        for extra in extras
    ]  # fmt: skip
    return Body(
        "matching", (element("shuffleanswers", "true" if shuffle else "false"), *subquestions)
    )


def _distinct(item: Item, written: list[str], kept: list[str]) -> bool:
    """Right sides that differ as written must differ in what Moodle keeps (it trims them)."""
    seen: dict[str, str] = {}
    for original, stored in zip(written, kept, strict=True):
        first = seen.setdefault(stored, original)
        if first != original or not stored:
            item.warn(
                f"the right sides {first!r} and {original!r} would read the same once Moodle "
                "trimmed them: question left out (make them differ in more than whitespace)",
                "lossy-option",
            )
            return False
    return True


def _output(item: Item, q: Output, shuffle: bool, numbering: str) -> Body | None:
    """With wrong outputs: multiple choice, the key first; else a case-sensitive short answer."""
    key = known_output_key(q, item.result, item.warn)
    if key is None:
        return None
    if q.choices:
        right = _html_answer(item, t.code(key, None), 100, "")
        wrong = [
            _html_answer(item, _shown(item, q, i), 0, _feedback(item, i))
            for i in range(len(q.choices))
        ]
        return Body("multichoice", (*_options(shuffle, numbering, True), right, *wrong))
    shown = key if q.exact else normalise_output(key)
    if "\n" in shown or shown != shown.strip():
        item.warn(
            "as a short answer, the output must be typed on one line and Moodle trims it: "
            "exact whitespace and line breaks cannot be asked for (add `choices`)",
            "lossy-whitespace",
        )
    return _short(item, (shown,), True)


def _essay(item: Item) -> Body:
    """Graded by a person: a monospaced response (the shown code as its template) when the
    question shows code, the HTML editor otherwise; the explanation is the grader's info."""
    code = item.question.code
    template = element("responsetemplate", f"<text>{t.cdata(item.plain(code, 'the code'))}</text>",
                       format="plain_text") if code else ""  # fmt: skip
    return Body(
        "essay",
        (
            element("responseformat", "monospaced" if code else "editor"),
            element("responserequired", "1"),
            element("responsefieldlines", "15"),
            element("attachments", "0"),
            rich("graderinfo", item.field(item.md(item.question.explanation))),
            template,
        ),
    )


__all__ = ["Body", "body"]
