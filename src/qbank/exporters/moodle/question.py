"""One question as a ``<question>`` element: what every type shares, then its own parts.

In Moodle's order: ``<name>``, ``<questiontext>`` (the title as a heading, the prompt, the
fixture files learners see, the code), ``<generalfeedback>`` (the explanation; for ``bug``,
the fixed program too), ``<defaultgrade>`` (``points``), ``<penalty>``, ``<hidden>``,
``<idnumber>``, the type's own elements (:mod:`.answers`), one ``<hint>`` per hint, then
``<tags>`` (the bank's and the question's, ``qbank-invalid`` for a question that fails
validation).
"""

from __future__ import annotations

from qbank.exporters.base import INVALID_TAG
from qbank.exporters.display import plain_number
from qbank.exporters.moodle import names
from qbank.exporters.moodle.answers import body
from qbank.exporters.moodle.item import Item
from qbank.exporters.moodle.xml import block, element, plain_text, rich
from qbank.exporters.rich import title_html
from qbank.model import Bug


def question_xml(
    item: Item, used_ids: set[str], *, shuffle: bool, numbering: str, penalty: float
) -> str | None:
    """The ``<question>`` of `item`, or None when it cannot be written (a warning says why)."""
    found = body(item, shuffle, numbering)
    if found is None:
        return None
    q, loaded = item.question, item.loaded
    idnumber = names.idnumber(f"{loaded.id}/{q.id}", used_ids)
    children = [
        plain_text("name", item.plain(names.name(loaded, q), "the name")),
        rich("questiontext", item.field(_stem(item))),
        rich("generalfeedback", item.field(_general_feedback(item))),
        element("defaultgrade", plain_number(q.points)),
        element("penalty", plain_number(penalty)),
        element("hidden", "0"),
        element("idnumber", idnumber),
        *found.elements,
        *(rich("hint", item.field(item.md(hint))) for hint in q.hint),
        _tags(item),
    ]
    return block("question", children, 2, type=found.qtype)


def _stem(item: Item) -> str:
    """What learners read: the title as a heading, the prompt, the figure, shown files, then
    the code."""
    q = item.question
    stem = title_html(q) + item.md(q.prompt) + item.figures() + item.files_html()
    return stem + (item.code(q.code) if q.code is not None else "")


def _general_feedback(item: Item) -> str:
    q = item.question
    feedback = item.md(q.explanation)
    if isinstance(q, Bug):
        feedback += "<p>Fixed code:</p>" + item.code(q.fix)
    return feedback


def _tags(item: Item) -> str:
    tags = dict.fromkeys((*item.loaded.bank.tags, *item.question.tags))
    if item.context.fails(item.loaded, item.question):
        tags[INVALID_TAG] = None
    if not tags:
        return ""
    return element("tags", "".join(plain_text("tag", tag) for tag in tags))


__all__ = ["question_xml"]
