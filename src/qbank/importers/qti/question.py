"""A QTI ``<item>`` as a bank question: the prompt, its code, points, the general feedback
as the explanation, and the type's own keys (:mod:`.kinds`)."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from qbank.importers.base import ImportedQuestion, ImportIssue
from qbank.importers.qti.item import CORRECT, GENERAL, INCORRECT, Item, mattext, number
from qbank.importers.qti.kinds import CALCULATED, CLOZE, KINDS, as_number
from qbank.importers.qti.text import Files

_ORDER = (
    "type",
    "title",
    "prompt",
    "code",
    "language",
    "choices",
    "answer",
    "tolerance",
    "answers",
    "case_sensitive",
    "pairs",
    "distractors",
    "points",
    "explanation",
)
DEFAULT_TITLE = "Question"
_HEADING = re.compile(r"\s*<h([1-6])\b[^>]*>(.*?)</h\1>", re.S | re.I)
_TAGS = re.compile(r"<[^>]+>")


def _without_title(text: str, texttype: str, title: str) -> str:
    """The HTML without a first heading that repeats the item's title (qbank's exports show
    learners the title that way: Canvas shows them "Question 1" instead)."""
    match = _HEADING.match(text) if title and "html" in texttype.lower() else None
    if match and " ".join(html.unescape(_TAGS.sub("", match.group(2))).split()) == title:
        return text[match.end() :]
    return text


def _prompt(item: Item) -> None:
    text, texttype = mattext(item.element.find("presentation/material"))
    text = _without_title(text, texttype, " ".join(item.element.get("title", "").split()))
    done = item.converted(text, texttype, "prompt", lift=True)
    item.data["prompt"] = done.markdown
    if done.code is not None:
        item.data["code"] = done.code.code
        if done.code.language:
            item.data["language"] = done.code.language


def _explanation(item: Item) -> None:
    parts = [item.feedback[k] for k in GENERAL + CORRECT if item.feedback.get(k)]
    if parts:
        item.data["explanation"] = "\n\n".join(parts)
    for key in INCORRECT:
        if item.feedback.get(key):
            item.issue(
                "the feedback shown for any wrong response has no place (only the general "
                "feedback does): kept as a comment",
                "lost",
                f"incorrect feedback: {item.feedback[key]}",
            )


def _points(item: Item) -> None:
    points = number(item.meta.get("points_possible"))
    if points is not None and points > 0 and points != 1:
        item.data["points"] = as_number(points.normalize() if points % 1 else Decimal(int(points)))


def _unmapped(item: Item, kind: str) -> None:
    """An item with no qbank form: an issue, its text kept as comments."""
    text, _ = mattext(item.element.find("presentation/material"))
    what = {
        "cloze": "a fill-in-blanks/dropdowns (cloze) question has no qbank form",
        "calculated": "a calculated question has no qbank form",
    }.get(kind, f"the question type {item.meta.get('question_type')!r} has no qbank form")
    item.issue(
        f"{what}: kept as a comment",
        kind,
        f"{item.meta.get('question_type', 'unknown type')} {item.element.get('title', '')}:",
        *(ET.tostring(item.element, encoding="unicode").splitlines() or [text]),
    )


def read_item(
    element: ET.Element, line: int, source: str, files: Files
) -> tuple[ImportedQuestion | None, list[str], list[ImportIssue]]:
    """The question of `element`, or None with the comments that keep it."""
    item = Item(element, line, source, files)
    kind = item.meta.get("question_type", "")
    if kind not in KINDS:
        _unmapped(
            item,
            "cloze" if kind in CLOZE else "calculated" if kind in CALCULATED else "unknown-type",
        )
        return None, item.comments, item.issues
    title = (element.get("title") or "").strip()
    if title and title != DEFAULT_TITLE:
        item.data["title"] = title
    _prompt(item)
    KINDS[kind](item)
    _points(item)
    _explanation(item)
    data = {key: item.data[key] for key in _ORDER if key in item.data}
    label = (element.get("label") or "").strip() or None  # qbank's `bank-id/question-id`
    question = ImportedQuestion(data, line, item.comments, idnumber=label, title=data.get("title"))
    return question, [], item.issues


__all__ = ["DEFAULT_TITLE", "read_item"]
