"""The QTI importer: hostile and broken packages, Canvas types text2qti never writes, and
`qbank import quiz.zip` then `qbank validate` (text2qti's route is in test_text2qti_import)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from qbank.cli import main
from qbank.errors import QbankError
from qbank.importers.qti import QtiImporter, archive

ITEM = """<item ident="{ident}" title="{title}"><itemmetadata><qtimetadata>
<qtimetadatafield><fieldlabel>question_type</fieldlabel><fieldentry>{kind}</fieldentry></qtimetadatafield>
<qtimetadatafield><fieldlabel>points_possible</fieldlabel><fieldentry>1.0</fieldentry></qtimetadatafield>
</qtimetadata></itemmetadata><presentation><material><mattext texttype="text/html">&lt;p&gt;{prompt}&lt;/p&gt;</mattext></material>
{body}</presentation><resprocessing>{scoring}</resprocessing></item>"""
CHOICES = """<response_lid ident="response1" rcardinality="Single"><render_choice>
<response_label ident="a"><material><mattext texttype="text/html">yes</mattext></material></response_label>
<response_label ident="b"><material><mattext texttype="text/html">no</mattext></material></response_label>
</render_choice></response_lid>"""
MATCHING = """<response_lid ident="r1"><material><mattext>len</mattext></material><render_choice>
<response_label ident="m1"><material><mattext>size</mattext></material></response_label>
<response_label ident="m2"><material><mattext>kind</mattext></material></response_label>
<response_label ident="m3"><material><mattext>colour</mattext></material></response_label>
</render_choice></response_lid>
<response_lid ident="r2"><material><mattext>type</mattext></material><render_choice>
<response_label ident="m1"><material><mattext>size</mattext></material></response_label>
</render_choice></response_lid>"""


def score(*pairs: tuple[str, str]) -> str:
    tests = "".join(f'<varequal respident="{r}">{v}</varequal>' for r, v in pairs)
    return f'<respcondition><conditionvar>{tests}</conditionvar><setvar action="Set">100</setvar></respcondition>'


def bank_xml(*items: str, container: str = "assessment") -> str:
    return (
        '<?xml version="1.0"?><questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2">'
        f'<{container} ident="b1" title="Canvas bank"><section ident="root_section">'
        + "".join(items)
        + f"</section></{container}></questestinterop>"
    )


def write(tmp_path: Path, text: str, name: str = "quiz.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_canvas_types_and_unknown_ones(tmp_path: Path) -> None:
    xml = bank_xml(
        ITEM.format(
            ident="q1",
            title="Question",
            kind="multiple_choice_question",
            prompt="Keyed?",
            body=CHOICES,
            scoring=score(("response1", "a")),
        ),
        ITEM.format(
            ident="q2",
            title="Pairs",
            kind="matching_question",
            prompt="Match.",
            body=MATCHING,
            scoring=score(("r1", "m1")) + score(("r2", "m2")),
        ),
        ITEM.format(
            ident="q3",
            title="Blanks",
            kind="fill_in_multiple_blanks_question",
            prompt="[a] and [b]",
            body="",
            scoring="",
        ),
        ITEM.format(
            ident="q4", title="Calc", kind="calculated_question", prompt="x+y", body="", scoring=""
        ),
        ITEM.format(
            ident="q5", title="Odd", kind="hotspot_question", prompt="?", body="", scoring=""
        ),
        ITEM.format(
            ident="q6",
            title="Unkeyed",
            kind="multiple_choice_question",
            prompt="None right",
            body=CHOICES,
            scoring="",
        ),
    )
    result = QtiImporter().read(write(tmp_path, xml))
    (bank,) = result.banks
    assert bank.title == "Canvas bank"
    first, pairs, unkeyed = (q.data for q in bank.questions)
    assert first == {
        "type": "multiple_choice",
        "prompt": "Keyed?",
        "choices": [{"text": "yes", "correct": True}, "no"],
    }
    assert pairs["pairs"] == [{"left": "len", "right": "size"}, {"left": "type", "right": "kind"}]
    assert pairs["distractors"] == ["colour"]
    assert unkeyed["title"] == "Unkeyed"
    assert any("calculated_question" in line for line in bank.questions[2].comments)
    assert [i.code for i in result.issues] == [
        "import-cloze",
        "import-calculated",
        "import-unknown-type",
        "import-invalid",
    ]


def test_an_objectbank_is_a_bank(tmp_path: Path) -> None:
    xml = bank_xml(
        ITEM.format(
            ident="q1", title="T", kind="essay_question", prompt="Why?", body="", scoring=""
        ),
        container="objectbank",
    )
    (bank,) = QtiImporter().read(write(tmp_path, xml)).banks
    assert bank.questions[0].data == {"type": "essay", "title": "T", "prompt": "Why?"}


def test_doctype_is_refused(tmp_path: Path) -> None:
    xml = '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaa">]><questestinterop/>'
    with pytest.raises(QbankError, match="refused"):
        QtiImporter().read(write(tmp_path, xml))


def test_broken_xml_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(QbankError, match="not readable XML"):
        QtiImporter().read(write(tmp_path, "<questestinterop><item>"))


def test_a_corrupt_zip_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "quiz.zip"
    path.write_bytes(b"PK\x03\x04 this is no zip")
    with pytest.raises(QbankError, match="corrupt"):
        QtiImporter().read(path)


def _zip(tmp_path: Path, members: dict[str, bytes]) -> Path:
    path = tmp_path / "quiz.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_escaping_and_huge_members_are_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive, "MAX_MEMBER", 1024)
    xml = bank_xml(
        ITEM.format(
            ident="q1", title="T", kind="essay_question", prompt="Why?", body="", scoring=""
        )
    )
    path = _zip(
        tmp_path,
        {
            "imsmanifest.xml": b"<manifest/>",
            "a/a.xml": xml.encode(),
            "../evil.xml": b"x",
            "big.bin": b"0" * 10_000,
        },
    )
    result = QtiImporter().read(path)
    assert len(result.banks[0].questions) == 1
    assert sorted(i.message.split("'")[1] for i in result.issues) == ["../evil.xml", "big.bin"]
    assert {i.code for i in result.issues} == {"import-unsafe"}


def test_a_zip_without_qti_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(QbankError, match="no member"):
        QtiImporter().read(_zip(tmp_path, {"imsmanifest.xml": b"<manifest/>"}))


def test_import_then_validate(tmp_path: Path) -> None:
    xml = bank_xml(
        ITEM.format(
            ident="q1",
            title="Keyed",
            kind="multiple_choice_question",
            prompt="Keyed?",
            body=CHOICES,
            scoring=score(("response1", "a")),
        ),
        ITEM.format(
            ident="q2", title="Why", kind="essay_question", prompt="Why?", body="", scoring=""
        ),
    )
    path = _zip(tmp_path, {"imsmanifest.xml": b"<manifest/>", "b1/b1.xml": xml.encode()})
    runner = CliRunner()
    out = tmp_path / "out"
    imported = runner.invoke(main, ["import", str(path), "-o", str(out)])
    assert imported.exit_code == 0, imported.output
    checked = runner.invoke(main, ["validate", str(out), "--no-exec"])
    assert checked.exit_code == 0, checked.output
    assert " 0 error(s)" in checked.output
