"""One QTI ``<item>`` read: its metadata, texts, options, scoring and feedback."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from qbank.importers.base import ImportIssue
from qbank.importers.qti.text import Converted, Files, convert

GENERAL = ("general_fb",)
CORRECT = ("correct_fb",)
INCORRECT = ("general_incorrect_fb",)


def metadata(element: ET.Element) -> dict[str, str]:
    """The ``qtimetadatafield`` labels -> entries below `element`."""
    found: dict[str, str] = {}
    for entry in element.iter("qtimetadatafield"):
        label = (entry.findtext("fieldlabel") or "").strip()
        if label and label not in found:
            found[label] = (entry.findtext("fieldentry") or "").strip()
    return found


def mattext(element: ET.Element | None) -> tuple[str, str]:
    """The text and texttype of the first ``mattext`` in `element` ("" when none)."""
    node = element.find(".//mattext") if element is not None else None
    if node is None:
        return "", "text/plain"
    return node.text or "", node.get("texttype", "text/plain")


@dataclass
class Condition:
    """A ``respcondition``: what it tests, what it scores, which feedback it shows."""

    equals: list[tuple[str, str]]
    """(respident, value) of each ``varequal`` not under ``<not>``."""
    bounds: dict[str, str]
    score: Decimal | None
    feedback: list[str]
    case: bool = False
    """Whether a ``varequal`` asks for the same case (``case="Yes"``)."""


def number(text: str | None) -> Decimal | None:
    try:
        return Decimal((text or "").strip())
    except InvalidOperation:
        return None


def _condition(element: ET.Element) -> Condition:
    var = element.find("conditionvar")
    negated = {id(n) for no in (var.iter("not") if var is not None else ()) for n in no.iter()}
    equals = [
        (node.get("respident", ""), (node.text or "").strip())
        for node in (var.iter("varequal") if var is not None else ())
        if id(node) not in negated
    ]
    bounds = {
        node.tag: (node.text or "").strip()
        for node in (var.iter() if var is not None else ())
        if node.tag in ("vargte", "vargt", "varlte", "varlt")
    }
    setvar = element.find("setvar")
    score = number(setvar.text) if setvar is not None else None
    feedback = [d.get("linkrefid", "") for d in element.findall("displayfeedback")]
    case = any(
        node.get("case", "").strip().lower() == "yes"
        for node in (var.iter("varequal") if var is not None else ())
    )
    return Condition(equals, bounds, score, feedback, case)


@dataclass
class Item:
    """An item being mapped: its parts, the bank data so far, and what was lost."""

    element: ET.Element
    line: int
    source: str
    files: Files
    data: dict[str, Any] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    conditions: list[Condition] = field(default_factory=list)
    feedback: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        found = self.element.find("itemmetadata")
        self.meta = metadata(found) if found is not None else {}
        processing = self.element.find("resprocessing")
        if processing is not None:
            self.conditions = [_condition(c) for c in processing.findall("respcondition")]
        for node in self.element.findall("itemfeedback"):
            text, texttype = mattext(node)
            self.feedback[node.get("ident", "")] = self.markdown(text, texttype, "feedback")

    def issue(self, message: str, kind: str, *kept: str) -> None:
        self.issues.append(ImportIssue(self.source, self.line, message, kind))
        self.comments.extend(kept)

    def converted(self, text: str, texttype: str, where: str, *, lift: bool = False) -> Converted:
        done = convert(text, texttype, self.files, lift=lift)
        if done.lost:
            self.issue(
                f"Markdown cannot hold {', '.join(done.lost)} in the {where}: the HTML is kept "
                "as a comment",
                "html",
                f"HTML ({where}): {text.strip()}",
            )
        if done.math:
            self.issue(
                f"the {where} holds LaTeX (Canvas equation images): kept as `$...$` text; "
                "qbank renders no math",
                "math",
            )
        for name in done.missing:
            self.issue(f"the image {name!r} of the {where} is not in the package", "lost")
        return done

    def markdown(self, text: str, texttype: str, where: str) -> str:
        return self.converted(text, texttype, where).markdown

    def labels(self) -> list[tuple[str, str]]:
        """(ident, Markdown text) of each option of the first ``response_lid``."""
        found = []
        for label in self.element.findall("presentation//response_lid//response_label"):
            text, texttype = mattext(label)
            found.append((label.get("ident", ""), self.markdown(text, texttype, "option")))
        return found

    def scoring(self) -> list[Condition]:
        """The conditions that give points."""
        return [c for c in self.conditions if c.score is not None and c.score > 0]

    def choice_feedback(self) -> dict[str, str]:
        """Option ident -> the feedback shown when it is chosen."""
        shown: dict[str, str] = {}
        for condition in self.conditions:
            if (condition.score is not None and condition.score > 0) or len(condition.equals) != 1:
                continue
            for ref in condition.feedback:
                if ref in self.feedback and ref not in GENERAL + CORRECT + INCORRECT:
                    shown.setdefault(condition.equals[0][1], self.feedback[ref])
        return shown


__all__ = ["CORRECT", "GENERAL", "INCORRECT", "Condition", "Item", "mattext", "metadata", "number"]
