"""Questions answered by picking options: Canvas's multiple choice, multiple answers and
true/false.

================  ==========================  ==============================================
qbank             Canvas ``question_type``    how
================  ==========================  ==============================================
multiple_choice   multiple_choice_question    the key scores 100 (``setvar action="Set"``)
code_choice       multiple_choice_question    options as code; the program with its gap above
bug               multiple_choice_question    the buggy program above; the fix in the feedback
output + choices  multiple_choice_question    the output printed, among the wrong outputs
multiple_answers  multiple_answers_question   one condition: every right option picked and no
                                              wrong one (Canvas's own form); weights: see
                                              :mod:`.weights`
true_false        true_false_question         options ``True`` and ``False``, as Canvas names
                                              them (its importer matches ``/true/i``)
================  ==========================  ==============================================

Each option with feedback (authored, else the learner feedback validation generated for a
wrong option) gets an ``itemfeedback`` shown by a condition on that option.
"""

from __future__ import annotations

from qbank.exporters.display import (
    KEY,
    choice_feedback,
    known_output_key,
    option_order,
    shown_choice,
)
from qbank.exporters.qti import ids
from qbank.exporters.qti.body import (
    Body,
    choice_lid,
    condition,
    feedback_id,
    label,
    varequal,
)
from qbank.exporters.qti.item import Item
from qbank.exporters.qti.weights import weight_loss
from qbank.exporters.qti.xml import element
from qbank.model import MultipleAnswers, Output, TrueFalse, WithChoices


def _idents(item: Item, count: int) -> list[str]:
    return ids.option_idents(item.loaded.id, item.question.id, "choice", count)


def _feedback(item: Item, index: int) -> str:
    """An option's feedback as HTML: authored, else what validation generated."""
    choice = item.question.choices_list[index]
    said = choice_feedback(choice, index, item.feedback, item.generated_feedback)
    return item.md(said) if said and said.strip() else ""


def _shown(item: Item, index: int) -> str:
    choice = item.question.choices_list[index]
    return item.shown(shown_choice(item.question, choice))


def _body(item: Item, qtype: str, options: list[tuple[str, str, str]], scoring: str) -> Body:
    """`options` are (ident, HTML, feedback HTML); `scoring` the condition that scores."""
    cardinality = "Multiple" if qtype == "multiple_answers_question" else "Single"
    labels = [label(ident, html) for ident, html, _ in options]
    shown = [(ident, said) for ident, _, said in options if said]
    conditions = [condition([varequal(i)], feedback=feedback_id(i)) for i, _ in shown]
    return Body(
        qtype,
        choice_lid("response1", cardinality, labels),
        (*conditions, scoring),
        tuple((feedback_id(i), said) for i, said in shown),
        tuple(ident for ident, _, _ in options),
    )


def choices(item: Item, q: WithChoices, order: list[int]) -> Body:
    """Multiple choice (one key) or multiple answers, the options in `order`."""
    idents = dict(zip(order, _idents(item, len(order)), strict=True))
    options = [(idents[i], _shown(item, i), _feedback(item, i)) for i in order]
    right = [idents[i] for i in order if q.choices[i].correct]
    if isinstance(q, MultipleAnswers):
        loss = weight_loss(q.choices)
        if loss:
            item.warn(loss, "lossy-weight")
        tests = [
            varequal(idents[i]) if q.choices[i].correct else element("not", varequal(idents[i]))
            for i in order
        ]
        scoring = condition([element("and", "".join(tests))], score="100", stop=True)
        return _body(item, "multiple_answers_question", options, scoring)
    tests = [varequal(ident) for ident in right]
    scoring = condition(tests, score="100", stop=True)
    return _body(item, "multiple_choice_question", options, scoring)


def true_false(item: Item, q: TrueFalse) -> Body:
    """The statement with the options True and False."""
    true, false = _idents(item, 2)
    options = [(true, "True", ""), (false, "False", "")]
    scoring = condition([varequal(true if q.answer else false)], score="100", stop=True)
    return _body(item, "true_false_question", options, scoring)


def output_choices(item: Item, q: Output, key: str) -> Body:
    """What the program prints, among the wrong outputs (the key's place seeded by the ids,
    so it is not always first)."""
    order = option_order(item.loaded.id, q, has_key=True)
    idents = dict(zip(order, _idents(item, len(order)), strict=True))
    options = [
        (idents[i], item.code(key, None), "")
        if i == KEY
        else (idents[i], _shown(item, i), _feedback(item, i))
        for i in order
    ]
    scoring = condition([varequal(idents[KEY])], score="100", stop=True)
    return _body(item, "multiple_choice_question", options, scoring)


def output_key_of(item: Item, q: Output) -> str | None:
    """The output the program prints (authored, else computed); warned when unknown."""
    return known_output_key(q, item.result, item.warn)


__all__ = ["choices", "output_choices", "output_key_of", "true_false"]
