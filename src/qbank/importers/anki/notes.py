"""One Anki note as the data of a bank question, by the kind of its note type.

* **Basic-like** (``Basic``, ``Basic (and reversed card)``, ``Basic (type in the answer)``,
  any standard type whose fields are ``Front``/``Back``): the first field is the prompt (its
  one ``<pre>`` block lifted into `code`), the second the answer: a `short_answer` when it is
  short plain text (one line, under 80 characters, not a sentence), else an `essay` with it
  as the `explanation`. Further fields are added to the explanation.
* **Cloze**: one deletion ``{{c1::answer::hint}}`` is a `short_answer`, the deletion shown as
  ``____``, its hint the `hint`; several deletions are an ``import-cloze`` issue and an
  `essay` whose prompt keeps the text as written. ``Back Extra`` is the explanation.
* **qbank's own note type**: :mod:`.own`.
* **Any other**: the first field is the prompt, the others the explanation, and an
  ``import-unknown-type`` issue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from qbank.importers.anki.package import Note, NoteType
from qbank.importers.anki.text import Fields, plain

SHORT = 80
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)
_SENTENCE = re.compile(r"[.!?;]\s*\Z")
OWN_FIELDS = (
    "QID",
    "Type",
    "Question",
    "Code",
    "Choices",
    "Hint",
    "Answer",
    "Feedback",
    "Explanation",
    "Source",
)
"""The fields of qbank's note type (``qbank.exporters.anki.notetype.FIELDS``)."""


@dataclass
class Mapped:
    """A note's question data, and what it could not carry (``(kind, message)`` pairs)."""

    data: dict[str, Any] = field(default_factory=dict)
    issues: list[tuple[str, str]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    def issue(self, message: str, kind: str) -> None:
        self.issues.append((kind, message))


def kind_of(note_type: NoteType | None) -> str:
    """``own``, ``cloze``, ``basic`` or ``other``."""
    if note_type is None:
        return "other"
    if note_type.fields == OWN_FIELDS:
        return "own"
    if note_type.kind == 1:
        return "cloze"
    named = note_type.name.lower().startswith("basic")
    if len(note_type.fields) >= 2 and (named or note_type.fields[:2] == ("Front", "Back")):
        return "basic"
    return "other"


def is_short(raw: str) -> bool:
    """Whether an answer field is short plain text: one line, under 80 characters, no
    markup beyond line breaks, and not a sentence."""
    text = plain(raw)
    if not text or "\n" in text or len(text) >= SHORT or re.search(r"<(?!br|/?div)", raw):
        return False
    return not (_SENTENCE.search(text) and " " in text) and len(text.split()) <= 8


def _prompt(mapped: Mapped, fields: Fields, raw: str) -> None:
    prompt, code, language = fields.with_code(raw)
    mapped.data["prompt"] = prompt or "(empty)"
    if code is not None:
        mapped.data["code"] = code
        if language and language != "python":
            mapped.data["language"] = language


def _explain(mapped: Mapped, fields: Fields, raws: list[str]) -> None:
    parts = [text for text in (fields.markdown(raw) for raw in raws) if text]
    if parts:
        mapped.data["explanation"] = "\n\n".join(parts)


def basic(note: Note, fields: Fields) -> Mapped:
    mapped = Mapped()
    values = list(note.fields) + [""] * (2 - len(note.fields))
    _prompt(mapped, fields, values[0])
    back, rest = values[1], values[2:]
    if is_short(back):
        mapped.data["type"] = "short_answer"
        mapped.data["answers"] = [plain(back)]
        _explain(mapped, fields, rest)
    else:
        mapped.data["type"] = "essay"
        _explain(mapped, fields, [back, *rest])
    return _typed_first(mapped)


def _typed_first(mapped: Mapped) -> Mapped:
    kind = mapped.data.pop("type")
    mapped.data = {"type": kind, **mapped.data}
    return mapped


def cloze(note: Note, fields: Fields) -> Mapped:
    mapped = Mapped()
    text = note.fields[0] if note.fields else ""
    deletions = list(_CLOZE.finditer(text))
    answer = plain(deletions[0].group(2)) if len(deletions) == 1 else ""
    if answer:
        only = deletions[0]
        _prompt(mapped, fields, text[: only.start()] + "____" + text[only.end() :])
        mapped.data["type"] = "short_answer"
        mapped.data["answers"] = [answer]
        hint = plain(only.group(3) or "")
        if hint:
            mapped.data["hint"] = hint
    else:
        _prompt(mapped, fields, text)
        mapped.data["type"] = "essay"
        mapped.issue(
            f"a cloze note with {len(deletions)} deletions has no qbank form: it is an "
            "essay whose prompt keeps the cloze text; split it into questions by hand",
            kind="cloze",
        )
    _explain(mapped, fields, list(note.fields[1:]))
    return _typed_first(mapped)


def other(note: Note, note_type: NoteType | None, fields: Fields) -> Mapped:
    mapped = Mapped()
    values = list(note.fields) or [""]
    _prompt(mapped, fields, values[0])
    mapped.data["type"] = "essay"
    _explain(mapped, fields, values[1:])
    name = note_type.name if note_type else f"unknown ({note.model})"
    mapped.issue(
        f"the note type {name!r} has no qbank form: the first field is the prompt of an "
        "essay, the other fields its explanation; rewrite it by hand",
        kind="unknown-type",
    )
    return _typed_first(mapped)


__all__ = ["OWN_FIELDS", "Mapped", "basic", "cloze", "is_short", "kind_of", "other"]
