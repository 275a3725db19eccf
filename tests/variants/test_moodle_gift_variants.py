"""Moodle XML and GIFT exports of a bank with variants: each question's variants in a
category of its own, ``…/<bank title>/<question id>``, for a quiz's random-question slot.

Read back three ways: as Moodle 4.5's XML importer reads it (``tests/exporters/
test_moodle_reader.py``), by the real GIFT parser (gift-pegjs), and by qbank's own Moodle
and GIFT importers, which put each category in a bank of its own as Moodle does.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest

import qbank
from qbank.exporters.base import ExportContext
from qbank.exporters.gift import CATEGORY, GiftExporter
from qbank.exporters.moodle import MoodleExporter
from qbank.exporters.variants import groups
from qbank.importers.gift import GiftImporter
from qbank.importers.moodle import MoodleImporter
from qbank.options import Options
from qbank.report import Report

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "exporters"))
from test_gift import gift_pegjs  # noqa: E402
from test_moodle_reader import problems, read  # noqa: E402

BANK = ROOT / "banks" / "python" / "variants.yaml"
PATH = "$course$/top/banks/python/Python variants"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    cache = tmp_path_factory.mktemp("cache")
    found = qbank.validate([BANK], Options(cache_dir=str(cache)))
    assert found.ok, [p.format() for p in found.problems]
    return found


def expected_places(report: Report) -> list[tuple[str, str]]:
    """(category, question id) of every question, in the bank's order."""
    (loaded,) = report.collection.banks
    return [
        (f"{PATH}/{group.id}" if group.varied else PATH, question.id)
        for group in groups(loaded.bank.questions)
        for question in group.questions
    ]


def test_moodle_puts_each_question_s_variants_in_a_category_of_its_own(report: Report) -> None:
    """As Moodle reads the file: each variant lands in ``…/<question id>`` with idnumber
    ``bank/question#k`` and a name ending ``#k``; plain questions after them are switched
    back to the bank's category; every variants category says what it holds."""
    (loaded,) = report.collection.banks
    xml = MoodleExporter().render_bank(loaded, ExportContext(report))
    questions = read(xml)
    assert problems(xml, questions) == []
    category, places, infos = "", [], {}
    for q in questions:
        if q.qtype == "category":
            category = q.category or ""
            infos[category] = q.info.text if q.info else ""
            continue
        places.append((category, q.idnumber.removeprefix(f"{loaded.id}/")))
    assert places == expected_places(report)
    assert any(c != PATH for c, _ in places) and any(c == PATH for c, _ in places)
    varied = [g for g in groups(loaded.bank.questions) if g.varied]
    for group in varied:
        info = infos[f"{PATH}/{group.id}"]
        assert f"{len(group.questions)} variants of question {loaded.id}/{group.id}" in info
    names = [q.name for q in questions if q.qtype != "category"]
    assert len(set(names)) == len(names)  # teachers tell the variants apart


def test_gift_switches_category_for_each_question_s_variants(report: Report) -> None:
    """The real GIFT parser reads a ``$CATEGORY`` before each question's variants and one
    back to the bank's before the plain questions after them; every question is read."""
    (loaded,) = report.collection.banks
    text = GiftExporter().render_bank(loaded, ExportContext(report))
    category, places = "", []
    for entry in gift_pegjs(text):
        if entry["type"] == "Category":
            category = entry["title"]
            continue
        places.append((category, entry["title"].removeprefix(f"{loaded.id}/")))
    assert places == expected_places(report)
    # The bank's category first, then one switch wherever the category changes.
    categories = [PATH] + [c for c, _ in places]
    changes = sum(a != b for a, b in itertools.pairwise(categories))
    switches = [line for line in text.splitlines() if line.startswith(CATEGORY)]
    assert len(switches) == 1 + changes


@pytest.mark.parametrize("fmt", ["moodle", "gift"])
def test_importing_the_export_gives_one_bank_per_category(
    report: Report, tmp_path: Path, fmt: str
) -> None:
    """qbank's importers (Moodle's reading of categories) give the bank's plain questions
    in one bank and each question's variants in a bank of their own, all idnumbers kept."""
    (loaded,) = report.collection.banks
    exporter, importer, suffix = {
        "moodle": (MoodleExporter(), MoodleImporter(), ".xml"),
        "gift": (GiftExporter(), GiftImporter(), ".gift"),
    }[fmt]
    path = tmp_path / f"variants{suffix}"
    path.write_text(exporter.render_bank(loaded, ExportContext(report)), encoding="utf-8")
    result = importer.read(path)
    # Moodle XML carries the idnumber; GIFT has none, its title (bank/question#k) names them.
    found = {
        "/".join(b.category): [q.idnumber if fmt == "moodle" else q.title for q in b.questions]
        for b in result.banks
    }
    expected: dict[str, list[str]] = {}
    for category, question_id in expected_places(report):
        key = category.removeprefix("$course$/top/")
        expected.setdefault(key, []).append(f"{loaded.id}/{question_id}")
    assert found == expected
