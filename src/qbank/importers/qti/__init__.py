"""Canvas QTI 1.2 (as Canvas exports it and text2qti writes it) as banks.

A source is a ``.zip`` package (``imsmanifest.xml``, a folder per assessment holding its XML
and ``assessment_meta.xml``, media files) or a bare ``.xml``. Each ``<assessment>`` (its
``title``) and each question bank ``<objectbank>`` (its ``bank_title``) becomes one bank.
Items are mapped by their Canvas ``question_type``:

=============================  ===========================================================
Canvas                         bank
=============================  ===========================================================
multiple_choice_question       ``multiple_choice``: options, the scored one ``correct``
multiple_answers_question      ``multiple_answers``
true_false_question            ``true_false``: ``answer`` from the scored option's text
short_answer_question          ``short_answer``: ``answers``
numerical_question             ``numerical``: exact, or the range's midpoint; ``tolerance``
matching_question              ``matching``: ``pairs``, unmatched options ``distractors``
essay_question                 ``essay``
file_upload_question           ``essay`` (``import-unknown-type``)
fill_in_multiple_blanks,       not imported (``import-cloze``), the item kept as comment
multiple_dropdowns
calculated_question            not imported (``import-calculated``), kept as comment
anything else                  not imported (``import-unknown-type``), kept as comment
=============================  ===========================================================

``points_possible`` is ``points``; an item's ``label`` (qbank's ``qti`` exporter writes
``bank-id/question-id``) the question's id; a ``varequal case="Yes"`` of a short answer
``case_sensitive``; a first heading of the text that repeats the item's title is the
title's (qbank shows learners the title that way), not the prompt's; an option's
``itemfeedback`` (shown by a ``respcondition``'s ``displayfeedback``) its ``feedback``;
``general_fb`` then ``correct_fb`` the ``explanation``; ``general_incorrect_fb`` a comment
(``import-lost``). Text is HTML turned into Markdown (a code block's colours are syntax
highlighting, no loss), the one ``<pre>`` block of a prompt lifted into ``code``; images
become ``media/<name>``; Canvas equation images come back as ``$latex$`` (``import-math``). The XML
is parsed safely (:mod:`qbank.importers.xmlsafe`), the zip too (:mod:`.archive`).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from qbank.errors import QbankError
from qbank.importers.base import ImportedBank, Importer, ImportIssue, ImportResult
from qbank.importers.qti.archive import read_package
from qbank.importers.qti.document import read_document


class QtiImporter(Importer):
    """Canvas QTI 1.2: a package (``.zip``) or an assessment's XML."""

    name = "qti"
    description = "Canvas QTI 1.2 (a Canvas or text2qti .zip export, or its assessment .xml)"
    suffixes: ClassVar[tuple[str, ...]] = (".zip", ".xml")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return b"questestinterop" in head.lower()

    def read(self, path: Path) -> ImportResult:
        if path.suffix.lower() == ".zip" or _is_zip(path):
            return _read_zip(path)
        try:
            data = path.read_bytes()
        except OSError as failed:
            raise QbankError(f"{path}: cannot be read: {failed.strerror or failed}") from None
        result = ImportResult()
        read_document(str(path), data, {}, "", result)
        return result


def _is_zip(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _assessments(files: dict[str, bytes]) -> list[str]:
    """The members holding QTI assessments or banks (Canvas's `.qti` copies left out)."""
    names = []
    for name, data in sorted(files.items()):
        base = name.rsplit("/", 1)[-1].lower()
        if not base.endswith(".xml") or base in ("imsmanifest.xml", "assessment_meta.xml"):
            continue
        if b"questestinterop" in data[:4096].lower():
            names.append(name)
    return names


def _read_zip(path: Path) -> ImportResult:
    package = read_package(path)
    result = ImportResult()
    for name, why in sorted(package.refused.items()):
        result.issues.append(
            ImportIssue(str(path), 1, f"the member {name!r} is not read: {why}", "unsafe")
        )
    members = _assessments(package.files)
    if not members:
        raise QbankError(f"{path}: not a QTI package: no member holds <questestinterop>")
    for member in members:
        folder = member.rsplit("/", 1)[0] if "/" in member else ""
        meta = package.files.get(f"{folder}/assessment_meta.xml" if folder else "")
        banks_before = len(result.banks)
        read_document(f"{path}!/{member}", package.files[member], package.files, folder, result)
        if meta is not None:
            _describe(result.banks[banks_before:], meta, f"{path}!/{folder}/assessment_meta.xml")
    return result


def _describe(banks: list[ImportedBank], meta: bytes, source: str) -> None:
    from qbank.importers.qti.document import description

    text = description(source, meta)
    for bank in banks:
        if text and "description" not in bank.data:
            bank.data["description"] = text


__all__ = ["QtiImporter"]
