"""Stable identifiers of a QTI package: derived from bank and question ids, never random.

Canvas keeps an item's ``ident`` as the question's migration id and, on a second import of
the same package, updates the questions it already has with that migration id instead of
adding copies (``Importers::AssessmentQuestionImporter.process_migration`` looks questions
up by ``migration_id``). So the idents must not change between exports of the same bank:

* the assessment (and its folder in the zip) is ``g`` and 32 hex digits of the SHA-256 of
  ``qbank:<bank id>``; an item is the same of ``qbank:<bank id>``, a line feed and the
  question id (neither id can hold one, so no two pairs of ids meet): the form of
  Canvas's own keys (``CC::CCHelper.create_key``), safe as an XML ``ID`` and a file name,
  whatever characters and length the ids have;
* an option (``response_label``) is a five-digit number from the SHA-256 of the question and
  the option's place: Canvas reuses a numeric option ident as the answer's id (listed in
  ``original_answer_ids``) and draws a random one for any ident with a letter in it
  (``AssessmentItemConverter#get_or_generate_answer_id``); the match ids of a matching
  question are read from the digits of the ident the same way.
"""

from __future__ import annotations

import hashlib

_DIGITS = 5


def _hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def assessment_ident(bank_id: str) -> str:
    """The ident of a bank's assessment (also its folder in the package)."""
    return "g" + _hex(f"qbank:{bank_id}")[:32]


def item_ident(bank_id: str, question_id: str) -> str:
    """The ident of a question's ``<item>``."""
    return "g" + _hex(f"qbank:{bank_id}\n{question_id}")[:32]


def group_ident(bank_id: str, question_id: str) -> str:
    """The ident of the ``<section>`` drawing one of a question's variants (from the
    template's id, which no item has: the variants are ``id#k``)."""
    return "g" + _hex(f"qbank-group:{bank_id}\n{question_id}")[:32]


def reference_ident(bank_id: str, question_id: str) -> str:
    """The ``assessment_question_identifierref`` of a question's item."""
    return "g" + _hex(f"qbank-reference:{bank_id}\n{question_id}")[:32]


def manifest_ident(bank_ids: list[str]) -> str:
    """The ident of the package's manifest (from every bank it holds, in order)."""
    return "g" + _hex("qbank-manifest:" + "\n".join(bank_ids))[:32]


def option_idents(bank_id: str, question_id: str, kind: str, count: int) -> list[str]:
    """`count` distinct numeric idents for the options of one kind (`choice`, `left`,
    `right`) of a question: each from its place, another draw when two would collide."""
    found: list[str] = []
    for index in range(count):
        salt = 0
        while True:
            digest = _hex(f"qbank:{bank_id}\n{question_id}\n{kind}:{index}:{salt}")
            number = str(10 ** (_DIGITS - 1) + int(digest[:12], 16) % (9 * 10 ** (_DIGITS - 1)))
            if number not in found:
                found.append(number)
                break
            salt += 1
    return found


__all__ = [
    "assessment_ident",
    "group_ident",
    "item_ident",
    "manifest_ident",
    "option_idents",
    "reference_ident",
]
