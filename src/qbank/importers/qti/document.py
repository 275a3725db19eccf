"""A QTI XML document (``<questestinterop>``) as banks: one per assessment or question bank."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.parsers import expat

from qbank.errors import QbankError
from qbank.importers.base import ImportedBank, ImportIssue, ImportResult
from qbank.importers.qti.item import metadata
from qbank.importers.qti.question import read_item
from qbank.importers.qti.text import Files, convert
from qbank.importers.xmlsafe import Builder, Refused, make_parser


def parse(source: str, data: bytes) -> tuple[ET.Element, Builder]:
    """The root of `data`, parsed safely; raises QbankError for refused or broken XML."""
    parser, builder = make_parser()
    try:
        parser.Parse(data, True)
    except Refused as refused:
        raise QbankError(
            f"{source}:{parser.CurrentLineNumber}: refused: the file holds {refused} "
            "(QTI exports never do; entities can expand without bound): remove it"
        ) from None
    except expat.ExpatError as failed:
        message = expat.errors.messages[failed.code]
        raise QbankError(f"{source}:{failed.lineno}: not readable XML: {message}") from None
    if builder.root is None:
        raise QbankError(f"{source}: not QTI: the file is empty")
    return builder.root, builder


def _items(element: ET.Element, found: list[ET.Element], groups: list[ET.Element]) -> None:
    for child in element:
        if child.tag == "item":
            found.append(child)
        elif child.tag == "section":
            if child.find("selection_ordering") is not None:
                groups.append(child)
            _items(child, found, groups)


def _lost(group: ET.Element) -> str:
    """Why a question group's draw is not imported: for the group qbank's exporter writes
    for a question's variants (items labelled ``bank/id#k``), which question it was."""
    labels = [item.get("label") or "" for item in group.iter("item")]
    templates = {label.rpartition("#")[0] for label in labels}
    if labels and len(templates) == 1 and all(x.rpartition("#")[2].isdigit() for x in labels):
        name = templates.pop().rpartition("/")[2]
        return (
            f"the {len(labels)} variants of question {name!r} (a group drawing one) come back "
            "as plain questions: the draw is lost (write `variants` and `params` instead)"
        )
    return (
        "a question group (draw N of these questions) has no place in the bank: "
        "its questions are imported, the draw is lost"
    )


def _bank(
    source: str, container: ET.Element, builder: Builder, files: Files
) -> tuple[ImportedBank, list[ImportIssue]]:
    meta = metadata(container)
    title = container.get("title") or meta.get("bank_title") or container.get("ident") or None
    bank = ImportedBank(source, (title,) if title else (), title, media=files.media)
    items: list[ET.Element] = []
    groups: list[ET.Element] = []
    _items(container, items, groups)
    issues = [ImportIssue(source, builder.lines.get(id(g), 1), _lost(g), "lost") for g in groups]
    pending: list[str] = []
    for element in items:
        line = builder.lines.get(id(element), 1)
        question, kept, found = read_item(element, line, source, files)
        issues.extend(found)
        if question is None:
            pending.extend(kept)
            continue
        question.comments[:0] = pending
        pending = []
        bank.questions.append(question)
    if pending and bank.questions:
        bank.questions[-1].comments.extend(pending)
    return bank, issues


def read_document(
    source: str, data: bytes, files: dict[str, bytes], folder: str, result: ImportResult
) -> None:
    """The banks of the QTI document `data` (from `source`) added to `result`."""
    root, builder = parse(source, data)
    if root.tag != "questestinterop":
        raise QbankError(f"{source}: not QTI: the root element is <{root.tag}>")
    containers = [c for c in root if c.tag in ("assessment", "objectbank")]
    if not containers and root.find("item") is not None:
        containers = [root]
    for container in containers:
        bank, issues = _bank(source, container, builder, Files(files, folder))
        result.issues.extend(issues)
        if bank.questions:
            result.banks.append(bank)
    if not result.banks:
        result.issues.append(ImportIssue(source, 1, "the file holds no question", "empty"))


def description(source: str, data: bytes) -> str:
    """The quiz description of an ``assessment_meta.xml`` as Markdown ("" when none)."""
    try:
        root, _ = parse(source, data)
    except QbankError:
        return ""
    text = root.findtext("description") or ""
    return convert(text, "text/html", Files()).markdown if text.strip() else ""


__all__ = ["description", "parse", "read_document"]
