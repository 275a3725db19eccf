"""One ``<question>`` as an :class:`ImportedQuestion`: the fields every type shares.

``<name>`` -> `title` (unless it is only the idnumber, as qbank writes a question without a
title; cut to 200 characters with an ``import-lost`` issue), ``<questiontext>`` -> `prompt`
with its code block (``<pre>``, or a Markdown text's fence) lifted into `code` and
`language`, ``<generalfeedback>`` -> `explanation`, ``<defaultgrade>`` -> `points`, each
``<hint>`` -> `hint`, ``<tags>`` -> `tags` (:mod:`qbank.importers.tags`: one with a space
is slugged, with an issue), ``<idnumber>`` -> the imported question's
idnumber. The type's own elements are read by :mod:`.kinds`; types the model has no place
for (description, cloze, calculated, drag and drop, ...) are issues, their text kept.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

from qbank.importers.base import ImportedQuestion
from qbank.importers.ids import MAX_TITLE, title_of
from qbank.importers.moodle.fields import Reading
from qbank.importers.moodle.kinds import KINDS, Data, number
from qbank.importers.tags import bank_tags

DEFAULT_LANGUAGE = "python"
CALCULATED = ("calculated", "calculatedsimple", "calculatedmulti")
_NOT_KEPT = {
    "description": ("description", "a description is text, not a question"),
    "multianswer": ("cloze", "a cloze (embedded answers) question has no qbank form"),
    "cloze": ("cloze", "a cloze (embedded answers) question has no qbank form"),
    **{t: ("calculated", f"a {t} question (wildcards, datasets) has no qbank form") for t in CALCULATED},
}  # fmt: skip


def read_question(reading: Reading) -> ImportedQuestion | None:
    """The question `reading` holds, or None (an issue said why, its text is a comment)."""
    element = reading.element
    reading.name = " ".join((element.findtext("name/text") or "").split())
    reading.used.add("name")
    qtype = element.get("type", "").strip()
    kind = KINDS.get(qtype)
    if kind is None:
        _not_kept(reading, qtype)
        return None
    data: Data = {}
    own = kind(reading)
    data["type"] = own.pop("type")
    _common(reading, data, own)
    data.update(own)
    idnumber = reading.plain("idnumber") or None
    if reading.name and reading.name != idnumber:
        data = {"title": _title(reading), **data}
    return ImportedQuestion(data, reading.line, reading.comments, idnumber, reading.name or None)


def _title(reading: Reading) -> str:
    """The ``<name>`` as the title; a name longer than a title can be is cut, in full in
    a comment."""
    title, cut = title_of(reading.name)
    if cut:
        reading.comments.append(f"name (in full): {reading.name}")
        reading.issue(
            f"the name is longer than a title can be ({MAX_TITLE} characters): its end "
            f"{cut!r} is cut off and kept as a comment; shorten the title",
            "lost",
        )
    return title


def _common(reading: Reading, data: Data, own: Data) -> None:
    prompt, lifted = reading.question_text()
    if lifted is not None and not prompt.strip():  # the text is only code: keep it there
        prompt, lifted = reading.markdown(reading.child("questiontext"), "question text"), None
    data["prompt"] = prompt
    template = own.pop("template", None)
    if lifted is not None:
        data["code"] = lifted.code
        if lifted.language and lifted.language != DEFAULT_LANGUAGE:
            data["language"] = lifted.language
    elif template is not None:
        data["code"] = template
    explanation = reading.field_markdown("generalfeedback", "general feedback")
    info = own.pop("graderinfo", None)
    if info and info != explanation:
        if explanation:
            reading.comments.append("grader information (not kept: the explanation is set):")
            reading.comments.extend(info.splitlines())
            reading.issue("the grader information differs from the explanation: a comment", "lost")
        else:
            explanation = info
    if explanation:
        data["explanation"] = explanation
    _points(reading, data)
    hints = [h for h in (reading.markdown(x, "hint") for x in reading.children("hint")) if h]
    if hints:
        data["hint"] = hints
    tags = bank_tags(t for t in (" ".join((x.text or "").split()) for x in _tags(reading)) if t)
    for message in tags.changed:
        reading.issue(message, "lost")
    if tags.kept:
        data["tags"] = tags.kept


def _tags(reading: Reading) -> list[ET.Element]:
    holder = reading.child("tags")
    return list(holder.iterfind("tag/text")) if holder is not None else []


def _points(reading: Reading, data: Data) -> None:
    written = reading.plain("defaultgrade", "1")
    try:
        points = float(written)
    except ValueError:
        points = math.nan
    if not math.isfinite(points):
        reading.issue(f"the default grade {written!r} is not a finite number: 1 point", "invalid")
        return
    if points != 1:
        data["points"] = number(points)


def _not_kept(reading: Reading, qtype: str) -> None:
    """A type the model has no place for: an issue, and its text kept as comments."""
    kind, why = _NOT_KEPT.get(qtype, ("unknown-type", f"the question type {qtype!r} is unknown"))
    raw = reading.element.findtext("questiontext/text") or ""
    if kind == "description":
        kept = reading.field_markdown("questiontext", "description")
        reading.comments.append(f"Moodle description {reading.name!r} (not a question):")
    else:
        kept = raw
        reading.comments.append(f"Moodle {qtype or 'untyped'} question {reading.name!r}, text:")
    reading.comments.extend(kept.splitlines() or [""])
    reading.issue(f"{why}: not imported, its text is kept as a comment", kind)


__all__ = ["read_question"]
