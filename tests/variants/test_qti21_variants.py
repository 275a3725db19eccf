"""QTI 2.1 export of a bank with variants: each question's variants an invisible
``assessmentSection`` inside the bank's that selects one (``<selection select="1"/>``).

Checked against the IMS QTI 2.1 schema (``tests/exporters/test_qti21.py``) and run by a real
consumer: pyslet's ``TestForm`` applies the test's selection rules as a delivery engine does
when a candidate starts the test.
"""

from __future__ import annotations

import io
import random
import sys
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

import qbank
from qbank.exporters.base import ExportContext
from qbank.exporters.qti21 import Qti21Exporter, names
from qbank.exporters.variants import groups
from qbank.options import Options
from qbank.report import Report

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "exporters"))
from test_qti21 import QTI, members, schema_errors  # noqa: E402

pyslet_xml = pytest.importorskip("pyslet.qtiv2.xml", reason="pyslet (a QTI 2.1 engine) is needed")
from pyslet.qtiv2 import tests as qti_tests  # noqa: E402

pytestmark = pytest.mark.filterwarnings(
    r"ignore:\S+ is deprecated, use, \S+ instead:DeprecationWarning"
)

BANK = ROOT / "banks" / "python" / "variants.yaml"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    cache = tmp_path_factory.mktemp("cache")
    found = qbank.validate([BANK], Options(cache_dir=str(cache)))
    assert found.ok, [p.format() for p in found.problems]
    return found


@pytest.fixture(scope="module")
def files(report: Report) -> dict[str, bytes]:
    (loaded,) = report.collection.banks
    return members(Qti21Exporter().render_bank(loaded, ExportContext(report)))


def test_qti21_says_it_draws_variants() -> None:
    assert Qti21Exporter.draws_variants


def test_each_question_with_variants_is_a_section_selecting_one(
    report: Report, files: dict[str, bytes]
) -> None:
    """The bank's section holds, in the bank's order, an item reference per plain question
    and an invisible section per question with variants, which selects one of its variants'
    items; every file is schema-valid and every variant an item of the package."""
    for name, data in files.items():
        if name.endswith(".xml") and name != "imsmanifest.xml":
            assert schema_errors(data) == [], name
    (loaded,) = report.collection.banks
    test = etree.fromstring(files["assessment.xml"])
    sections = test.iter(f"{QTI}assessmentSection")
    (bank_section,) = [s for s in sections if s.get("visible") == "true"]
    children = [c for c in bank_section if etree.QName(c).localname != "rubricBlock"]
    expected = groups(loaded.bank.questions)
    assert len(children) == len(expected)
    for child, group in zip(children, expected, strict=True):
        refs = [r.get("identifier") for r in child.iter(f"{QTI}assessmentItemRef")]
        assert refs == [names.item(loaded, q) for q in group.questions]
        if not group.varied:
            assert etree.QName(child).localname == "assessmentItemRef"
            continue
        assert etree.QName(child).localname == "assessmentSection"
        assert child.get("visible") == "false"
        assert child.get("identifier") == names.pick(loaded, group.id)
        assert child.find(f"{QTI}selection").get("select") == "1"
        assert child.get("title") == f"{group.id} ({len(group.questions)} variants)"
    assert all(f"{r}.xml" in files for r in (names.item(loaded, q) for q in loaded.bank.questions))


def test_the_test_is_worth_each_question_once(files: dict[str, bytes]) -> None:
    """MAXSCORE counts one plain question and three questions with variants (1 point each),
    not the 18 items: a candidate answers one variant of each."""
    test = etree.fromstring(files["assessment.xml"])
    (maximum,) = [
        d for d in test.iter(f"{QTI}outcomeDeclaration") if d.get("identifier") == "MAXSCORE"
    ]
    assert maximum.findtext(f"{QTI}defaultValue/{QTI}value") == "4"


def test_a_delivery_engine_draws_one_variant_of_each(
    report: Report, files: dict[str, bytes]
) -> None:
    """pyslet builds a test form (the items a candidate gets) by the test's selection rules:
    each form holds the plain question and exactly one variant of each question with
    variants; over many forms (seeded, so the outcome never varies) every variant is drawn."""
    (loaded,) = report.collection.banks
    document = pyslet_xml.QTIDocument()
    document.read(src=io.BytesIO(files["assessment.xml"]))
    variant_of = {
        names.item(loaded, q): group.id
        for group in groups(loaded.bank.questions)
        if group.varied
        for q in group.questions
    }
    plain = {names.item(loaded, q) for q in loaded.bank.questions} - set(variant_of)
    state = random.getstate()
    random.seed(20261202)
    try:
        forms = [list(qti_tests.TestForm(document.root)) for _ in range(200)]
    finally:
        random.setstate(state)
    drawn: Counter[str] = Counter()
    for form in forms:
        items = [c for c in form if c in variant_of or c in plain]
        assert plain <= set(items)
        per_question = Counter(variant_of[c] for c in items if c in variant_of)
        assert per_question == {g.id: 1 for g in groups(loaded.bank.questions) if g.varied}
        drawn.update(c for c in items if c in variant_of)
    assert set(drawn) == set(variant_of)
