"""Moodle 4.5's own import fixtures (``question/format/{xml,gift}/tests/fixtures``) imported.

The files are GPL-3.0-or-later and are not copied into this MIT project: the test reads them
from a Moodle tree named by ``QBANK_MOODLE_TREE`` (a checkout's root, or a folder holding the
fixture files) and is skipped without one. The expected counts were checked by hand against
the files: every ``<question>`` but categories, every GIFT block; cloze items are reported
(``import-cloze``), never imported; ``error_invalid_grades.xml`` imports, and
``qbank validate`` then refuses its grades (``bad-weight``), as Moodle's importer does.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from qbank.importers.gift import GiftImporter
from qbank.importers.moodle import MoodleImporter

FOLDERS = ("question/format/xml/tests/fixtures", "question/format/gift/tests/fixtures", ".")

#: file -> (banks, question types, issue codes)
EXPECTED: dict[str, tuple[int, dict[str, int], set[str]]] = {
    "broken_cloze_questions.xml": (1, {}, {"import-cloze"}),  # their text: a bank of comments
    "categories_reverse_order.xml": (
        2, {"essay": 1, "short_answer": 1}, {"import-lost", "import-weight"}
    ),
    "category_with_description.xml": (1, {"true_false": 1}, {"import-lost"}),
    "error_invalid_grades.xml": (1, {"multiple_answers": 1}, {"import-lost"}),
    "export_category.xml": (1, {"true_false": 1}, {"import-lost"}),
    "html_chars_in_idnumbers.xml": (1, {"true_false": 1}, {"import-lost"}),
    "multianswer.xml": (1, {}, {"import-cloze"}),
    "multichoice.xml": (1, {"multiple_choice": 1}, {"import-lost"}),
    "nested_categories.xml": (1, {"true_false": 1}, {"import-lost"}),
    "nested_categories_with_questions.xml": (4, {"essay": 1, "true_false": 4}, {"import-lost"}),
    "old_format_file.xml": (2, {"true_false": 2}, {"import-lost"}),
    "sample_questions_with_old_image_tag.xml": (
        1, {"multiple_choice": 1}, {"import-cloze", "import-lost"}
    ),
    "truefalse.xml": (1, {"true_false": 2}, {"import-html", "import-lost"}),
    "questions.gift.txt": (
        1,
        {"essay": 1, "matching": 1, "multiple_answers": 1, "multiple_choice": 1, "numerical": 1,
         "short_answer": 1, "true_false": 3},
        {"import-lost", "import-weight"},
    ),
    "questions_encoding_windows-1252.gift.txt": (1, {"essay": 2, "matching": 1},
                                                 {"import-encoding"}),
    "questions_in_category.gift.txt": (
        1, {"matching": 1, "multiple_choice": 1, "short_answer": 1, "true_false": 1},
        {"import-html"},
    ),
}  # fmt: skip


def _fixture(name: str) -> Path:
    tree = os.environ.get("QBANK_MOODLE_TREE")
    if not tree:
        pytest.skip("set QBANK_MOODLE_TREE to a Moodle 4.5 tree to import its fixtures")
    for folder in FOLDERS:
        path = Path(tree) / folder / name
        if path.is_file():
            return path
    pytest.fail(f"{name} is not in {tree} (looked in {', '.join(FOLDERS)})")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_moodle_fixture_imports_with_the_right_counts(name: str) -> None:
    path = _fixture(name)
    importer = GiftImporter() if name.endswith(".gift.txt") else MoodleImporter()
    result = importer.read(path)
    banks, types, codes = EXPECTED[name]
    assert len(result.banks) == banks
    assert Counter(q.data["type"] for b in result.banks for q in b.questions) == types
    assert {issue.code for issue in result.issues} == codes


def test_invalid_grades_are_refused_by_validate(tmp_path: Path) -> None:
    """Moodle's importer stops on `error_invalid_grades.xml`; qbank imports it, and the
    audit names the grades: 33 (not one of Moodle's) and a key that adds up to 99.67 %."""
    import qbank

    qbank.import_banks([_fixture("error_invalid_grades.xml")], tmp_path / "out")
    report = qbank.validate([tmp_path / "out"], qbank.Options(cache=False))
    assert {p.code for p in report.problems if p.severity == "error"} == {"bad-weight"}
    assert any("weight 33 is not one Moodle accepts" in p.message for p in report.problems)
