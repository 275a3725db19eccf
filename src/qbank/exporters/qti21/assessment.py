"""One question as an ``assessmentItem`` file, in the order the QTI 2.1 schema wants.

``responseDeclaration`` (the interaction's, and ``HINTREQUEST`` when there are hints),
``outcomeDeclaration`` (``SCORE``, ``MAXSCORE``, ``FEEDBACK``), the package ``stylesheet``
(Pygments' colours for highlighted code), the ``itemBody`` (the prompt, the figure, the
fixture files learners see, the code, the interaction, the hint button; for an essay, the
explanation as a ``rubricBlock`` only scorers see), ``responseProcessing``, then one
``modalFeedback`` per option with feedback, the explanation (for ``bug``, the fixed program
too) and the hints. The title is the question's, else ``Question <n>``: never its id.
"""

from __future__ import annotations

from dataclasses import dataclass

from qbank.exporters.base import INVALID_TAG
from qbank.exporters.display import heading
from qbank.exporters.media import MediaFile
from qbank.exporters.qti21 import names
from qbank.exporters.qti21 import processing as rp
from qbank.exporters.qti21.interactions import interaction
from qbank.exporters.qti21.item import Item
from qbank.exporters.qti21.parts import Interaction
from qbank.exporters.qti21.xml import HEADER, QTI_NS, QTI_XSD, XSI_NS, block, clean, element
from qbank.model import Bug, Essay

STYLESHEET = "qbank.css"
"""The package's stylesheet, at its root beside the items."""


@dataclass(frozen=True)
class ItemFile:
    """An item as written: its identifier, file, XML and the media files it shows, and what
    the manifest says of it."""

    identifier: str
    href: str
    xml: str
    media: tuple[MediaFile, ...]
    points: float
    reference: str
    """``bank-id/question-id``: where the question comes from (for teachers)."""
    title: str
    tags: tuple[str, ...]
    """The bank's and the question's tags (``qbank-invalid`` for a failing question)."""


def item_file(item: Item) -> ItemFile | None:
    """The ``assessmentItem`` of `item`, or None when it cannot be written (warned)."""
    found = interaction(item)
    if found is None:
        return None
    q = item.question
    identifier = names.item(item.loaded, q)
    explanation = _explanation(item)
    hints = _hints(item)
    essay = isinstance(q, Essay)
    feedback = [_modal(ident, xhtml) for ident, xhtml in found.choice_feedback]
    if explanation and not essay:
        feedback.append(_modal(rp.EXPLANATION, explanation, "Explanation"))
    shown = bool(feedback)
    if hints:
        feedback.append(_modal(rp.HINT, hints, "Hint"))
    children = [
        *found.declarations,
        rp.response(rp.HINT_REQUEST, "single", "boolean") if hints else "",
        *rp.outcomes(bool(feedback)),
        element("stylesheet", href=STYLESHEET, type="text/css"),
        _body(item, found, bool(hints), explanation if essay else ""),
        _processing(found, bool(hints), shown, bool(explanation) and not essay),
        *feedback,
    ]
    title = heading(q, item.number)
    written = _document(item, children, identifier, title)
    media = tuple(item.used[path] for path in sorted(item.used))
    tags = dict.fromkeys((*item.loaded.bank.tags, *q.tags))
    if item.context.fails(item.loaded, q):
        tags[INVALID_TAG] = None
    reference = f"{item.loaded.id}/{q.id}"
    href = names.item_file(identifier)
    return ItemFile(identifier, href, written, media, q.points, reference, title, tuple(tags))


def _document(item: Item, children: list[str], identifier: str, title: str) -> str:
    """The item's file: its root element, without what XML 1.0 cannot hold (warned)."""
    document = HEADER + block(
        "assessmentItem",
        children,
        0,
        xmlns=QTI_NS,
        **{"xmlns:xsi": XSI_NS, "xsi:schemaLocation": f"{QTI_NS} {QTI_XSD}"},
        identifier=identifier,
        title=title,
        adaptive="false",
        timeDependent="false",
        toolName="qbank",
    )
    written, dropped = clean(document + "\n")
    if dropped:
        item.warn(
            "the title or a plain-text part holds characters XML 1.0 cannot carry (control "
            "characters): they are left out",
            "lossy-character",
        )
    return written


def _stem(item: Item) -> str:
    """What learners read before answering: prompt, figure, shown files, then the code."""
    q = item.question
    stem = item.md(q.prompt) + item.figures() + item.files()
    return stem + (item.code(q.code) if q.code is not None else "")


def _body(item: Item, found: Interaction, hints: bool, rubric: str) -> str:
    parts = [_stem(item), found.body]
    if hints:
        button = element(
            "endAttemptInteraction",
            responseIdentifier=rp.HINT_REQUEST,
            title="Show a hint",
            countAttempt="false",
        )
        parts.append(element("p", button))
    if rubric:
        parts.append(element("rubricBlock", rubric, view="scorer"))
    return block("itemBody", parts, 1)


def _processing(found: Interaction, hints: bool, shown: bool, explanation: bool) -> str:
    """Scoring, then which feedback to show; a standard template named when the rules are
    exactly its own."""
    rules = [rp.hint_rule()] if hints else []
    rules += found.rules
    if shown and found.rules:  # an essay shows its explanation to scorers only
        by_response = found.by_response and bool(found.choice_feedback)
        rules.append(rp.feedback_rule(by_response, explanation))
    if not rules:
        return ""
    template = found.template if not (hints or shown) else None
    return rp.processing(rules, template, 1)


def _modal(identifier: str, xhtml: str, title: str | None = None) -> str:
    return element(
        "modalFeedback",
        xhtml,
        outcomeIdentifier=rp.FEEDBACK,
        showHide="show",
        identifier=identifier,
        title=title,
    )


def _explanation(item: Item) -> str:
    """The explanation (the general feedback); for a bug, the fixed program after it."""
    q = item.question
    said = item.md(q.explanation)
    if isinstance(q, Bug):
        said += "<p>Fixed code:</p>" + item.code(q.fix)
    return said


def _hints(item: Item) -> str:
    """Every hint, in order (QTI 2.1 shows one feedback per request, not one per try)."""
    hints = [item.md(hint) for hint in item.question.hint]
    if len(hints) < 2:
        return "".join(hints)
    return element("ol", "".join(element("li", hint) for hint in hints))


__all__ = ["STYLESHEET", "ItemFile", "item_file"]
