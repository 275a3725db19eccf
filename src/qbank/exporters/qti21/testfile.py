"""The ``assessmentTest``: one test part, one ``assessmentSection`` per bank, in order.

Why one test with a section per bank (and not a test per bank): an LMS imports one test
from a package. OpenOLAT reads the first resource of type ``imsqti_test_xmlv2p1`` of the
manifest and ignores any other (``QTI21ContentPackage.getTest()``), so a package with a test
per bank would import its first bank only. Sections keep the banks apart inside the one
test, each titled after its bank, its description a ``rubricBlock`` learners read first.

A question's variants (``variants: N``) are a section of their own inside the bank's, that
selects one of them for each candidate (``<selection select="1"/>``) and is invisible
(``visible="false"``: its item shows as one of the bank's, not under a heading of its own);
the test's ``MAXSCORE`` counts the question's points once, and ``testVariables`` sums the
items selected, so a candidate's score is out of the same total whichever variant was drawn.

Points: each item scores 0 … 1 (``SCORE``) and its reference carries the question's
``points`` as ``weight`` ``W``; the test's ``SCORE`` is the weighted sum and ``MAXSCORE``
the sum of the points. The part is ``nonlinear`` (learners move freely) and ``individual``
(each item submitted on its own, so its feedback shows: ``showFeedback``). Every item has
one attempt (the test's default), hints or not: the hint button ends an attempt that does
not count (``countAttempt="false"``, which the spec makes free of ``maxAttempts``), and a
second attempt would come after the explanation, so learners could read the answer and
score full marks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qbank.exporters.qti21 import names
from qbank.exporters.qti21.assessment import ItemFile
from qbank.exporters.qti21.xml import HEADER, QTI_NS, QTI_XSD, XSI_NS, block, element, number
from qbank.model import LoadedBank

TEST_FILE = "assessment.xml"
"""The test's file, at the package root."""
WEIGHT = "W"


@dataclass(frozen=True)
class Pick:
    """A question's variants, rendered: a section that selects one of its items."""

    identifier: str
    title: str
    items: tuple[ItemFile, ...]

    @property
    def points(self) -> float:
        """What the question is worth (each variant is worth as much)."""
        return self.items[0].points


@dataclass(frozen=True)
class Section:
    """A bank, rendered: its section's identifier, title, description and entries (an
    item per plain question, a :class:`Pick` per question with variants), in order."""

    loaded: LoadedBank
    description: str
    """QTI XHTML (empty without a description)."""
    entries: tuple[ItemFile | Pick, ...]

    @property
    def items(self) -> list[ItemFile]:
        """Every item of the section, the variants' included, in order."""
        found: list[ItemFile] = []
        for entry in self.entries:
            found.extend(entry.items if isinstance(entry, Pick) else (entry,))
        return found

    @property
    def points(self) -> float:
        """What the section is worth: each question's points once."""
        return sum(entry.points for entry in self.entries)


def _item_ref(file: ItemFile) -> str:
    """One item of a section, weighted by its points. One attempt, hints or not: the hint
    button does not count as one (``countAttempt="false"``), and a second attempt would
    come after the explanation was shown."""
    weight = element("weight", identifier=WEIGHT, value=number(file.points))
    return element("assessmentItemRef", weight, identifier=file.identifier, href=file.href)


def _section(section: Section) -> str:
    loaded = section.loaded
    title = (loaded.bank.title or "").strip() or loaded.id
    rubric = element("rubricBlock", section.description, view="candidate")
    refs = [_pick(e) if isinstance(e, Pick) else _item_ref(e) for e in section.entries]
    return block(
        "assessmentSection",
        [rubric if section.description else "", *refs],
        2,
        identifier=names.section(loaded),
        title=" ".join(title.split()),
        visible="true",
    )


def _pick(pick: Pick) -> str:
    """The invisible section that selects one of a question's variants."""
    return block(
        "assessmentSection",
        [element("selection", select="1"), *(_item_ref(file) for file in pick.items)],
        3,
        identifier=pick.identifier,
        title=" ".join(pick.title.split()),
        visible="false",
    )


def _outcomes(points: float) -> list[str]:
    score = element(
        "outcomeDeclaration",
        element("defaultValue", element("value", "0")),
        identifier="SCORE",
        cardinality="single",
        baseType="float",
    )
    maximum = element(
        "outcomeDeclaration",
        element("defaultValue", element("value", number(points))),
        identifier="MAXSCORE",
        cardinality="single",
        baseType="float",
    )
    return [score, maximum]


def _outcome_processing() -> str:
    weighted = element("testVariables", variableIdentifier="SCORE", weightIdentifier=WEIGHT)
    total = element("setOutcomeValue", element("sum", weighted), identifier="SCORE")
    return element("outcomeProcessing", total)


def assessment_test(identifier: str, title: str, sections: Sequence[Section]) -> str:
    """The test's XML: a part holding a section per bank, scored by weighted sum."""
    points = sum(s.points for s in sections)
    control = element(
        "itemSessionControl",
        maxAttempts="1",
        showFeedback="true",
        allowReview="true",
        showSolution="true",
        allowSkipping="true",
    )
    part = block(
        "testPart",
        [control, *(_section(s) for s in sections)],
        1,
        identifier="part-1",
        navigationMode="nonlinear",
        submissionMode="individual",
    )
    test = block(
        "assessmentTest",
        [*_outcomes(points), part, _outcome_processing()],
        0,
        xmlns=QTI_NS,
        **{"xmlns:xsi": XSI_NS, "xsi:schemaLocation": f"{QTI_NS} {QTI_XSD}"},
        identifier=identifier,
        title=" ".join(title.split()),
        toolName="qbank",
    )
    return HEADER + test + "\n"


__all__ = ["TEST_FILE", "Pick", "Section", "assessment_test"]
