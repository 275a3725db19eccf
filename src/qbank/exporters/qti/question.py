"""One question as an ``<item>``: its metadata, its text, its response, its scoring and its
feedback.

* The item's ``ident`` is stable (:mod:`.ids`); its ``label`` is ``bank-id/question-id``, for
  people and for qbank's importer, which takes the question's id back from it (Canvas reads
  a label only from Desire2Learn packages).
* ``itemmetadata``: Canvas's ``question_type``, ``points_possible`` (``points``),
  ``original_answer_ids`` (the option idents, in order) and
  ``assessment_question_identifierref`` (a stable ident of its own, as text2qti writes it:
  the package has no question bank for it to name), the four fields Canvas writes
  and reads back (``AssessmentItemConverter#parse_instructure_metadata``).
* The question text: the title as a heading (learners see Canvas's "Question 1" instead of
  the item's ``title``, which only teachers see), the prompt, the figures, the fixture files
  learners see, then the code (for ``code_choice``, with its ``____`` gap).
* ``resprocessing``: ``SCORE`` from 0 to 100; a condition showing the general feedback,
  then the type's own (:mod:`.choices`, :mod:`.typed`).
* ``itemfeedback``: ``general_fb`` (the explanation; for ``bug`` the fixed program too),
  then each option's.

Hints have no place in Canvas (``lossy-hint``). A question text over Canvas's 16 KB is
written again with plain code blocks; still over, it is ``lossy-size``.
"""

from __future__ import annotations

from qbank.exporters.display import plain_number
from qbank.exporters.moodle import text as moodle_text
from qbank.exporters.qti import choices, ids, typed
from qbank.exporters.qti import text as t
from qbank.exporters.qti.body import Body, condition
from qbank.exporters.qti.item import Item
from qbank.exporters.qti.xml import block, element, leaf, mattext
from qbank.exporters.rich import title_html
from qbank.model import (
    Bug,
    Essay,
    Matching,
    Numerical,
    Output,
    ShortAnswer,
    TrueFalse,
    WithChoices,
)

GENERAL = "general_fb"
DEFAULT_TITLE = "Question"
"""The item title of a question without one (what Canvas calls an untitled question)."""


def body(item: Item, order: list[int]) -> Body | None:
    """The type-specific parts of `item`'s question; None (warned) when it cannot be written."""
    q = item.question
    if isinstance(q, WithChoices):
        return choices.choices(item, q, order)
    if isinstance(q, TrueFalse):
        return choices.true_false(item, q)
    if isinstance(q, ShortAnswer):
        return typed.short_answer(item, q)
    if isinstance(q, Numerical):
        return typed.numerical(item, q)
    if isinstance(q, Matching):
        return typed.matching(item, q)
    if isinstance(q, Essay):
        return typed.essay(item)
    if isinstance(q, Output):
        key = choices.output_key_of(item, q)
        if key is None:
            return None
        return (
            choices.output_choices(item, q, key) if q.choices else typed.output_typed(item, q, key)
        )
    item.warn(f"Canvas has no form for `{type(q).__name__}` questions: left out", "lossy-type")
    return None


def stem(item: Item) -> str:
    """What learners read: the title as a heading, the prompt, the figures, the files learners
    see, then the code."""
    q = item.question
    heading = moodle_text.html_chars(title_html(q))  # a title's control characters too
    text = heading + item.md(q.prompt) + item.figures() + item.files_html()
    return text + (item.code(q.code) if q.code is not None else "")


def general_feedback(item: Item) -> str:
    """The explanation, and for ``bug`` the fixed program."""
    q = item.question
    feedback = item.md(q.explanation)
    if isinstance(q, Bug):
        feedback += "<p>Fixed code:</p>" + item.code(q.fix)
    return feedback


def item_xml(item: Item, order: list[int]) -> str | None:
    """The ``<item>`` of `item`'s question, or None when it cannot be written (warned)."""
    found = body(item, order)
    if found is None:
        return None
    q = item.question
    if q.hint:
        item.warn("Canvas quizzes have no hints: the hint is not exported", "lossy-hint")
    text = _fitting_stem(item)
    explanation = general_feedback(item)
    conditions = ([condition([element("other")], feedback=GENERAL)] if explanation else []) + list(
        found.conditions
    )
    feedback = ([(GENERAL, explanation)] if explanation else []) + list(found.feedback)
    ident = ids.item_ident(item.loaded.id, q.id)
    children = [
        _metadata(found, plain_number(q.points), ids.reference_ident(item.loaded.id, q.id)),
        block("presentation", [mattext(text), found.response], 4),
        _processing(conditions),
        *(_feedback(key, html) for key, html in feedback),
    ]
    title = item.plain(q.title.strip(), "the title") if q.title else DEFAULT_TITLE
    label = item.plain(f"{item.loaded.id}/{q.id}", "the id")
    return block("item", children, 3, {"ident": ident, "label": label, "title": title})


def _fitting_stem(item: Item) -> str:
    """The question text, without highlighting when Canvas would find it too long."""
    text = stem(item)
    if len(text) > t.MAX_TEXT and item.highlighted:
        item.highlighted = False
        text = stem(item)
        item.highlighted = True
    if len(text) > t.MAX_TEXT:
        item.warn(
            f"the question text is {len(text)} characters of HTML: Canvas replaces a text "
            f"over {t.MAX_TEXT} with a notice (shorten the prompt, the code or the files)",
            "lossy-size",
        )
    return text


def _field(label: str, entry: str) -> str:
    return element("qtimetadatafield", leaf("fieldlabel", label) + leaf("fieldentry", entry))


def _metadata(found: Body, points: str, reference: str) -> str:
    fields = [
        _field("question_type", found.qtype),
        _field("points_possible", points),
        _field("original_answer_ids", ",".join(found.answer_ids)),
        _field("assessment_question_identifierref", reference),
    ]
    return block("itemmetadata", [block("qtimetadata", fields, 5)], 4)


def _processing(conditions: list[str]) -> str:
    score = element(
        "decvar", "", {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"}
    )
    return block("resprocessing", [block("outcomes", [score], 5), *conditions], 4)


def _feedback(ident: str, html: str) -> str:
    return block("itemfeedback", [element("flow_mat", mattext(html))], 4, {"ident": ident})


__all__ = ["DEFAULT_TITLE", "GENERAL", "body", "general_feedback", "item_xml", "stem"]
