"""QTI exports of a bank with variants: each question's variants in a section that draws one.

Canvas QTI 1.2 (``qti``) writes a question group as Canvas exports it and text2qti writes
it: a ``<section>`` of the root section with ``selection_number`` 1 and ``points_per_item``
(the DTD check is in ``tests/exporters/test_qti_dtd.py``; QTIMigrationTool was run on the
package by hand, see ``docs/canvas.md``)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import qbank
from qbank.exporters.base import ExportContext
from qbank.exporters.qti import QtiExporter
from qbank.exporters.variants import groups
from qbank.importers.qti import QtiImporter
from qbank.options import Options
from qbank.report import Report

ROOT = Path(__file__).resolve().parents[2]
BANK = ROOT / "banks" / "python" / "variants.yaml"
NS = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    cache = tmp_path_factory.mktemp("cache")
    found = qbank.validate([BANK], Options(cache_dir=str(cache)))
    assert found.ok, [p.format() for p in found.problems]
    return found


def _package(report: Report) -> bytes:
    return QtiExporter().render_collection(report.collection, ExportContext(report))


def _members(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _assessment(package: bytes) -> etree._Element:
    (data,) = [
        data
        for name, data in _members(package).items()
        if name.endswith(".xml") and not name.endswith(("assessment_meta.xml", "imsmanifest.xml"))
    ]
    return etree.fromstring(data)


def test_qti_says_it_draws_variants() -> None:
    """The exporter gets every variant (not only variant 1) from `qbank export`."""
    assert QtiExporter.draws_variants


def test_each_question_with_variants_is_a_group_that_picks_one(report: Report) -> None:
    """In the bank's order: a plain question stays an item of the root section; each
    question with variants is a section holding all its variants (``id#1`` first) that
    selects one, worth the question's points, titled after the question."""
    (loaded,) = report.collection.banks
    root = _assessment(_package(report)).find("q:assessment/q:section", NS)
    assert root is not None
    children = list(root)
    expected = groups(loaded.bank.questions)
    assert len(children) == len(expected)
    for child, group in zip(children, expected, strict=True):
        labels = [i.get("label") for i in child.iter("{*}item")]
        assert labels == [f"{loaded.id}/{q.id}" for q in group.questions]
        if not group.varied:
            assert etree.QName(child).localname == "item"
            continue
        n = len(group.questions)
        assert etree.QName(child).localname == "section"
        assert child.get("title") == f"{group.id} (1 of {n} variants)"
        assert (
            child.findtext("q:selection_ordering/q:selection/q:selection_number", None, NS) == "1"
        )
        points = child.findtext(".//q:selection_extension/q:points_per_item", None, NS)
        assert points == "1" and group.questions[0].points == 1
    assert [len(g.questions) for g in expected if g.varied] == [6, 6, 5]


def test_quiz_points_count_each_group_once(report: Report) -> None:
    """A learner answers one variant of each group: the quiz is worth 1 plain question and
    3 groups of 1 point, not the 18 items' sum."""
    (meta,) = [
        d for n, d in _members(_package(report)).items() if n.endswith("assessment_meta.xml")
    ]
    assert b"<points_possible>4</points_possible>" in meta


def test_group_idents_are_stable_and_distinct(report: Report) -> None:
    """Two exports are byte-identical; the groups' idents differ from every item's."""
    package = _package(report)
    assert package == _package(report)
    idents = [node.get("ident") for node in _assessment(package).iter("{*}section", "{*}item")]
    assert len(idents) == len(set(idents))


def test_the_importer_reads_every_variant_and_says_the_draw_is_lost(
    report: Report, tmp_path: Path
) -> None:
    """qbank's QTI importer reads the items inside the nested sections: every variant
    comes back, in order, with its label, and each group is one `lost` issue (a bank has
    no draw of one question among several)."""
    path = tmp_path / "canvas.zip"
    path.write_bytes(_package(report))
    result = QtiImporter().read(path)
    (loaded,) = report.collection.banks
    assert [i.code for i in result.issues] == ["import-lost"] * 3
    assert "the 6 variants of question 'slice-tail'" in result.issues[0].message
    (bank,) = result.banks
    assert [q.idnumber for q in bank.questions] == [
        f"{loaded.id}/{q.id}" for q in loaded.bank.questions
    ]
