"""The Anki text (TSV) exporter, checked by importing its files with Anki's own library."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from qbank.exporters.anki.apkg import AnkiExporter
from qbank.exporters.anki.notetype import FIELDS, NOTE_TYPE_NAME
from qbank.exporters.anki.text import AnkiTextExporter, quote
from qbank.exporters.base import ExportContext
from qbank.options import Options
from qbank.report import Report
from qbank.validation import validate

sys.path.insert(0, str(Path(__file__).parent))
from anki_import import (
    DEMO_BANK,
    card_count,
    import_package,
    import_text,
    new_collection,
    notes,
    write_project,
)

GOLDENS = Path(__file__).parent / "goldens"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project")


def _report(path: Path) -> Report:
    report = validate([str(path)], Options(execute=False))
    out = report.result("banks/demo", "out")
    assert out is not None
    out.computed_answer = "<0>\n<1>\n"
    return report


def _text(report: Report) -> str:
    return AnkiTextExporter().render_collection(report.collection, ExportContext(report))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("plain <b>html</b>", "plain <b>html</b>"),
        ("#starts like a comment", '"#starts like a comment"'),
        ("a\ttab", '"a\ttab"'),
        ('say "hi"', '"say ""hi"""'),
        ("two\nlines", '"two\nlines"'),
        ("carriage\rreturn", '"carriage\rreturn"'),
        ("", ""),
    ],
)
def test_quote_follows_rfc_4180_and_protects_hash(cell: str, expected: str) -> None:
    """Cells Anki would misread bare (comment, separator, quote, line break) are quoted."""
    assert quote(cell) == expected


def test_headers_and_columns_match_the_note_type(project: Path) -> None:
    """The headers name the GUID, note type, deck and tags columns; each row has every field."""
    lines = _text(_report(project)).splitlines()
    assert lines[:6] == [
        "#separator:tab",
        "#html:true",
        "#guid column:1",
        "#notetype column:2",
        "#deck column:3",
        f"#tags column:{3 + len(FIELDS) + 1}",
    ]
    first = lines[6].split("\t")
    assert first[1:4] == [NOTE_TYPE_NAME, "qbank::banks::demo", "banks/demo/mc"]


def test_golden_text(project: Path, request: pytest.FixtureRequest) -> None:
    """The text export of the demo bank matches its golden file."""
    text = _text(_report(project))
    golden = GOLDENS / "anki-text-demo.txt"
    if request.config.getoption("--update-goldens", default=False):
        golden.write_bytes(text.encode("utf-8"))
    assert golden.exists(), f"{golden} is missing: run pytest --update-goldens"
    assert text == golden.read_bytes().decode("utf-8"), "run pytest --update-goldens to accept"


def test_text_import_updates_apkg_notes_in_place_by_guid(project: Path, tmp_path: Path) -> None:
    """After the .apkg, a text file updates the same notes (matched by GUID, even if the
    first field changed), keeps code indentation, and adds nothing."""
    report = _report(project)
    col = new_collection(tmp_path)
    apkg = AnkiExporter(timestamp=1_700_000_000).render_collection(
        report.collection, ExportContext(report)
    )
    import_package(col, apkg, tmp_path)
    before = notes(col)
    project.write_text(DEMO_BANK.replace("Which are even?", "Which numbers are even?"))
    text = _text(_report(project)).replace("\tbanks/demo/ma\t", "\tbanks/demo/ma-renamed\t")
    log = import_text(col, text, tmp_path)
    after = notes(col)
    assert set(after) == set(before) and card_count(col) == 10
    assert len(log.new) == 0 and len(log.updated) == 1
    edited = next(n for n in after.values() if n.fields["Type"] == "multiple_answers")
    assert edited.fields["QID"] == "banks/demo/ma-renamed"
    assert edited.fields["Question"] == "<p>Which numbers are even?</p>"
    mc = next(n for n in after.values() if n.fields["QID"] == "banks/demo/mc")
    assert mc.fields == before[mc.guid].fields
    assert "\n    <span" in mc.fields["Code"] and "&lt;int&gt;" in mc.fields["Code"]
    assert "type::multiple_choice" in mc.tags
    col.close()


def test_text_import_needs_the_note_type_first(project: Path, tmp_path: Path) -> None:
    """Into a collection without the note type, Anki imports nothing (as documented)."""
    col = new_collection(tmp_path)
    log = import_text(col, _text(_report(project)), tmp_path)
    assert len(log.missing_notetype) == 10 and not notes(col)
    col.close()
