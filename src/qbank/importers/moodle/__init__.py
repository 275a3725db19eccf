"""Moodle XML (``<quiz>``) as banks: one per ``<question type="category">``.

The file is parsed safely (:mod:`.parse`: no DOCTYPE, no entities; each element's line
kept); each question is mapped by :mod:`.question` and :mod:`.kinds`; the images of each
field become the bank's media (:mod:`.files`). What the model has no place for is an issue
(``import-<kind>``) and is kept as a comment: per question for text (a cloze question, a
description, per-answer feedback of a typed answer, HTML Markdown cannot hold), once per
file for the settings that have no place at all (``<penalty>``, ``<answernumbering>``,
``<hidden>``, combined feedback, ...). See ``docs/moodle.md``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import ClassVar

from qbank.errors import QbankError
from qbank.importers.base import ImportedBank, ImportedQuestion, Importer, ImportResult
from qbank.importers.moodle.fields import Reading, Source
from qbank.importers.moodle.parse import Parsed, parse
from qbank.importers.moodle.question import read_question

_ROOT = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<quiz[\s>/]", re.S
)
_SEPARATOR = re.compile(r"(?<!/)/(?!/)")
_CONTEXTS = ("$course$", "$system$", "$module$", "$cat$", "$coursecategory$")


def category_path(written: str) -> tuple[str, ...]:
    """``$course$/top/A/B`` as ``("A", "B")`` (``//`` is a `/` inside a name)."""
    parts = [p.replace("//", "/").strip() for p in _SEPARATOR.split(written.strip())]
    if parts and parts[0].lower() in _CONTEXTS:
        parts = parts[1:]
    if parts and parts[0].lower() == "top":
        parts = parts[1:]
    return tuple(p for p in parts if p)


class MoodleImporter(Importer):
    """Moodle XML: categories, every core question type, hints, tags, files."""

    name = "moodle"
    description = "Moodle XML (categories, hints, feedback, tags, idnumbers, embedded files)"
    suffixes: ClassVar[tuple[str, ...]] = (".xml",)

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return _ROOT.match(head) is not None

    def read(self, path: Path) -> ImportResult:
        try:
            data = path.read_bytes()
        except OSError as failed:
            raise QbankError(f"{path}: cannot be read: {failed.strerror or failed}") from None
        parsed = parse(str(path), data)
        source = Source(str(path))
        result = ImportResult(_banks(parsed, source), source.issues)
        if parsed.error:
            source.issue(
                parsed.error_line,
                f"the XML is broken here ({parsed.error}): the questions closed before "
                "this line are imported, the rest is not",
                "invalid",
            )
        _report_dropped(source)
        return result


def _banks(parsed: Parsed, source: Source) -> list[ImportedBank]:
    banks: dict[tuple[str, ...], ImportedBank] = {}
    current: tuple[str, ...] = ()
    pending: list[str] = []
    last: ImportedQuestion | None = None
    for element in parsed.root:
        if element.tag != "question" or id(element) not in parsed.closed:
            continue
        if element.get("type") == "category":
            current = category_path(element.findtext("category/text") or "")
            _category_bank(banks, current, source, Reading(element, 1, _NO_BANK, source))
            continue
        bank = banks.setdefault(current, ImportedBank(source.path, current))
        reading = Reading(element, parsed.line(element), bank, source)
        question = read_question(reading)
        if question is None:
            pending += [_not_imported(source, reading.line, current), *reading.comments]
            continue
        question.preceding, pending = pending, []
        bank.questions.append(question)
        last = question
        _count_dropped(element, reading.used, source)
    _keep_pending(pending, last, banks.setdefault(current, ImportedBank(source.path, current)))
    return [bank for bank in banks.values() if bank.questions or bank.media or bank.comments]


def _not_imported(source: Source, line: int, category: tuple[str, ...]) -> str:
    """The header of an item kept as comments: it may land beside a question of another
    category (the next one written), so it names its own."""
    where = f" (category {' / '.join(category)})" if category else ""
    return f"not imported, from {source.path}:{line}{where}:"


_NO_BANK = ImportedBank("")


def _category_bank(
    banks: dict[tuple[str, ...], ImportedBank], path: tuple[str, ...], source: Source, info: Reading
) -> None:
    """The bank of a category, its ``<info>`` as the bank's description."""
    bank = banks.setdefault(path, ImportedBank(source.path, path))
    info.bank = bank
    description = info.field_markdown("info", "category description")
    if description and "description" not in bank.data:
        bank.data["description"] = description


def _keep_pending(pending: list[str], last: ImportedQuestion | None, bank: ImportedBank) -> None:
    """Comments of items after the last question go below it (in whichever bank); with no
    question at all, into the bank of the last category, above its empty `questions:`."""
    if last is not None:
        last.comments.extend(pending)
    else:
        bank.comments.extend(pending)


def _count_dropped(element: ET.Element, used: set[str], source: Source) -> None:
    for child in element:
        if child.tag not in used and "".join(child.itertext()).strip():
            source.dropped[child.tag] = source.dropped.get(child.tag, 0) + 1


def _report_dropped(source: Source) -> None:
    if not source.dropped:
        return
    listed = ", ".join(
        f"<{tag}> ({count} question{'s' if count > 1 else ''})"
        for tag, count in sorted(source.dropped.items())
    )
    source.issue(1, f"not kept, the bank format has no place for them: {listed}", "lost")


__all__ = ["MoodleImporter", "category_path"]
